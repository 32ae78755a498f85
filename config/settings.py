"""Settings read from the environment.

With no DATABASE_URL the site runs on SQLite and Celery tasks run in-process, so a newcomer
needs no services; production (docker-compose.yml) sets DATABASE_URL, REDIS_URL and a secret.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("DJANGO_ALLOW_INSECURE_KEY", False):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "axes",
    "csp",
    "jurisdictions",
    "awards",
    "reviews",
    "publicity",
    "accounts",
    "committee",
    "honours",
    "duties",
    "sanctions",
    "records",
    "orchestration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jurisdictions.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jurisdictions.middleware.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Before the tenant is looked up: a public page this process already holds needs no query.
    "jurisdictions.public_pages.PublicPageMiddleware",
    "jurisdictions.middleware.TenantMiddleware",
    # Last, as django-axes asks: it turns a login refused by the lock into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jurisdictions.context_processors.tenant",
                "publicity.context_processors.running_notices",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # The zero-setup demo. Several requests write at once (a reviewer's autosave posts each item as it
    # is chosen): WAL lets readers and one writer work together, the busy timeout makes a writer wait
    # for the lock instead of failing with "database is locked", and IMMEDIATE transactions take the
    # write lock at BEGIN, so a transaction that reads and then writes never fails on upgrading it.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no Redis, tasks run in-process so the demo needs no worker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker child that grew past 150 MB (KiB here), after a comprehensive report of hundreds of
# applications say, is replaced once its task is done: CPython and WeasyPrint keep much of what a big
# document took even after it is freed, and the next report should not start from there.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 150 * 1024
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {}

AUTHENTICATION_BACKENDS = [
    # First: refuses any login while its username and address are locked (accounts/login_lockout.py).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "home"

# Failed logins (django-axes, every login including /admin/): this many failures for one username
# from one client address inside the window lock that pair; see accounts/login_lockout.py.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# Per client address across usernames: larger, because an office may reach us through one address.
LOGIN_FAILURE_ADDRESS_LIMIT = int(os.environ.get("LOGIN_FAILURE_ADDRESS_LIMIT", "30"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(seconds=LOGIN_FAILURE_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.login_lockout.PairAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "accounts.login_lockout.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# Failures and lockouts are logged as warnings; the per-request info lines are noise.
AXES_VERBOSE = False
# The client address behind the documented reverse proxy: with TRUSTED_PROXY_COUNT proxies in front,
# the address is taken from X-Forwarded-For that many hops from the right (the proxies append to it,
# so what a client forges on the left is ignored); with 0, REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
AXES_IPWARE_PROXY_TRUSTED_IPS = [ip.strip() for ip in os.environ.get("TRUSTED_PROXY_IPS", "").split(",") if ip.strip()]
# Password-reset mails: per account (per jurisdiction) and per client address, within the window.
RESET_MAIL_PER_ACCOUNT_LIMIT = int(os.environ.get("RESET_MAIL_PER_ACCOUNT_LIMIT", "3"))
RESET_MAIL_PER_ADDRESS_LIMIT = int(os.environ.get("RESET_MAIL_PER_ADDRESS_LIMIT", "20"))
RESET_MAIL_WINDOW_SECONDS = int(os.environ.get("RESET_MAIL_WINDOW_SECONDS", "3600"))

# The public objection form and the status lookup: submissions per client address in the window
# (publicity/abuse.py), and the least seconds between showing the form and a submission.
OBJECTION_FILINGS_PER_ADDRESS_LIMIT = int(os.environ.get("OBJECTION_FILINGS_PER_ADDRESS_LIMIT", "5"))
OBJECTION_LOOKUPS_PER_ADDRESS_LIMIT = int(os.environ.get("OBJECTION_LOOKUPS_PER_ADDRESS_LIMIT", "30"))
OBJECTION_LIMIT_WINDOW_SECONDS = int(os.environ.get("OBJECTION_LIMIT_WINDOW_SECONDS", "3600"))
OBJECTION_MIN_FILL_SECONDS = int(os.environ.get("OBJECTION_MIN_FILL_SECONDS", "4"))
# Fernet keys for objectors' ID card numbers, comma separated: the first encrypts, all decrypt (so a
# key can be rotated). Unset, a key derived from DJANGO_SECRET_KEY is used (a local trial only).
OBJECTION_ID_KEYS = [k.strip() for k in os.environ.get("OBJECTION_ID_KEYS", "").split(",") if k.strip()]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files are confidential: MEDIA_ROOT is never served by URL, only through checked views.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "tmp" / "mail"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "noreply@quality-award.example.cn")

SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    X_FRAME_OPTIONS = "DENY"
    # Off by default: TLS usually ends at the office's reverse proxy, which also redirects to HTTPS.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading binds the whole registrable domain for months: the office's network team decides.
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = []
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    if not SECURE_SSL_REDIRECT and env_bool("DJANGO_PROXY_REDIRECTS_HTTPS", True):
        # The documented deployment ends TLS at the reverse proxy, which redirects http to https.
        SILENCED_SYSTEM_CHECKS.append("security.W008")

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own "django" logger has a console handler of its own (when DEBUG is on) and also
        # propagates to the root one, which printed every line twice: leave the printing to root.
        "django": {"handlers": [], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"), "propagate": True},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "weasyprint.progress": {"level": "ERROR"},
    },
}

# Content-Security-Policy (django-csp): everything from this site only and no inline script at all —
# page scripts are static files, htmx is vendored and runs without eval (hx-on is not used).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Reminders to applicants with an unsubmitted draft: this many days before the close.
AWARDS_CLOSE_REMINDER_DAYS = tuple(
    int(d) for d in os.environ.get("AWARDS_CLOSE_REMINDER_DAYS", "7,1").split(",") if d.strip()
)
# Consensus: items whose members' percentages spread this far (population standard deviation, in
# percentage points) are highlighted for the group leader.
REVIEW_HIGH_SPREAD_POINTS = float(os.environ.get("REVIEW_HIGH_SPREAD_POINTS", "10"))

SITE_TITLE = _("政府质量奖评审管理系统")

# Upload limits (bytes): per file and per application.
AWARDS_MAX_FILE_BYTES = int(os.environ.get("AWARDS_MAX_FILE_BYTES", 20 * 1024 * 1024))
AWARDS_MAX_APPLICATION_BYTES = int(os.environ.get("AWARDS_MAX_APPLICATION_BYTES", 200 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# CJK fonts for PDFs (Debian fonts-noto-cjk); subset per document by awards/pdf.py.
PDF_CJK_FONT_REGULAR = os.environ.get("PDF_CJK_FONT_REGULAR", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PDF_CJK_FONT_BOLD = os.environ.get("PDF_CJK_FONT_BOLD", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
# Fonts for characters Noto CJK lacks (CJK extensions B+; rare characters in company names).
PDF_FALLBACK_FONTS = [
    p for p in os.environ.get(
        "PDF_FALLBACK_FONTS",
        "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf:/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
    ).split(":") if p
]
# "auto": WeasyPrint's own hb-subset when available, else our fontTools pre-subsetting; "fonttools" forces it.
PDF_FONT_SUBSETTING = os.environ.get("PDF_FONT_SUBSETTING", "auto")
PDF_SYSTEM_FONT_FAMILIES = ["Noto Sans CJK SC", "HanaMinA", "HanaMinB"]
PDF_FONT_CACHE_DIR = os.environ.get("PDF_FONT_CACHE_DIR", str(BASE_DIR / "tmp" / "fontcache"))
CELERY_BEAT_SCHEDULE["awards-close-reminders"] = {
    "task": "awards.tasks.send_close_reminders_task",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["awards-start-due-reviews"] = {
    "task": "awards.tasks.start_due_reviews_task",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["publicity-end-due-notices"] = {
    "task": "publicity.tasks.end_due_notices_task",
    "schedule": 5 * 60,
}
CELERY_BEAT_SCHEDULE["publicity-deemed-outcomes"] = {
    "task": "publicity.tasks.apply_deemed_outcomes_task",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["publicity-purge-held-files"] = {
    "task": "publicity.tasks.purge_held_files_task",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["reviews-site-report-reminders"] = {
    "task": "reviews.tasks.send_site_report_reminders_task",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["duties-ensure"] = {
    "task": "duties.tasks.ensure_all_duties_task",
    "schedule": 24 * 60 * 60,
}
CELERY_BEAT_SCHEDULE["duties-self-assessment-reminders"] = {
    "task": "duties.tasks.send_self_assessment_reminders_task",
    "schedule": 24 * 60 * 60,
}

# Certificates (honours/): the office's signing key and certificate (PEM), the chain up to the root
# and the root(s) a signature must chain to. Without them the demo signing certificate is made at
# run time under HONOURS_DEMO_SIGNING_DIR, and only where HONOURS_DEMO_SIGNING is on (the default in
# DEBUG); production without a configured certificate refuses to issue, and says so to staff.
HONOURS_SIGNING_KEY_FILE = os.environ.get("HONOURS_SIGNING_KEY_FILE", "")
HONOURS_SIGNING_CERT_FILE = os.environ.get("HONOURS_SIGNING_CERT_FILE", "")
HONOURS_SIGNING_KEY_PASSWORD = os.environ.get("HONOURS_SIGNING_KEY_PASSWORD", "")
HONOURS_SIGNING_CHAIN_FILE = os.environ.get("HONOURS_SIGNING_CHAIN_FILE", "")
HONOURS_TRUST_ROOTS_FILE = os.environ.get("HONOURS_TRUST_ROOTS_FILE", "")
HONOURS_DEMO_SIGNING = env_bool("HONOURS_DEMO_SIGNING", DEBUG)
HONOURS_DEMO_SIGNING_DIR = os.environ.get("HONOURS_DEMO_SIGNING_DIR", str(MEDIA_ROOT / "signing-demo"))
# The site's public address, printed in each certificate's QR code (the verification page).
HONOURS_PUBLIC_BASE_URL = os.environ.get("HONOURS_PUBLIC_BASE_URL", "http://localhost:8000")

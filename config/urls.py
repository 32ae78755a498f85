from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from jurisdictions import views as jurisdiction_views
from jurisdictions.views_language import switch_language

# One prefix for every tenant page, matched once per request; the public pages (read hardest when a
# notice is published) come first, so they are found after the fewest patterns.
TENANT_URLS = [
    path("", include("jurisdictions.urls")),
    path("", include("publicity.urls_public")),
    path("", include("honours.urls_public")),
    path("", include("accounts.urls")),
    path("", include("awards.urls")),
    path("", include("reviews.urls_reviewer")),
    path("", include("reviews.urls_office")),
    path("", include("committee.urls_office")),
    path("", include("committee.urls_member")),
    path("", include("publicity.urls_office")),
    path("", include("honours.urls_office")),
    path("", include("duties.urls")),
    path("", include("sanctions.urls")),
    path("", include("records.urls")),
]

urlpatterns = [
    path("", jurisdiction_views.home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/", switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls_site")),
    # A certificate's verification page is site-wide: its QR code names no tenant.
    path("verify/", include("honours.urls_verify")),
    # Everything below carries the tenant; TenantMiddleware resolves <jurisdiction> once.
    path("<slug:jurisdiction>/", include(TENANT_URLS)),
]

handler404 = "jurisdictions.views.not_found"
handler500 = "jurisdictions.views.server_error"


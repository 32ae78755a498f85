# Production image: gunicorn serving config.wsgi; the same image runs the Celery worker and beat
# (see docker-compose.yml). Every setting comes from the environment (.env.example).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts for certificates and notices; Pango/HarfBuzz for WeasyPrint; gettext for compilemessages;
# the PostgreSQL 15 client (the db service's version) for ops/backup.sh and ops/restore.sh.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk fonts-hanazono libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 gettext \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. pyproject.toml declares no packages:
# `pip install .` installs the dependencies only.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Build-time only: no secret exists while building, and nothing here needs one.
# The CJK base fonts for PDFs are subset once here, so no request or task pays the ~20 s it takes.
ENV PDF_FONT_CACHE_DIR=/app/fontcache
RUN DJANGO_ALLOW_INSECURE_KEY=1 python manage.py collectstatic --noinput \
    && DJANGO_ALLOW_INSECURE_KEY=1 python manage.py compilemessages --ignore=.venv \
    && DJANGO_ALLOW_INSECURE_KEY=1 python manage.py warm_pdf_fonts

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]

"""What production relies on: the health check, the compose file, the example environment, the
deploy checks and logging."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Set by docker-compose.yml itself, or only at build time / in development.
NOT_IN_ENV_EXAMPLE = {
    "DATABASE_URL", "REDIS_URL", "DJANGO_MEDIA_ROOT", "DJANGO_ALLOW_INSECURE_KEY", "DJANGO_EMAIL_FILE_PATH",
    "DJANGO_MANIFEST_STATIC", "PDF_CJK_FONT_BOLD", "PDF_CJK_FONT_REGULAR", "PDF_FONT_CACHE_DIR",
    "PDF_FONT_SUBSETTING", "PDF_FALLBACK_FONTS",
}


def _env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            pairs[key] = value
    return pairs


@pytest.mark.django_db
def test_health_check_answers_ok_without_login_or_tenant(client):
    response = client.get("/healthz/")
    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"ok\n", "text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_env_example_names_every_setting_read_from_the_environment():
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:environ\.get|env_bool)\(\s*"([A-Z0-9_]+)"', source))
    assert read - NOT_IN_ENV_EXAMPLE - set(_env_example()) == set()


def test_compose_starts_worker_and_beat_after_a_healthy_migrated_web():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "migrate" in services["web"]["command"]
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"] == {"condition": "service_healthy"}
        # The anchor's db and redis dependencies are replaced, not merged: web already waits for them.
        assert services["web"]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["web"]["environment"]["DJANGO_HSTS_SECONDS"].startswith("${DJANGO_HSTS_SECONDS:-31536000")


def _run_django(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_deploy_checks_are_clean_with_the_production_settings_of_the_example():
    env = {**os.environ, **_env_example(), "DJANGO_SECRET_KEY": "x" * 30 + "-Production-like-secret-key-1234567"}
    # Set by the browser tests' conftest for Playwright's event loop; production never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**env, "DJANGO_DEBUG": "0"}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("debug", ["0", "1"])
def test_every_django_log_line_is_printed_once(debug):
    env = {**os.environ, "DJANGO_DEBUG": debug, "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('django.request').warning('marker-line-%s', 'once')")
    result = _run_django(code, env)
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count("marker-line-once") == 1


def test_make_test_gives_the_suite_a_redis_database_of_its_own():
    """Tests clear the cache and purge the queue: never in database 0, which `make run` uses."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "test: export REDIS_URL := $(or $(TEST_REDIS_URL),redis://127.0.0.1:6379/9)" in makefile
    assert not os.environ.get("REDIS_URL", "").endswith("/0")

"""The Content-Security-Policy forbids inline script, and no template needs any."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# PDFs are rendered by WeasyPrint on the server, never by a browser.
BROWSER_TEMPLATES = [p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES).parts]


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/keqiao/", "/keqiao/rules/", "/keqiao/accounts/login/"])
def test_pages_carry_a_policy_with_no_inline_or_eval_script(client, loaded, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]


def test_the_error_page_may_use_its_own_inline_styles_but_no_script(rf):
    from jurisdictions.views import server_error

    response = server_error(rf.get("/"))
    # The decorator's update is applied by the middleware from the response attribute.
    assert response._csp_update == {"style-src": ["'unsafe-inline'"]}
    assert "<script" not in response.content.decode()


@pytest.mark.parametrize("template", BROWSER_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_handlers_or_styles(template):
    text = template.read_text(encoding="utf-8")
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == []
    assert re.findall(r"\son[a-z]+\s*=", text) == []
    assert "hx-on" not in text
    if template.name != "500.html":
        assert re.findall(r"<style\b|\sstyle\s*=", text) == []

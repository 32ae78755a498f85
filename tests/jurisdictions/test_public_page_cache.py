"""The public pages come from the cache: the visitor's own CSRF token, ETag and 304, invalidation."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jurisdictions import parsed_documents, public_pages
from jurisdictions.public_pages import CSRF_PLACEHOLDER
from tests.conftest import make_user

PAGES = ("/", "/keqiao/", "/keqiao/rules/")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("path", PAGES)
def test_the_cached_page_is_the_same_for_every_visitor_with_no_token_or_cookie(loaded, path):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    a, b = first.get(path), second.get(path)
    assert a.status_code == b.status_code == 200
    assert a.content == b.content and a["ETag"] == b["ETag"]
    page = a.content.decode()
    assert CSRF_PLACEHOLDER not in page and "csrfmiddlewaretoken" not in page and "X-CSRFToken" not in page
    assert settings.CSRF_COOKIE_NAME not in a.cookies
    # The language switch is a GET: it sets the preference and returns to the page, never elsewhere.
    assert 'class="lang-switch" action="/language/" method="get"' in page
    switched = second.get("/language/", {"language": "en", "next": path})
    assert (switched.status_code, switched["Location"]) == (302, path)
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in second.get(path).content.decode()
    away = second.get("/language/", {"language": "en", "next": "https://evil.example.com/"})
    assert away["Location"] == "/"
    unknown = Client().get("/language/", {"language": "fr", "next": path})
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies


def test_a_signed_in_visitors_page_keeps_its_token_for_htmx(loaded):
    client = Client()
    client.force_login(make_user("htmx-reader"))
    page = client.get("/keqiao/rules/").content.decode()
    assert "X-CSRFToken" in page and CSRF_PLACEHOLDER not in page


@pytest.mark.parametrize("path", PAGES)
def test_a_conditional_request_that_still_matches_gets_304(loaded, path):
    client = Client()
    page = client.get(path)
    assert page["Last-Modified"] and page["ETag"].startswith('W/"')
    again = client.get(path, headers={"If-None-Match": page["ETag"]})
    assert again.status_code == 304
    assert client.get(path, headers={"If-Modified-Since": page["Last-Modified"]}).status_code == 304
    # The copy holds nothing of its visitor's: another visitor's copy is confirmed too.
    assert Client().get(path, headers={"If-None-Match": page["ETag"]}).status_code == 304
    assert Client().get(path, headers={"If-None-Match": 'W/"something-else"'}).status_code == 200


def test_loading_a_profile_version_again_or_renaming_a_jurisdiction_changes_the_page(loaded):
    client = Client()
    before = client.get("/keqiao/rules/")
    profile = loaded["keqiao"].profile_in_force()
    profile.save()  # loaded again unchanged: the page is the same, so the ETag still matches
    assert client.get("/keqiao/rules/", headers={"If-None-Match": before["ETag"]}).status_code == 304
    document = copy.deepcopy(profile.document)
    document["regulation"]["title_zh"] += "（修订稿）"
    profile.document = document
    profile.save()  # an edited version
    after = client.get("/keqiao/rules/", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "（修订稿）" in after.content.decode()

    jurisdiction = loaded["daqing"]
    jurisdiction.name_zh = "大庆市（改名测试）"
    jurisdiction.save()
    assert "大庆市（改名测试）" in client.get("/").content.decode()


def test_a_change_made_in_another_process_reaches_this_ones_copy_within_its_seconds(loaded, monkeypatch):
    client = Client()
    first = client.get("/keqiao/rules/")
    assert first.status_code == 200
    # Another process saves a change: the shared generation moves, this process's copy does not know.
    cache.incr(public_pages.GENERATION_KEY) if cache.get(public_pages.GENERATION_KEY) else cache.set(
        public_pages.GENERATION_KEY, 1, None)
    with CaptureQueriesContext(connection) as fresh_copy:
        assert client.get("/keqiao/rules/")["ETag"] == first["ETag"]
    assert len(fresh_copy) == 0  # within LOCAL_SECONDS the copy is served without asking
    clock = public_pages.time.monotonic() + public_pages.LOCAL_SECONDS
    monkeypatch.setattr(public_pages.time, "monotonic", lambda: clock)
    with CaptureQueriesContext(connection) as re_rendered:
        assert client.get("/keqiao/rules/").status_code == 200
    assert len(re_rendered) > 0, "after LOCAL_SECONDS the generation is read again and the page made anew"


def test_signed_in_visitors_get_the_page_made_for_them(loaded):
    client = Client()
    client.force_login(make_user("reader", first_name="陈读者"))
    response = client.get("/keqiao/rules/")
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert "陈读者" in response.content.decode()


def test_a_profile_version_is_parsed_once_per_process(loaded, monkeypatch):
    from jurisdictions.models import RuleProfile
    from jurisdictions.profile_schema import RuleProfileDoc

    parsed_documents.forget_all()
    calls = []
    original = RuleProfileDoc.model_validate
    monkeypatch.setattr(RuleProfileDoc, "model_validate", lambda doc: calls.append(1) or original(doc))
    pk = loaded["keqiao"].profile_in_force().pk
    for _ in range(3):
        assert RuleProfile.objects.get(pk=pk).typed.jurisdiction == "keqiao"
    assert len(calls) == 1
    # An edited document (saved or not) is parsed again, never answered with the old parse.
    changed = RuleProfile.objects.get(pk=pk)
    changed.document = {**changed.document, "version": changed.document["version"] + ".edit"}
    assert changed.typed.version.endswith(".edit")
    assert len(calls) == 2

"""Every inner page shows where it sits: the breadcrumb map covers every page of a jurisdiction, and
its trails link to pages that exist."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jurisdictions.navigation import CRUMBS, trail

# Routes that are not pages a person reads: downloads, htmx answers, and actions that only POST.
NOT_PAGES = re.compile(r"(\.pdf|\.xlsx|\.<slug:fmt>|autosave/|progress/|/files/<int:\w+>/|/remove/|/delete/|"
                       r"/publish/|/close/|/end/|/logout/|/apply/|/confirm/|/rounds/$|/paper-totals/|"
                       r"/government-named/|/agencies/$|/approval-document/|notifications/<int:notification_id>/)")


def tenant_routes() -> list[tuple[str, str]]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name or ""
    return [(r, n) for r, n in walk(get_resolver().url_patterns) if r.startswith("<slug:jurisdiction>/")]


def test_every_page_of_a_jurisdiction_has_a_place_on_the_map():
    missing = [f"{name} ({route})" for route, name in tenant_routes() if name not in CRUMBS and not NOT_PAGES.search(route)]
    assert missing == [], "give each page its label and parent in jurisdictions/navigation.py CRUMBS"


def test_the_map_names_only_pages_that_exist_and_parents_on_the_map():
    names = {name for _route, name in tenant_routes()}
    assert [name for name in CRUMBS if name not in names] == []
    assert [name for name, crumb in CRUMBS.items() if crumb.parent and crumb.parent not in CRUMBS] == []


def test_a_trail_runs_from_the_workbench_to_the_page():
    steps = trail("office-application", {"jurisdiction": "keqiao", "pk": 7}, {})
    # The application's year is not in the URL nor in this context: that step is left out.
    assert [(str(s.label), s.url) for s in steps] == [
        ("评审办工作台", "/keqiao/office/"), ("评审年度与申报审查", "/keqiao/office/cycles/"), ("申报审查", ""),
    ]
    steps = trail("reviewer-consensus-reopen", {"jurisdiction": "zhuji", "pk": 3, "stage": "site"}, {})
    assert [s.url for s in steps] == ["/zhuji/reviewer/", "/zhuji/reviewer/applications/",
                                      "/zhuji/reviewer/applications/3/site/consensus/", ""]
    assert trail("office-home", {"jurisdiction": "keqiao"}, {}) == []


@pytest.mark.django_db
def test_inner_pages_show_the_trail_and_homes_do_not(loaded, cast):
    client = Client()
    client.force_login(cast["office"])
    page = client.get(reverse("office-calendar", kwargs={"jurisdiction": "keqiao"})).content.decode()
    assert '<nav class="breadcrumbs" aria-label="当前位置">' in page
    assert '<li><a href="/keqiao/office/">评审办工作台</a></li><li aria-current="page">工作日历</li>' in page
    assert 'class="back-link" href="/keqiao/office/">返回评审办工作台</a>' in page
    home = client.get(reverse("office-home", kwargs={"jurisdiction": "keqiao"})).content.decode()
    assert 'class="breadcrumbs"' not in home
    public = Client().get(reverse("rules", kwargs={"jurisdiction": "keqiao"})).content.decode()
    assert '<li><a href="/keqiao/">' in public and '<li aria-current="page">评审规则</li>' in public

"""The office's, the applicant's, the reviewer's and the committee member's workbenches in English,
switched to by the header's language buttons (a POST to /i18n/setlang/), at desktop and phone width.

The interface's own labels (headings, buttons, table headers, the header's navigation) must not be
Chinese; the records (organisation names, cycle titles, people's names) stay in the official language.
The catalogue is filled in one go at the end of a release, so labels still untranslated are listed
(in the run's screens folder, `english-untranslated.txt`, and on the test's output) rather than
failing the test; the page must still render in English mode (lang="en", the English button pressed).
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards import services
from jurisdictions.models import Role
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.committee.builders import roster
from tests.conftest import make_user
from tests.reviews.pool_builders import in_pool

from .conftest import DESKTOP, PHONE, _screens, assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
LABELS = "main h1, main h2, main h3, main button, main th, main .btn, header nav a, header button, .breadcrumbs"



def untranslated(page: Page, records: list[str]) -> list[str]:
    """The interface's own labels on the page that still carry Chinese, records taken out."""
    found = []
    for text in page.locator(LABELS).all_inner_texts():
        label = " ".join(text.split())
        rest = label
        for record in records:
            rest = rest.replace(record, "")
        if CJK.search(rest):
            found.append(label)
    return sorted(set(found))


def test_the_four_workbenches_in_english(page: Page, live_server, loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    keqiao = loaded["keqiao"]
    office = make_user("kq-en-office", keqiao, Role.OFFICE, first_name="周晓岚")
    applicant = make_user("kq-en-applicant", keqiao, Role.APPLICANT, first_name="王丽")
    reviewer = make_user("kq-en-reviewer", keqiao, Role.REVIEWER, first_name="李评审")
    in_pool(keqiao, reviewer)
    member = roster(keqiao, 1, prefix="kq-en-m")[0]
    cycle = published_cycle(keqiao, office, year=timezone.now().year)
    org = organization(keqiao, name="绍兴柯桥锦纶织造有限公司", user=applicant)
    services.submit(ready_draft(cycle, org, applicant), applicant)
    records = [org.name, cycle.title, keqiao.name_zh, keqiao.short_name_zh, keqiao.award_name_zh,
               office.first_name, applicant.first_name, reviewer.first_name, member.name,
               member.user.first_name, "中文"]
    base = live_server.url
    report: dict[str, list[str]] = {}

    for user in (office, applicant, reviewer, member.user):
        page.context.clear_cookies()
        log_in(page, base, user.username)
        workbench = page.url
        page.locator("header form.lang-switch").get_by_role("button", name="English").click()
        page.wait_for_load_state()
        if page.url != workbench:
            page.goto(workbench)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("header form.lang-switch").get_by_role("button", name="English")).to_have_attribute(
            "aria-pressed", "true")
        expect(page.locator("#wb-summary")).to_be_visible()
        name = f"english-workbench-{user.username}"
        screenshot(page, f"{name}-desktop")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], user.username
        screenshot(page, f"{name}-phone")
        page.set_viewport_size(DESKTOP)
        report[user.username] = untranslated(page, records)
        assert_accessible(page)

    lines = [f"{who}: {label}" for who, labels in report.items() for label in labels]
    folder = _screens["dir"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "english-untranslated.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("Untranslated interface labels on the English workbenches:", *lines, sep="\n  ")

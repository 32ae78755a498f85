"""Each role's workbench on the seeded demo, in Chinese, at desktop and phone width: what is waiting,
how many, by when; screenshots of each for a person to look at."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, screenshot

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-pass-2026"

# username → (the workbench's heading, what its summary line says is waiting)
ROLES = {
    "keqiao-office": ("工作台", "办理"),
    "keqiao-applicant": ("申报组织工作台", "申报"),
    "keqiao-reviewer": ("评审员工作台", "评审"),
    "keqiao-leader": ("评审员工作台", "评审"),
    "keqiao-committee": ("评委会委员工作台", ""),
}



def test_every_role_lands_on_a_workbench_that_fits_a_phone(page: Page, live_server, loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # seed_demo runs an event loop of its own (asyncio.run), which Playwright's running loop in this
    # thread would refuse: it runs in a thread of its own.
    seeding = threading.Thread(target=call_command, args=("seed_demo", "--force"), kwargs={"stdout": io.StringIO()})
    seeding.start()
    seeding.join()
    base = live_server.url
    for username, (heading, waiting) in ROLES.items():
        page.context.clear_cookies()
        log_in(page, base, username, password=DEMO_PASSWORD)
        expect(page.locator("#wb-summary")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        if waiting:
            expect(page.locator("#wb-summary")).to_contain_text(waiting)
        # No logout button inside the page's own lists: it lives in the header only.
        expect(page.locator("main").get_by_role("button", name="退出登录")).to_have_count(0)
        screenshot(page, f"workbench-{username}-desktop")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], username
        screenshot(page, f"workbench-{username}-phone")
        page.set_viewport_size(DESKTOP)
    # An inner page carries the trail back to the workbench.
    page.goto(f"{base}/keqiao/committee/meetings/")
    expect(page.locator(".breadcrumbs")).to_contain_text("评委会委员工作台")
    page.set_viewport_size(PHONE)
    expect(page.locator(".breadcrumbs .back-link")).to_be_visible()
    screenshot(page, "workbench-inner-page-back-link-phone")
    page.set_viewport_size(DESKTOP)

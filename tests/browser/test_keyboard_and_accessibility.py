"""Usable by keyboard alone (GB/T 37668-2019, WCAG 2.1.1): the office signs in and admits a reviewer
to the pool with Tab, arrow keys, Space and Enter only; each page passes axe-core (no serious or
critical violations) in Chinese and English, at desktop and phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jurisdictions.models import Role
from reviews.models import PoolEntry
from tests.conftest import PASSWORD, make_user

from .conftest import PHONE, check_accessibility, screenshot

pytestmark = pytest.mark.browser


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus, and check the focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
            assert outline[0] != "none" or outline[2] != "none", f"no visible focus on {selector}: {outline}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_office_signs_in_and_fills_a_form_by_keyboard_alone(page: Page, live_server, loaded):
    keqiao = loaded["keqiao"]
    make_user("kq-office-kb", keqiao, Role.OFFICE, first_name="周晓岚")
    reviewer = make_user("kq-reviewer-kb", keqiao, Role.REVIEWER, first_name="王立新")
    base = live_server.url

    page.goto(f"{base}/keqiao/accounts/login/")
    check_accessibility(page, "keyboard-login")
    # The form takes the focus itself (autofocus) or is reached by Tab.
    if not page.evaluate("document.activeElement.matches('main input[name=username]')"):
        tab_to(page, "main input[name=username]")
    page.keyboard.type("kq-office-kb")
    tab_to(page, "main input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="退出登录").first).to_be_visible()
    expect(page.locator(".user-name")).to_contain_text("周晓岚")

    page.goto(f"{base}/keqiao/office/reviewer-pool/")
    screenshot(page, "keyboard-pool-empty")
    # The first Tab reaches the skip link, before the navigation; Enter moves on to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    tab_to(page, "#id_reviewer")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_reviewer")).to_have_value(str(reviewer.pk))
    tab_to(page, "#id_organisation")
    page.keyboard.type("浙江省质量协会")
    tab_to(page, "#id_position")
    page.keyboard.type("高级工程师")
    tab_to(page, "#id_degree")
    for _ in range(3):  # — 请选择 — → 大专以下 → 大专 → 本科
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_degree")).to_have_value("bachelor")
    tab_to(page, "#id_senior_title")
    page.keyboard.press("Space")
    expect(page.locator("#id_senior_title")).to_be_checked()
    # A mistake first: the message appears next to the field and the focus can reach it again.
    tab_to(page, "#id_experience_years")
    page.keyboard.type("x")
    tab_to(page, "main form.form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".field.has-error .errorlist")).to_contain_text("请填写")
    screenshot(page, "keyboard-pool-error")
    tab_to(page, "#id_experience_years")
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    tab_to(page, "main form.form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("已将王立新列入评审专家库。")
    entry = PoolEntry.objects.get(reviewer=reviewer)
    assert (entry.organisation, entry.position, entry.degree, entry.senior_title, entry.experience_years) == (
        "浙江省质量协会", "高级工程师", "bachelor", True, 6)
    expect(page.locator("#pool-table")).to_contain_text("王立新")
    screenshot(page, "keyboard-pool-desktop-zh")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "keyboard-pool-phone-zh")

    # The same pages in English.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "keyboard-pool-phone-en")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "keyboard-pool-desktop-en")
    expect(page.locator("h1")).to_have_text(re.compile(r"\S"))

"""A visitor reads the rules of a jurisdiction in both languages, then office staff log in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jurisdictions.models import Role
from tests.conftest import PASSWORD, make_user

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_visitor_reads_keqiao_rules_switches_language_and_office_staff_log_in(page: Page, live_server, loaded):
    make_user("kq-office-web", loaded["keqiao"], Role.OFFICE, first_name="柯桥评审办")

    # The site home lists the five jurisdictions.
    page.goto(live_server.url + "/")
    expect(page.locator(".card")).to_have_count(5)
    expect(page.get_by_role("link", name="登录")).to_have_count(0)
    screenshot(page, "01-home-desktop")

    # Into Keqiao: its award names and quotas.
    page.get_by_role("link", name="绍兴市柯桥区", exact=True).click()
    expect(page).to_have_url(re.compile(r"/keqiao/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("柯桥区政府质量奖")
    expect(page.locator("table tbody tr").first).to_contain_text("3")
    expect(page.locator(".site-header")).to_contain_text("柯桥区政府质量奖评审委员会办公室（评审办）")
    screenshot(page, "02-keqiao-home-desktop")

    # The rules page: cited sentences and an office setting badge.
    page.get_by_role("link", name="查看完整评审规则").click()
    expect(page).to_have_url(re.compile(r"/keqiao/rules/$"))
    weights = page.locator("li.rule", has_text="综合评分 = 资料评审得分 × 20% + 现场评审得分 × 80%。")
    expect(weights.locator(".cite")).to_have_text("依据：第十八条")
    publicity = page.locator("#s-publicity li.rule").first
    expect(publicity.locator(".badge-office")).to_have_text("评审办设定")
    criteria = page.locator("details.criteria")
    expect(criteria.locator("table").first).to_be_hidden()
    criteria.locator("summary").click()
    expect(criteria.locator("table").first).to_be_visible()
    expect(criteria).to_contain_text("产品和服务结果")
    screenshot(page, "03-keqiao-rules-desktop")

    # English and back.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/keqiao/rules/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("evaluation rules")
    expect(page.locator("li.rule", has_text="Composite score = document review score × 20%")).to_contain_text("第十八条")
    screenshot(page, "04-keqiao-rules-english-desktop")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("柯桥区政府质量奖评审规则")

    # Office staff log in from the header link.
    page.get_by_role("link", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/keqiao/accounts/login/"))
    screenshot(page, "05-keqiao-login-desktop")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill("kq-office-web")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    expect(page.locator(".user-name")).to_contain_text("柯桥评审办")
    expect(page.get_by_role("button", name="退出登录").first).to_be_visible()
    expect(page.get_by_role("link", name="登录", exact=True)).to_have_count(0)
    screenshot(page, "06-keqiao-after-login-desktop")

    # Logging out returns to an anonymous page with the login link.
    page.locator(".nav-user").get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("link", name="登录", exact=True)).to_be_visible()
    expect(page.locator(".user-name")).to_have_count(0)


def test_wrong_password_keeps_the_username_and_says_why(page: Page, live_server, loaded):
    make_user("kq-office-typo", loaded["keqiao"], Role.OFFICE)
    page.goto(live_server.url + "/keqiao/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill("kq-office-typo")
    form.locator("input[name=password]").fill("not-the-password")
    form.locator("[type=submit]").click()
    expect(page.locator(".errorlist")).to_be_visible()
    expect(form.locator("input[name=username]")).to_have_value("kq-office-typo")
    screenshot(page, "07-keqiao-login-error-desktop")


@pytest.mark.parametrize("slug", ["keqiao", "zhuji"])
def test_pages_fit_a_phone_screen(phone_page: Page, live_server, loaded, slug):
    for path, name in [("/", "home"), (f"/{slug}/", f"{slug}-home"), (f"/{slug}/rules/", f"{slug}-rules")]:
        phone_page.goto(live_server.url + path)
        # Nothing wider than the screen: no sideways scrolling of the whole page.
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0, f"{path} scrolls sideways by {overflow}px"
        screenshot(phone_page, f"10-{name}-phone")
    expect(phone_page.get_by_role("button", name="English")).to_be_visible()

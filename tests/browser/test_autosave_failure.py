"""A reviewer's autosave that fails (the server answers 500, the network drops) is told plainly:
next to the item and in an alert in the save bar counting the items not saved; saving again clears
it. The save bar is opaque, so headings scrolled under it do not show through."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jurisdictions.models import Role
from reviews import groups
from reviews.models import ItemScore, Stage
from tests.awards.builders import published_cycle
from tests.conftest import make_user
from tests.reviews.pool_builders import in_pool
from tests.reviews.test_reviewer_pages import eligible_application

from .conftest import PHONE, screenshot
from .test_reviewer_journey import log_in, prefix, wait_for

pytestmark = pytest.mark.browser


def test_failed_autosaves_are_announced_and_cleared_by_saving_again(page: Page, live_server, loaded, settings,
                                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    keqiao = loaded["keqiao"]
    office = make_user("kq-office-as", keqiao, Role.OFFICE)
    cycle = published_cycle(keqiao, office)
    app = eligible_application(cycle, office, name="绍兴柯桥自动保存测试有限公司")
    leader = make_user("kq-leader-as", keqiao, Role.REVIEWER, first_name="陈组长")
    member = make_user("kq-member-as", keqiao, Role.REVIEWER, first_name="李评审")
    third = make_user("kq-third-as", keqiao, Role.REVIEWER, first_name="赵评审")
    in_pool(keqiao, leader, member, third)
    group = groups.form_group(cycle, name="第一评审组", leader=leader, members=[member, third], actor=office)
    groups.assign(app, group, Stage.DOCUMENT, office)
    groups.attest(app, member, no_conflict=True)

    log_in(page, live_server.url, "kq-member-as")
    page.goto(f"{live_server.url}/keqiao/reviewer/applications/{app.pk}/document/score/")
    alert = page.locator("#autosave-alert")
    expect(alert).to_be_hidden()

    # The server fails one save, the network drops another.
    page.route(re.compile(r".*/score/autosave/$"), lambda route: route.fulfill(status=500, body="error"))
    page.locator(f"#id_{prefix('4.1.1')}-percentage").select_option("60")
    expect(page.locator(f"#status-{prefix('4.1.1')}")).to_contain_text("未能保存：服务器暂时无法保存本项")
    page.unroute(re.compile(r".*/score/autosave/$"))
    page.route(re.compile(r".*/score/autosave/$"), lambda route: route.abort("internetdisconnected"))
    page.locator(f"#id_{prefix('4.1.2')}-percentage").select_option("70")
    expect(page.locator(f"#status-{prefix('4.1.2')}")).to_contain_text("未能保存：网络连接中断")
    expect(alert).to_be_visible()
    expect(alert).to_have_text(re.compile(r"有 2 项评分未能保存"))
    expect(page.locator(f"#item-{prefix('4.1.1')}")).to_have_class(re.compile(r"has-save-error"))
    assert not ItemScore.objects.filter(reviewer=member, percentage__isnull=False).exists()
    page.locator(f"#item-{prefix('4.1.2')}").scroll_into_view_if_needed()
    screenshot(page, "reviewer-autosave-failed-desktop", full_page=False)
    page.set_viewport_size(PHONE)
    page.locator(f"#item-{prefix('4.1.2')}").scroll_into_view_if_needed()
    screenshot(page, "reviewer-autosave-failed-phone", full_page=False)

    # The bar is opaque: what scrolls beneath it cannot show through.
    background = page.evaluate("getComputedStyle(document.querySelector('.score-bar')).backgroundColor")
    assert background == "rgb(244, 245, 247)", background

    # The connection is back: choosing again saves, and the alert counts down and disappears.
    page.unroute(re.compile(r".*/score/autosave/$"))
    page.locator(f"#id_{prefix('4.1.1')}-percentage").select_option("65")
    expect(page.locator(f"#status-{prefix('4.1.1')}")).to_contain_text("已保存")
    expect(alert).to_have_text(re.compile(r"有 1 项评分未能保存"))
    page.locator(f"#id_{prefix('4.1.2')}-percentage").select_option("75")
    expect(page.locator(f"#status-{prefix('4.1.2')}")).to_contain_text("已保存")
    expect(alert).to_be_hidden()
    wait_for(page, lambda: dict(ItemScore.objects.filter(reviewer=member, percentage__isnull=False)
                                .values_list("item_code", "percentage")) == {"4.1.1": 65, "4.1.2": 75},
             "both items saved")

"""A committee member votes on a phone-sized screen; the office opens and closes the round and reads
the result with its counts and articles, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from committee import ballot
from committee.models import Round
from tests.committee.builders import candidates, meeting_with, roster

from .conftest import PHONE, _close, _new_page, log_in, screenshot

pytestmark = pytest.mark.browser

try:
    from django_scopes import scopes_disabled
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as scopes_disabled



def test_member_votes_on_a_phone_and_the_office_closes_the_round(page: Page, browser: Browser, live_server, loaded,
                                                                 settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        cycle, office, (a, b) = candidates(loaded["keqiao"], [(900, 900), (850, 850)])
        members = roster(loaded["keqiao"], 3, prefix="kq-bm")
        meeting = meeting_with(cycle, members, 3, office)
    base = live_server.url

    # The office opens the quality round.
    log_in(page, base, office.username)
    page.goto(f"{base}/keqiao/office/committee/meetings/{meeting.pk}/")
    expect(page.locator("#quorum")).to_contain_text("表决有效")
    page.get_by_role("button", name="开始投票").click()
    expect(page.locator("h1")).to_contain_text("第1轮表决")
    screenshot(page, "committee-office-round-open")
    round_id = Round.objects.get().pk

    # A member votes on a phone.
    context, phone = _new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(phone, base, members[0].user.username)
    phone.goto(f"{base}/keqiao/committee/")
    phone.get_by_role("link", name="我的评委会会议与投票").click()
    phone.get_by_role("link", name="投票：柯桥区政府质量奖").click()
    phone.locator(f"input[name=c{a.pk}][value=yes]").check()
    phone.locator(f"input[name=c{b.pk}][value=no]").check()
    phone.get_by_role("button", name="提交选票").click()
    expect(phone.locator(".errorlist")).to_contain_text("请确认后再提交")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "committee-member-ballot-phone")
    phone.locator(f"input[name=c{a.pk}][value=yes]").check()
    phone.locator(f"input[name=c{b.pk}][value=no]").check()
    phone.locator("input[name=confirm]").check()
    phone.get_by_role("button", name="提交选票").click()
    expect(phone.locator("main")).to_contain_text("您已投票")
    phone.goto(f"{base}/keqiao/committee/rounds/{round_id}/ballot/")
    expect(phone.locator("#already")).to_contain_text("您已在本轮投过票")
    screenshot(phone, "committee-member-voted-phone")
    _close(context, phone)

    with scopes_disabled():
        for member, marks in zip(members[1:], [("yes", "yes"), ("yes", "no")], strict=True):
            ballot.cast(Round.objects.get(pk=round_id), member, "marked", {str(a.pk): marks[0], str(b.pk): marks[1]})

    # The office sees progress but no counts, confirms and closes, and reads the result.
    page.reload()
    expect(page.locator("#voted-count")).to_contain_text("已投票 3 人")
    page.get_by_role("button", name="结束本轮投票").click()
    expect(page.locator(".errorlist")).to_contain_text("请勾选确认后再结束本轮投票")
    page.get_by_label("我确认结束本轮投票", exact=False).check()
    page.get_by_role("button", name="结束本轮投票").click()
    expect(page.locator("#counts")).to_contain_text("收回选票 3 张")
    row_a = page.locator(f"#entry-{a.pk}")
    expect(row_a).to_contain_text("当选")
    expect(row_a).to_contain_text("第十九条")
    expect(page.locator(f"#entry-{b.pk}")).to_contain_text("未当选")
    screenshot(page, "committee-office-result")

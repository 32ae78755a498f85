"""A reviewer attests, scores all 23 items, reloads (nothing lost) and submits; the group leader
then forms the consensus and submits the group's document score, in a real browser."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from jurisdictions.models import Role
from reviews import groups, scoring
from reviews.models import Attestation, ConsensusItem, ItemScore, ScoreSheet, Stage, StageResult
from tests.awards.builders import published_cycle, uscc_for
from tests.conftest import make_user
from tests.reviews.pool_builders import in_pool
from tests.reviews.test_reviewer_pages import ITEM_CODES, eligible_application

from .conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

DOC = Stage.DOCUMENT
# The member's percentages: a different one per item, all in steps of 5.
MEMBER = {code: [40, 45, 50, 55, 60, 65, 70][n % 7] for n, code in enumerate(ITEM_CODES)}
POINTS = {
    "4.1.1": 50, "4.1.2": 30, "4.1.3": 30, "4.2.1": 40, "4.2.2": 50, "4.3.1": 40, "4.3.2": 50, "4.4.1": 60,
    "4.4.2": 15, "4.4.3": 20, "4.4.4": 15, "4.4.5": 10, "4.4.6": 10, "4.5.1": 50, "4.5.2": 50, "4.6.1": 40,
    "4.6.2": 40, "4.7.1": 80, "4.7.2": 80, "4.7.3": 80, "4.7.4": 60, "4.7.5": 50, "4.7.6": 50,
}


def prefix(code: str) -> str:
    return "i" + code.replace(".", "_")



def wait_for(page: Page, check, what: str) -> None:
    for _attempt in range(100):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never happened: {what}")


def both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_a_reviewer_scores_and_the_leader_forms_the_consensus(
    page: Page, browser: Browser, live_server, loaded, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    keqiao = loaded["keqiao"]
    office = make_user("kq-office-rv", keqiao, Role.OFFICE)
    cycle = published_cycle(keqiao, office)
    app = eligible_application(cycle, office, name="绍兴柯桥锦程纺织有限公司")
    leader = make_user("kq-leader-rv", keqiao, Role.REVIEWER, first_name="陈组长")
    member = make_user("kq-member-rv", keqiao, Role.REVIEWER, first_name="李评审")
    third = make_user("kq-third-rv", keqiao, Role.REVIEWER, first_name="赵评审")
    in_pool(keqiao, leader, member, third)
    group = groups.form_group(cycle, name="第一评审组", leader=leader, members=[member, third], actor=office)
    groups.assign(app, group, DOC, office)
    # The leader and the third member have already scored (the leader 50% everywhere, the third member
    # far apart on 4.1.1) and submitted.
    for reviewer, outlier in ((leader, 50), (third, 90)):
        groups.attest(app, reviewer, no_conflict=True)
        for code in ITEM_CODES:
            scoring.save_item(app, reviewer, DOC, code, percentage=outlier if code == "4.1.1" else 50,
                              strengths=f"{reviewer.first_name}：{code}优势")
        scoring.submit_sheet(app, reviewer, DOC)
    base = live_server.url

    # The member logs in, finds the task and attests "no conflict".
    log_in(page, base, "kq-member-rv")
    expect(page).to_have_url(re.compile(r"/keqiao/reviewer/$"))

    # First the member declares a consulting relationship; a mistyped code is refused next to the field.
    page.get_by_role("link", name="利害关系申报").click()
    page.get_by_label("关系类型").select_option("consulting")
    page.get_by_label("单位全称").fill("诸暨某咨询服务对象有限公司")
    good = uscc_for(5150)
    page.get_by_label("统一社会信用代码").fill(good[:17] + ("0" if good[17] != "0" else "1"))
    page.locator("main button[type=submit]").click()
    expect(page.locator(".field.has-error .errorlist")).to_have_text("统一社会信用代码校验位不正确，请核对后重新输入。")
    expect(page.get_by_label("单位全称")).to_have_value("诸暨某咨询服务对象有限公司")
    both_widths(page, "reviewer-00-affiliation-error")
    page.get_by_label("统一社会信用代码").fill(good)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text(good)
    both_widths(page, "reviewer-00-affiliations")
    page.goto(f"{base}/keqiao/reviewer/")
    page.get_by_role("link", name="我的评审任务").click()
    row = page.locator("tr.task", has_text="绍兴柯桥锦程纺织有限公司")
    expect(row).to_contain_text("待作回避声明")
    both_widths(page, "reviewer-01-tasks")
    row.get_by_role("link", name="作出回避声明").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("利害关系回避声明")
    expect(page.locator("main")).to_contain_text("第二十七条")
    # Without the box ticked the statement is refused next to it.
    page.get_by_role("button", name="确认无利害关系，查阅申报材料").click()
    expect(page.locator(".checkbox-field .errorlist")).to_have_text("请勾选确认后再提交“无利害关系”声明。")
    both_widths(page, "reviewer-02-attest")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="确认无利害关系，查阅申报材料").click()
    expect(page).to_have_url(re.compile(rf"/keqiao/reviewer/applications/{app.pk}/document/score/$"))
    assert Attestation.objects.get(reviewer=member).decision == Attestation.Decision.NO_CONFLICT
    expect(page.locator("#materials")).to_contain_text("本组织概述")

    # All 23 items, each saved as it is chosen; one comment typed (saved after a pause).
    for code in ITEM_CODES:
        page.locator(f"#id_{prefix(code)}-percentage").select_option(str(MEMBER[code]))
    page.locator(f"#id_{prefix('4.1.1')}-strengths").fill("高层领导亲自推动质量战略")
    opportunities = page.locator(f"#id_{prefix('4.7.1')}-opportunities")
    opportunities.press_sequentially("缺少与标杆的对比", delay=20)
    # Characters typed through an input method arrive without key events here; a real key press
    # follows, and the pause after it saves the text while the field still has focus.
    opportunities.press("End")
    wait_for(page, lambda: ItemScore.objects.filter(reviewer=member, percentage__isnull=False).count() == 23,
             "23 items saved")
    wait_for(page, lambda: ItemScore.objects.filter(reviewer=member, item_code="4.7.1",
                                                    opportunities="缺少与标杆的对比").exists(), "comment saved")
    wait_for(page, lambda: ItemScore.objects.filter(reviewer=member, item_code="4.1.1",
                                                    strengths="高层领导亲自推动质量战略").exists(), "strengths saved")
    expected = sum((Decimal(POINTS[c]) * MEMBER[c] / 100 for c in ITEM_CODES), Decimal(0))
    assert {s.item_code: s.percentage for s in ItemScore.objects.filter(reviewer=member)} == MEMBER
    expect(page.locator("#running-total")).to_have_text(f"{expected:.2f}")
    expect(page.locator("#scored-count")).to_have_text("23")
    expect(page.locator(f"#status-{prefix('4.7.6')}")).to_contain_text("已保存")

    # A reload loses nothing.
    page.reload()
    for code in ITEM_CODES:
        expect(page.locator(f"#id_{prefix(code)}-percentage")).to_have_value(str(MEMBER[code]))
    expect(page.locator(f"#id_{prefix('4.1.1')}-strengths")).to_have_value("高层领导亲自推动质量战略")
    expect(page.locator(f"#id_{prefix('4.7.1')}-opportunities")).to_have_value("缺少与标杆的对比")
    expect(page.locator("#running-total")).to_have_text(f"{expected:.2f}")
    # Nobody else's scores are on the member's page.
    expect(page.locator("main")).not_to_contain_text("陈组长：")
    both_widths(page, "reviewer-03-score")
    page.locator("#cat-1").screenshot(path="/tmp/screens/reviewer-03-score-item-desktop.png")

    # Submitting asks to confirm first: without the box ticked nothing is locked.
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator("#confirm-submit-error")).to_have_text("请勾选确认后再提交评分；已填写的评分均已保存。")
    assert ScoreSheet.objects.get(reviewer=member, application=app, stage=DOC).submitted_at is None
    page.locator("#confirm-submit").check()
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator(".messages")).to_contain_text("评分已提交并锁定")
    expect(page.locator("select")).to_have_count(0)
    assert ScoreSheet.objects.get(reviewer=member, application=app, stage=DOC).submitted_at is not None
    both_widths(page, "reviewer-04-submitted")

    # The leader opens the consensus page: every member's percentage with the spread.
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(15_000)
    leader_page = context.new_page()
    try:
        log_in(leader_page, base, "kq-leader-rv")
        leader_page.goto(f"{base}/keqiao/reviewer/applications/")
        leader_page.locator("tr.task", has_text="绍兴柯桥锦程纺织有限公司").get_by_role("link", name="共识评分").click()
        expect(leader_page.get_by_role("heading", level=1)).to_have_text("资料评审共识评分")
        first = leader_page.locator(f"#item-{prefix('4.1.1')}")
        expect(first.locator(".spread-table tbody td").nth(0)).to_have_text("50%")
        expect(first.locator(".spread.is-high")).to_be_visible()
        expect(first.locator(".badge-spread")).to_have_text("分歧较大")
        # The sheet starts from the members' median, and the items they disagree on are listed.
        expect(leader_page.locator("#prefill-summary")).to_contain_text("已按成员中位数预填")
        expect(leader_page.locator("#disputed-items")).to_contain_text("4.1.1")
        both_widths(leader_page, "reviewer-05-consensus-empty")

        consensus = dict.fromkeys(ITEM_CODES, 60)
        consensus["4.1.1"] = 75
        for code in ITEM_CODES:
            leader_page.locator(f"#id_{prefix(code)}-percentage").select_option(str(consensus[code]))
        leader_page.locator(f"#id_{prefix('4.1.1')}-strengths").fill("领导作用突出，战略推进有力")
        leader_page.keyboard.press("Tab")  # leaving the field is a change: it saves
        # An item whose median was already the chosen value changed nothing to autosave: the save
        # button stores the whole sheet.
        leader_page.get_by_role("button", name="保存共识分").click()
        expect(leader_page.locator(".messages")).to_contain_text("共识分已保存。")
        wait_for(leader_page, lambda: ConsensusItem.objects.filter(application=app, percentage__isnull=False)
                 .count() == 23, "23 consensus items saved")
        wait_for(leader_page, lambda: ConsensusItem.objects.filter(
            application=app, item_code="4.1.1", strengths="领导作用突出，战略推进有力").exists(), "consensus comment")
        # 1000 × 60% = 600, plus 4.1.1's 50 × 15% = 7.50.
        expect(leader_page.locator("#running-total")).to_have_text("607.50")
        both_widths(leader_page, "reviewer-06-consensus-filled")
        leader_page.locator("#confirm-submit").check()
        leader_page.get_by_role("button", name="提交评审组得分").click()
        expect(leader_page.locator(".messages")).to_contain_text("评审组资料评审得分已提交：607.5分。")
        expect(leader_page.locator("#group-result")).to_have_text("607.5")
        result = StageResult.objects.get(application=app, stage=DOC)
        assert result.total == Decimal("607.50")
        assert result.submitted_by == leader
        both_widths(leader_page, "reviewer-07-group-submitted")

        # Decided scores stay decided: the leader cannot reopen them, only the office can, with a reason.
        expect(leader_page.get_by_role("link", name="重新开放评审组得分")).to_have_count(0)
        expect(leader_page.locator("main")).to_contain_text("须由评审办写明理由后重新开放")
    finally:
        context.close()

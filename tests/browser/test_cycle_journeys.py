"""One application per jurisdiction, from the call to the certificate, each role signing in for its own
step: the office publishes the call; the organisation files online (form, recommenders, uploads, check
and submit); the office decides eligibility, confirms the shortlist and runs the comprehensive
evaluation; the committee votes by secret ballot (a member in the browser) or, where the profile says
so, the office records the deliberation; the office publishes the notice, which ends by its dates; the
office records the approval; the winner downloads its certificate and the public verifies it.

What differs between jurisdictions (awards, recommenders, required materials, the shortlist cap, the
vote) is read from the cycle's profile, never from its slug. Every page the journey loads is checked
by axe-core (tests/browser/conftest.py `check_accessibility_on_load`).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from awards import services
from awards.models import Application, AwardCycle
from awards.placeholder_pdf import minimal_pdf
from awards.states import AppState, CycleState
from awards.workflow import cycle_transition
from committee import ballot
from committee.models import Round
from honours.models import Certificate
from jurisdictions.models import Jurisdiction, Role
from jurisdictions.rules_wording import cite_label
from publicity import notices
from publicity.models import Notice
from reviews import scoring
from reviews.models import Stage
from tests.awards.builders import organization
from tests.committee.builders import meeting_with, roster
from tests.conftest import make_user
from tests.reviews.test_ranking import confirmed_site_score

from .conftest import (
    DESKTOP,
    _close,
    _new_page,
    assert_accessible,
    check_accessibility_on_load,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser

SLUGS = ["binjiang", "lucheng", "keqiao", "zhuji", "daqing"]
ORG_NAME = "{city}精益制造股份有限公司"
MATERIAL_FILES = {"self_assessment": "自我评价报告.pdf", "recommendation": "推荐意见.pdf", "evidence": "证实性材料.pdf"}



def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").first.click()
    expect(page.get_by_role("button", name="退出登录")).to_have_count(0)


def shot(page: Page, slug: str, step: str) -> None:
    """A screenshot of this step, and every page loaded since the last one passed axe-core."""
    screenshot(page, f"journey-{slug}-{step}")
    assert_accessible(page)


def _approval_pdf() -> bytes:
    return minimal_pdf("Approval")


@pytest.mark.parametrize("slug", SLUGS)
def test_one_application_from_the_call_to_the_certificate(slug: str, page: Page, browser: Browser, live_server,
                                                          loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HONOURS_PUBLIC_BASE_URL = live_server.url
    jurisdiction: Jurisdiction = loaded[slug]
    base = live_server.url
    office = make_user(f"{slug}-journey-office", jurisdiction, Role.OFFICE, first_name="评审办刘科长")
    applicant = make_user(f"{slug}-journey-applicant", jurisdiction, Role.APPLICANT, first_name="王申报")
    org = organization(jurisdiction, name=ORG_NAME.format(city=jurisdiction.short_name_zh), user=applicant)
    now = timezone.now()
    year = now.year
    cycle = services.create_cycle(jurisdiction, year=year, actor=office,
                                  applications_open_at=now - dt.timedelta(days=2),
                                  applications_close_at=now + dt.timedelta(days=20))
    rules = cycle.profile.typed
    award = next(a for a in rules.awards if a.code == "quality")

    # 1. The office publishes the call from the cycle's page.
    log_in(page, base, office.username, slug=slug)
    page.goto(f"{base}/{slug}/office/cycles/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(cycle.title)
    shot(page, slug, "01-office-draft-cycle")
    page.get_by_role("button", name="发布申报通知").click()
    expect(page.get_by_role("button", name="发布申报通知")).to_have_count(0)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PUBLISHED
    log_out(page)

    # 2. The organisation finds the call and files its application online.
    log_in(page, base, applicant.username, slug=slug)
    page.goto(f"{base}/{slug}/cycles/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(cycle.title)
    expect(page.locator("#h-eligibility")).to_be_visible()
    # The call cites the article of every eligibility condition.
    first_condition = rules.eligibility.conditions[0]
    expect(page.locator("main")).to_contain_text(cite_label(first_condition.test.cite))
    shot(page, slug, "02-call")
    page.get_by_label(award.name_zh, exact=True).check()
    page.get_by_role("button", name="开始填写申报书").click()
    expect(page).to_have_url(re.compile(rf"/{slug}/applications/\d+/$"))
    app = Application.objects.get(organization=org)
    page.get_by_role("textbox", name="组织概述").fill(f"{org.name}坚持质量第一，实施卓越绩效管理。")
    recommendation = rules.eligibility.recommendation.value
    if recommendation.rule != "none":
        for code in recommendation.recommenders:
            page.locator(f"input[name=recommenders][value={code}]").check()
        page.get_by_label("推荐单位名称").fill("所在地人民政府")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("textbox", name="组织概述")).to_have_value(re.compile("坚持质量第一"))
    for kind in rules.eligibility.required_materials.value:
        page.locator(f"#file-{kind}").set_input_files(files=[{
            "name": MATERIAL_FILES[kind], "mimeType": "application/pdf", "buffer": minimal_pdf(kind)}])
        page.locator(f"#upload-{kind}").get_by_role("button", name="上传").click()
        expect(page.locator(f"#upload-{kind} .file-list")).to_contain_text(MATERIAL_FILES[kind])
    expect(page.locator("#submit")).to_contain_text("必备材料已齐全，可以提交。")
    shot(page, slug, "03-application-ready")
    page.get_by_role("link", name="提交申报").click()
    expect(page.locator("h1")).to_have_text("核对并提交申报")
    page.get_by_label("我已核对以上申报内容和材料", exact=False).check()
    shot(page, slug, "04-check-answers")
    page.get_by_role("button", name="确认提交申报").click()
    expect(page.locator(".msg-success")).to_contain_text("申报已提交，受理编号：")
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED
    expect(page.locator(".msg-success")).to_contain_text(app.number)
    shot(page, slug, "05-submitted")
    log_out(page)

    # 3. The office decides eligibility, after confirming.
    log_in(page, base, office.username, slug=slug)
    page.goto(f"{base}/{slug}/office/applications/{app.pk}/")
    expect(page.locator("#precheck")).to_contain_text(cite_label(first_condition.test.cite))
    page.get_by_label("符合申报条件", exact=True).check()
    expect(page.locator("#decision-consequences")).to_contain_text("不可撤销")
    page.get_by_label("我已核对申报材料", exact=False).check()
    shot(page, slug, "06-eligibility")
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("#app-state")).to_have_text("资格审查通过")

    # 4. Document review: the group's total (the reviewers' own pages have a journey of their own).
    scoring.record_group_total(app, Stage.DOCUMENT, Decimal("880"), office)
    page.goto(f"{base}/{slug}/office/cycles/{year}/review/shortlist/")
    expect(page.locator("#ranking-table")).to_contain_text(org.name)
    expect(page.locator(".shortlist-rule .cite").first).to_be_visible()
    chosen = page.locator(f"input[name=chosen][value='{app.pk}']")
    if chosen.count():
        chosen.check()
    else:
        expect(page.locator(f"#app-{app.pk}")).to_contain_text("上限以内，将入围")
    page.locator("#shortlist-form input[name=confirm]").check()
    shot(page, slug, "07-shortlist")
    page.get_by_role("button", name="确定入围名单").click()
    expect(page.locator(".msg-success")).to_contain_text("已确定入围现场评审名单：入围1家，未入围0家。")
    app.refresh_from_db()
    assert app.state == AppState.SHORTLISTED

    # 5. Site review (scored and confirmed through the services), then the comprehensive evaluation.
    confirmed_site_score(app, 870, office)
    page.goto(f"{base}/{slug}/office/cycles/{year}/review/evaluation/")
    expect(page.locator("#waiting-table")).to_contain_text(org.name)
    expect(page.locator(".rule-lines .cite").first).to_be_visible()
    page.locator("#evaluation-confirm input[type=checkbox]").check()
    page.get_by_role("button", name="进行综合评价").click()
    expect(page.locator(".msg-success")).to_contain_text("已完成综合评价：候选组织1家")
    expect(page.locator("#candidate-table")).to_contain_text(org.name)
    expect(page.locator(f"#candidate-table #app-{app.pk} .cite").first).to_be_visible()
    shot(page, slug, "08-evaluation")
    app.refresh_from_db()
    assert app.state == AppState.CANDIDATE

    # 6. The committee decides, as the profile's vote.method says.
    members = roster(jurisdiction, 5, prefix=f"{slug}-jm")
    meeting = meeting_with(cycle, members, 5, office)
    page.goto(f"{base}/{slug}/office/committee/meetings/{meeting.pk}/")
    expect(page.locator("#quorum")).to_be_visible()
    if rules.vote.method.value == "deliberation":
        expect(page.locator("#h-delib")).to_be_visible()
        expect(page.locator("main")).to_contain_text(cite_label(rules.vote.method.cite))
        page.get_by_label(org.name, exact=False).check()
        page.locator("textarea[name=note], input[name=note]").fill("成员单位一致同意推荐该组织。")
        page.locator("input[name=confirm]").check()
        shot(page, slug, "09-deliberation")
        page.get_by_role("button", name="记录审议结果").click()
        expect(page.locator("#h-delib + .note + .empty, #h-delib ~ .empty")).to_have_text("没有待审议的推荐组织。")
    else:
        page.get_by_role("button", name="开始投票").click()
        expect(page.locator("h1")).to_contain_text("第1轮表决")
        round_ = Round.objects.get(meeting=meeting)
        _member_votes(browser, base, slug, members[0].user.username, award.name_zh, app, round_.pk)
        for member in members[1:]:
            ballot.cast(round_, member, "marked", {str(app.pk): "yes"})
        page.reload()
        expect(page.locator("#voted-count")).to_contain_text("已投票 5 人")
        page.get_by_label("我确认结束本轮投票", exact=False).check()
        page.get_by_role("button", name="结束本轮投票").click()
        expect(page.locator("#counts")).to_contain_text("收回选票 5 张")
        row = page.locator(f"#entry-{app.pk}")
        expect(row).to_contain_text("当选")
        if rules.vote.majority is not None:
            expect(row).to_contain_text(cite_label(rules.vote.majority.cite))
        shot(page, slug, "09-round-result")
    app.refresh_from_db()
    assert app.state == AppState.PROPOSED, app.state

    # 7. Applications closed (the clock), the office publishes the notice; it ends by its dates.
    cycle_transition(cycle, CycleState.REVIEW, actor=office, reason="申报截止",
                     now=cycle.applications_close_at + dt.timedelta(minutes=1))
    page.goto(f"{base}/{slug}/office/publicity/")
    ready = page.locator("section", has=page.get_by_role("heading", name=f"发布公示：{cycle.title}"))
    expect(ready).to_contain_text(org.name)
    expect(ready.locator(".note")).to_contain_text(cite_label(rules.publicity.period.cite))
    page.get_by_label("受理异议的联系方式（电话、地址、联系人）").fill("评审办 0571-12345678，某区某路1号")
    page.get_by_label(re.compile("我确认发布")).check()
    shot(page, slug, "10-publish-notice")
    page.get_by_role("button", name="发布公示").click()
    notice = Notice.objects.get(cycle=cycle)
    expect(page.locator("main")).to_contain_text(notice.title)
    page.goto(f"{base}/{slug}/publicity/{notice.pk}/")
    expect(page.locator("#notice-status")).to_contain_text("正在公示")
    expect(page.locator("table")).to_contain_text(org.name)
    expect(page.locator("main")).to_contain_text(cite_label(rules.publicity.period.cite))
    shot(page, slug, "11-public-notice")
    ended = timezone.now() - dt.timedelta(minutes=1)
    Notice.objects.filter(pk=notice.pk).update(starts_at=ended - dt.timedelta(days=15), ends_at=ended)
    assert notices.end_due_notices() == 1
    assert AwardCycle.objects.get(pk=cycle.pk).state == CycleState.APPROVAL

    # 8. The office records the approval; the certificate is made.
    page.goto(f"{base}/{slug}/office/honours/{cycle.pk}/")
    page.get_by_label("批准文号").fill("政〔2026〕8号")
    page.get_by_label("批准日期").fill(timezone.localdate().isoformat())
    page.get_by_label("批准文件（PDF 或图片）").set_input_files(
        files=[{"name": "批复.pdf", "mimeType": "application/pdf", "buffer": _approval_pdf()}])
    page.locator("#id_approve-confirm").check()
    shot(page, slug, "12-approval")
    page.get_by_role("button", name="登记审定结果并授奖").click()
    expect(page.locator("#certificate-progress")).to_contain_text("已生成 1 / 1 份")
    expect(page.locator("#certificates tbody tr")).to_have_count(1)
    shot(page, slug, "13-certificates")
    cert = Certificate.objects.get(application=app)
    assert cert.state == Certificate.State.READY
    log_out(page)

    # 9. The winner downloads its certificate from its home page.
    log_in(page, base, applicant.username, slug=slug)
    page.goto(f"{base}/{slug}/applicant/")
    section = page.locator("section", has=page.get_by_role("heading", name="获奖证书"))
    expect(section).to_contain_text(cert.serial)
    shot(page, slug, "14-winner-home")
    with page.expect_download() as download_info:
        section.get_by_role("link", name="下载证书（PDF，已数字签名）").click()
    path = Path(tmp_path / "certificate.pdf")
    download_info.value.save_as(path)
    assert path.read_bytes() == bytes(cert.pdf)
    log_out(page)

    # 10. The public verifies it by the QR code's address.
    page.goto(f"{base}/verify/{cert.serial}/")
    expect(page.locator("#verify-status")).to_have_text("此证书真实有效。")
    expect(page.locator("main")).to_contain_text(org.name)
    shot(page, slug, "15-verified")


def _member_votes(browser: Browser, base: str, slug: str, username: str, award_name: str, app: Application,
                  round_id: int) -> None:
    """A committee member signs in on a browser of their own and votes yes, after confirming."""
    context, member = _new_page(browser, DESKTOP)
    check_accessibility_on_load(member)
    log_in(member, base, username, slug=slug)
    member.goto(f"{base}/{slug}/committee/")
    member.get_by_role("link", name="我的评委会会议与投票").click()
    member.get_by_role("link", name=f"投票：{award_name}").click()
    member.locator(f"input[name=c{app.pk}][value=yes]").check()
    member.locator("input[name=confirm]").check()
    screenshot(member, f"journey-{slug}-09-ballot")
    member.get_by_role("button", name="提交选票").click()
    expect(member.locator("main")).to_contain_text("您已投票")
    member.goto(f"{base}/{slug}/committee/rounds/{round_id}/ballot/")
    expect(member.locator("#already")).to_contain_text("您已在本轮投过票")
    _close(context, member)


def test_a_serious_violation_on_any_loaded_page_fails_with_its_address_and_rule(page: Page, live_server):
    """The on-load check is real: a page with an image without a text alternative (axe's image-alt,
    critical) fails the next assert_accessible, naming the page and the rule."""
    address = f"{live_server.url}/no-such-page-for-axe/"
    page.route(address, lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8",
        body='<!doctype html><html lang="zh-Hans"><head><title>测试</title></head>'
             '<body><main><h1>测试</h1><img src="/static/none.png"></main></body></html>'))
    page.goto(address)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert address in str(failure.value) and "image-alt" in str(failure.value)

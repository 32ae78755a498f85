"""The office's review pages (groups, Daqing's agency, replacements, assignment with conflict checks,
site reviews and their deadline, reminders, reports) and the site-report pages of the group's
leader and of the applicant; the feedback PDF; another tenant's office sees none of it."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from openpyxl import load_workbook

from awards.states import AppState
from jurisdictions.models import Role
from reviews import groups, ranking, scoring
from reviews.models import (
    Affiliation,
    Assignment,
    Evaluation,
    GroupMember,
    ReviewAgency,
    ReviewDocument,
    ReviewGroup,
    SiteReportReminder,
    SiteVisit,
    Stage,
)
from reviews.tasks import send_site_report_reminders_task
from tests.awards.builders import published_cycle
from tests.conftest import make_user
from tests.reviews.pool_builders import in_pool
from tests.reviews.site_reports import confirmed_site_score
from tests.reviews.test_ranking import eligible_apps, fresh, office_for, url

pytestmark = pytest.mark.django_db

NAMES = ["王建国", "李秀英", "张志强", "刘晓燕", "陈卫东"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def reviewers(jurisdiction, n: int = 4, prefix: str = "rev") -> list:
    return in_pool(jurisdiction, *[
        make_user(f"{jurisdiction.slug}-{prefix}{i}", jurisdiction, Role.REVIEWER, first_name=NAMES[i])
        for i in range(n)
    ])


def group_of(cycle, people, name: str = "第一评审组", agency=None) -> ReviewGroup:
    return groups.form_group(cycle, name=name, leader=people[0], members=people[1:], agency=agency)


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    # Line breaks fall anywhere in Chinese text: compare without whitespace.
    return "".join(out.stdout.decode("utf-8").split())


def schedule_data(app, group=None, starts="2026-09-28", ends="2026-09-30") -> dict:
    data = {f"s{app.pk}-starts_on": starts, f"s{app.pk}-ends_on": ends}
    if group is not None:
        data[f"s{app.pk}-group"] = group.pk
    return data


# --- review groups ---------------------------------------------------------------------------------
def test_office_forms_a_group_of_at_least_the_minimum_with_its_article(client, loaded, cast):
    office = cast["office"]
    published_cycle(loaded["keqiao"], office)
    people = reviewers(loaded["keqiao"])
    client.force_login(office)
    page = client.get(url("keqiao", "office-review-groups", year=2026))
    html = page.content.decode()
    assert "评审组至少由 3 名评审员组成，实行组长负责制。" in html
    assert '<span class="cite">第十条</span>' in html

    data = {"name": "第一评审组", "leader": people[0].pk, "members": [people[1].pk]}
    refused = client.post(url("keqiao", "office-review-groups", year=2026), data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["members"] == ["评审组至少需要3名评审员（第十条），现为2名。"]
    assert 'value="第一评审组"' in refused.content.decode()  # nothing entered is lost
    assert not ReviewGroup.objects.exists()

    # A person who is not one of this jurisdiction's reviewers cannot be picked.
    outsider = make_user("kq-not-reviewer", loaded["keqiao"], Role.COMMITTEE)
    strange = client.post(url("keqiao", "office-review-groups", year=2026),
                          {**data, "members": [people[1].pk, outsider.pk]})
    assert "members" in strange.context["form"].errors

    response = client.post(url("keqiao", "office-review-groups", year=2026),
                           {**data, "members": [people[1].pk, people[2].pk]})
    assert response.status_code == 302
    group = ReviewGroup.objects.get()
    assert {(m.reviewer_id, m.is_leader) for m in group.members.all()} == {
        (people[0].pk, True), (people[1].pk, False), (people[2].pk, False)}
    listed = client.get(url("keqiao", "office-review-groups", year=2026)).content.decode()
    assert "王建国" in listed and "李秀英" in listed and "张志强" in listed


def test_daqing_groups_come_from_a_registered_third_party_agency(client, loaded):
    daqing = loaded["daqing"]
    office = office_for(daqing)
    published_cycle(daqing, office)
    people = reviewers(daqing, 5)
    client.force_login(office)
    page = client.get(url("daqing", "office-review-groups", year=2026))
    html = page.content.decode()
    assert "本辖区由第三方评价机构（评审机构）开展评审" in html
    # 第八条（三）: 选择第三方评价机构（评审机构）开展评审工作.
    assert '<span class="cite">第八条（三）</span>' in html

    no_agency = client.post(url("daqing", "office-review-groups", year=2026),
                            {"name": "甲组", "leader": people[0].pk, "members": [people[1].pk, people[2].pk]})
    assert no_agency.context["form"].errors["agency"] == ["本辖区由第三方评价机构开展评审（第八条（三）），请选择评审机构。"]

    bad_code = client.post(url("daqing", "office-review-agency-create", year=2026), {
        "agency-name": "大庆卓越质量评价中心", "agency-uscc": "123", "agency-reviewers": [p.pk for p in people[:3]]})
    assert bad_code.status_code == 200
    assert bad_code.context["agency_form"].errors["uscc"] == ["统一社会信用代码应为18位，您输入了3位。"]
    assert not ReviewAgency.objects.exists()
    created = client.post(url("daqing", "office-review-agency-create", year=2026), {
        "agency-name": "大庆卓越质量评价中心", "agency-contract_note": "委托合同 DQ-2026-01",
        "agency-reviewers": [p.pk for p in people[:3]]})
    assert created.status_code == 302
    agency = ReviewAgency.objects.get()
    assert agency.jurisdiction == daqing
    assert set(agency.reviewers.values_list("pk", flat=True)) == {p.pk for p in people[:3]}

    outside = client.post(url("daqing", "office-review-groups", year=2026), {
        "name": "甲组", "agency": agency.pk, "leader": people[0].pk, "members": [people[1].pk, people[3].pk]})
    assert outside.context["form"].errors["members"] == ["以下评审员不属于所选评审机构：刘晓燕"]
    more = client.post(url("daqing", "office-review-agency-reviewers", year=2026, agency_id=agency.pk),
                       {f"agency{agency.pk}-reviewers": [people[3].pk]})
    assert more.status_code == 302
    formed = client.post(url("daqing", "office-review-groups", year=2026), {
        "name": "甲组", "agency": agency.pk, "leader": people[0].pk, "members": [people[1].pk, people[3].pk]})
    assert formed.status_code == 302
    group = ReviewGroup.objects.get()
    assert group.agency == agency
    listed = client.get(url("daqing", "office-review-groups", year=2026)).content.decode()
    assert "大庆卓越质量评价中心" in listed and "委托合同 DQ-2026-01" in listed


def test_a_recusal_below_the_minimum_asks_for_a_replacement(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    people = reviewers(loaded["keqiao"], 5)
    group = group_of(cycle, people[:3])
    (app,) = eligible_apps(cycle, office, [None])
    groups.assign(app, group, Stage.DOCUMENT, office)
    groups.attest(app, people[2], no_conflict=False, reason="本人曾为该单位提供咨询服务")
    Affiliation.objects.create(jurisdiction=loaded["keqiao"], reviewer=people[4], kind=Affiliation.Kind.CLIENT,
                               organization_name=app.organization.name, uscc=app.organization.uscc)
    client.force_login(office)

    page = client.get(url("keqiao", "office-review-groups", year=2026))
    (row,) = page.context["replacements"]
    assert (row["group"], row["application"], row["active"]) == (group, app, 2)
    # Those already seated are not offered.
    offered = {value for value, _label in row["form"].fields["reviewer"].choices if value}
    assert offered == {people[3].pk, people[4].pk, cast["reviewer"].pk}

    prefix = f"m{group.pk}-{app.pk}"
    conflict = client.post(url("keqiao", "office-review-add-member", year=2026, group_id=group.pk),
                           {"application": app.pk, f"{prefix}-reviewer": people[4].pk})
    assert conflict.status_code == 200
    (row,) = conflict.context["replacements"]
    assert row["form"].errors["reviewer"] == [
        f"不能加入：该评审员申报的利害关系与本组评审的申报组织相同——客户：{app.organization.name}。"]
    assert not GroupMember.objects.filter(group=group, reviewer=people[4]).exists()

    added = client.post(url("keqiao", "office-review-add-member", year=2026, group_id=group.pk),
                        {"application": app.pk, f"{prefix}-reviewer": people[3].pk})
    assert added.status_code == 302
    assert GroupMember.objects.filter(group=group, reviewer=people[3], is_leader=False).exists()
    assert client.get(url("keqiao", "office-review-groups", year=2026)).context["replacements"] == []


# --- assignment -------------------------------------------------------------------------------------
def test_assignment_refused_for_a_declared_conflict_is_shown_on_its_row(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    people = reviewers(loaded["keqiao"], 3)
    group = group_of(cycle, people)
    conflicted, clear = eligible_apps(cycle, office, [None, None])
    Affiliation.objects.create(jurisdiction=loaded["keqiao"], reviewer=people[1], kind=Affiliation.Kind.EMPLOYER,
                               organization_name="某集团", uscc=conflicted.organization.uscc)
    client.force_login(office)
    page = client.get(url("keqiao", "office-review-assignments", year=2026))
    assert page.context["open_count"] == 2

    response = client.post(url("keqiao", "office-review-assignments", year=2026),
                           {f"group_{conflicted.pk}": group.pk, f"group_{clear.pk}": group.pk})
    assert response.status_code == 200
    assert list(Assignment.objects.values_list("application_id", "stage")) == [(clear.pk, Stage.DOCUMENT)]
    rows = {r["app"].pk: r for r in response.context["rows"]}
    assert rows[conflicted.pk]["error"] == (
        "不能分配：评审员申报的利害关系与申报组织的统一社会信用代码相同——李秀英（任职/受雇单位：某集团）。")
    assert rows[clear.pk]["group"] == group
    html = response.content.decode()
    row_html = html[html.index(f'id="app-{conflicted.pk}"'):]
    row_html = row_html[:row_html.index("</tr>")]
    assert "不能分配" in row_html
    assert f'<option value="{group.pk}" selected>' in row_html  # the office's pick is kept
    assert [str(m) for m in response.context["messages"]] == [
        "已分配1份申报进行资料评审。", "有1份申报未能分配，原因见各行。"]


# --- site review: schedule, deadline, reminders -----------------------------------------------------
@pytest.fixture
def site_case(loaded, cast):
    """Keqiao: two shortlisted applications and a site group of three."""
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    people = reviewers(loaded["keqiao"], 4)
    group = group_of(cycle, people[:3])
    apps = eligible_apps(cycle, office, [700, 720])
    ranking.decide_shortlist(cycle, office, chosen_ids={a.pk for a in apps})
    return {"cycle": cycle, "office": office, "people": people, "group": group, "apps": apps}


def test_report_deadline_counts_working_days_across_national_day(client, site_case):
    app, other = site_case["apps"]
    group = site_case["group"]
    client.force_login(site_case["office"])
    wrong = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                        schedule_data(app, group, starts="2026-09-30", ends="2026-09-28"))
    assert wrong.status_code == 200
    form = next(r["form"] for r in wrong.context["rows"] if r["app"].pk == app.pk)
    assert form.errors["ends_on"] == ["结束日期不能早于开始日期。"]
    assert form["starts_on"].value() == "2026-09-30"
    no_group = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk), schedule_data(app))
    form = next(r["form"] for r in no_group.context["rows"] if r["app"].pk == app.pk)
    assert form.errors["group"] == ["请选择现场评审组。"]
    assert not SiteVisit.objects.exists()

    response = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                           schedule_data(app, group), follow=True)
    visit = SiteVisit.objects.get(application=app)
    # 5 working days after 30 September: 1–8 October are days off, Saturday 10 October is worked.
    assert visit.report_due_on == dt.date(2026, 10, 13)
    assert Assignment.objects.get(application=app, stage=Stage.SITE).group == group
    assert "报告应于 2026-10-13 前提交。" in next(str(m) for m in response.context["messages"])
    page = client.get(url("keqiao", "office-review-site", year=2026))
    assert [row["visit"] for row in page.context["due"]] == [visit]
    assert page.context["calendar_warning"] is None
    html = page.content.decode()
    assert "现场评审报告应于现场评审结束后 5 个工作日内提交。" in html
    assert '<span class="cite">第十七条</span>' in html

    # A visit ending where the calendar has no national schedule yet is flagged, not guessed.
    later = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=other.pk),
                        schedule_data(other, group, starts="2026-12-28", ends="2026-12-30"), follow=True)
    assert SiteVisit.objects.get(application=other).report_due_on == dt.date(2027, 1, 6)
    assert any("系统没有 2027 年的国家法定节假日" in str(m) for m in later.context["messages"])
    page = client.get(url("keqiao", "office-review-site", year=2026))
    assert "系统没有 2027 年的国家法定节假日" in page.context["calendar_warning"]


def test_report_reminders_go_out_once(client, site_case, django_capture_on_commit_callbacks, cast):
    app, _other = site_case["apps"]
    client.force_login(site_case["office"])
    client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                schedule_data(app, site_case["group"]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_site_report_reminders_task.delay().get() == 1
    assert len(mail.outbox) == 1
    # Due 2026-10-13 and not submitted: overdue, so the leader and the office hear of it.
    assert set(mail.outbox[0].to) == {site_case["people"][0].email, cast["office"].email}
    assert "现已逾期" in mail.outbox[0].body
    # The leader's notifications list it too, without a second mail.
    from jurisdictions.models import Notification
    [listed] = Notification.objects.filter(kind=Notification.Kind.DEADLINE)
    assert listed.user == site_case["people"][0] and "现已逾期" in listed.body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_site_report_reminders_task.delay().get() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind=Notification.Kind.DEADLINE).count() == 1
    assert SiteReportReminder.objects.count() == 1


# --- the leader's report and the applicant's confirmation ---------------------------------------------
def _scheduled_and_reported(client, site_case, app, text="现场核实了质量管理体系运行情况。"):
    leader = site_case["people"][0]
    client.force_login(site_case["office"])
    client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                schedule_data(app, site_case["group"]))
    groups.attest(app, leader, no_conflict=True)
    client.force_login(leader)
    return client.post(url("keqiao", "reviewer-site-report-write", pk=app.pk), {"report": text})


def test_only_the_site_group_leader_writes_the_report(client, site_case):
    app, _other = site_case["apps"]
    leader, member, _third, stranger = site_case["people"]
    client.force_login(site_case["office"])
    client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                schedule_data(app, site_case["group"]))
    groups.attest(app, member, no_conflict=True)
    for user in (member, stranger):
        client.force_login(user)
        assert client.get(url("keqiao", "reviewer-site-report-write", pk=app.pk)).status_code == 404
        assert client.post(url("keqiao", "reviewer-site-report-write", pk=app.pk),
                           {"report": "x"}).status_code == 404
    client.force_login(leader)
    # Before the no-conflict statement the page is closed, and the list says why.
    assert client.get(url("keqiao", "reviewer-site-report-write", pk=app.pk)).status_code == 404
    listed = client.get(url("keqiao", "reviewer-site-report-list"))
    assert [r["cleared"] for r in listed.context["rows"]] == [False]
    groups.attest(app, leader, no_conflict=True)
    empty = client.post(url("keqiao", "reviewer-site-report-write", pk=app.pk), {"report": "  "})
    assert empty.status_code == 200
    assert empty.context["form"].errors["report"] == ["请填写现场评审报告。"]
    done = client.post(url("keqiao", "reviewer-site-report-write", pk=app.pk), {"report": "现场评审发现：过程管理规范。"})
    assert done.status_code == 302
    visit = SiteVisit.objects.get(application=app)
    assert visit.report == "现场评审发现：过程管理规范。"
    assert visit.report_submitted_at is not None
    client.force_login(site_case["office"])
    assert client.get(url("keqiao", "reviewer-site-report-write", pk=app.pk)).status_code == 404


def test_applicant_confirms_or_disputes_the_site_report(client, site_case):
    disputed, confirmed = site_case["apps"]
    owner = disputed.organization.users.get()
    client.force_login(owner)
    assert client.get(url("keqiao", "applicant-site-report", pk=disputed.pk)).status_code == 404  # no visit yet
    assert _scheduled_and_reported(client, site_case, disputed).status_code == 302
    assert _scheduled_and_reported(client, site_case, confirmed).status_code == 302

    client.force_login(owner)
    page = client.get(url("keqiao", "applicant-site-report", pk=disputed.pk))
    assert page.status_code == 200
    assert "现场核实了质量管理体系运行情况。" in page.content.decode()
    assert page.context["form"] is not None
    dashboard = client.get(url("keqiao", "applicant-dashboard")).content.decode()
    assert url("keqiao", "applicant-site-report", pk=disputed.pk) in dashboard

    missing = client.post(url("keqiao", "applicant-site-report", pk=disputed.pk), {"decision": "dispute"})
    assert missing.status_code == 200
    assert missing.context["form"].errors["comments"] == ["对报告有异议时请写明意见。"]
    no_choice = client.post(url("keqiao", "applicant-site-report", pk=disputed.pk), {"comments": "意见"})
    assert no_choice.context["form"].errors["decision"] == ["请选择确认报告或提出异议。"]
    assert no_choice.context["form"]["comments"].value() == "意见"
    assert SiteVisit.objects.get(application=disputed).confirmation == ""

    response = client.post(url("keqiao", "applicant-site-report", pk=disputed.pk),
                           {"decision": "dispute", "comments": "报告所述人员培训情况与实际不符。"})
    assert response.status_code == 302
    visit = SiteVisit.objects.get(application=disputed)
    assert (visit.confirmation, visit.applicant_comments) == ("disputed", "报告所述人员培训情况与实际不符。")
    again = client.get(url("keqiao", "applicant-site-report", pk=disputed.pk))
    assert again.context["form"] is None

    # Someone else's report is not there at all.
    assert client.get(url("keqiao", "applicant-site-report", pk=confirmed.pk)).status_code == 404
    client.force_login(confirmed.organization.users.get())
    assert client.post(url("keqiao", "applicant-site-report", pk=confirmed.pk),
                       {"decision": "confirm"}).status_code == 302
    visit = SiteVisit.objects.get(application=confirmed)
    assert (visit.confirmation, visit.applicant_comments) == ("confirmed", "")
    # The office sees both answers; the leader can no longer change a confirmed report.
    client.force_login(site_case["office"])
    site_page = client.get(url("keqiao", "office-review-site", year=2026)).content.decode()
    assert "有异议" in site_page and "报告所述人员培训情况与实际不符。" in site_page and "已确认" in site_page
    client.force_login(site_case["people"][0])
    assert client.get(url("keqiao", "reviewer-site-report-write", pk=confirmed.pk)).context["locked"] is True


def test_where_the_profile_sets_no_confirmation_the_applicant_only_reads(client, loaded):
    zhuji = loaded["zhuji"]
    office = office_for(zhuji)
    cycle = published_cycle(zhuji, office)
    people = reviewers(zhuji, 3)
    group = group_of(cycle, people)
    (app,) = eligible_apps(cycle, office, [700])
    ranking.decide_shortlist(cycle, office, chosen_ids={app.pk})
    client.force_login(office)
    client.post(url("zhuji", "office-review-site-schedule", year=2026, pk=app.pk), schedule_data(app, group))
    visit = SiteVisit.objects.get(application=app)
    assert visit.report_due_on is None  # Zhuji sets no deadline
    groups.attest(app, people[0], no_conflict=True)
    client.force_login(people[0])
    client.post(url("zhuji", "reviewer-site-report-write", pk=app.pk), {"report": "现场评审报告正文"})
    client.force_login(app.organization.users.get())
    page = client.get(url("zhuji", "applicant-site-report", pk=app.pk))
    assert page.context["form"] is None
    assert "本辖区不设申报组织确认现场评审报告的环节" in page.content.decode()
    client.post(url("zhuji", "applicant-site-report", pk=app.pk), {"decision": "confirm"})
    assert SiteVisit.objects.get(application=app).confirmation == ""


# --- the feedback report PDF ------------------------------------------------------------------------
def test_not_shortlisted_get_a_feedback_pdf_without_reviewer_names(
    client, loaded, cast, django_capture_on_commit_callbacks, tmp_path
):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    people = reviewers(loaded["keqiao"], 3)
    leader = people[0]
    group = group_of(cycle, people)
    left_out, chosen = eligible_apps(cycle, office, [None, 820])
    groups.assign(left_out, group, Stage.DOCUMENT, office)
    for code in scoring.item_points(scoring.criteria_of(left_out)):
        notes = {"strengths": "领导层重视质量文化", "opportunities": ""} if code == "4.1.1" else {}
        if code == "4.4.6":
            notes = {"strengths": "", "opportunities": "建议加强供应链协同"}
        scoring.set_consensus(left_out, leader, Stage.DOCUMENT, code, percentage=70, **notes)
    scoring.submit_group_score(left_out, leader, Stage.DOCUMENT)
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("keqiao", "office-review-shortlist", year=2026),
                               {"chosen": [chosen.pk], "confirm": "on"})
    assert response.status_code == 302
    assert fresh(left_out).state == AppState.NOT_SHORTLISTED
    stored = ReviewDocument.objects.get(application=left_out, kind=ReviewDocument.Kind.FEEDBACK_REPORT)
    assert not ReviewDocument.objects.filter(application=chosen).exists()

    client.force_login(left_out.organization.users.get())
    download = client.get(url("keqiao", "application-review-feedback", pk=left_out.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content) if download.streaming else download.content
    assert pdf == bytes(stored.pdf)
    text = text_of(pdf, tmp_path)
    assert "资料评审反馈报告" in text
    assert left_out.organization.name in text
    assert "700分（满分1000分）" in text
    assert "4.1领导11077" in text and "77.00" not in text  # category, points, score as stored
    assert "领导层重视质量文化" in text and "建议加强供应链协同" in text
    for person in people:
        assert person.get_full_name() not in text
        assert person.get_username() not in text
    # Only its own organisation and the office may download it.
    client.force_login(chosen.organization.users.get())
    assert client.get(url("keqiao", "application-review-feedback", pk=left_out.pk)).status_code == 404
    assert client.get(url("keqiao", "application-review-feedback", pk=chosen.pk)).status_code == 404
    client.force_login(office)
    assert client.get(url("keqiao", "application-review-feedback", pk=left_out.pk)).status_code == 200
    client.force_login(cast["other_office"])
    assert client.get(url("keqiao", "application-review-feedback", pk=left_out.pk)).status_code == 404
    # The task is idempotent: a second run replaces the document, never adds one.
    from reviews.tasks import render_review_document_task

    assert render_review_document_task.delay(left_out.pk, ReviewDocument.Kind.FEEDBACK_REPORT).get() is True
    assert ReviewDocument.objects.filter(application=left_out).count() == 1


# --- the comprehensive evaluation report ------------------------------------------------------------
def test_comprehensive_report_as_pdf_and_excel(client, loaded, cast, tmp_path):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    people = reviewers(loaded["keqiao"], 3)
    group = group_of(cycle, people)
    client.force_login(office)
    assert client.get(url("keqiao", "office-review-report-pdf", year=2026)).status_code == 302  # nothing yet
    passing, failing = eligible_apps(cycle, office, [None, 750])
    # The passing one's document review is scored item by item by the group, then agreed at 65 %.
    groups.assign(passing, group, Stage.DOCUMENT, office)
    codes = list(scoring.item_points(scoring.criteria_of(passing)))
    for n, reviewer in enumerate(people):
        groups.attest(passing, reviewer, no_conflict=True)
        for code in codes:
            scoring.save_item(passing, reviewer, Stage.DOCUMENT, code, percentage=60 + 5 * n, strengths="优势明显")
        scoring.submit_sheet(passing, reviewer, Stage.DOCUMENT)
    for code in codes:
        scoring.set_consensus(passing, people[0], Stage.DOCUMENT, code, percentage=65)
    assert scoring.submit_group_score(passing, people[0], Stage.DOCUMENT).total == Decimal("650.00")
    ranking.decide_shortlist(cycle, office, chosen_ids={passing.pk, failing.pk})
    confirmed_site_score(passing, "690", office)
    confirmed_site_score(failing, "590", office)
    ranking.comprehensive_evaluation(cycle, office)

    pdf = client.get(url("keqiao", "office-review-report-pdf", year=2026))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = text_of(pdf.content, tmp_path)
    assert "综合评价报告" in text
    assert "候选组织名单（共1家）" in text and "未达分数线的组织（共1家）" in text
    # Scores as stored, trailing zeros stripped (reviews/score_display.py).
    assert passing.number in text and "682" in text and "682.00" not in text
    assert "第十八条" in text

    xlsx = client.get(url("keqiao", "office-review-report-xlsx", year=2026))
    assert xlsx.status_code == 200
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["综合排名", "资料评审明细", "现场评审明细"]
    summary = list(book["综合排名"].iter_rows(values_only=True))
    assert summary[0] == ("排名", "受理编号", "申报组织", "奖项", "资料评审得分", "现场评审得分", "综合得分",
                          "评价结果", "理由及依据")
    assert summary[1][:8] == (1, passing.number, passing.organization.name, "柯桥区政府质量奖", 650, 690, 682,
                              "候选组织")
    assert summary[2][0] is None and summary[2][7] == "未达分数线"
    assert "实得590分，未达到（第五条）" in summary[2][8]
    detail = list(book["资料评审明细"].iter_rows(values_only=True))
    assert detail[0] == ("受理编号", "申报组织", "类目", "评分项编码", "评分项", "分值", "评分人", "得分率（%）", "得分",
                         "优势", "改进机会")
    rows = detail[1:]
    assert len(rows) == len(codes) * 4  # three reviewers and the consensus per item
    first_item = [r for r in rows if r[3] == "4.1.1"]
    assert [(r[6], r[7], r[8]) for r in first_item] == [
        ("王建国", 60, 30), ("李秀英", 65, 32.5), ("张志强", 70, 35), ("评审组共识", 65, 32.5)]
    assert list(book["现场评审明细"].iter_rows(values_only=True))[1:] == []


# --- another tenant's office --------------------------------------------------------------------------
def test_another_tenants_office_gets_404_on_every_page(client, site_case, cast):
    app = site_case["apps"][0]
    client.force_login(site_case["office"])
    client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                schedule_data(app, site_case["group"]))
    year = {"year": 2026}
    pages = [
        ("office-review", year), ("office-review-groups", year), ("office-review-assignments", year),
        ("office-review-shortlist", year), ("office-review-site", year), ("office-review-evaluation", year),
        ("office-review-report-pdf", year), ("office-review-report-xlsx", year),
        ("office-review-add-member", {**year, "group_id": site_case["group"].pk}),
        ("office-review-agency-create", year), ("office-review-agency-reviewers", {**year, "agency_id": 1}),
        ("office-review-site-schedule", {**year, "pk": app.pk}),
        ("applicant-site-report", {"pk": app.pk}), ("application-review-feedback", {"pk": app.pk}),
        ("reviewer-site-report-list", {}), ("reviewer-site-report-write", {"pk": app.pk}),
    ]
    # The keqiao office itself opens every office page.
    for name, kwargs in pages[:6]:
        assert client.get(url("keqiao", name, **kwargs)).status_code == 200, name
    client.force_login(cast["other_office"])
    for name, kwargs in pages:
        refused = client.get(url("keqiao", name, **kwargs))
        assert refused.status_code == 404, name
        # The answer itself holds nothing of Keqiao's review: no applicant's name, no report's bytes.
        assert app.organization.name not in refused.content.decode(), name
        assert not refused.content.startswith((b"%PDF", b"PK")), name
        assert client.post(url("keqiao", name, **kwargs), {"confirm": "on"}).status_code in (404, 405), name
    # Its own tenant's pages answer, but know nothing of keqiao's cycle.
    assert client.get(url("zhuji", "office-review", year=2026)).status_code == 404
    assert not Evaluation.objects.exists()
    assert SiteVisit.objects.get(application=app).starts_on == dt.date(2026, 9, 28)


def test_bad_input_gets_a_message_not_an_error_page(client, site_case):
    app, other = site_case["apps"]
    client.force_login(site_case["office"])
    # The shortlist is already decided: a garbled pick is answered with that, back on the page.
    shortlist = client.post(url("keqiao", "office-review-shortlist", year=2026), {"chosen": ["abc"], "confirm": "on"},
                            follow=True)
    assert shortlist.redirect_chain == [(url("keqiao", "office-review-shortlist", year=2026), 302)]
    assert [str(m) for m in shortlist.context["messages"]] == ["没有待确定入围的申报，本次提交没有再次执行。"]
    bad_date = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                           schedule_data(app, site_case["group"], starts="2026-13-45"))
    assert bad_date.status_code == 200
    form = next(r["form"] for r in bad_date.context["rows"] if r["app"].pk == app.pk)
    assert form.errors["starts_on"] == ["请填写有效的日期。"]
    assert form["ends_on"].value() == "2026-09-30"
    bad_group = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=other.pk),
                            {**schedule_data(other), f"s{other.pk}-group": "x"})
    form = next(r["form"] for r in bad_group.context["rows"] if r["app"].pk == other.pk)
    assert form.errors["group"] == ["请从列表中选择评审组。"]
    member = client.post(url("keqiao", "office-review-add-member", year=2026, group_id=site_case["group"].pk),
                         {"application": "x"}, follow=True)
    assert member.redirect_chain == [(url("keqiao", "office-review-groups", year=2026) + "#replacements", 302)]
    assert [str(m) for m in member.context["messages"]] == ["请选择要补充的评审员。"]
    assert not SiteVisit.objects.exists()
    overview = client.get(url("keqiao", "office-review", year=2026))
    assert {row["state"]: row["count"] for row in overview.context["states"]}["shortlisted"] == 2

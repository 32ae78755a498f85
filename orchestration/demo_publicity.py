"""Demo cycles in publicity for `seed_demo`: an earlier edition of each jurisdiction's award whose
committee (Daqing: joint meeting) proposed two winners, now on public notice, with an objection
filed online (Daqing: two, one of them accepted and under investigation).

Everything goes through the real services, with `now=` for what happened months ago, so the demo
shows what the product does: the notice's period from the profile, the receipt numbers, the
acceptance deadline in working days, the masked ID number.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import services
from awards.models import AwardCycle, Organization
from awards.placeholder_pdf import PLACEHOLDER_PDF
from awards.states import AppState
from committee import ballot, meetings, rounds
from committee.models import Round
from jurisdictions.models import Jurisdiction
from publicity import notices, objections
from publicity.models import ObjectionFile
from reviews import ranking, scoring, site
from reviews.models import Stage

from .demo_applications import complete_facts
from .demo_committee import closing_day
from .demo_review import _at, _file_and_submit, _uscc, review_year

PUBLICITY_ORGS = ("智能装备股份有限公司", "新材料科技有限公司")
DEMO_ID_NUMBER = "11010519491231002X"   # the checksum-valid example number of GB 11643, not a person's


def publicity_year(jurisdiction: Jurisdiction, today: dt.date) -> int:
    """The edition before the one at the committee stage (Daqing awards every two years, 第五条)."""
    profile = jurisdiction.profile_in_force(today)
    interval = profile.typed.cycle.interval_years.value if profile else 1
    return review_year(jurisdiction, today) - 2 * interval


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PLACEHOLDER_PDF, content_type="application/pdf")


def _propose(cycle: AwardCycle, apps: list, office, held_on: dt.date) -> None:
    # A member who sat only on that day, so no other edition's meeting counts them (Zhuji's editions
    # before its first text all close a month after it took effect, and meet on different days).
    member = meetings.save_member(cycle.jurisdiction, name="王委员（演示）", position="委员", is_chair=True,
                                  serves_from=held_on, serves_until=held_on)
    meeting = meetings.create_meeting(cycle, held_on=held_on, chair=member, actor=office)
    meetings.record_attendance(meeting, {member.pk}, office)
    if cycle.profile.typed.vote.pre_meeting_review_zh is not None:
        meetings.record_pre_review(meeting, "有关部门审议同意候选组织建议名单（演示）。", office)
    award = cycle.profile.typed.top_awards[0].code
    if cycle.profile.typed.vote.method.value == "deliberation":
        rounds.record_deliberation(meeting, award, {a.pk for a in apps}, "成员单位一致同意（演示）", office)
        return
    round_ = rounds.open_round(meeting, award, Round.Method.ONLINE, office)
    ballot.cast(round_, member, "marked", {str(a.pk): "yes" for a in apps})
    rounds.close_round(round_, office)


def _close_on(jurisdiction: Jurisdiction, year: int) -> dt.date:
    """31 May of the year, or, where no rules were in force then (Lucheng's 2023 text, Zhuji's of
    2025, Daqing's of November 2018), a month after the first rules took effect: an edition is always
    judged by a text in force when its applications closed."""
    return closing_day(jurisdiction, year)


def proposed_cycle(jurisdiction: Jurisdiction, year: int, close: dt.date, office, orgs: list[Organization], *,
                   meets_after_days: int = 60) -> AwardCycle:
    """A cycle of `year` (applications closing on `close`) whose committee proposed `orgs` as winners:
    each filed, found eligible, scored and ranked through the real services."""
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office,
        applications_open_at=_at(close - dt.timedelta(days=90), 9), applications_close_at=_at(close, 17),
        call_published_on=close - dt.timedelta(days=100))
    cycle = services.publish_cycle(cycle, office)
    category = cycle.profile.typed.top_awards[0].code
    decided = _at(close + dt.timedelta(days=12), 10)
    apps = []
    for n, org in enumerate(orgs, start=11):
        complete_facts(org)
        filed = _at(close - dt.timedelta(days=n), 15)
        app = _file_and_submit(services.start_application(cycle, org, category, office, now=filed), office, filed)
        apps.append(services.decide_eligibility(app, office, AppState.ELIGIBLE, reason="材料齐全，符合申报条件",
                                                now=decided))
    cycle = services.start_review(cycle, office, now=decided)
    for i, app in enumerate(apps):
        scoring.record_group_total(app, Stage.DOCUMENT, Decimal(780 - 20 * i), office)
    ranking.decide_shortlist(cycle, office, chosen_ids={a.pk for a in apps})
    visit_on = close + dt.timedelta(days=40)
    for i, app in enumerate(apps):
        scoring.record_group_total(app, Stage.SITE, Decimal(760 - 20 * i), office)
        if site.confirmation_required(cycle):
            site.record_given_report(app, starts_on=visit_on, ends_on=visit_on, report="现场评审报告（演示）",
                                     actor=office)
            site.respond(app, app.organization.users.get(), confirm=True)
    ranking.comprehensive_evaluation(cycle, office)
    for app in apps:
        app.refresh_from_db()
    _propose(cycle, [a for a in apps if a.state == AppState.CANDIDATE], office,
             close + dt.timedelta(days=meets_after_days))
    return cycle


def seed_publicity_cycle(jurisdiction: Jurisdiction, index: int) -> AwardCycle:
    """Create the jurisdiction's earlier-edition cycle on public notice, once."""
    now = timezone.now()
    year = publicity_year(jurisdiction, timezone.localdate())
    cycle = AwardCycle.objects.filter(jurisdiction=jurisdiction, year=year).first()
    if cycle is not None:
        return cycle
    close = _close_on(jurisdiction, year)
    office = get_user_model().objects.get(username=f"{jurisdiction.slug}-office")
    orgs = []
    for n, suffix in enumerate(PUBLICITY_ORGS, start=11):
        org, _created = Organization.objects.get_or_create(
            jurisdiction=jurisdiction, uscc=_uscc(index, n), defaults={"name": f"{jurisdiction.short_name_zh}{suffix}"})
        # The organisation's own account (not signed in to in the demo) confirms its site report.
        user, _created = get_user_model().objects.get_or_create(
            username=f"{jurisdiction.slug}-publicity-org{n}", defaults={"is_active": False, "first_name": org.name})
        org.users.add(user)
        orgs.append(org)
    cycle = proposed_cycle(jurisdiction, year, close, office, orgs)
    notice = notices.publish_notice(cycle, office, now=now - dt.timedelta(days=2), contact=(
        f"{jurisdiction.issuing_body_zh}（演示）\n电话：0000-12345678\n地址：{jurisdiction.short_name_zh}某路1号"))
    _objections(notice, office, now)
    return cycle


def _objections(notice, office, now: dt.datetime) -> None:
    entries = list(notice.entries.all())
    first = objections.Filing(
        kind="person", name="张某某（演示）", id_number=DEMO_ID_NUMBER, contact="13800000000",
        text="据报道，该组织去年发生过一起质量投诉事件，请核实（演示）。",
        files=[(ObjectionFile.Kind.EVIDENCE, _pdf("报道截图.pdf"))])
    objections.file_objection(notice, entries[0], first, now=now - dt.timedelta(days=1))
    if notice.jurisdiction.slug != "daqing" or len(entries) < 2:
        return
    second = objections.Filing(
        kind="organization", name="某某行业协会（演示）", address="大庆市某路2号", contact="0459-7654321",
        text="该组织申报材料中的认证证书已过有效期（演示）。",
        files=[(ObjectionFile.Kind.EVIDENCE, _pdf("证书.pdf")), (ObjectionFile.Kind.SEAL_LETTER, _pdf("盖章异议书.pdf"))])
    objection, _code = objections.file_objection(notice, entries[1], second, now=now - dt.timedelta(days=1, hours=2))
    objection = objections.decide_acceptance(objection, office, accept=True, seal_confirmed=True,
                                             now=now - dt.timedelta(hours=20))
    objections.assign_investigation(objection, office, investigators=["刘专家 高级工程师", "陈专家 教授"],
                                    candidate_due=timezone.localdate() + dt.timedelta(days=7),
                                    objector_due=timezone.localdate() + dt.timedelta(days=7),
                                    now=now - dt.timedelta(hours=20))

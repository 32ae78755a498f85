"""Demo cycles in their committee stage for `seed_demo`: the edition before the one in review, its
candidates past the comprehensive evaluation, the committee's roster (real-looking names, the demo
committee login holding a seat), a meeting with attendance recorded, and in Keqiao a round open so
`keqiao-committee` has a ballot to cast.

Like the other demo modules, everything goes through the real services. Stage totals are entered
as the office enters a paper score sheet (`scoring.record_group_total`), which keeps the seed fast.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from awards import services
from awards.models import AwardCycle, Organization
from awards.states import AppState
from awards.uscc import check_character
from committee import meetings, rounds
from committee.models import CommitteeMember, Meeting, Round
from jurisdictions.models import Jurisdiction
from reviews import ranking, scoring, site
from reviews.models import Stage

from .demo_applications import complete_facts
from .demo_review import _at, _file_and_submit, review_year

# (name suffix, document total, site total): all above every profile's floors, so all are candidates.
COMMITTEE_ORGS = (
    ("精工机械股份有限公司", 736, 722),
    ("数字科技有限公司", 702, 688),
    ("纺织印染有限公司", 668, 651),
)
# (name, position): the chair first, then a deputy; the demo committee login takes the third seat
# (under its own name where the login has one).
ROSTER = (
    ("王建国", "区政府副区长（主任）"),
    ("李秀英", "区市场监管局局长（副主任）"),
    ("陈志强", "区经信局副局长"),
    ("刘海燕", "区发改局副局长"),
    ("赵文博", "区科技局副局长"),
    ("周敏", "区财政局副局长"),
    ("孙立新", "区总工会副主席"),
)
LOGIN_SEAT = 2
ABSENT = "孙立新"
OPEN_ROUND_IN = "keqiao"


def committee_year(jurisdiction: Jurisdiction, today: dt.date) -> int:
    """The edition before the one in review (an interval earlier again)."""
    profile = jurisdiction.profile_in_force(today)
    interval = profile.typed.cycle.interval_years.value if profile else 1
    return review_year(jurisdiction, today) - interval


def closing_day(jurisdiction: Jurisdiction, year: int) -> dt.date:
    """31 May of the edition's year, as in the other demo cycles; where no rule profile was in force
    yet (Zhuji's takes effect on 2025-01-01), a month after the first profile took effect."""
    day = dt.date(year, 5, 31)
    if jurisdiction.profile_in_force(day) is not None:
        return day
    first = jurisdiction.rule_profiles.order_by("effective_from").values_list("effective_from", flat=True).first()
    return max(day, (first or day) + dt.timedelta(days=30))


def _uscc(jurisdiction_index: int, n: int) -> str:
    first17 = f"91330000MA2DC{jurisdiction_index:02d}{n:02d}"
    return first17 + check_character(first17)


def ensure_roster(jurisdiction: Jurisdiction, serves_from: dt.date) -> list[CommitteeMember]:
    """The committee's members (once); the demo committee login is a member, so it can vote."""
    login = get_user_model().objects.get(username=f"{jurisdiction.slug}-committee")
    members = []
    for i, (name, position) in enumerate(ROSTER):
        seat = CommitteeMember.objects.filter(jurisdiction=jurisdiction)
        if i == LOGIN_SEAT:
            # The login's seat carries the person's own name, as the pages show it.
            name = login.get_full_name() or name
            member = seat.filter(user=login).first()
        else:
            member = seat.filter(name=name, user=None).first()
        if member is None:
            member = meetings.save_member(jurisdiction, name=name, position=position, is_chair=i == 0,
                                          is_deputy=i == 1, serves_from=serves_from,
                                          user=login if i == LOGIN_SEAT else None)
        members.append(member)
    return members


def _contact(org: Organization):
    """The organisation's contact account (no password: demo data) that confirmed its site report."""
    user, created = get_user_model().objects.get_or_create(
        username=f"demo-contact-{org.uscc.lower()}", defaults={"first_name": "联系人", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    org.users.add(user)
    return user


def seed_committee_cycle(jurisdiction: Jurisdiction, index: int) -> AwardCycle:
    """Create the jurisdiction's committee-stage cycle, once."""
    year = committee_year(jurisdiction, timezone.localdate())
    cycle = AwardCycle.objects.filter(jurisdiction=jurisdiction, year=year).first()
    if cycle is not None:
        return cycle
    office = get_user_model().objects.get(username=f"{jurisdiction.slug}-office")
    close = closing_day(jurisdiction, year)
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office,
        applications_open_at=_at(close - dt.timedelta(days=90), 9), applications_close_at=_at(close, 17),
        call_published_on=close - dt.timedelta(days=100),
    )
    cycle = services.publish_cycle(cycle, office)
    category = cycle.profile.typed.top_awards[0].code
    decided = _at(close + dt.timedelta(days=12), 10)
    apps = []
    for n, (suffix, document, site_total) in enumerate(COMMITTEE_ORGS, start=1):
        org, _created = Organization.objects.get_or_create(
            jurisdiction=jurisdiction, uscc=_uscc(index, n),
            defaults={"name": f"{jurisdiction.short_name_zh}{suffix}"})
        complete_facts(org)
        filed = _at(close - dt.timedelta(days=20 - n), 15)
        app = services.start_application(cycle, org, category, office, now=filed)
        app = _file_and_submit(app, office, filed)
        app = services.decide_eligibility(app, office, AppState.ELIGIBLE, reason="材料齐全，符合申报条件", now=decided)
        scoring.record_group_total(app, Stage.DOCUMENT, Decimal(document), office)
        apps.append((app, Decimal(site_total)))
    # Past the call: the cycle is under review, as the office's pages and workbench then say.
    cycle = services.start_review(cycle, office, now=decided)
    ranking.decide_shortlist(cycle, office)
    visit_on = close + dt.timedelta(days=80)
    for app, site_score in apps:
        scoring.record_group_total(app, Stage.SITE, site_score, office)
        if site.confirmation_required(cycle):
            site.record_given_report(app, starts_on=visit_on, ends_on=visit_on, actor=office,
                                     report="现场评审报告：主要过程已系统展开，结果指标呈上升趋势。")
            site.respond(app, _contact(app.organization), confirm=True)
    ranking.comprehensive_evaluation(cycle, office)
    seed_meeting(cycle, office, open_round=jurisdiction.slug == OPEN_ROUND_IN)
    return cycle


def seed_meeting(cycle: AwardCycle, office, *, open_round: bool) -> Meeting:
    """The committee meets today, so the demo committee login finds its meeting and ballot now."""
    held_on = timezone.localdate()
    # The sitting committee took office a month before it meets, so the earlier demo editions'
    # meetings (all after Zhuji's first text of 2025, for one) are not counted against its quorum.
    members = ensure_roster(cycle.jurisdiction, max(cycle.close_date, held_on - dt.timedelta(days=30)))
    meeting = meetings.create_meeting(cycle, held_on=held_on, place="区政府第一会议室", chair=members[0], actor=office)
    meetings.record_attendance(meeting, {m.pk for m in members if m.name != ABSENT}, office)
    rules = cycle.profile.typed
    if rules.vote.pre_meeting_review_zh is not None:
        meetings.record_pre_review(meeting, "区有关部门审议同意候选组织建议名单，无异议。", office)
    if open_round and rules.vote.method.value == "secret_ballot":
        award = rounds.next_award(meeting)
        if award:
            rounds.open_round(meeting, award, Round.Method.ONLINE, office)
    return meeting

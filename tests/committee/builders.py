"""Builders for committee tests: a roster, a cycle with candidates, a meeting with attendance, votes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from awards.models import Application, PastOutcome
from awards.states import AppState
from committee import ballot, meetings, rounds
from committee.models import CommitteeMember, Meeting, Round
from jurisdictions.models import Role
from reviews import ranking
from tests.awards.builders import published_cycle
from tests.conftest import make_user
from tests.reviews.test_ranking import office_for, shortlisted

MEETING_DAY = dt.date(2026, 11, 20)


def roster(jurisdiction, n: int, *, prefix: str | None = None) -> list[CommitteeMember]:
    prefix = prefix or f"{jurisdiction.slug}-m"
    members = []
    for i in range(n):
        user = make_user(f"{prefix}{i}", jurisdiction, Role.COMMITTEE, first_name=f"委员{i}")
        members.append(CommitteeMember.objects.create(
            jurisdiction=jurisdiction, user=user, name=f"张{'一二三四五六七八九十'[i % 10]}{i}", position="处长",
            is_chair=i == 0, serves_from=dt.date(2025, 1, 1)))
    return members


def candidates(jurisdiction, specs: list[tuple], *, office=None, quotas=None):
    """(document, site[, category]) per applicant, evaluated: those above the floors are candidates."""
    office = office or office_for(jurisdiction)
    cycle = published_cycle(jurisdiction, office, quotas=quotas)
    apps = shortlisted(cycle, office, specs)
    ranking.comprehensive_evaluation(cycle, office)
    for app in apps:
        app.refresh_from_db()
    assert all(a.state == AppState.CANDIDATE for a in apps), [a.state for a in apps]
    return cycle, office, apps


def meeting_with(cycle, members, present: int, office) -> Meeting:
    meeting = meetings.create_meeting(cycle, held_on=MEETING_DAY, chair=members[0], actor=office)
    meetings.record_attendance(meeting, {m.pk for m in members[:present]}, office)
    if cycle.profile.typed.vote.pre_meeting_review_zh is not None:
        meetings.record_pre_review(meeting, "区有关部门审议同意候选组织建议名单。", office)
    return meeting


def vote(round_: Round, members, ballots: list) -> None:
    """One ballot per member: a dict {app: choice}, or "blank" / "spoiled"."""
    for member, marks in zip(members, ballots, strict=False):
        if marks in ("blank", "spoiled"):
            ballot.cast(round_, member, marks, {})
        else:
            ballot.cast(round_, member, "marked", {str(app.pk): choice for app, choice in marks.items()})


def run_round(meeting, award, members, ballots, office, method=Round.Method.ONLINE) -> Round:
    round_ = rounds.open_round(meeting, award, method, office)
    vote(round_, members, ballots)
    return rounds.close_round(round_, office)


def entry(round_: Round, app: Application):
    return round_.candidates.get(application=app)


def fresh(app: Application) -> Application:
    app.refresh_from_db()
    return app


def past_win(app: Application, award: str, year: int = 2020) -> PastOutcome:
    return PastOutcome.objects.create(jurisdiction=app.jurisdiction, organization=app.organization, year=year,
                                      award_code=award, prize_cny=0)


def score(value) -> Decimal:
    return Decimal(str(value))

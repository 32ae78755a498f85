"""Closing a committee round: 30 candidates × 25 members, against 3 × 5, in queries and milliseconds.

Closing is what the office waits for at the meeting: in one transaction it rewrites every ballot and
receipt of the round in random order (docs/secret-ballot.md), counts the ballots by the profile's
rules, applies the quota and the winners outside it, and moves every decided candidate through the
workflow. Its number of queries must not grow with candidates or members.

What it builds (Keqiao's rules: quorum 2/3, half or more of those present, quality then nomination):
candidates in bulk (applications in `candidate` with their evaluation, not through the review
stages), a roster seated for the meeting, every member present, and one online ballot per member
cast through committee.ballot.cast. Each timed close runs in a savepoint that is rolled back, so
every repetition closes the same open round. Runs inside the scratch database of
``python -m benchmarks``, in its own transaction that is rolled back. Nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards import services
from awards.models import Application, Organization
from awards.states import AppState
from awards.uscc import check_character
from committee import ballot, meetings, rounds
from committee.models import CommitteeMember, Round
from jurisdictions.loading import load_all
from jurisdictions.models import Jurisdiction, Membership, Role
from reviews.models import Evaluation

SLUG = "keqiao"
SIZES = ((3, 5), (30, 25))   # (candidates, members)


class _Rollback(Exception):
    pass


@dataclass
class Row:
    candidates: int
    members: int
    queries: int
    median_ms: float
    elected: int


def _uscc(n: int) -> str:
    body = f"91330603{n:09d}"
    return body + check_character(body)


def _open_round(jurisdiction: Jurisdiction, office, n_candidates: int, n_members: int, year: int) -> Round:
    now = timezone.now()
    cycle = services.create_cycle(jurisdiction, year=year, actor=office, interval_override_reason="benchmark",
                                  applications_open_at=now - dt.timedelta(days=90),
                                  applications_close_at=now - dt.timedelta(days=60))
    cycle = services.publish_cycle(cycle, office)
    orgs = Organization.objects.bulk_create(
        Organization(jurisdiction=jurisdiction, name=f"表决基准{year}-{i:02d}有限公司", uscc=_uscc(year * 100 + i))
        for i in range(n_candidates))
    apps = Application.objects.bulk_create(
        Application(jurisdiction=jurisdiction, cycle=cycle, organization=org, category="quality",
                    state=AppState.CANDIDATE, number=f"BENCH-{year}-{i:03d}") for i, org in enumerate(orgs))
    Evaluation.objects.bulk_create(Evaluation(application=app, document_score=800, site_score=800,
                                              comprehensive_score=800 - i, candidate_for="quality")
                                   for i, app in enumerate(apps))
    held_on = timezone.localdate()
    # Only this run's members serve on the meeting day.
    CommitteeMember.objects.filter(jurisdiction=jurisdiction).update(serves_until=held_on - dt.timedelta(days=1))
    members = CommitteeMember.objects.bulk_create(
        CommitteeMember(jurisdiction=jurisdiction, name=f"委员{year}-{i:02d}", position="委员", is_chair=i == 0,
                        serves_from=held_on) for i in range(n_members))
    meeting = meetings.create_meeting(cycle, held_on=held_on, chair=members[0], actor=office)
    meetings.record_attendance(meeting, {m.pk for m in members}, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    for i, member in enumerate(members):
        ballot.cast(round_, member, "marked",
                    {str(app.pk): "yes" if i < n_members - j else "no" for j, app in enumerate(apps)})
    return Round.objects.get(pk=round_.pk)


def _time_close(round_: Round, office, repeat: int) -> tuple[int, float, int]:
    counts, times, elected = [], [], 0
    for _ in range(repeat + 1):   # the first close warms the profile and role caches; not shown
        sid = transaction.savepoint()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            closed = rounds.close_round(Round.objects.get(pk=round_.pk), office)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(captured.captured_queries))
        elected = closed.candidates.filter(outcome__in=rounds.ELECTED).count()
        transaction.savepoint_rollback(sid)
    return max(counts[1:]), statistics.median(times[1:]), elected


def run(repeat: int, out: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    try:
        with transaction.atomic():
            if not Jurisdiction.objects.filter(slug=SLUG).exists():
                load_all()
            jurisdiction = Jurisdiction.objects.get(slug=SLUG)
            office = get_user_model().objects.create_user("bench-committee-office", password=None)
            Membership.objects.create(user=office, jurisdiction=jurisdiction, role=Role.OFFICE)
            year = timezone.localdate().year + 20   # far from any real cycle in the scratch data
            for offset, (n_candidates, n_members) in enumerate(SIZES):
                started = time.perf_counter()
                round_ = _open_round(jurisdiction, office, n_candidates, n_members, year + offset)
                out(f"  opened a round of {n_candidates} candidates with {n_members} ballots cast "
                    f"in {time.perf_counter() - started:.1f} s")
                queries, median_ms, elected = _time_close(round_, office, repeat)
                rows.append(Row(n_candidates, n_members, queries, median_ms, elected))
            raise _Rollback
    except _Rollback:
        pass
    return rows


def report(rows: list[Row], out: Callable[[str], None]) -> None:
    out("")
    out(f"{'committee: close a round':<26}{'candidates':>11}{'members':>9}{'queries':>9}{'ms (median)':>13}"
        f"{'elected':>9}")
    for r in rows:
        out(f"{'':<26}{r.candidates:>11}{r.members:>9}{r.queries:>9}{r.median_ms:>13.1f}{r.elected:>9}")
    constant = len({r.queries for r in rows}) == 1
    out("queries to close a round constant from 3 × 5 to 30 × 25: " + ("yes" if constant else "NO"))

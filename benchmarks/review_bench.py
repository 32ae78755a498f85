"""The review stage at scale: a cycle of 500 applications, 60 reviewers, 23 criterion items, 2 stages.

What it builds: 500 shortlisted applications (bulk_create, not through the workflow), 60 reviewers
in 12 groups of 5, each application assigned to one group at both stages; every member's
percentage for each of the 23 items at both stages (500 × 5 × 23 × 2 = 115,000 item scores) and
the leader's consensus (500 × 23 × 2 = 23,000 consensus items); every site report written and
confirmed by its applicant (Keqiao 第十七条 asks for it before the evaluation); no files or events.

Measures, on the database the benchmark runs against (PostgreSQL in earnest):
- the batch steps the office waits for: consensus totals of every application at both stages, the
  comprehensive evaluation (scores, floors, Evaluation rows, one state change per application through
  the workflow) and the two rankings (document ranking, candidate list);
- the queries and time of the office's ranking pages at 1, 50 and 500 rows.

It runs inside the scratch database and the rolled-back transaction of ``python -m benchmarks``. The
scores are written with bulk_create (500 × 5 reviewers × 23 items × 2 stages = 115,000 item scores):
building them through the scoring pages would measure the set-up, not the steps. Each timed step runs
in a savepoint that is rolled back, so every repetition starts from the same data. Nothing here
asserts a time.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Application, AwardCycle, Organization
from awards.states import AppState
from awards.uscc import check_character
from jurisdictions.models import Jurisdiction, Membership, Role
from reviews import ranking, scoring
from reviews.models import (
    Assignment,
    Attestation,
    ConsensusItem,
    GroupMember,
    ItemScore,
    ReviewGroup,
    SiteVisit,
    Stage,
    StageResult,
)

SLUG = "keqiao"  # weights 20/80 and both 600 floors: every branch of the evaluation runs
APPLICATIONS = 500
REVIEWERS = 60
GROUP_SIZE = 5
PAGE_SIZES = (1, 50, 500)
BUDGET_SECONDS = 1.0


@dataclass
class Step:
    name: str
    median_ms: float
    queries: int


@dataclass
class PageMeasurement:
    page: str
    rows: int
    queries: int
    median_ms: float


def _uscc(n: int) -> str:
    body = f"91330621{n:09d}"
    return body + check_character(body)


def _reviewers(jurisdiction: Jurisdiction) -> list:
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-reviewer-{n:02d}", first_name=f"评审员{n:02d}")
        for n in range(1, REVIEWERS + 1)
    )
    Membership.objects.bulk_create(Membership(user=u, jurisdiction=jurisdiction, role=Role.REVIEWER) for u in users)
    return users


def _cycle(jurisdiction: Jurisdiction, office, year: int) -> AwardCycle:
    now = timezone.now()
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office, interval_override_reason="benchmark",
        applications_open_at=now - dt.timedelta(days=30), applications_close_at=now - dt.timedelta(days=1),
    )
    return services.publish_cycle(cycle, office)


def _applications(cycle: AwardCycle, orgs: list[Organization], state: str) -> list[Application]:
    now = timezone.now()
    return Application.objects.bulk_create(
        Application(
            jurisdiction=cycle.jurisdiction, cycle=cycle, organization=org, category="quality", state=state,
            number=f"BENCH-{cycle.year}-{i + 1:04d}", submitted_at=now, decided_at=now,
        )
        for i, org in enumerate(orgs)
    )


def _site_visits(apps: list[Application]) -> None:
    """Every site report written and confirmed by its applicant (Keqiao 第十七条), so the evaluation may run."""
    today, now = timezone.localdate(), timezone.now()
    SiteVisit.objects.bulk_create(
        SiteVisit(application=app, starts_on=today, ends_on=today, report="现场评审报告", report_submitted_at=now,
                  confirmation=SiteVisit.Confirmation.CONFIRMED, confirmed_at=now)
        for app in apps
    )


def _groups(cycle: AwardCycle, reviewers: list) -> list[tuple[ReviewGroup, list]]:
    """Twelve groups of five: every reviewer sits in one group, the first member leads."""
    seats = [reviewers[i:i + GROUP_SIZE] for i in range(0, len(reviewers), GROUP_SIZE)]
    groups = ReviewGroup.objects.bulk_create(
        ReviewGroup(jurisdiction=cycle.jurisdiction, cycle=cycle, name=f"第{n + 1}评审组") for n in range(len(seats))
    )
    GroupMember.objects.bulk_create(
        GroupMember(group=g, reviewer=u, is_leader=(i == 0)) for g, members in zip(groups, seats, strict=True)
        for i, u in enumerate(members)
    )
    return list(zip(groups, seats, strict=True))


def _scores(cycle: AwardCycle, apps: list[Application], groups: list, seed: int) -> None:
    """Every member's percentage for every item at both stages, and the leader's consensus."""
    rng = random.Random(seed)
    codes = list(scoring.item_points(cycle.profile.criteria.typed))
    assignments, attestations, items, consensus = [], [], [], []
    for index, app in enumerate(apps):
        group, members = groups[index % len(groups)]
        level = {Stage.DOCUMENT: rng.randint(9, 16), Stage.SITE: rng.randint(9, 17)}  # × 5 %
        for stage in (Stage.DOCUMENT, Stage.SITE):
            assignments.append(Assignment(jurisdiction=cycle.jurisdiction, application=app, group=group, stage=stage))
            for code in codes:
                given = [min(20, max(0, level[stage] + rng.randint(-2, 2))) * 5 for _ in members]
                items += [
                    ItemScore(application=app, reviewer=u, stage=stage, item_code=code, percentage=pct,
                              strengths="优势", opportunities="改进机会")
                    for u, pct in zip(members, given, strict=True)
                ]
                agreed = round(statistics.fmean(given) / 5) * 5
                consensus.append(ConsensusItem(application=app, stage=stage, item_code=code, percentage=agreed))
        attestations += [Attestation(application=app, reviewer=u, decision=Attestation.Decision.NO_CONFLICT)
                         for u in members]
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    Attestation.objects.bulk_create(attestations, batch_size=2000)
    ItemScore.objects.bulk_create(items, batch_size=5000)
    ConsensusItem.objects.bulk_create(consensus, batch_size=5000)


def _store_totals(stage: str, totals: dict[int, Decimal], office) -> None:
    """What the group leaders' submissions leave behind: one StageResult per application and stage."""
    now = timezone.now()
    StageResult.objects.bulk_create(
        StageResult(application_id=pk, stage=stage, total=total, submitted_by=office, submitted_at=now)
        for pk, total in totals.items()
    )


def _timed(name: str, fn: Callable[[], object], repeat: int) -> Step:
    """Median of `repeat` runs, each in a savepoint rolled back afterwards; queries of the first run."""
    times, queries = [], 0
    for n in range(repeat):
        sid = transaction.savepoint()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        if n == 0:
            queries = len(captured)
        transaction.savepoint_rollback(sid)
    return Step(name, statistics.median(times), queries)


def _page(client: Client, name: str, rows: int, path: str, repeat: int) -> PageMeasurement:
    response = client.get(path)  # warm-up: templates, profile caches
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    # Each request's queries are counted on their own, read as soon as it is done; the most is shown.
    counts, times = [], []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(captured.captured_queries))
    return PageMeasurement(name, rows, max(counts), statistics.median(times))


def run(repeat: int, out: Callable[[str], None]) -> tuple[list[Step], list[PageMeasurement]]:
    """Build the data, measure, and leave everything for the caller's transaction to roll back."""
    jurisdiction = Jurisdiction.objects.get(slug=SLUG)
    users = get_user_model().objects
    office = users.create_user("bench-review-office", password=None)
    Membership.objects.create(user=office, jurisdiction=jurisdiction, role=Role.OFFICE)
    reviewers = _reviewers(jurisdiction)
    orgs = Organization.objects.bulk_create(
        Organization(jurisdiction=jurisdiction, name=f"评审基准{n:04d}有限公司", uscc=_uscc(50_000 + n))
        for n in range(1, APPLICATIONS + 1)
    )
    base_year = timezone.localdate().year + 40  # clear of any real or office-benchmark cycle

    started = time.perf_counter()
    cycle = _cycle(jurisdiction, office, base_year)
    apps = _applications(cycle, orgs, AppState.SHORTLISTED)
    groups = _groups(cycle, reviewers)
    _scores(cycle, apps, groups, seed=2026)
    _site_visits(apps)
    out(f"  built the review cycle: {APPLICATIONS} applications, {REVIEWERS} reviewers, "
        f"{ItemScore.objects.filter(application__cycle=cycle).count():,} item scores, "
        f"{ConsensusItem.objects.filter(application__cycle=cycle).count():,} consensus items "
        f"in {time.perf_counter() - started:.1f} s")

    steps = [
        _timed("consensus totals, both stages",
               lambda: (scoring.consensus_totals(cycle, Stage.DOCUMENT), scoring.consensus_totals(cycle, Stage.SITE)),
               repeat),
    ]
    for stage in (Stage.DOCUMENT, Stage.SITE):
        _store_totals(stage, scoring.consensus_totals(cycle, stage), office)
    steps.append(_timed("comprehensive evaluation", lambda: ranking.comprehensive_evaluation(cycle, office), repeat))
    ranking.comprehensive_evaluation(cycle, office)  # kept: the candidate list below reads its result
    steps.append(_timed("document ranking + candidate list",
                        lambda: (ranking.document_ranking(cycle), ranking.candidate_list(cycle)), repeat))

    # The ranking pages at 1, 50 and 500 rows: smaller cycles with the same kind of data.
    client = Client()
    client.force_login(office)
    pages: list[PageMeasurement] = []
    for offset, size in enumerate(PAGE_SIZES):
        if size == APPLICATIONS:
            year = cycle.year
        else:
            small = _cycle(jurisdiction, office, base_year + 1 + offset)
            small_apps = _applications(small, orgs[:size], AppState.SHORTLISTED)
            _scores(small, small_apps, _groups(small, reviewers), seed=size)
            _site_visits(small_apps)
            for stage in (Stage.DOCUMENT, Stage.SITE):
                _store_totals(stage, scoring.consensus_totals(small, stage), office)
            ranking.comprehensive_evaluation(small, office)
            year = small.year
        for name, url_name in (("document ranking", "office-review-shortlist"),
                               ("candidate list", "office-review-evaluation")):
            path = reverse(url_name, kwargs={"jurisdiction": SLUG, "year": year})
            pages.append(_page(client, name, size, path, repeat))
    return steps, pages


def report(steps: list[Step], pages: list[PageMeasurement], out: Callable[[str], None]) -> None:
    out("")
    out(f"review stage, {APPLICATIONS} applications × {REVIEWERS} reviewers × 23 items × 2 stages")
    out(f"{'step':<40}{'ms (median)':>13}{'queries':>9}")
    for step in steps:
        out(f"{step.name:<40}{step.median_ms:>13.1f}{step.queries:>9}")
    total = sum(step.median_ms for step in steps)
    out(f"{'total':<40}{total:>13.1f}")
    verdict = "under" if total < BUDGET_SECONDS * 1000 else "OVER"
    out(f"budget {BUDGET_SECONDS * 1000:.0f} ms: {verdict} ({total / (BUDGET_SECONDS * 1000):.2f} of it)")
    out("")
    out(f"{'page':<24}{'rows':>7}{'queries':>9}{'ms (median)':>13}")
    for m in pages:
        out(f"{m.page:<24}{m.rows:>7}{m.queries:>9}{m.median_ms:>13.1f}")
    by_page: dict[str, dict[int, PageMeasurement]] = {}
    for m in pages:
        by_page.setdefault(m.page, {})[m.rows] = m
    out("")
    out(f"{'ratios':<24}{'queries 500/1':>15}{'ms 50/1':>10}{'ms 500/1':>10}")
    for page, sizes in by_page.items():
        one, fifty, most = (sizes[s] for s in PAGE_SIZES)
        out(f"{page:<24}{most.queries / max(one.queries, 1):>15.2f}"
            f"{fifty.median_ms / one.median_ms:>10.2f}{most.median_ms / one.median_ms:>10.2f}")
    constant = all(len({m.queries for m in sizes.values()}) == 1 for sizes in by_page.values())
    out("")
    out("ranking pages: queries per request constant across 1, 50 and 500 rows: " + ("yes" if constant else "NO"))

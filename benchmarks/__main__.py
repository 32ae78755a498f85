"""Office pages at 1, 50 and 1,000 applications: queries per request and milliseconds.

    DJANGO_SETTINGS_MODULE=config.settings DJANGO_DEBUG=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/awards python -m benchmarks [--repeat 7]

Everything happens in a scratch database (``bench_<name>``, created, migrated and dropped again)
and, inside it, in one transaction that is rolled back, so no side effect (receipt PDFs, mail)
ever runs. The applications are filed and decided through the workflow function like any other.
Nothing here asserts a time: it prints numbers and ratios for a person to read.

``--suite server`` (benchmarks/server_bench.py) serves the pages with gunicorn, PostgreSQL and Redis
under production settings and drives them with 50 concurrent clients, as ratios to a constant-string
ceiling view measured in the same run, then times the documents and the comprehensive report in a
worker process; ``all`` runs it first and prints its table last.

``--suite review`` runs only the review-stage benchmark (benchmarks/review_bench.py: 500 applications,
60 reviewers, both stages; consensus totals, comprehensive evaluation, ranking pages); the default
``--suite all`` runs both, and ``--suite pdf`` (benchmarks/pdf_bench.py, no database) compares our
PDF renderer with WeasyPrint embedding the system CJK font itself; ``all`` includes it.
``--suite committee`` (benchmarks/committee_bench.py) closes a committee round of 30 candidates × 25
members against one of 3 × 5 (queries and milliseconds); ``all`` includes it.
``--suite certificate`` (benchmarks/certificate_bench.py, no database) renders and signs a winner's
certificate: median seconds and bytes, against the same page in a Latin font; ``all`` includes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from awards import services  # noqa: E402
from awards.models import AwardCycle, Organization  # noqa: E402
from awards.states import AppState  # noqa: E402
from awards.uscc import check_character  # noqa: E402
from awards.workflow import transition  # noqa: E402
from jurisdictions.loading import load_all  # noqa: E402
from jurisdictions.models import Jurisdiction, Membership, Role  # noqa: E402

SIZES = (1, 50, 1000)
SLUG = "keqiao"


class Rollback(Exception):
    """Raised at the end of the run so the outer transaction is rolled back."""


@dataclass
class Measurement:
    page: str
    rows: int
    queries: int
    median_ms: float
    bytes: int


def _uscc(n: int) -> str:
    body = f"91330621{n:09d}"
    return body + check_character(body)


def _cycle_with(jurisdiction: Jurisdiction, office, applicant, year: int, orgs: list[Organization]) -> AwardCycle:
    now = timezone.now()
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office, interval_override_reason="benchmark",
        applications_open_at=now - dt.timedelta(days=10), applications_close_at=now + dt.timedelta(days=20),
    )
    cycle = services.publish_cycle(cycle, office)
    for index, org in enumerate(orgs):
        app = services.start_application(cycle, org, "quality", applicant)
        if index % 10 == 9:
            continue  # one in ten stays a draft
        filed_at = now - dt.timedelta(minutes=len(orgs) - index)
        app = transition(
            app, AppState.SUBMITTED, actor=office, now=filed_at,
            changes={"number": f"{SLUG.upper()}-{year}-{index + 1:04d}", "submitted_at": filed_at},
        )
        if index % 3 == 1:
            transition(app, AppState.ELIGIBLE, actor=office, now=filed_at, changes={"decided_at": filed_at})
        elif index % 3 == 2:
            transition(app, AppState.INELIGIBLE, actor=office, now=filed_at, reason="材料不全",
                       changes={"decided_at": filed_at, "decision_reason": "材料不全"})
    return cycle


def _measure(client: Client, name: str, rows: int, path: str, repeat: int, **headers) -> Measurement:
    response = client.get(path, headers=headers)  # warm-up: template and profile caches
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    # Each request's queries are counted on their own, read as soon as it is done; the most is shown.
    counts, times = [], []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(captured.captured_queries))
    return Measurement(name, rows, max(counts), statistics.median(times), len(response.content))


def _pages(year: int) -> list[tuple[str, str, dict]]:
    dashboard = reverse("office-cycle", kwargs={"jurisdiction": SLUG, "year": year})
    export = reverse("office-cycle-export", kwargs={"jurisdiction": SLUG, "year": year})
    return [
        ("dashboard", dashboard, {}),
        ("list, last page", dashboard + "?page=9999", {}),  # past the end: the last page
        ("list, filtered (htmx)", dashboard + "?state=submitted&q=" + "公司", {"HX-Request": "true"}),
        ("cycles list", reverse("office-cycles", kwargs={"jurisdiction": SLUG}), {}),
        ("export.xlsx", export, {}),
    ]


def run(repeat: int, out: Callable[[str], None]) -> list[Measurement]:
    results: list[Measurement] = []
    try:
        with transaction.atomic():
            if not Jurisdiction.objects.filter(slug=SLUG).exists():
                load_all()
            jurisdiction = Jurisdiction.objects.get(slug=SLUG)
            users = get_user_model().objects
            office = users.create_user("bench-office", password=None)
            applicant = users.create_user("bench-applicant", password=None)
            Membership.objects.create(user=office, jurisdiction=jurisdiction, role=Role.OFFICE)
            Membership.objects.create(user=applicant, jurisdiction=jurisdiction, role=Role.APPLICANT)
            orgs = Organization.objects.bulk_create(
                Organization(jurisdiction=jurisdiction, name=f"基准测试{n:04d}有限公司", uscc=_uscc(n))
                for n in range(1, max(SIZES) + 1)
            )
            client = Client()
            client.force_login(office)
            this_year = timezone.localdate().year
            for offset, size in enumerate(SIZES):
                year = this_year + 10 + offset  # far from any real cycle in the scratch data
                started = time.perf_counter()
                _cycle_with(jurisdiction, office, applicant, year, orgs[:size])
                out(f"  built a cycle of {size} applications in {time.perf_counter() - started:.1f} s")
                for name, path, headers in _pages(year):
                    results.append(_measure(client, name, size, path, repeat, **headers))
            raise Rollback
    except Rollback:
        pass
    return results


def report(results: list[Measurement], out: Callable[[str], None]) -> None:
    out("")
    out(f"{'page':<24}{'rows':>7}{'queries':>9}{'ms (median)':>13}{'KiB':>9}")
    for m in results:
        out(f"{m.page:<24}{m.rows:>7}{m.queries:>9}{m.median_ms:>13.1f}{m.bytes / 1024:>9.1f}")
    out("")
    out(f"{'ratios':<24}{'queries 1000/1':>16}{'ms 50/1':>10}{'ms 1000/1':>11}")
    by_page: dict[str, dict[int, Measurement]] = {}
    for m in results:
        by_page.setdefault(m.page, {})[m.rows] = m
    for page, sizes in by_page.items():
        one, fifty, thousand = sizes[SIZES[0]], sizes[SIZES[1]], sizes[SIZES[2]]
        out(
            f"{page:<24}{thousand.queries / max(one.queries, 1):>16.2f}"
            f"{fifty.median_ms / one.median_ms:>10.2f}{thousand.median_ms / one.median_ms:>11.2f}"
        )
    constant = all(len({m.queries for m in sizes.values()}) == 1 for sizes in by_page.values())
    out("")
    out("queries per request constant across 1, 50 and 1,000 rows: " + ("yes" if constant else "NO"))


def run_review(repeat: int, out: Callable[[str], None]) -> tuple[list, list] | None:
    """The review-stage benchmark (benchmarks/review_bench.py), in its own rolled-back transaction."""
    from benchmarks import review_bench

    measured = None
    try:
        with transaction.atomic():
            if not Jurisdiction.objects.filter(slug=review_bench.SLUG).exists():
                load_all()
            measured = review_bench.run(repeat, out)
            raise Rollback
    except Rollback:
        pass
    return measured


@scopes_disabled()  # builds its data directly; the pages it times run scoped by TenantMiddleware
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page and size (median shown)")
    parser.add_argument("--suite", choices=("all", "server", "office", "review", "committee", "pdf", "certificate"),
                        default="all",
                        help="served pages and documents (gunicorn, 50 clients), office pages, the review "
                             "stage, PDF rendering, or all (default)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of load per served page")
    parser.add_argument("--pages", choices=("all", "public"), default="all",
                        help="with --suite server: every page and the documents (default), or only the "
                             "ceiling and the public pages")
    args = parser.parse_args(argv)
    served = None
    if args.suite in ("all", "server"):
        from benchmarks import server_bench

        served = server_bench.run(lambda line: print(line, flush=True), seconds=args.seconds,
                                  public_only=args.pages == "public")
        if args.suite == "server":
            server_bench.table(served[0], served[1], print)
            return 0
    if args.suite in ("all", "pdf"):
        from benchmarks import pdf_bench

        pdf_bench.run(lambda line: print(line, flush=True))
        if args.suite == "pdf":
            return 0
    if args.suite in ("all", "certificate"):
        from benchmarks import certificate_bench

        certificate_bench.run(lambda line: print(line, flush=True))
        if args.suite == "certificate":
            return 0

    setup_test_environment()
    settings_dict = connection.settings_dict
    real_name = settings_dict["NAME"]
    settings_dict.setdefault("TEST", {})
    if connection.vendor != "sqlite":
        # Never the pytest database (test_<name>): the two may run at the same time.
        settings_dict["TEST"]["NAME"] = f"bench_{real_name}"
    print(f"database: {connection.vendor}; scratch database created for this run", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    results, review, committee = [], None, None
    try:
        if args.suite in ("all", "office"):
            results = run(args.repeat, lambda line: print(line, flush=True))
        if args.suite in ("all", "review"):
            review = run_review(args.repeat, lambda line: print(line, flush=True))
        if args.suite in ("all", "committee"):
            from benchmarks import committee_bench

            committee = committee_bench.run(args.repeat, lambda line: print(line, flush=True))
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)
    if results:
        report(results, print)
    if review is not None:
        from benchmarks import review_bench

        review_bench.report(*review, print)
    if committee is not None:
        from benchmarks import committee_bench

        committee_bench.report(committee, print)
    if served is not None:
        from benchmarks import server_bench

        server_bench.table(served[0], served[1], print)
    return 0


if __name__ == "__main__":
    sys.exit(main())

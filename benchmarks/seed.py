"""Builds the served benchmark's database and counts each page's queries, one request at a time.

Run by benchmarks/server_bench.py in a process of its own with the benchmark's environment
(production settings, its own database and Redis database):

    python -m benchmarks.seed OUT.json

It migrates the empty database, loads the five jurisdictions and builds, in Keqiao:
- an eligibility-stage cycle of 1,000 applications (nine in ten filed, a third of those declared
  eligible and a third ineligible, the rest waiting; one in ten a draft) for the office dashboard
  and list;
- a review cycle of 500 shortlisted applications scored by 12 groups of 5 reviewers on the 23
  criterion items at both stages (115,000 item scores, 23,000 consensus items), with stage totals
  every site report confirmed, and the comprehensive evaluation done (through the workflow), for the
  shortlist, evaluation and report pages and the report task.
The side effects the workflow queues on commit (receipt and letter PDFs, mail) are discarded: the
benchmark measures pages, not the worker. It writes the office's session cookie and, for every
page, the number of queries of each of three requests counted on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from awards import services  # noqa: E402
from awards.models import Application, AwardCycle, Organization  # noqa: E402
from awards.states import AppState  # noqa: E402
from awards.uscc import check_character  # noqa: E402
from benchmarks import review_bench  # noqa: E402
from jurisdictions.loading import load_all  # noqa: E402
from jurisdictions.models import Jurisdiction, Membership, Role  # noqa: E402
from reviews import ranking, scoring  # noqa: E402
from reviews.models import Stage  # noqa: E402

SLUG = "keqiao"
OFFICE_APPLICATIONS = 1000


def _uscc(n: int) -> str:
    body = f"91330621{n:09d}"
    return body + check_character(body)


def _discard_side_effects() -> None:
    """Drop what the workflow queued for commit (PDF and mail tasks): no worker is measured here."""
    connection.run_on_commit.clear()


def office_cycle(jurisdiction: Jurisdiction, office, year: int) -> AwardCycle:
    """Nine in ten filed (a third of those eligible, a third ineligible, the rest waiting), one in ten a draft.

    Written with bulk_create, as the office would find them after the filing period: building them one
    by one through the workflow would take a minute and measure the set-up, not the pages.
    """
    now = timezone.now()
    orgs = Organization.objects.bulk_create(
        Organization(jurisdiction=jurisdiction, name=f"基准测试{n:04d}有限公司", uscc=_uscc(n))
        for n in range(1, OFFICE_APPLICATIONS + 1)
    )
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office, interval_override_reason="benchmark",
        applications_open_at=now - dt.timedelta(days=10), applications_close_at=now + dt.timedelta(days=20),
    )
    cycle = services.publish_cycle(cycle, office)
    apps = []
    for index, org in enumerate(orgs):
        filed_at = now - dt.timedelta(minutes=len(orgs) - index)
        if index % 10 == 9:
            apps.append(Application(jurisdiction=jurisdiction, cycle=cycle, organization=org, category="quality",
                                    state=AppState.DRAFT))
            continue
        state = {1: AppState.ELIGIBLE, 2: AppState.INELIGIBLE}.get(index % 3, AppState.SUBMITTED)
        apps.append(Application(
            jurisdiction=jurisdiction, cycle=cycle, organization=org, category="quality", state=state,
            number=f"{SLUG.upper()}-{year}-{index + 1:04d}", submitted_at=filed_at,
            decided_at=filed_at if state != AppState.SUBMITTED else None,
            decision_reason="材料不全" if state == AppState.INELIGIBLE else "",
        ))
    Application.objects.bulk_create(apps, batch_size=1000)
    return cycle


def review_cycle(jurisdiction: Jurisdiction, office, year: int) -> AwardCycle:
    with transaction.atomic():
        reviewers = review_bench._reviewers(jurisdiction)
        orgs = Organization.objects.bulk_create(
            Organization(jurisdiction=jurisdiction, name=f"评审基准{n:04d}有限公司", uscc=_uscc(50_000 + n))
            for n in range(1, review_bench.APPLICATIONS + 1)
        )
        cycle = review_bench._cycle(jurisdiction, office, year)
        apps = review_bench._applications(cycle, orgs, AppState.SHORTLISTED)
        review_bench._scores(cycle, apps, review_bench._groups(cycle, reviewers), seed=2026)
        for stage in (Stage.DOCUMENT, Stage.SITE):
            review_bench._store_totals(stage, scoring.consensus_totals(cycle, stage), office)
        review_bench._site_visits(apps)
        ranking.comprehensive_evaluation(cycle, office)
        _discard_side_effects()
    return cycle


def count_queries(client: Client, path: str, headers: dict[str, str], times: int = 3) -> list[int]:
    """The queries of each of `times` requests after a warm-up one, every request counted on its own."""
    client.get(path, headers=headers)
    counts = []
    for _ in range(times):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers=headers)
        counts.append(len(captured.captured_queries))
        if response.status_code not in (200, 304):
            raise SystemExit(f"{path} answered {response.status_code}")
    return counts


@scopes_disabled()  # builds its data directly; the pages run scoped by TenantMiddleware
def main(out_path: str, pages_path: str | None = None) -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    cache.clear()  # the run's own Redis database: no page or queue left from an earlier run
    load_all()
    jurisdiction = Jurisdiction.objects.get(slug=SLUG)
    users = get_user_model().objects
    office = users.create_user("bench-office", password=None, first_name="基准", last_name="办公室")
    applicant = users.create_user("bench-applicant", password=None)
    Membership.objects.create(user=office, jurisdiction=jurisdiction, role=Role.OFFICE)
    Membership.objects.create(user=applicant, jurisdiction=jurisdiction, role=Role.APPLICANT)
    this_year = timezone.localdate().year
    office_year, review_year = this_year + 10, this_year + 40
    office_cycle(jurisdiction, office, office_year)
    print(f"  built {OFFICE_APPLICATIONS} applications in {time.perf_counter() - started:.0f} s", flush=True)
    cycle = review_cycle(jurisdiction, office, review_year)
    print(f"  built the review cycle ({review_bench.APPLICATIONS} applications) "
          f"in {time.perf_counter() - started:.0f} s in all", flush=True)

    setup_test_environment()
    client = Client()
    client.force_login(office)
    result: dict[str, Any] = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "office_year": office_year,
        "review_year": review_year,
        "review_cycle_id": cycle.pk,
        "queries": {},
    }
    if pages_path:
        with open(pages_path, encoding="utf-8") as fh:
            pages = json.load(fh)
        for page in pages:
            path = page["path"].format(**result)
            page_client = client if page.get("signed_in") else Client()
            result["queries"][page["name"]] = count_queries(page_client, path, page.get("headers", {}))
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    main(*sys.argv[1:3])

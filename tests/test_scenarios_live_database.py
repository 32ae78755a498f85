"""run_scenario on a database in use: the demo data of `make run`, rows that collide with the scenario's.

A what-if run must give the same result whatever the database holds, and leave it as it found it:
no row, no uploaded file, no mail, no queued task.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from awards import services
from awards.models import AwardCycle, Organization
from tests.test_scenarios import SCENARIOS, outcome_of, run_file

KEQIAO = Path(__file__).parent / "scenarios" / "keqiao_eligibility.json"


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def expected_of(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_every_scenario_gives_its_expected_output_on_the_demo_database(loaded, settings, tmp_path):
    settings.DEBUG = True  # seed_demo refuses to run otherwise (its password is public)
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    # The demo holds a cycle of this year and of the last in every jurisdiction, as `make run` leaves it.
    this_year = timezone.localdate().year
    assert set(AwardCycle.objects.filter(jurisdiction=loaded["keqiao"]).values_list("year", flat=True)) >= {this_year}
    before, files_before = row_counts(), files_under(tmp_path)

    assert {path.stem: outcome_of(path) for path in SCENARIOS} == {path.stem: expected_of(path) for path in SCENARIOS}
    assert row_counts() == before
    assert files_under(tmp_path) == files_before


@pytest.mark.django_db(transaction=True)
def test_a_run_over_committed_rows_that_collide_leaves_no_trace(loaded, settings, tmp_path):
    """A live cycle of the scenario's year, an organisation with a scenario applicant's code, a user with
    the run's office username: all committed, as on a production database."""
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    keqiao = loaded["keqiao"]
    office = get_user_model().objects.create(username="scenario-office-keqiao")
    live_cycle = services.create_cycle(
        keqiao, year=2026, actor=office,
        applications_open_at=timezone.make_aware(dt.datetime(2026, 3, 1, 9)),
        applications_close_at=timezone.make_aware(dt.datetime(2026, 5, 31, 17)),
    )
    live_org = Organization.objects.create(jurisdiction=keqiao, name="柯桥某纺织有限公司", uscc="91330621MA2XXXXXXX")
    before = row_counts()
    mail.outbox = []

    result = run_file(KEQIAO)

    assert result == expected_of(KEQIAO)
    assert row_counts() == before
    assert files_under(tmp_path) == []
    assert mail.outbox == []
    live_cycle.refresh_from_db()
    live_org.refresh_from_db()
    assert (live_cycle.year, live_org.uscc) == (2026, "91330621MA2XXXXXXX")
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["scenario-office-keqiao"]

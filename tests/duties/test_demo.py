"""The demo's duties: rows for a completed edition's winners, one report received and one overdue,
and a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from awards.states import AppState
from duties import summaries
from duties.models import SelfAssessmentDuty, SelfAssessmentReport
from orchestration.demo_duties import seed_duties
from tests.duties.builders import winner

pytestmark = pytest.mark.django_db


def test_seed_duties_makes_one_received_and_one_overdue_and_is_idempotent(loaded):
    app, _office, _user = winner(loaded["binjiang"], 2)
    cycle = app.cycle
    SelfAssessmentDuty.objects.filter(application__cycle=cycle).delete()
    first_due = dt.date(cycle.year + 1, 2, 28)
    today = first_due + dt.timedelta(days=10)
    assert seed_duties(cycle, today=today) == 10
    first, second = cycle.applications.filter(state=AppState.AWARDED).order_by("pk")
    received = SelfAssessmentReport.objects.get()
    assert received.duty.application == second and not received.late
    assert summaries.office_duties(loaded["binjiang"], today=today).overdue_reports == 1
    assert not SelfAssessmentDuty.objects.get(application=first, year=cycle.year + 1).reports.exists()
    assert seed_duties(cycle, today=today) == 0
    assert SelfAssessmentReport.objects.count() == 1

"""Builders for the duties tests: a winner awarded through the real approval, with its duty rows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from awards.models import ApplicationEvent
from awards.states import AppState
from duties import self_assessment
from tests.honours.builders import approve, awaiting_approval


def winner(jurisdiction, n: int = 1, *, awarded_at: dt.datetime | None = None):
    """(app, office, winner's user) of an application awarded through the approval; its yearly
    report duties made as the on-award hook makes them. `awarded_at` moves the award's moment."""
    cycle, office, apps, _notice = awaiting_approval(jurisdiction, n)
    approve(cycle, office)
    app = apps[0]
    app.refresh_from_db()
    assert app.state == AppState.AWARDED
    if awarded_at is not None:
        ApplicationEvent.objects.filter(application=app, to_state=AppState.AWARDED).update(at=awarded_at)
    self_assessment.ensure_duties(app.pk)
    return app, office, app.organization.users.get()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

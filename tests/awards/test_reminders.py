"""Close reminders: 7 and 1 days before the close, to unsubmitted drafts only, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from awards import services
from awards.models import ReminderSent
from awards.reminders import due_reminder, send_close_reminders
from tests.awards.builders import organization, published_cycle, ready_draft

pytestmark = pytest.mark.django_db


def test_which_reminder_is_due():
    close = dt.datetime(2026, 5, 31, 17, tzinfo=dt.UTC)
    assert due_reminder(close, close - dt.timedelta(days=8)) is None
    assert due_reminder(close, close - dt.timedelta(days=7)) == 7
    assert due_reminder(close, close - dt.timedelta(days=2)) == 7
    assert due_reminder(close, close - dt.timedelta(hours=23)) == 1
    assert due_reminder(close, close) is None


def test_drafts_get_each_reminder_once(loaded, cast, django_capture_on_commit_callbacks):
    keqiao = loaded["keqiao"]
    cycle = published_cycle(keqiao, cast["office"], closes_in_days=30)
    draft = ready_draft(cycle, organization(keqiao, user=cast["applicant"]), cast["applicant"])
    other = make_submitted(cycle, keqiao)
    close = cycle.applications_close_at

    with django_capture_on_commit_callbacks(execute=True):
        assert send_close_reminders(now=close - dt.timedelta(days=10)) == 0
        assert send_close_reminders(now=close - dt.timedelta(days=6)) == 1
        assert send_close_reminders(now=close - dt.timedelta(days=5)) == 0  # the 7-day one is sent
        assert send_close_reminders(now=close - dt.timedelta(hours=20)) == 1
        assert send_close_reminders(now=close - dt.timedelta(hours=19)) == 0
    assert [m.to for m in mail.outbox] == [[cast["applicant"].email]] * 2
    assert "7天后截止" in mail.outbox[0].subject and "1天后截止" in mail.outbox[1].subject
    assert sorted(ReminderSent.objects.filter(application=draft).values_list("days_before", flat=True)) == [1, 7]
    assert not ReminderSent.objects.filter(application=other).exists()


def make_submitted(cycle, jurisdiction):
    from tests.conftest import make_user

    user = make_user("kq-submitter")
    app = ready_draft(cycle, organization(jurisdiction, user=user), user)
    return services.submit(app, user)

"""Celery tasks of the winners' duties: thin, safe to run twice (the rows they make are unique)."""

from __future__ import annotations

from celery import shared_task

from . import reminders, self_assessment


@shared_task
def ensure_duties_task(application_id: int) -> int:
    return self_assessment.ensure_duties(application_id)


@shared_task
def ensure_all_duties_task() -> int:
    """Daily: duty rows for winners awarded before (or without) the on-award hook."""
    return self_assessment.ensure_all_duties()


@shared_task
def send_self_assessment_reminders_task() -> int:
    """Daily: reminders before each due date and once when a report becomes overdue."""
    return reminders.send_reminders()

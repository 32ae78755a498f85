"""Thin Celery tasks of the review stage."""

from __future__ import annotations

from celery import shared_task

from . import site


@shared_task
def send_site_report_reminders_task() -> int:
    return site.send_report_reminders()

"""Thin Celery tasks of the review stage: take ids, re-fetch, call domain code; safe to run twice."""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.db import transaction

from awards.models import Application

from . import documents, site


@shared_task
def send_site_report_reminders_task() -> int:
    return site.send_report_reminders()


@shared_task
def render_review_document_task(application_id: int, kind: str) -> bool:
    app = Application.objects.select_related("cycle__profile__criteria", "jurisdiction", "organization").filter(
        pk=application_id
    ).first()
    if app is None:
        return False
    return documents.BUILDERS[kind](app) is not None


def queue_feedback_reports(application_ids: Iterable[int]) -> None:
    """Render the feedback reports once the shortlist decision is committed (never for a rolled-back one)."""
    for pk in application_ids:
        transaction.on_commit(
            lambda pk=pk: render_review_document_task.delay(pk, documents.Kind.FEEDBACK_REPORT)
        )

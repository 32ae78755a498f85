"""Thin Celery tasks: take ids, re-fetch, call domain code; safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from . import documents, reminders, services
from .models import Application
from .states import AppState
from .workflow import on_enter


@shared_task
def render_document_task(application_id: int, kind: str) -> bool:
    # A task is handed an id, not a tenant: it finds the application with scopes disabled, then
    # builds the document inside that application's tenant scope.
    with scopes_disabled():
        app = Application.objects.select_related("cycle__profile", "jurisdiction", "organization").filter(
            pk=application_id
        ).first()
    if app is None:
        return False
    with scope(jurisdiction=app.jurisdiction):
        return documents.BUILDERS[kind](app) is not None


@shared_task
def send_close_reminders_task() -> int:
    # Beat sweeps go through every jurisdiction's cycles.
    with scopes_disabled():
        return reminders.send_close_reminders()


@shared_task
def start_due_reviews_task() -> int:
    with scopes_disabled():
        return services.start_due_reviews()


@on_enter(AppState.SUBMITTED)
def _queue_receipt(application_id: int) -> None:
    render_document_task.delay(application_id, documents.Kind.RECEIPT)


@on_enter(AppState.INELIGIBLE)
def _queue_letter(application_id: int) -> None:
    render_document_task.delay(application_id, documents.Kind.INELIGIBLE_LETTER)

"""Thin Celery tasks of the review stage: take ids, re-fetch, call domain code; safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from awards.models import Application
from awards.states import AppState
from awards.workflow import on_enter

from . import documents, site


@shared_task
def send_site_report_reminders_task() -> int:
    # Beat sweeps go through every jurisdiction's site visits.
    with scopes_disabled():
        return site.send_report_reminders()


@shared_task
def render_review_document_task(application_id: int, kind: str) -> bool:
    # Found by id with scopes disabled, built inside the application's tenant scope.
    with scopes_disabled():
        app = Application.objects.select_related("cycle__profile__criteria", "jurisdiction", "organization").filter(
            pk=application_id
        ).first()
    if app is None:
        return False
    with scope(jurisdiction=app.jurisdiction):
        return documents.BUILDERS[kind](app) is not None


@on_enter(AppState.NOT_SHORTLISTED)
def _queue_feedback_report(application_id: int) -> None:
    """Written feedback to an applicant left out of site review, where the profile gives it; runs
    on commit of the shortlist decision, whoever made it (office page, run_scenario)."""
    app = Application.objects.select_related("cycle__profile").filter(pk=application_id).first()
    if app is None or not app.cycle.profile.typed.review.feedback_to_not_shortlisted.value:
        return
    render_review_document_task.delay(application_id, documents.Kind.FEEDBACK_REPORT)

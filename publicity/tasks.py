"""Publicity tasks: take ids, re-fetch, return quietly if the row is gone; safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from . import documents, held_files, notices, objections
from .models import Notice, Objection


@shared_task
def render_notice_pdf_task(notice_id: int) -> bool:
    with scopes_disabled():
        notice = Notice.objects.select_related("cycle__profile", "jurisdiction").filter(pk=notice_id).first()
    if notice is None:
        return False
    with scope(jurisdiction=notice.jurisdiction):
        documents.build_notice_pdf(notice)
    return True


@shared_task
def render_letter_task(objection_id: int, kind: str) -> bool:
    with scopes_disabled():
        objection = Objection.objects.select_related("notice__cycle__profile", "jurisdiction", "entry").filter(
            pk=objection_id).first()
    if objection is None:
        return False
    with scope(jurisdiction=objection.jurisdiction):
        return documents.build_letter(objection, kind) is not None


@shared_task
def end_due_notices_task() -> int:
    """Beat: notices whose end has passed move their cycle on to approval (idempotent)."""
    with scopes_disabled():
        return notices.end_due_notices()


@shared_task
def apply_deemed_outcomes_task() -> int:
    """Beat: deemed admission / withdrawal for missed deadlines for evidence (idempotent)."""
    with scopes_disabled():
        return objections.apply_due_deemed_outcomes()


@shared_task
def purge_held_files_task() -> int:
    """Beat: remove the files kept for objection forms that were never sent again (idempotent)."""
    with scopes_disabled():
        return held_files.purge()

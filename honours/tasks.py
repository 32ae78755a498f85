"""Thin Celery tasks: take ids, call domain code; safe to run twice or on two workers at once."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from awards.models import Application, AwardCycle
from awards.states import AppState

from . import approval, certificates


@shared_task(bind=True, max_retries=3, default_retry_delay=10)
def issue_certificate_task(self, application_id: int) -> bool:
    with scopes_disabled():
        app = Application.objects.select_related("jurisdiction").filter(pk=application_id).first()
    if app is None:
        return False
    with scope(jurisdiction=app.jurisdiction):
        try:
            return certificates.issue(application_id) is not None
        except Exception as exc:
            # Shown to the office (with a regenerate button) at once; retried meanwhile.
            certificates.record_failure(application_id, f"{type(exc).__name__}: {exc}")
            if self.request.called_directly or self.request.is_eager or self.request.retries >= self.max_retries:
                return False
            raise self.retry(exc=exc) from None


@shared_task
def generate_cycle_certificates_task(cycle_id: int) -> int:
    with scopes_disabled():
        cycle = AwardCycle.objects.filter(pk=cycle_id).first()
        if cycle is None:
            return 0
        ids = list(cycle.applications.filter(state=AppState.AWARDED).order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        issue_certificate_task.delay(pk)
    return len(ids)


@shared_task
def notify_outcomes_task(cycle_id: int) -> int:
    with scopes_disabled():
        return approval.notify_outcomes(cycle_id)

"""The comprehensive evaluation report, built by the worker: takes ids, re-fetches, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope, scopes_disabled

from awards.models import AwardCycle

from . import report_files


@shared_task
def build_comprehensive_report_task(cycle_id: int, kind: str) -> bool:
    with scopes_disabled():
        cycle = AwardCycle.objects.select_related("jurisdiction", "profile__criteria").filter(pk=cycle_id).first()
    if cycle is None:
        report_files.clear_progress(cycle_id, kind)
        return False
    try:
        with scope(jurisdiction=cycle.jurisdiction):
            report_files.build(cycle, report_files.Kind(kind))
    except Exception:
        report_files.set_progress(cycle_id, kind, "failed", 0)
        raise
    else:
        report_files.clear_progress(cycle_id, kind)
    finally:
        report_files.release_memory()
    return True


def queue_report(cycle: AwardCycle, kind: report_files.Kind) -> None:
    """Queue the build unless one is already queued or running for this cycle and kind."""
    under_way = report_files.progress(cycle, kind)
    if under_way and under_way["state"] in ("queued", "running"):
        return
    report_files.set_progress(cycle.pk, kind, "queued", 0)
    build_comprehensive_report_task.delay(cycle.pk, str(kind))

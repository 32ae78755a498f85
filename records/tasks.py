"""Thin Celery tasks: take ids, call domain code; safe to run twice or on two workers at once."""

from __future__ import annotations

from celery import shared_task

from . import exports


@shared_task
def export_archive_task(export_id: int) -> bool:
    try:
        return exports.run(export_id)
    except Exception:
        # The failure is on the export's row for the office (who may ask again); nothing to retry blindly.
        return False

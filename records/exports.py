"""Exporting a cycle's archive: the office asks, a Celery task builds the zip into a stored file."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from awards.models import AwardCycle

from . import archive
from .models import ArchiveExport

# A build that started this long ago and never finished belongs to a worker that died: take it over.
STALE = dt.timedelta(hours=1)


def request_export(cycle: AwardCycle, actor: User) -> ArchiveExport:
    """Queue an export; one already waiting or running is the one the office gets (a double click)."""
    from .tasks import export_archive_task

    with transaction.atomic():
        AwardCycle.objects.select_for_update().filter(pk=cycle.pk).first()
        waiting = ArchiveExport.objects.filter(
            cycle=cycle, state__in=[ArchiveExport.State.PENDING, ArchiveExport.State.RUNNING]).first()
        if waiting is not None:
            return waiting
        export = ArchiveExport.objects.create(jurisdiction_id=cycle.jurisdiction_id, cycle=cycle, requested_by=actor,
                                              requested_at=timezone.now())
        transaction.on_commit(partial(export_archive_task.delay, export.pk))
    return export


def run(export_id: int, now: dt.datetime | None = None) -> bool:
    """Build one export. Claimed by a conditional UPDATE, so two workers (or a retry) build it once;
    an export already made is left as it is."""
    now = now or timezone.now()
    with scopes_disabled():
        claimed = ArchiveExport.objects.filter(
            Q(state__in=[ArchiveExport.State.PENDING, ArchiveExport.State.FAILED])
            | Q(state=ArchiveExport.State.RUNNING, requested_at__lt=now - STALE), pk=export_id,
        ).update(state=ArchiveExport.State.RUNNING, error="")
        if not claimed:
            return False
        export = ArchiveExport.objects.select_related("cycle__jurisdiction", "cycle__profile", "requested_by").get(
            pk=export_id)
        try:
            # The archive is a record: in Chinese whatever language the office reads.
            with translation.override("zh-hans"):
                data, counts = archive.build(export.cycle, export.requested_by, now)
        except Exception as exc:
            ArchiveExport.objects.filter(pk=export_id).update(state=ArchiveExport.State.FAILED,
                                                              error=f"{type(exc).__name__}: {exc}"[:2000])
            raise
        export.file.save("archive.zip", ContentFile(data), save=False)
        export.size = len(data)
        export.sha256 = hashlib.sha256(data).hexdigest()
        export.counts = counts
        export.state = ArchiveExport.State.READY
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "size", "sha256", "counts", "state", "finished_at"])
    return True

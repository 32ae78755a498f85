"""The comprehensive evaluation report as files: built once per state of the evaluation, off the request.

A report (Excel or PDF) is stored under a name made of the cycle and a fingerprint of its
evaluation (how many Evaluation rows, the newest id, the latest evaluation time), so a finished file
is served again until the evaluation changes, and a re-evaluation makes a new one. Building writes
a temporary file and renames it into place: two builds of the same report at once (a task run twice)
leave one whole file. Progress is kept in the cache for the office's page to poll. The names carry
ids only: no company name reaches the file system.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from awards.models import AwardCycle

from .models import Evaluation

PROGRESS_TIMEOUT = 3600


class Kind(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"


@dataclass
class StoredReport:
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def fingerprint(cycle: AwardCycle) -> str:
    found = Evaluation.objects.filter(application__cycle=cycle).aggregate(
        n=Count("pk"), newest=Max("pk"), at=Max("evaluated_at"))
    at = found["at"].strftime("%Y%m%d%H%M%S%f") if found["at"] else "0"
    return f"{found['n']}-{found['newest'] or 0}-{at}"


def _path(cycle: AwardCycle, kind: Kind, mark: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / str(cycle.jurisdiction_id) / str(cycle.pk) / f"comprehensive-{mark}.{kind}"


def stored(cycle: AwardCycle, kind: Kind) -> StoredReport | None:
    """The finished report for the evaluation as it stands, if it has been built."""
    path = _path(cycle, kind, fingerprint(cycle))
    return StoredReport(path) if path.exists() else None


def _progress_key(cycle_id: int, kind: str) -> str:
    return f"report-progress:{cycle_id}:{kind}"


def progress(cycle: AwardCycle, kind: Kind) -> dict | None:
    """{"state": queued | running | failed, "percent": 0–100}, or None when nothing is under way."""
    return cache.get(_progress_key(cycle.pk, kind))


def set_progress(cycle_id: int, kind: str, state: str, percent: int) -> None:
    cache.set(_progress_key(cycle_id, kind), {"state": state, "percent": percent}, PROGRESS_TIMEOUT)


def clear_progress(cycle_id: int, kind: str) -> None:
    cache.delete(_progress_key(cycle_id, kind))


def _write(cycle: AwardCycle, kind: Kind, out: IO[bytes], step: Callable[[float], None]) -> None:
    if kind == Kind.XLSX:
        from .export_xlsx import write_comprehensive_workbook

        # Straight into the file: the workbook of 500 applications is never held whole in memory.
        write_comprehensive_workbook(cycle, out, progress=step)
        return
    from .documents import comprehensive_report_pdf

    step(0.2)
    out.write(comprehensive_report_pdf(cycle))


def build(cycle: AwardCycle, kind: Kind) -> StoredReport:
    """The report for the evaluation as it stands: the stored file, or built now and stored."""
    kind = Kind(kind)
    mark = fingerprint(cycle)
    path = _path(cycle, kind, mark)
    if path.exists():
        return StoredReport(path)

    def step(share: float) -> None:
        set_progress(cycle.pk, kind, "running", max(1, min(99, round(share * 100))))

    step(0.01)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-")
    try:
        with os.fdopen(handle, "wb") as fh:
            _write(cycle, kind, fh, step)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    os.replace(temporary, path)
    for old in path.parent.glob(f"comprehensive-*.{kind}"):
        if old != path:
            old.unlink(missing_ok=True)  # reports of an earlier evaluation
    return StoredReport(path)


def release_memory() -> None:
    """Give the memory a large report took back to the system, so a worker does not keep it."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)

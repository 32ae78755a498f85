"""The documents, rendered from the real templates in the served benchmark's database.

    python -m benchmarks.report_bench OUT.json      (run by benchmarks/server_bench.py)

In a process of its own, as a Celery worker would run them, with production settings:
- the receipt (pdf/receipt.html) and the ineligibility letter (pdf/ineligible_letter.html) of
  applications of the 1,000-application cycle, each with another company name, median of three,
  after one warm-up document;
- the comprehensive evaluation report of the 500-application review cycle as Excel and as PDF
  (pdf/comprehensive_report.html), through the same builder the report task calls;
- the process's resident memory before, at its peak, and after the report; and what the worker
  keeps: that same figure when it is under CELERY_WORKER_MAX_MEMORY_PER_CHILD, otherwise (Celery
  replaces a child that grew past it once its task is done) the memory of a fresh child, measured
  in a new process that loads what a worker child loads.
Writes the figures as JSON. The report files go to a scratch media folder (DJANGO_MEDIA_ROOT).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from awards import documents  # noqa: E402
from awards.models import Application, AwardCycle  # noqa: E402
from awards.states import AppState  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, *args) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def _pdf_documents(cycle: AwardCycle) -> dict:
    figures = {}
    apps = Application.objects.filter(cycle=cycle).select_related("cycle__profile", "jurisdiction", "organization")
    for kind, state, builder in (
        ("receipt", AppState.SUBMITTED, documents.build_receipt),
        ("ineligibility letter", AppState.INELIGIBLE, documents.build_ineligible_letter),
    ):
        chosen = list(apps.filter(state=state).order_by("pk")[:4])
        builder(chosen[0])  # warm-up: fonts, templates
        times, size = [], 0
        for app in chosen[1:]:
            seconds, doc = _timed(builder, app)
            times.append(seconds)
            size = len(doc.pdf)
        figures[kind] = {"seconds": statistics.median(times), "bytes": size}
    return figures


_FRESH_CHILD = (
    "import os, django; django.setup(); "
    "import reviews.report_tasks, reviews.export_xlsx, reviews.documents, awards.pdf, weasyprint; "
    "print(int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE'))"
)


def fresh_child_mb() -> float:
    """The resident memory of a new process that has loaded the report's task and its libraries."""
    done = subprocess.run([sys.executable, "-c", _FRESH_CHILD], capture_output=True, text=True, check=True,
                          env=os.environ.copy())
    return int(done.stdout.strip().splitlines()[-1]) / 2**20


def _report(cycle: AwardCycle) -> dict:
    from reviews import report_files

    shutil.rmtree(Path(settings.MEDIA_ROOT) / "reports", ignore_errors=True)  # built now, not found stored
    figures: dict[str, Any] = {"rss_before_mb": rss_mb()}
    for kind in (report_files.Kind.XLSX, report_files.Kind.PDF):
        seconds, stored = _timed(report_files.build, cycle, kind)
        figures[kind] = {"seconds": seconds, "bytes": stored.size}
    figures["peak_mb"] = peak_mb()
    report_files.release_memory()
    figures["rss_after_mb"] = rss_mb()
    limit_mb = settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD / 1024
    figures["limit_mb"] = limit_mb
    figures["replaced"] = figures["rss_after_mb"] > limit_mb
    figures["worker_kept_mb"] = fresh_child_mb() if figures["replaced"] else figures["rss_after_mb"]
    return figures


@scopes_disabled()
def main(out_path: str, seeded_path: str) -> None:
    with open(seeded_path, encoding="utf-8") as fh:
        seeded = json.load(fh)
    office = AwardCycle.objects.select_related("jurisdiction").get(jurisdiction__slug="keqiao",
                                                                   year=seeded["office_year"])
    review = AwardCycle.objects.select_related("jurisdiction", "profile__criteria").get(pk=seeded["review_cycle_id"])
    gc.collect()
    with scope(jurisdiction=office.jurisdiction):
        result = {"documents": _pdf_documents(office), "report": _report(review)}
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    report = result["report"]
    for kind in ("xlsx", "pdf"):
        print(f"  comprehensive report ({kind}): {report[kind]['seconds']:.2f} s, {report[kind]['bytes'] / 1024:.0f} KiB")
    print(f"  worker memory: {report['rss_before_mb']:.0f} MB before the report, peak {report['peak_mb']:.0f} MB, "
          f"{report['rss_after_mb']:.0f} MB after; "
          + (f"above the {report['limit_mb']:.0f} MB limit, so the child is replaced: the worker keeps a fresh "
             f"child of {report['worker_kept_mb']:.0f} MB" if report["replaced"]
             else f"under the {report['limit_mb']:.0f} MB limit: the worker keeps {report['worker_kept_mb']:.0f} MB"),
          flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])

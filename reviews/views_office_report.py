"""The comprehensive evaluation report downloads: built by the worker, with a progress bar meanwhile.

A request for the report serves the stored file when the evaluation has not changed since it was
built; otherwise it queues the build (reviews/report_tasks.py) and answers a page whose progress
bar polls the status fragment (htmx, no script of its own) until the download is ready.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jurisdictions.access import role_required
from jurisdictions.confidential import attachment_disposition, confidential
from jurisdictions.models import Role
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import report_files
from .models import Evaluation
from .report_tasks import queue_report
from .views_office import review_cycle

CONTENT_TYPES = {
    report_files.Kind.PDF: "application/pdf",
    report_files.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _kind(kind: str) -> report_files.Kind:
    try:
        return report_files.Kind(kind)
    except ValueError:
        raise Http404(_("没有这种格式的综合评价报告。")) from None


def _file_response(cycle, kind: report_files.Kind, done: report_files.StoredReport) -> HttpResponse:
    filename = _("%(year)s年度综合评价报告.%(ext)s") % {"year": cycle.year, "ext": kind.value}
    response = HttpResponse(done.path.read_bytes(), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = attachment_disposition(filename)
    return confidential(response)


def _status(request: SignedInRequest, cycle, kind: report_files.Kind) -> dict:
    under_way = report_files.progress(cycle, kind)
    return {
        "cycle": cycle,
        "kind": kind,
        "label": _("PDF") if kind == report_files.Kind.PDF else _("Excel"),
        "ready": report_files.stored(cycle, kind) is not None,
        "failed": bool(under_way and under_way["state"] == "failed"),
        "percent": under_way["percent"] if under_way else 0,
        "download_url": tenant_url(request, f"office-review-report-{kind.value}", year=cycle.year),
        "status_url": tenant_url(request, "office-review-report-progress", year=cycle.year, kind=kind.value),
    }


def _report(request: SignedInRequest, year: int, kind: report_files.Kind) -> HttpResponse:
    cycle = review_cycle(request, year)
    if not scoped(request, Evaluation).filter(application__cycle=cycle).exists():
        messages.warning(request, _("尚未进行综合评价，还没有综合评价报告。"))
        return redirect(tenant_url(request, "office-review-evaluation", year=cycle.year))
    done = report_files.stored(cycle, kind)
    if done is None:
        queue_report(cycle, kind)
        # Where tasks run in-process (no worker: the demo), the file is there already.
        done = report_files.stored(cycle, kind)
    if done is not None:
        return _file_response(cycle, kind, done)
    return render(request, "reviews/office/report_progress.html", _status(request, cycle, kind))


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def report_pdf(request: SignedInRequest, year: int) -> HttpResponse:
    return _report(request, year, report_files.Kind.PDF)


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def report_xlsx(request: SignedInRequest, year: int) -> HttpResponse:
    return _report(request, year, report_files.Kind.XLSX)


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def report_progress(request: SignedInRequest, year: int, kind: str) -> HttpResponse:
    cycle = review_cycle(request, year)
    return render(request, "reviews/office/_report_progress.html", _status(request, cycle, _kind(kind)))

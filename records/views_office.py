"""The office's records page: each cycle's retention and its archive export; staff conflicts."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.models import AwardCycle, Organization
from awards.refusals import accepted
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential, confidential_file
from jurisdictions.models import Role
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import exports, retention, staff_conflicts
from .forms_office import StaffConflictForm
from .models import ArchiveExport, StaffConflict


def _page(request: SignedInRequest, conflict_form: StaffConflictForm | None = None, status: int = 200) -> HttpResponse:
    cycles = list(scoped(request, AwardCycle).select_related("profile").order_by("-year"))
    latest: dict[int, ArchiveExport] = {}
    for export in scoped(request, ArchiveExport).filter(cycle__in=cycles).order_by("requested_at", "pk"):
        latest[export.cycle_id] = export
    rows = [{"cycle": c, "retention": retention.line(c), "export": latest.get(c.pk)} for c in cycles]
    busy = any(e.state in (ArchiveExport.State.PENDING, ArchiveExport.State.RUNNING) for e in latest.values())
    rule = staff_conflicts.recusal_rule(request.jurisdiction)
    organizations = list(scoped(request, Organization).order_by("name"))
    if rule is not None and conflict_form is None:
        conflict_form = StaffConflictForm(prefix="conflict", organizations=organizations)
    declarations = list(scoped(request, StaffConflict).select_related("staff", "organization"))
    return confidential(render(request, "records/office/records.html", {
        "rows": rows, "recusal_rule": rule, "recusal_cite": rule.cite if rule else "",
        "conflict_form": conflict_form, "declarations": declarations, "busy": busy}, status=status))


@role_required(Role.OFFICE)
def records_page(request: SignedInRequest) -> HttpResponse:
    return _page(request)


@role_required(Role.OFFICE)
@require_POST
def export_cycle(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = get_scoped_or_404(request, AwardCycle, pk=cycle_id)
    exports.request_export(cycle, request.user)
    return redirect(tenant_url(request, "office-records") + f"#cycle-{cycle.pk}")


@role_required(Role.OFFICE)
def export_download(request: SignedInRequest, export_id: int) -> FileResponse:
    export = scoped(request, ArchiveExport).select_related("cycle").filter(
        pk=export_id, state=ArchiveExport.State.READY).first()
    if export is None or not export.file:
        raise Http404
    name = _("评审档案-%(slug)s-%(year)s.zip") % {"slug": request.jurisdiction.slug, "year": export.cycle.year}
    return confidential_file(export.file, name, "application/zip")


@role_required(Role.OFFICE)
@require_POST
def declare_conflict(request: SignedInRequest) -> HttpResponse:
    if staff_conflicts.recusal_rule(request.jurisdiction) is None:
        raise Http404
    organizations = list(scoped(request, Organization).order_by("name"))
    form = StaffConflictForm(request.POST, prefix="conflict", organizations=organizations)

    def declare() -> None:
        org = get_scoped_or_404(request, Organization, pk=form.cleaned_data["organization"])
        staff_conflicts.declare(request.jurisdiction, request.user, org, kind=form.cleaned_data["kind"],
                                note=form.cleaned_data["note"])
    if accepted(form, declare):
        return redirect(tenant_url(request, "office-records") + "#staff-conflicts")
    return _page(request, conflict_form=form, status=400)

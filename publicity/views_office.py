"""The office's publicity pages: publishing the notice, and handling each objection step by step.

The objector's name and contact are shown to office staff; the full ID card number only to the
member of staff handling the objection (who takes it in hand), masked to everyone else."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from awards.models import AwardCycle
from awards.refusals import ServiceError, accepted
from awards.states import AppState, CycleState
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential, confidential_file
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import documents, identity, notices, objections
from .forms_office import (
    AcceptanceForm,
    EvidenceForm,
    InvestigationForm,
    OutcomeForm,
    PublishForm,
    ReportForm,
)
from .models import Notice, Objection, ObjectionFile
from .notices import is_running, last_day_label


@role_required(Role.OFFICE)
def workbench(request: SignedInRequest) -> HttpResponse:
    now = timezone.now()
    ready = [c for c in scoped(request, AwardCycle).filter(state=CycleState.REVIEW).order_by("-year")
             if c.applications.filter(state=AppState.PROPOSED).exists()]
    form = PublishForm(request.POST or None)
    cycle = None
    if request.method == "POST":
        cycle = get_scoped_or_404(request, AwardCycle, pk=request.POST.get("cycle") or 0)
        if accepted(form, lambda: notices.publish_notice(cycle, request.user, contact=form.cleaned_data["contact"],
                                                         remarks=form.cleaned_data.get("remarks", ""))):
            return redirect(tenant_url(request, "office-publicity"))
    ready_rows = [{"cycle": c, "proposed": notices.proposed_of(c),
                   "window": notices.period_window(c.jurisdiction, c.profile.typed, now),
                   "period": c.profile.typed.publicity.period} for c in ready]
    open_objections = list(scoped(request, Objection).filter(state__in=[Objection.State.RECEIVED, Objection.State.ACCEPTED])
                           .select_related("entry").order_by("acceptance_due_at"))
    rows = [{"objection": o, "due": (last_day_label(o.acceptance_due_at) if o.state == Objection.State.RECEIVED
                                     else last_day_label(o.candidate_due_at) if o.candidate_due_at else ""),
             "overdue": o.state == Objection.State.RECEIVED and now >= o.acceptance_due_at} for o in open_objections]
    notice_rows = [{"notice": n, "running": is_running(n, now), "ends_label": last_day_label(n.ends_at),
                    "objections": n.objections.count()}
                   for n in scoped(request, Notice).select_related("cycle").order_by("-starts_at")]
    return confidential(render(request, "publicity/office/workbench.html", {
        "ready": ready_rows, "form": form, "posted_cycle": cycle, "objections": rows, "notices": notice_rows}))


ACTIONS = {"accept": AcceptanceForm, "investigate": InvestigationForm, "evidence": EvidenceForm,
           "report": ReportForm, "outcome": OutcomeForm}


def _perform(action: str, form, objection: Objection, request: SignedInRequest) -> None:
    data, user = form.cleaned_data, request.user
    if action == "accept":
        objections.decide_acceptance(objection, user, accept=data["decision"] == "accept", reason=data.get("reason", ""),
                                     seal_confirmed=bool(data.get("seal_confirmed")))
    elif action == "investigate":
        names = [line for line in data["investigators"].splitlines() if line.strip()]
        objections.assign_investigation(objection, user, investigators=names, candidate_due=data.get("candidate_due"),
                                        objector_due=data.get("objector_due"))
    elif action == "evidence":
        objections.record_evidence(objection, user, party=data["party"], note=data.get("note", ""),
                                   files=[data["file"]] if data.get("file") else [])
    elif action == "report":
        objections.record_report(objection, user, report=data["report"])
    elif action == "outcome":
        objections.decide_outcome(objection, user, upheld=data["outcome"] == "upheld", reason=data["reason"])


@sensitive_variables("id_number")
@role_required(Role.OFFICE)
def objection_page(request: SignedInRequest, objection_id: int) -> HttpResponse:
    objection = get_scoped_or_404(request, Objection, pk=objection_id)
    forms = {name: cls(prefix=name) for name, cls in ACTIONS.items()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "take":
            try:
                objections.take(objection, request.user)
            except ServiceError:
                raise Http404 from None
            return redirect(tenant_url(request, "office-objection", objection_id=objection.pk))
        if action not in ACTIONS:
            raise Http404
        form = ACTIONS[action](request.POST, request.FILES, prefix=action)
        forms[action] = form
        if accepted(form, lambda: _perform(action, form, objection, request)):
            return redirect(tenant_url(request, "office-objection", objection_id=objection.pk))
        objection.refresh_from_db()
    handler = objections.handled_by(objection, request.user)
    id_number = identity.decrypt(objection.id_number_encrypted) if handler else ""
    rules = objection.notice.cycle.profile.typed
    now = timezone.now()
    return confidential(render(request, "publicity/office/objection.html", {
        "objection": objection, "entry": objection.entry, "rules": rules, "forms": forms, "handler": handler,
        "id_number": id_number or objection.id_number_masked, "files": list(objection.files.all()),
        "events": [(e, cite_label(e.cite) if e.cite else "") for e in objection.events.select_related("actor")], "letter": documents.letter_kind(objection),
        "acceptance_due": last_day_label(objection.acceptance_due_at),
        "acceptance_overdue": objection.state == Objection.State.RECEIVED and now >= objection.acceptance_due_at,
        "candidate_due": last_day_label(objection.candidate_due_at) if objection.candidate_due_at else "",
        "objector_due": last_day_label(objection.objector_due_at) if objection.objector_due_at else "",
        "needs_seal": objection.kind == Objection.Kind.ORGANIZATION and "seal" in rules.objections.organization_requires.value,
        "title": _("异议 %(number)s") % {"number": objection.number}}))


@role_required(Role.OFFICE)
def objection_file(request: SignedInRequest, objection_id: int, evidence_id: int) -> FileResponse:
    objection = get_scoped_or_404(request, Objection, pk=objection_id)
    stored = get_scoped_or_404(request, ObjectionFile, pk=evidence_id, objection=objection)
    return confidential_file(stored.file, stored.original_name, stored.content_type)


@role_required(Role.OFFICE)
def objection_letter(request: SignedInRequest, objection_id: int, kind: str) -> HttpResponse:
    objection = get_scoped_or_404(request, Objection, pk=objection_id)
    if kind not in ("acceptance", "refusal", "outcome"):
        raise Http404
    pdf = documents.letter_pdf(objection, kind)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{objection.number}-{kind}.pdf"'
    return confidential(response)

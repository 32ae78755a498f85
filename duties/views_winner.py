"""The winner's pages: its duties with their due dates, the yearly report upload, incident reports,
and the downloads of what it sent (also open to the office)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from awards.models import Application
from awards.refusals import accepted
from awards.states import AppState
from jurisdictions import rules_wording
from jurisdictions.access import has_role, role_required
from jurisdictions.confidential import confidential, confidential_file
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import incidents, self_assessment, summaries
from .forms import IncidentForm, ReportForm
from .models import IncidentReport, SelfAssessmentDuty, SelfAssessmentReport


def _own(request: SignedInRequest, rows: QuerySet, path: str) -> QuerySet:
    """The rows of the user's own organisations; the office sees every winner's."""
    if has_role(request.user, request.jurisdiction, Role.OFFICE):
        return rows
    return rows.filter(**{path: request.user})


@role_required(Role.APPLICANT)
def duties_home(request: SignedInRequest) -> HttpResponse:
    winners = summaries.winner_duties(request.user, request.jurisdiction)
    reports = {w.app.pk: list(scoped(request, IncidentReport).filter(application=w.app)) for w in winners}
    return confidential(render(request, "duties/winner/home.html", {
        "winners": [{"w": w, "incidents": reports[w.app.pk],
                     "title_use": w.app.cycle.profile.typed.post_award.title_use_zh} for w in winners]}))


@role_required(Role.APPLICANT)
def self_assessment_page(request: SignedInRequest, duty_id: int) -> HttpResponse:
    duty = (scoped(request, SelfAssessmentDuty).select_related("application__organization", "application__cycle")
            .filter(pk=duty_id, application__organization__users=request.user).first())
    if duty is None:
        raise Http404
    form = ReportForm()
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if accepted(form, lambda: self_assessment.submit_report(duty, request.user, uploaded=form.cleaned_data["file"],
                                                                note=form.cleaned_data["note"])):
            return redirect(tenant_url(request, "duty-self-assessment", duty_id=duty.pk) + "#received")
    today = timezone.localdate()
    return confidential(render(request, "duties/winner/self_assessment.html", {
        "duty": duty, "standing": self_assessment.standings([duty], today)[0], "form": form,
        "reports": list(duty.reports.order_by("-submitted_at", "-pk")), "cite": cite_label(duty.cite),
        "rule": duty.application.cycle.profile.typed.post_award.annual_self_assessment_due_zh}))


@role_required(Role.APPLICANT)
def incident_page(request: SignedInRequest, pk: int) -> HttpResponse:
    app = (scoped(request, Application).select_related("cycle__profile", "organization")
           .filter(pk=pk, organization__users=request.user, state=AppState.AWARDED).first())
    rules = incidents.rules_of(app) if app is not None else None
    if app is None or rules is None:
        raise Http404
    within, triggers = rules
    form = IncidentForm(triggers=triggers)
    if request.method == "POST":
        form = IncidentForm(request.POST, request.FILES, triggers=triggers)
        if accepted(form, lambda: incidents.file_report(
                app, request.user, triggers=form.cleaned_data["triggers"], occurred_on=form.cleaned_data["occurred_on"],
                description=form.cleaned_data["description"], attachment=form.cleaned_data.get("attachment"))):
            return redirect(tenant_url(request, "duties-home") + f"#incidents-{app.pk}")
    return confidential(render(request, "duties/winner/incident.html", {
        "app": app, "form": form, "period": rules_wording.period(within.value), "cite": cite_label(within.cite),
        "reports": list(scoped(request, IncidentReport).filter(application=app))}))


@role_required(Role.APPLICANT, Role.OFFICE)
def report_file(request: SignedInRequest, report_id: int) -> FileResponse:
    report = _own(request, scoped(request, SelfAssessmentReport).filter(pk=report_id),
                  "duty__application__organization__users").first()
    if report is None:
        raise Http404
    return confidential_file(report.file, report.file_name, report.file_type)


@role_required(Role.APPLICANT, Role.OFFICE)
def incident_file(request: SignedInRequest, incident_id: int) -> FileResponse:
    report = _own(request, scoped(request, IncidentReport).filter(pk=incident_id).exclude(file=""),
                  "application__organization__users").first()
    if report is None:
        raise Http404
    return confidential_file(report.file, report.file_name, report.file_type)

"""The office's pages on the winners' duties: overdue and received yearly reports with their spot
checks, incident reports (late ones marked), and orders to correct a misuse of the title."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from awards.models import Application
from awards.refusals import accepted
from awards.states import AppState
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import corrections, self_assessment
from .forms import CorrectedForm, OrderForm, SpotCheckForm
from .models import CorrectionOrder, IncidentReport, SelfAssessmentDuty, SelfAssessmentReport


def _winners_with_orders(request: SignedInRequest) -> list[Application]:
    """The winners whose award's profile names who orders a misuse of the title corrected."""
    apps = (scoped(request, Application).filter(state=AppState.AWARDED)
            .select_related("cycle__profile", "organization").order_by("organization__name", "-cycle__year"))
    return [a for a in apps if corrections.ordering_body(a) is not None]


def _order_rows(orders: list[CorrectionOrder], today) -> list[dict]:
    return [{"order": o, "overdue": corrections.is_overdue(o, today), "cite": cite_label(o.cite),
             "overdue_days": (today - o.deadline).days if corrections.is_overdue(o, today) else 0} for o in orders]


@role_required(Role.OFFICE)
def overview(request: SignedInRequest) -> HttpResponse:
    today = timezone.localdate()
    duties = list(scoped(request, SelfAssessmentDuty).filter(required=True, application__state=AppState.AWARDED)
                  .select_related("application__organization").order_by("due_on", "application__organization__name"))
    overdue = [s for s in self_assessment.standings(duties, today) if s.overdue_days]
    received = list(scoped(request, SelfAssessmentReport).select_related("duty__application__organization")
                    .prefetch_related("spot_checks").order_by("-submitted_at", "-pk"))
    reports = list(scoped(request, IncidentReport).select_related("application__organization"))
    orders = list(scoped(request, CorrectionOrder).select_related("application__organization"))
    profile = request.jurisdiction.profile_in_force()
    post_award = profile.typed.post_award if profile else None
    return confidential(render(request, "duties/office/overview.html", {
        "incident_duty": bool(post_award and post_award.incident_report_within),
        "overdue": overdue, "received": received,
        "incidents": [{"report": r, "cite": cite_label(r.cite)} for r in reports],
        "orders": _order_rows(orders, today), "may_order": bool(_winners_with_orders(request)), "today": today}))


@role_required(Role.OFFICE)
def spot_check(request: SignedInRequest, report_id: int) -> HttpResponse:
    report = (scoped(request, SelfAssessmentReport).select_related("duty__application__organization", "submitted_by")
              .filter(pk=report_id).first())
    if report is None:
        raise Http404
    form = SpotCheckForm(initial={"checked_on": timezone.localdate()})
    if request.method == "POST":
        form = SpotCheckForm(request.POST)
        if accepted(form, lambda: self_assessment.record_spot_check(
                report, request.user, checked_on=form.cleaned_data["checked_on"], result=form.cleaned_data["result"],
                note=form.cleaned_data["note"])):
            return redirect(tenant_url(request, "office-duty-spot-check", report_id=report.pk) + "#checks")
    return confidential(render(request, "duties/office/spot_check.html", {
        "report": report, "duty": report.duty, "form": form, "cite": cite_label(report.duty.cite),
        "checks": list(report.spot_checks.select_related("checked_by"))}))


@role_required(Role.OFFICE)
def order_new(request: SignedInRequest) -> HttpResponse:
    winners = _winners_with_orders(request)
    if not winners:
        raise Http404
    form = OrderForm(winners=winners, initial={"ordered_on": timezone.localdate()})
    if request.method == "POST":
        form = OrderForm(request.POST, winners=winners)

        def record() -> None:
            app = get_scoped_or_404(request, Application, pk=form.cleaned_data["application"])
            corrections.record_order(app, request.user, finding=form.cleaned_data["finding"],
                                     ordered_on=form.cleaned_data["ordered_on"], deadline=form.cleaned_data["deadline"])
        if accepted(form, record):
            return redirect(tenant_url(request, "office-duties") + "#orders")
    bodies = sorted({(b.value, cite_label(b.cite)) for b in (corrections.ordering_body(a) for a in winners) if b})
    return confidential(render(request, "duties/office/order_new.html", {"form": form, "bodies": bodies,
                                                                         "winners": winners}))


@role_required(Role.OFFICE)
def order_page(request: SignedInRequest, order_id: int) -> HttpResponse:
    order = (scoped(request, CorrectionOrder).select_related("application__organization", "recorded_by",
                                                             "corrected_recorded_by").filter(pk=order_id).first())
    if order is None:
        raise Http404
    form = CorrectedForm(initial={"corrected_on": timezone.localdate()})
    if request.method == "POST" and order.corrected_on is None:
        form = CorrectedForm(request.POST)
        if accepted(form, lambda: corrections.record_corrected(order, request.user,
                                                               corrected_on=form.cleaned_data["corrected_on"],
                                                               note=form.cleaned_data["note"])):
            return redirect(tenant_url(request, "office-duty-order", order_id=order.pk))
    return confidential(render(request, "duties/office/order.html", {
        "row": _order_rows([order], timezone.localdate())[0], "order": order, "form": form}))

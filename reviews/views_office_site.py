"""Site review (现场评审) pages: the office schedules visits and watches report deadlines; the site
group's leader writes the report; the applicant reads it and confirms or disputes it; the applicant
and the office download the written feedback of the document review.

reviews.site applies the rules (who may write or confirm, the deadline on the work calendar, whether
the profile asks the applicant to confirm); a refusal is shown next to the field it concerns.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awards.models import Application, AwardCycle
from awards.refusals import ServiceError, accepted, show_on_form
from awards.states import AppState
from awards.views_applicant import own_application
from jurisdictions.access import has_role, role_required
from jurisdictions.confidential import attachment_disposition, confidential
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url
from jurisdictions.workcalendar import coverage_warning

from . import documents, groups, site
from .forms_office import (
    DisputeHandlingForm,
    ScheduleForm,
    SiteReportForm,
    SiteResponseForm,
)
from .models import Assignment, ReviewGroup, SiteVisit, Stage, StageResult
from .views_office import group_choices, review_cycle


def _deadline_rule(cycle: AwardCycle) -> dict | None:
    cited = cycle.profile.typed.review.site_report_deadline
    if cited is None:
        return None
    unit = {"working_days": _("个工作日"), "calendar_days": _("个自然日")}.get(cited.value.unit, cited.value.unit)
    return {"amount": cited.value.amount, "unit": unit, "cite": cite_label(cited.cite),
            "working": cited.value.unit == "working_days"}


# --- the office: scheduling and deadlines ---------------------------------------------------------
def _site_page(request: SignedInRequest, cycle: AwardCycle, bound: dict[int, ScheduleForm] | None = None,
               disputes: dict[int, DisputeHandlingForm] | None = None) -> HttpResponse:
    apps = list(
        scoped(request, Application).filter(cycle=cycle)
        .filter(Q(state=AppState.SHORTLISTED) | Q(site_visit__isnull=False))
        .select_related("organization", "site_visit").order_by("number", "pk")
    )
    site_groups = {
        a.application_id: a.group for a in scoped(request, Assignment)
        .filter(application__cycle=cycle, stage=Stage.SITE).select_related("group")
    }
    document_scores = dict(
        scoped(request, StageResult).filter(application__cycle=cycle, stage=Stage.DOCUMENT)
        .values_list("application_id", "total")
    )
    choices = group_choices(request, cycle)
    rows = []
    for app in apps:
        visit = getattr(app, "site_visit", None)
        group = site_groups.get(app.pk)
        form = (bound or {}).get(app.pk)
        # Once the report is in, the visit it describes is history: its dates no longer move.
        if form is None and app.state == AppState.SHORTLISTED and not (visit and visit.report_submitted_at):
            initial = {"starts_on": visit.starts_on, "ends_on": visit.ends_on} if visit else None
            form = ScheduleForm(initial=initial, groups=choices, fixed_group=group is not None, prefix=f"s{app.pk}")
        dispute_form = None
        if visit and visit.confirmation == SiteVisit.Confirmation.DISPUTED and visit.dispute_handled_at is None:
            dispute_form = (disputes or {}).get(app.pk) or DisputeHandlingForm(prefix=f"d{app.pk}")
        rows.append({"app": app, "visit": visit, "group": group, "form": form, "dispute_form": dispute_form,
                     "document_score": document_scores.get(app.pk),
                     "past_days": site.days_in_the_past(visit.starts_on)
                     if visit and not visit.report_submitted_at else 0})
    due = site.reports_due(cycle)
    warning = None
    if due and (rule := _deadline_rule(cycle)) and rule["working"]:
        warning = coverage_warning(
            request.jurisdiction, min(r.visit.ends_on for r in due), max(r.due_on for r in due)
        )
    context = {
        "cycle": cycle,
        "rows": rows,
        "due": [{"visit": r.visit, "overdue": r.overdue, "days": abs(r.days_left)} for r in due],
        "calendar_warning": warning,
        "deadline": _deadline_rule(cycle),
        "confirm_rule": cycle.profile.typed.review.site_report_confirmed_by_applicant,
        "confirm_cite": cite_label(cycle.profile.typed.review.site_report_confirmed_by_applicant.cite),
        "has_groups": bool(choices),
    }
    return render(request, "reviews/office/site.html", context)


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def site_reviews(request: SignedInRequest, year: int) -> HttpResponse:
    return _site_page(request, review_cycle(request, year))


@role_required(Role.OFFICE)
@require_POST
def site_schedule(request: SignedInRequest, year: int, pk: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    app = get_scoped_or_404(request, Application, pk=pk, cycle=cycle)
    existing = scoped(request, Assignment).filter(application=app, stage=Stage.SITE).select_related("group").first()
    choices = group_choices(request, cycle)
    form = ScheduleForm(request.POST, groups=choices, fixed_group=existing is not None, prefix=f"s{app.pk}")
    if not form.is_valid():
        return _site_page(request, cycle, bound={app.pk: form})
    data = form.cleaned_data
    group = existing.group if existing else scoped(request, ReviewGroup).filter(pk=data["group"], cycle=cycle).first()
    if group is None:
        raise Http404
    try:
        visit = site.schedule(app, group, data["starts_on"], data["ends_on"], request.user)
    except ServiceError as exc:
        show_on_form(form, exc)
        return _site_page(request, cycle, bound={app.pk: form})
    text = _("已安排%(org)s的现场评审：%(start)s 至 %(end)s，%(group)s。") % {
        "org": app.organization.name, "start": visit.starts_on, "end": visit.ends_on, "group": group.name}
    if visit.report_due_on:
        text += _("报告应于 %(due)s 前提交。") % {"due": visit.report_due_on}
    messages.success(request, text)
    _due, warning = site.report_due_on(app, visit.ends_on)
    if warning:
        messages.warning(request, warning)
    if past := site.days_in_the_past(visit.starts_on):
        messages.warning(request, _("开始日期 %(date)s 已过去 %(days)s 天，已按补录保存；如日期有误，请修改。") % {
            "date": visit.starts_on.isoformat(), "days": past})
    return redirect(tenant_url(request, "office-review-site", year=cycle.year) + f"#app-{app.pk}")


@role_required(Role.OFFICE)
@require_POST
def site_dispute(request: SignedInRequest, year: int, pk: int) -> HttpResponse:
    """The office records how it dealt with an applicant's objection to its site report."""
    cycle = review_cycle(request, year)
    app = get_scoped_or_404(request, Application, pk=pk, cycle=cycle)
    form = DisputeHandlingForm(request.POST, prefix=f"d{app.pk}")
    if accepted(form, lambda: site.handle_dispute(app, request.user, form.cleaned_data["handling"])):
        messages.success(request, _("已记录对%(org)s异议的处理。") % {"org": app.organization.name})
        return redirect(tenant_url(request, "office-review-site", year=cycle.year) + f"#app-{app.pk}")
    return _site_page(request, cycle, disputes={app.pk: form})


# --- the site group's leader: the report ----------------------------------------------------------
@role_required(Role.REVIEWER)
@require_http_methods(["GET"])
def leader_reports(request: SignedInRequest) -> HttpResponse:
    """The site reports this reviewer writes as the leader of a site group."""
    led = scoped(request, Assignment).filter(
        stage=Stage.SITE, group__members__reviewer=request.user, group__members__is_leader=True
    ).values("application")
    visits = list(
        scoped(request, SiteVisit).filter(application__in=led)
        .select_related("application__organization", "application__cycle").order_by("report_due_on", "starts_on")
    )
    cleared = set(
        groups.reviewable_applications(request.user, request.jurisdiction, Stage.SITE).values_list("pk", flat=True)
    )
    today = timezone.localdate()
    return render(request, "reviews/office/leader_reports.html", {
        "rows": [{"visit": v, "app": v.application, "cleared": v.application_id in cleared,
                  "overdue": not v.report_submitted_at and v.report_due_on is not None and v.report_due_on < today}
                 for v in visits],
    })


def _led_visit_or_404(request: SignedInRequest, pk: int) -> SiteVisit:
    """The visit of an application whose site group this reviewer leads, attested and not recused."""
    visit = (
        scoped(request, SiteVisit).filter(application_id=pk)
        .select_related("application__organization", "application__cycle__profile", "application__jurisdiction")
        .first()
    )
    if visit is None or groups.leader_of(visit.application, Stage.SITE) != request.user:
        raise Http404
    reviewable = groups.reviewable_applications(request.user, request.jurisdiction, Stage.SITE)
    if not reviewable.filter(pk=pk).exists():
        raise Http404
    return visit


@role_required(Role.REVIEWER)
@require_http_methods(["GET", "POST"])
def leader_report(request: SignedInRequest, pk: int) -> HttpResponse:
    visit = _led_visit_or_404(request, pk)
    app = visit.application
    if request.method == "POST":
        form = SiteReportForm(request.POST)
        if accepted(form, lambda: site.submit_report(app, request.user, form.cleaned_data["report"])):
            messages.success(request, _("现场评审报告已提交，申报组织可以在线查看。"))
            return redirect(tenant_url(request, "reviewer-site-report-write", pk=app.pk))
    else:
        form = SiteReportForm(initial={"report": visit.report})
    rules = app.cycle.profile.typed
    return render(request, "reviews/office/leader_report.html", {
        "visit": visit,
        "app": app,
        "form": form,
        "locked": bool(visit.confirmation),
        "deadline": _deadline_rule(app.cycle),
        "confirm_rule": rules.review.site_report_confirmed_by_applicant,
        "confirm_cite": cite_label(rules.review.site_report_confirmed_by_applicant.cite),
    })


# --- the applicant: read, confirm or dispute ------------------------------------------------------
@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def applicant_site_report(request: SignedInRequest, pk: int) -> HttpResponse:
    app = own_application(request, pk)
    visit = scoped(request, SiteVisit).filter(application=app).first()
    if visit is None:
        raise Http404
    rule = app.cycle.profile.typed.review.site_report_confirmed_by_applicant
    can_respond = bool(rule.value) and visit.report_submitted_at is not None and not visit.confirmation
    form = None
    if can_respond:
        form = SiteResponseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                site.respond(app, request.user, confirm=data["decision"] == SiteResponseForm.CONFIRM,
                             comments=data["comments"])
            except ServiceError as exc:
                show_on_form(form, exc)
            else:
                if data["decision"] == SiteResponseForm.CONFIRM:
                    messages.success(request, _("您已确认现场评审报告。"))
                else:
                    messages.success(request, _("您对现场评审报告的异议已提交评审办。"))
                return redirect(tenant_url(request, "applicant-site-report", pk=app.pk))
    elif request.method == "POST":
        messages.warning(request, _("该报告现在不能确认（尚未提交、已作出确认，或本辖区不设确认环节）。"))
        return redirect(tenant_url(request, "applicant-site-report", pk=app.pk))
    return render(request, "reviews/applicant/site_report.html", {
        "app": app,
        "visit": visit,
        "form": form,
        "confirm_rule": rule,
        "confirm_cite": cite_label(rule.cite),
        "award_name": documents.award_name(app.cycle.profile.typed, app.category),
    })


# --- the written feedback of the document review ---------------------------------------------------
@role_required(Role.APPLICANT, Role.OFFICE)
@require_http_methods(["GET"])
def feedback_report(request: SignedInRequest, pk: int) -> HttpResponse:
    """The applicant's own feedback report, or any of this jurisdiction's for its office."""
    if has_role(request.user, request.jurisdiction, Role.OFFICE):
        app = get_scoped_or_404(request, Application, pk=pk)
    else:
        app = own_application(request, pk)
    doc = documents.get_or_build(app, documents.Kind.FEEDBACK_REPORT) if documents.feedback_due(app) else None
    if doc is None:
        raise Http404
    response = HttpResponse(bytes(doc.pdf), content_type="application/pdf")
    filename = _("资料评审反馈报告-%(n)s.pdf") % {"n": app.number or app.pk}
    response["Content-Disposition"] = attachment_disposition(filename)
    return confidential(response)

"""Office pages for award cycles: the list and creation form, the cycle dashboard, publishing, export.

Every queryset comes from jurisdictions.scoping; every rule is applied by awards.services.
The dashboard and the export run a fixed number of queries whatever the number of applications.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jurisdictions.access import role_required
from jurisdictions.confidential import attachment_disposition
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest

from . import services
from .export_xlsx import applications_workbook
from .forms_office import ApplicationFilterForm, CycleForm, attach_service_error
from .models import Application, AwardCycle
from .states import AppState, CycleState
from .workflow import cycle_events

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Shown on the dashboard even at zero: the states of the eligibility stage.
ELIGIBILITY_STATES = (
    AppState.DRAFT,
    AppState.SUBMITTED,
    AppState.RETURNED,
    AppState.ELIGIBLE,
    AppState.INELIGIBLE,
    AppState.WITHDRAWN,
)


def _url(request: SignedInRequest, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": request.jurisdiction.slug, **kwargs})


def cycle_or_404(request: SignedInRequest, year: int) -> AwardCycle:
    cycle = scoped(request, AwardCycle).select_related("profile__jurisdiction", "profile__criteria").filter(year=year).first()
    if cycle is None:
        raise Http404(_("没有 %(year)s 年度的评审。") % {"year": year})
    return cycle


def cycle_applications(request: SignedInRequest, cycle: AwardCycle) -> QuerySet[Application]:
    # First filed first; drafts (not yet filed) after them, newest draft last.
    return (
        scoped(request, Application)
        .filter(cycle=cycle)
        .select_related("organization")
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def award_names(cycle: AwardCycle) -> dict[str, str]:
    return {award.code: award.name_zh for award in cycle.profile.typed.awards}


# --- cycles list and creation -------------------------------------------------------------------
@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def cycles(request: SignedInRequest) -> HttpResponse:
    jurisdiction = request.jurisdiction
    existing = list(
        scoped(request, AwardCycle)
        .select_related("profile__jurisdiction")
        .annotate(application_count=Count("applications"))
        .order_by("-year")
    )
    profile = jurisdiction.profile_in_force()
    form = None
    if profile is not None:
        form_kwargs: dict[str, Any] = {
            "profile": profile,
            "award_name": jurisdiction.award_name_zh,
            "previous": existing[0] if existing else None,
        }
        if request.method == "POST":
            form = CycleForm(request.POST, **form_kwargs)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    cycle = services.create_cycle(
                        jurisdiction,
                        year=data["year"],
                        actor=request.user,
                        applications_open_at=data["applications_open_at"],
                        applications_close_at=data["applications_close_at"],
                        call_published_on=data["call_published_on"],
                        title=data["title"].strip(),
                        interval_override_reason=data["interval_override_reason"],
                        quotas=form.quotas(),
                    )
                except services.ServiceError as exc:
                    attach_service_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("已建立“%(title)s”，规则版本 %(label)s。核对后请发布申报通知。")
                        % {"title": cycle.title, "label": cycle.profile.version_name},
                    )
                    return redirect(_url(request, "office-cycle", year=cycle.year))
        else:
            form = CycleForm(**form_kwargs)
    elif request.method == "POST":
        messages.error(request, _("本辖区尚未载入现行有效的评审规则配置，不能建立评审年度。"))
    return render(
        request,
        "awards/office/cycles.html",
        {"cycles": existing, "profile": profile, "form": form},
    )


# --- the cycle dashboard --------------------------------------------------------------------------
def _state_counts(request: SignedInRequest, cycle: AwardCycle) -> tuple[list[dict], int]:
    counted = dict(
        scoped(request, Application)
        .filter(cycle=cycle)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    later = [state for state in AppState if state not in ELIGIBILITY_STATES and counted.get(state.value)]
    rows = [
        {"state": state.value, "label": state.label, "count": counted.get(state.value, 0)}
        for state in (*ELIGIBILITY_STATES, *later)
    ]
    return rows, sum(counted.values())


def _interval(cycle: AwardCycle) -> dict:
    interval = cycle.profile.typed.cycle.interval_years
    return {"interval": interval.value, "interval_cite": cite_label(interval.cite)}


# What a row of the applications list shows, and nothing more (an application's texts are long).
LIST_FIELDS = ("pk", "number", "state", "category", "submitted_at", "decided_at", "cycle_id", "jurisdiction_id",
               "organization__name", "organization__uscc")


def _list_rows(request: SignedInRequest, cycle: AwardCycle, apps) -> list[dict]:
    """The rows of the list as plain values: one reverse() for the page, not two per row, and every
    label looked up once (the page is read at 1,000 applications)."""
    names = award_names(cycle)
    labels = dict(AppState.choices)
    marker = 999999999
    pattern = _url(request, "office-application", pk=marker)
    rows = []
    for app in apps:
        submitted, decided = app.submitted_at, app.decided_at
        rows.append({
            "url": pattern.replace(str(marker), str(app.pk)), "number": app.number,
            "organization": app.organization.name, "uscc": app.organization.uscc,
            "award": names.get(app.category, app.category), "state": app.state,
            "state_label": labels.get(app.state, app.state),
            "submitted": timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "—",
            "decided": timezone.localtime(decided).strftime("%Y-%m-%d %H:%M") if decided else "—",
        })
    return rows


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def cycle_dashboard(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = cycle_or_404(request, year)
    rules = cycle.profile.typed
    filters = ApplicationFilterForm(request.GET, rules=rules)
    applications = filters.apply(cycle_applications(request, cycle))
    listed = applications.only(*LIST_FIELDS)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _list_rows(request, cycle, page.object_list)
    context = {
        "cycle": cycle,
        "rules": rules,
        "filters": filters,
        "page": page,
        "rows": rows,
    }
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    if partial:
        response = render(request, "awards/office/_applications.html", context)
    else:
        counts, total = _state_counts(request, cycle)
        quotas = {q.award_code: q.quota for q in cycle.quotas.all()}
        context.update(
            counts=counts,
            total=total,
            quotas=[
                {"name": award.name_zh, "quota": quotas.get(award.code, 0), "maximum": award.quota.value,
                 "cite": cite_label(award.quota.cite)}
                for award in rules.awards
            ],
            interval=_interval(cycle),
            publishable=cycle.state == CycleState.DRAFT,
            closable=cycle.state == CycleState.REVIEW,
            state_events=[
                {"event": e, "from": CycleState(e.from_state).label, "to": CycleState(e.to_state).label}
                for e in cycle_events(cycle)
            ],
        )
        response = render(request, "awards/office/cycle.html", context)
    # The same URL answers a fragment to htmx and a page to everyone else.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _move_cycle(request: SignedInRequest, year: int, move, done: str) -> HttpResponse:
    """Publish or close a cycle through its service; the refusal or `done` goes back to the cycle page."""
    cycle = cycle_or_404(request, year)
    try:
        move(cycle, request.user)
    except services.ServiceError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, done % {"title": cycle.title})
    return redirect(_url(request, "office-cycle", year=cycle.year))


@role_required(Role.OFFICE)
@require_POST
def cycle_publish(request: SignedInRequest, year: int) -> HttpResponse:
    return _move_cycle(request, year, services.publish_cycle, _("申报通知已发布：%(title)s。"))


@role_required(Role.OFFICE)
@require_POST
def cycle_close(request: SignedInRequest, year: int) -> HttpResponse:
    return _move_cycle(request, year, services.close_cycle, _("本年度评审已结束：%(title)s。"))


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def cycle_export(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = cycle_or_404(request, year)
    filters = ApplicationFilterForm(request.GET, rules=cycle.profile.typed)
    applications = filters.apply(cycle_applications(request, cycle))
    content = applications_workbook(applications.iterator(chunk_size=500), award_names(cycle))
    response = HttpResponse(content, content_type=XLSX)
    filename = _("%(slug)s-%(year)s-申报名单.xlsx") % {"slug": request.jurisdiction.slug, "year": cycle.year}
    response.headers["Content-Disposition"] = attachment_disposition(filename)
    return response

"""The office forms review groups (with Daqing's third-party agency), replaces recused reviewers, and
assigns applications to groups for the document review.

reviews.groups applies every rule (minimum size and its article, one leader, agency membership,
conflicts of interest); these views collect the choices and show refusals next to what was refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awards.models import Application, AwardCycle
from awards.refusals import ServiceError, show_on_form
from awards.states import AppState
from jurisdictions.access import role_required
from jurisdictions.models import Role
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import discipline, groups, pool
from .forms_office import (
    AddMemberForm,
    AgencyForm,
    AgencyReviewersForm,
    AssignmentForm,
    GroupForm,
    person,
)
from .models import Assignment, GroupMember, ReviewAgency, ReviewGroup, Stage, StageResult
from .views_office import review_cycle, reviewers_of, rule_context

# Applications the review stage works on: eligible, and everything the review has decided since.
REVIEWED_STATES = (
    AppState.ELIGIBLE,
    AppState.SHORTLISTED,
    AppState.NOT_SHORTLISTED,
    AppState.BELOW_THRESHOLD,
    AppState.CANDIDATE,
    AppState.NOT_SELECTED,
    AppState.PROPOSED,
    AppState.AWARDED,
    AppState.DISQUALIFIED,
)


# --- review groups ----------------------------------------------------------------------------------
def _cycle_groups(request: SignedInRequest, cycle: AwardCycle) -> list[ReviewGroup]:
    members = pool.with_member_details(GroupMember.objects.select_related("reviewer"), request.jurisdiction) \
        .order_by("-is_leader", "reviewer__username")
    return list(
        scoped(request, ReviewGroup).filter(cycle=cycle).select_related("agency")
        .prefetch_related(Prefetch("members", queryset=members))
    )


def _agencies(request: SignedInRequest):
    return scoped(request, ReviewAgency).order_by("name")


def _group_form(request: SignedInRequest, cycle: AwardCycle, data=None) -> GroupForm:
    ctx = rule_context(cycle)
    return GroupForm(
        data, reviewers=reviewers_of(request), agencies=_agencies(request), third_party=ctx["third_party"],
        minimum=ctx["min_size"], minimum_cite=ctx["min_size_cite"],
    )


def _groups_page(request: SignedInRequest, cycle: AwardCycle, *, form: GroupForm | None = None,
                 agency_form: AgencyForm | None = None, agency_forms: dict | None = None,
                 member_forms: dict | None = None, status: int = 200) -> HttpResponse:
    ctx = rule_context(cycle)
    reviewers = list(reviewers_of(request))
    cycle_groups = _cycle_groups(request, cycle)
    agencies = []
    if ctx["third_party"]:
        for agency in _agencies(request).prefetch_related("reviewers"):
            inside = {u.pk for u in agency.reviewers.all()}
            bound = (agency_forms or {}).get(agency.pk)
            agencies.append({
                "agency": agency,
                "reviewers": sorted(agency.reviewers.all(), key=lambda u: u.get_username()),
                "form": bound or AgencyReviewersForm(
                    reviewers=reviewers_of(request).exclude(pk__in=inside), prefix=f"agency{agency.pk}"),
                "can_add": any(u.pk not in inside for u in reviewers),
            })
    by_pk = {g.pk: g for g in cycle_groups}
    replacements = []
    for group, application, active in groups.groups_needing_replacement(cycle):
        group = by_pk.get(group.pk, group)
        seated = {m.reviewer_id for m in group.members.all()}
        allowed = ({u.pk for u in group.agency.reviewers.all()} if group.agency is not None else None)
        choices = [(u.pk, person(u)) for u in reviewers
                   if u.pk not in seated and (allowed is None or u.pk in allowed)]
        key = (group.pk, application.pk)
        replacements.append({
            "group": group, "application": application, "active": active,
            "form": (member_forms or {}).get(key) or AddMemberForm(choices=choices, prefix=f"m{group.pk}-{application.pk}"),
        })
    context = {
        "cycle": cycle,
        **ctx,
        "groups": cycle_groups,
        "form": form or _group_form(request, cycle),
        "agencies": agencies,
        "agency_form": agency_form or AgencyForm(reviewers=reviewers_of(request), prefix="agency"),
        "replacements": replacements,
        "late_conflicts": groups.late_conflicts(cycle),
        "has_reviewers": bool(reviewers),
    }
    return render(request, "reviews/office/groups.html", context, status=status)


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def group_list(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    if request.method != "POST":
        return _groups_page(request, cycle)
    form = _group_form(request, cycle, request.POST)
    if not form.is_valid():
        return _groups_page(request, cycle, form=form)
    data = form.cleaned_data
    try:
        group = groups.form_group(
            cycle, name=data["name"].strip(), leader=data["leader"], members=list(data["members"]),
            agency=data.get("agency"), actor=request.user,
        )
    except ServiceError as exc:
        show_on_form(form, exc)
        return _groups_page(request, cycle, form=form)
    messages.success(request, _("已组建评审组“%(name)s”，共%(n)s名评审员。") % {
        "name": group.name, "n": group.members.count()})
    return redirect(tenant_url(request, "office-review-groups", year=cycle.year))


@role_required(Role.OFFICE)
@require_POST
def agency_create(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    if not rule_context(cycle)["third_party"]:
        raise Http404
    form = AgencyForm(request.POST, reviewers=reviewers_of(request), prefix="agency")
    if not form.is_valid():
        return _groups_page(request, cycle, agency_form=form)
    data = form.cleaned_data
    try:
        agency = groups.register_agency(request.jurisdiction, name=data["name"], uscc=data["uscc"],
                                        contract_note=data["contract_note"], reviewers=data["reviewers"])
    except ServiceError as exc:
        form.add_error(exc.field, exc.message)
        return _groups_page(request, cycle, agency_form=form)
    messages.success(request, _("已登记第三方评审机构“%(name)s”及其%(n)s名评审员。") % {
        "name": agency.name, "n": len(data["reviewers"])})
    return redirect(tenant_url(request, "office-review-groups", year=cycle.year) + "#agencies")


@role_required(Role.OFFICE)
@require_POST
def agency_reviewers(request: SignedInRequest, year: int, agency_id: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    agency = scoped(request, ReviewAgency).filter(pk=agency_id).first()
    if agency is None or not rule_context(cycle)["third_party"]:
        raise Http404
    form = AgencyReviewersForm(
        request.POST, reviewers=reviewers_of(request).exclude(pk__in=agency.reviewers.values("pk")),
        prefix=f"agency{agency.pk}",
    )
    if not form.is_valid():
        return _groups_page(request, cycle, agency_forms={agency.pk: form})
    try:
        discipline.check_may_engage(request.jurisdiction, form.cleaned_data["reviewers"], field="reviewers")
    except ServiceError as exc:
        show_on_form(form, exc)
        return _groups_page(request, cycle, agency_forms={agency.pk: form})
    agency.reviewers.add(*form.cleaned_data["reviewers"])
    messages.success(request, _("已为“%(name)s”增加%(n)s名评审员。") % {
        "name": agency.name, "n": len(form.cleaned_data["reviewers"])})
    return redirect(tenant_url(request, "office-review-groups", year=cycle.year) + "#agencies")


@role_required(Role.OFFICE)
@require_POST
def add_member(request: SignedInRequest, year: int, group_id: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    group = scoped(request, ReviewGroup).filter(pk=group_id, cycle=cycle).select_related("agency").first()
    if group is None:
        raise Http404
    application = cycle_applications_by_pk(request, cycle, request.POST.get("application"))
    reviewers = {u.pk: u for u in reviewers_of(request)}
    prefix = f"m{group.pk}-{application.pk if application else 0}"
    form = AddMemberForm(request.POST, choices=[(pk, person(u)) for pk, u in reviewers.items()], prefix=prefix)
    page = tenant_url(request, "office-review-groups", year=cycle.year) + "#replacements"
    if form.is_valid():
        try:
            groups.add_member(group, reviewers[form.cleaned_data["reviewer"]])
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已为“%(group)s”补充评审员 %(who)s。") % {
                "group": group.name, "who": person(reviewers[form.cleaned_data["reviewer"]])})
            return redirect(page)
    if application is None:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(page)
    return _groups_page(request, cycle, member_forms={(group.pk, application.pk): form})


def cycle_applications_by_pk(request: SignedInRequest, cycle: AwardCycle, raw) -> Application | None:
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return scoped(request, Application).filter(cycle=cycle, pk=pk).first()


# --- assignment for the document review -----------------------------------------------------------
def _assignment_rows(request: SignedInRequest, cycle: AwardCycle) -> list[dict]:
    apps = list(
        scoped(request, Application).filter(cycle=cycle, state__in=REVIEWED_STATES)
        .select_related("organization").order_by("number", "pk")
    )
    assigned = {
        a.application_id: a.group for a in scoped(request, Assignment)
        .filter(application__cycle=cycle, stage=Stage.DOCUMENT).select_related("group")
    }
    scores = dict(
        scoped(request, StageResult).filter(application__cycle=cycle, stage=Stage.DOCUMENT)
        .values_list("application_id", "total")
    )
    return [
        {"app": app, "group": assigned.get(app.pk), "score": scores.get(app.pk),
         "open": app.pk not in assigned and app.state == AppState.ELIGIBLE}
        for app in apps
    ]


def _assignment_page(request: SignedInRequest, cycle: AwardCycle, data=None,
                     row_errors: dict[int, str] | None = None) -> HttpResponse:
    """The list; after a POST, the rows still open keep what the office picked (`data`)."""
    rows = _assignment_rows(request, cycle)
    cycle_groups = [(g.pk, g.name) for g in scoped(request, ReviewGroup).filter(cycle=cycle).order_by("name")]
    open_ids = [r["app"].pk for r in rows if r["open"]]
    form = AssignmentForm(data, application_ids=open_ids, groups=cycle_groups)
    if data is not None:
        form.is_valid()
    for row in rows:
        row["field"] = form.field_for(row["app"].pk) if row["open"] else None
        row["error"] = (row_errors or {}).get(row["app"].pk)
    context = {
        "cycle": cycle,
        **rule_context(cycle),
        "rows": rows,
        "form": form,
        "has_groups": bool(cycle_groups),
        "open_count": len(open_ids),
    }
    return render(request, "reviews/office/assignments.html", context)


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def assignments(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    if request.method != "POST":
        return _assignment_page(request, cycle)
    cycle_groups = {g.pk: g for g in scoped(request, ReviewGroup).filter(cycle=cycle)}
    open_apps = {
        app.pk: app for app in scoped(request, Application)
        .filter(cycle=cycle, state=AppState.ELIGIBLE)
        .exclude(pk__in=scoped(request, Assignment).filter(stage=Stage.DOCUMENT).values("application"))
        .select_related("organization", "jurisdiction")
    }
    # Rows assigned meanwhile (another tab, a colleague) are no longer offered; their values are ignored.
    posted = [pk for pk in open_apps if f"group_{pk}" in request.POST]
    form = AssignmentForm(request.POST, application_ids=posted,
                          groups=[(g.pk, g.name) for g in cycle_groups.values()])
    if not form.is_valid():
        return _assignment_page(request, cycle, data=request.POST)
    done, row_errors = 0, {}
    for app_id, group_id in form.chosen().items():
        try:
            groups.assign(open_apps[app_id], cycle_groups[group_id], Stage.DOCUMENT, request.user)
        except ServiceError as exc:
            row_errors[app_id] = exc.message
        else:
            done += 1
    if done:
        messages.success(request, _("已分配%(n)s份申报进行资料评审。") % {"n": done})
    if not row_errors:
        if not done:
            messages.warning(request, _("没有选择评审组，未作分配。"))
        return redirect(tenant_url(request, "office-review-assignments", year=cycle.year))
    messages.error(request, _("有%(n)s份申报未能分配，原因见各行。") % {"n": len(row_errors)})
    return _assignment_page(request, cycle, data=request.POST, row_errors=row_errors)

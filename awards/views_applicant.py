"""Applicant pages: the public call for applications, the organisation record and the dashboard.

The application editor lives in views_applicant_editor.py, file and PDF downloads in
views_applicant_documents.py. Business rules stay in services/workflow/eligibility; these views
read the rule profile pinned to the cycle and call the domain functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jurisdictions import rules_wording
from jurisdictions.access import has_role, role_required
from jurisdictions.models import Role
from jurisdictions.rules_presenter import present_profile
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest, TenantRequest, is_signed_in
from jurisdictions.tenant_urls import tenant_url

from . import services
from .forms_applicant import CertificationFormSet, OrganizationRecordForm, StartApplicationForm
from .models import Application, ApplicationEvent, AwardCycle, Organization
from .states import EDITABLE_STATES, CycleState

# Key dates are stated in the offices' own time, whatever the viewer's settings.
OFFICE_TZ = ZoneInfo("Asia/Shanghai")


def applicant_organizations(request: SignedInRequest) -> QuerySet[Organization]:
    """The organisations of this jurisdiction the signed-in user files for."""
    return scoped(request, Organization).filter(users=request.user).order_by("name")


def own_application(request: SignedInRequest, pk: int) -> Application:
    """An application of one of the user's organisations here; anything else is 404."""
    app = (
        scoped(request, Application)
        .filter(pk=pk, organization__users=request.user)
        .select_related("cycle__profile__criteria", "organization", "jurisdiction")
        .first()
    )
    if app is None:
        raise Http404
    return app


def award_name(rules, code: str) -> str:
    try:
        award = rules.award(code)
    except KeyError:
        return code
    return award.name_en if english() else award.name_zh


def english() -> bool:
    return (get_language() or "").startswith("en")


def _lang() -> str:
    return get_language() or "zh-hans"


# --- the call for applications (public) ------------------------------------------------------
@dataclass(frozen=True)
class AwardRow:
    name: str
    quota: int
    profile_quota: object  # Cited[int]
    prize: str
    lower_tier_of: str


def _published_cycle(request: TenantRequest, year: int) -> AwardCycle:
    cycle = (
        scoped(request, AwardCycle)
        .filter(year=year, state=CycleState.PUBLISHED)
        .select_related("profile")
        .prefetch_related("quotas")
        .first()
    )
    if cycle is None:
        raise Http404
    return cycle


def _call_context(request: TenantRequest, cycle: AwardCycle, start_form: StartApplicationForm | None = None) -> dict:
    rules = cycle.profile.typed
    now = timezone.now()
    sections = {s.key: s for s in present_profile(rules, _lang())}
    awards = [
        AwardRow(
            name=award_name(rules, award.code),
            quota=cycle.quota_for(award.code),
            profile_quota=award.quota,
            prize=rules_wording.money(award.prize_cny.value) if award.prize_cny.value else "",
            lower_tier_of=award_name(rules, award.lower_tier_of) if award.lower_tier_of else "",
        )
        for award in rules.awards
    ]
    if now < cycle.applications_open_at:
        phase = "upcoming"
    elif now < cycle.applications_close_at:
        phase = "open"
    else:
        phase = "closed"
    context = {
        "cycle": cycle,
        "rules": rules,
        "awards": awards,
        "eligibility": sections.get("eligibility"),
        "bans": sections.get("bans"),
        "opens_at": timezone.localtime(cycle.applications_open_at, OFFICE_TZ),
        "closes_at": timezone.localtime(cycle.applications_close_at, OFFICE_TZ),
        "phase": phase,
        "is_applicant": False,
    }
    if is_signed_in(request) and has_role(request.user, request.jurisdiction, Role.APPLICANT):
        organizations = list(applicant_organizations(request))
        filed = {
            a.organization_id: a
            for a in scoped(request, Application).filter(cycle=cycle, organization__in=organizations)
        }
        free = [o for o in organizations if o.pk not in filed]
        context.update(
            is_applicant=True,
            organizations=organizations,
            filed=[(o, filed[o.pk]) for o in organizations if o.pk in filed],
            free_organizations=free,
            start_form=(start_form or StartApplicationForm(awards=rules.top_awards, organizations=free))
            if free and phase != "closed"
            else None,
        )
    return context


def cycle_call(request: TenantRequest, year: int) -> HttpResponse:
    cycle = _published_cycle(request, year)
    return render(request, "awards/applicant/cycle_call.html", _call_context(request, cycle))


@require_POST
@role_required(Role.APPLICANT)
def application_start(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = _published_cycle(request, year)
    rules = cycle.profile.typed
    organizations = list(applicant_organizations(request))
    form = StartApplicationForm(request.POST, awards=rules.top_awards, organizations=organizations)
    if form.is_valid():
        organization = next(o for o in organizations if o.pk == form.cleaned_data["organization"])
        try:
            app = services.start_application(cycle, organization, form.cleaned_data["category"], request.user)
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已创建申报书草稿，填写内容会自动保存。"))
            return redirect(tenant_url(request, "application-edit", pk=app.pk))
    context = _call_context(request, cycle, start_form=form)
    if context.get("start_form") is None:
        # The organisation already filed (or the call closed): say so where the form would be.
        context["start_errors"] = [str(e) for errors in form.errors.values() for e in errors]
    return render(request, "awards/applicant/cycle_call.html", context)


# --- the organisation record -----------------------------------------------------------------
def _safe_next(request: TenantRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        prefix = f"/{request.jurisdiction.slug}/"
        if target.startswith(prefix):
            return target
    return None


@role_required(Role.APPLICANT)
def organization_record(request: SignedInRequest) -> HttpResponse:
    organizations = list(applicant_organizations(request))
    if not organizations:
        return render(request, "awards/applicant/no_organization.html")
    chosen = request.GET.get("org")
    organization = next((o for o in organizations if str(o.pk) == chosen), organizations[0])
    # Drafts are judged under the rules their cycle pinned; the record must also serve those.
    pinned = [
        app.cycle.profile
        for app in scoped(request, Application)
        .filter(organization=organization, state__in=EDITABLE_STATES)
        .select_related("cycle__profile")
    ]
    in_force = request.jurisdiction.profile_in_force()
    profiles = list({p.pk: p for p in [*pinned, *([in_force] if in_force else [])]}.values())
    if not profiles:
        raise Http404(_("本辖区尚无生效的评审规则。"))
    rules = profiles[-1].typed
    data = request.POST if request.method == "POST" else None
    form = OrganizationRecordForm(data, instance=organization, profiles=[p.typed for p in profiles])
    formset = CertificationFormSet(data, instance=organization, prefix="certifications") if form.asks_certificates else None
    if request.method == "POST":
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if valid:
            with transaction.atomic():
                form.save()
                if formset is not None:
                    formset.save()
            messages.success(request, _("组织信息已保存。"))
            target = _safe_next(request)
            adding = "add_certification" in request.POST
            if target and not adding:
                return redirect(target)
            query: dict[str, int | str] = {"org": organization.pk} if len(organizations) > 1 else {}
            if target:
                query["next"] = target
            url = tenant_url(request, "org-record") + (f"?{urlencode(query)}" if query else "")
            return redirect(url + ("#certifications" if adding else ""))
        messages.error(request, _("组织信息未保存，请按提示修改标出的栏目。"))
    return render(
        request,
        "awards/applicant/organization_form.html",
        {
            "organization": organization,
            "organizations": organizations,
            "form": form,
            "formset": formset,
            "rules": rules,
            "next": _safe_next(request) or "",
        },
    )


# --- the dashboard ---------------------------------------------------------------------------
@role_required(Role.APPLICANT)
def dashboard(request: SignedInRequest) -> HttpResponse:
    organizations = list(applicant_organizations(request))
    applications = list(
        scoped(request, Application)
        .filter(organization__in=organizations)
        .select_related("cycle__profile", "organization", "site_visit")
        .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")))
        .order_by("-cycle__year", "organization__name")
    )
    rows = [{"app": app, "award": award_name(app.cycle.profile.typed, app.category)} for app in applications]
    filed_cycles = {(a.cycle_id, a.organization_id) for a in applications}
    now = timezone.now()
    open_cycles = [
        c
        for c in scoped(request, AwardCycle).filter(state=CycleState.PUBLISHED, applications_close_at__gt=now)
        if any((c.pk, o.pk) not in filed_cycles for o in organizations)
    ]
    return render(
        request,
        "awards/applicant/dashboard.html",
        {"organizations": organizations, "rows": rows, "open_cycles": open_cycles},
    )

"""Where each role lands after signing in, and the role home pages that gather its work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from duties import summaries as duty_summaries
from jurisdictions import notifications
from jurisdictions.access import role_required, roles_in
from jurisdictions.models import Notification, Role
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest, TenantRequest
from jurisdictions.tenant_urls import tenant_url

from . import workbenches
from .views_sign_in import redirect_to_tenant_login

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Where after-login sends someone holding several roles: the broadest duty first.
ROLE_LANDINGS: tuple[tuple[str, str], ...] = (
    (Role.OFFICE, "office-home"),
    (Role.COMMITTEE, "committee-home"),
    (Role.REVIEWER, "reviewer-home"),
    (Role.APPLICANT, "applicant-home"),
)


def landing_links(request: TenantRequest) -> list[tuple[StrOrPromise, str]]:
    """(label, url) of every role page the user holds here, for the landing pages' navigation."""
    roles = roles_in(request.user, request.jurisdiction)
    if request.user.is_superuser:
        roles = {role for role, _name in ROLE_LANDINGS}
    return [(Role(role).label, tenant_url(request, name)) for role, name in ROLE_LANDINGS if role in roles]



def after_login(request: TenantRequest) -> HttpResponse:
    """Send the user to their role's page in this jurisdiction, or home with a word if they hold none."""
    if not request.user.is_authenticated:
        return redirect_to_tenant_login(request)
    roles = roles_in(request.user, request.jurisdiction)
    if request.user.is_superuser and not roles:
        return redirect(tenant_url(request, "office-home"))
    for role, name in ROLE_LANDINGS:
        if role in roles:
            return redirect(tenant_url(request, name))
    # Only this jurisdiction is named: whatever the user holds elsewhere stays unsaid.
    messages.warning(
        request,
        _("您已登录，但在%(jurisdiction)s没有任何角色。如需办理业务，请联系%(office)s。")
        % {"jurisdiction": request.jurisdiction.name, "office": request.jurisdiction.office_short_zh},
    )
    return redirect(tenant_url(request, "tenant-home"))


def _notices(request: SignedInRequest) -> list[Notification]:
    """The latest unread notifications, shown on every workbench."""
    return list(notifications.for_user(request.user, request.jurisdiction).filter(read_at__isnull=True)[:5])


@role_required(Role.OFFICE)
def office_home(request: SignedInRequest) -> HttpResponse:
    profile = request.jurisdiction.profile_in_force()
    work = workbenches.office_work(request.jurisdiction)
    post_award = workbenches.post_award_work(request.jurisdiction)
    return render(
        request,
        "office/home.html",
        {
            "profile": profile,
            "typed": profile.typed if profile else None,
            "landing_links": landing_links(request),
            "work": work,
            "waiting": sum(w.waiting for w in work) + sum(t.count for t in post_award),
            "post_award": post_award,
            "notices": _notices(request),
            "duties": duty_summaries.office_duties(request.jurisdiction),
        },
    )


def _own_certificates(request: SignedInRequest) -> list:
    """The signed certificates of the user's own organisations, to download."""
    from honours.models import Certificate

    return list(scoped(request, Certificate).filter(application__organization__users=request.user,
                                                    state=Certificate.State.READY).defer("pdf").order_by("-year", "pk"))


@role_required(Role.APPLICANT)
def applicant_home(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "applicant/home.html",
        {**workbenches.applicant_work(request.user, request.jurisdiction), "landing_links": landing_links(request),
         "notices": _notices(request), "certificates": _own_certificates(request),
         "duties": duty_summaries.winner_duties(request.user, request.jurisdiction)},
    )


@role_required(Role.REVIEWER)
def reviewer_home(request: SignedInRequest) -> HttpResponse:
    return render(request, "reviewer/home.html", {
        **workbenches.reviewer_work(request.user, request.jurisdiction),
        "landing_links": landing_links(request), "notices": _notices(request),
    })


@role_required(Role.COMMITTEE)
def committee_home(request: SignedInRequest) -> HttpResponse:
    return render(request, "committee/home.html", {
        **workbenches.committee_work(request.user, request.jurisdiction),
        "landing_links": landing_links(request), "notices": _notices(request),
    })

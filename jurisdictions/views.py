"""The public pages: the site home, a jurisdiction's home and its rules page, and the error pages."""

from __future__ import annotations

import datetime as dt
import logging

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

from . import rules_wording
from .models import Jurisdiction, RuleProfile
from .public_pages import cached_public_page, public_render
from .rules_presenter import office_setting_label, present_profile, present_summary
from .tenant_request import TenantRequest

logger = logging.getLogger(__name__)

# Http404 messages raised by these packages are written for the public; Django's own are not.
OUR_PACKAGES = frozenset({"jurisdictions", "awards", "reviews", "publicity", "config"})


def _shown(profiles: list[RuleProfile], today: dt.date) -> RuleProfile | None:
    """The version in force today, else the next one to take effect (a draft not yet in force)."""
    in_force = [p for p in profiles if p.effective_from <= today]
    if in_force:
        return max(in_force, key=lambda p: p.effective_from)
    return min(profiles, key=lambda p: p.effective_from, default=None)


def _profile_for(jurisdiction: Jurisdiction) -> RuleProfile | None:
    profiles = list(jurisdiction.rule_profiles.select_related("criteria").order_by("-effective_from"))
    return _shown(profiles, dt.date.today())


def _lang() -> str:
    return get_language() or "zh-hans"


def _regulation_title(profile: RuleProfile) -> str:
    regulation = profile.typed.regulation
    return regulation.title_en if _lang().startswith("en") else regulation.title_zh


@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    jurisdictions = Jurisdiction.objects.prefetch_related(
        Prefetch("rule_profiles", queryset=RuleProfile.objects.order_by("-effective_from"), to_attr="all_profiles")
    )
    cards = []
    for jurisdiction in jurisdictions:
        profile = _shown(jurisdiction.all_profiles, today)
        cards.append(
            {
                "jurisdiction": jurisdiction,
                "profile": profile,
                "regulation": profile.typed.regulation if profile else None,
                "title": _regulation_title(profile) if profile else "",
                "status": rules_wording.status_label(profile.status) if profile else "",
                "upcoming": bool(profile and profile.effective_from > today),
            }
        )
    return public_render(request, "jurisdictions/home.html", {"cards": cards})


@cached_public_page
def tenant_home(request: TenantRequest) -> HttpResponse:
    profile = _profile_for(request.jurisdiction)
    context: dict = {"profile": profile}
    if profile is not None:
        context.update(
            regulation=profile.typed.regulation,
            upcoming=profile.effective_from > dt.date.today(),
            summary=present_summary(profile.typed, _lang()),
        )
    return public_render(request, "jurisdictions/tenant_home.html", context)


@cached_public_page
def rules_page(request: TenantRequest) -> HttpResponse:
    profiles = list(request.jurisdiction.rule_profiles.select_related("criteria").order_by("-effective_from"))
    profile = _shown(profiles, dt.date.today())
    context: dict = {"profile": profile}
    if profile is not None:
        criteria = profile.criteria.typed
        context.update(
            regulation=profile.typed.regulation,
            regulation_title=_regulation_title(profile),
            upcoming=profile.effective_from > dt.date.today(),
            sections=present_profile(profile.typed, _lang(), criteria=criteria),
            office_badge=office_setting_label(profile.typed, _lang()),
            criteria=criteria,
            has_other_versions=len(profiles) > 1,
        )
    return public_render(request, "jurisdictions/rules.html", context)


def _raised_by_us(exception: BaseException) -> bool:
    tb = exception.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = tb.tb_frame.f_globals.get("__name__", "")
    return module.split(".", 1)[0] in OUR_PACKAGES


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str) and _raised_by_us(exception):
        message = exception.args[0]
    if getattr(request, "jurisdiction", None) is None:
        # No view ran (the address matched no page), so TenantMiddleware set no tenant: take it from
        # the address, so that the page keeps the jurisdiction's header and its way back.
        slug = request.path_info.strip("/").split("/", 1)[0]
        request.jurisdiction = (  # type: ignore[attr-defined]  # TenantMiddleware sets it on every request
            Jurisdiction.objects.filter(slug=slug).first() if slug else None
        )
    return render(request, "404.html", {"message": message}, status=404)


@csp_update({"style-src": [UNSAFE_INLINE]})
def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: a context processor that needs the database would fail again here.
    try:
        body = loader.get_template("500.html").render()
    except Exception:  # the error page itself must never raise
        logger.exception("500.html could not be rendered")
        body = "<!doctype html><title>系统错误 Server error</title><h1>系统暂时出现问题 Server error</h1>"
    return HttpResponseServerError(body)

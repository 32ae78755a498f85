"""The office records sanctions on reviewers who broke the review's discipline, and lists them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from awards.refusals import accepted
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential
from jurisdictions.models import Role
from jurisdictions.people import person_name
from jurisdictions.rules_wording import period
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import discipline
from .forms_discipline import SanctionForm
from .models import ReviewerSanction


def _reviewers(request: SignedInRequest) -> dict:
    people = request.jurisdiction.memberships.filter(role=Role.REVIEWER).values("user")
    return {u.pk: u for u in get_user_model().objects.filter(pk__in=people).order_by("first_name", "pk")}


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def reviewer_sanctions(request: SignedInRequest) -> HttpResponse:
    reviewers = _reviewers(request)
    levels, cite = discipline.sanction_choices(request.jurisdiction)
    choices = [(pk, person_name(u)) for pk, u in reviewers.items()]
    form = SanctionForm(request.POST or None, reviewers=choices, levels=levels)
    if request.method == "POST" and levels and accepted(form, lambda: discipline.record(
            request.jurisdiction, reviewers[form.cleaned_data["reviewer"]], level=form.cleaned_data["level"],
            facts=form.cleaned_data["facts"], decided_on=form.cleaned_data["decided_on"], actor=request.user)):
        return redirect(tenant_url(request, "office-reviewer-sanctions") + "#sanctions")
    profile = request.jurisdiction.profile_in_force(timezone.localdate())
    ban = profile.typed.post_award.reviewer_rehire_ban if profile else None
    rows = list(scoped(request, ReviewerSanction).select_related("reviewer", "recorded_by"))
    today = timezone.localdate()
    return confidential(render(request, "reviews/office/sanctions.html", {
        "form": form, "levels": levels, "cite": cite, "ban": ban, "ban_period": period(ban.value) if ban else "",
        "rows": [{"s": s, "barred": s.level == ReviewerSanction.Level.DISQUALIFICATION
                  and (s.barred_until is None or s.barred_until >= today)} for s in rows],
    }, status=400 if request.method == "POST" else 200))

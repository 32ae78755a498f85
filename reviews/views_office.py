"""The office's review pages of one cycle: the overview and what the other review pages share.

Every queryset comes from jurisdictions.scoping (or hangs off request.jurisdiction); every rule is
applied by the reviews domain modules. The pages live under office/cycles/<year>/review/.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from awards.models import Application, AwardCycle
from awards.states import AppState
from awards.views_office import cycle_or_404
from jurisdictions.access import role_required
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest

from . import pool, site
from .models import Assignment, Evaluation, ReviewGroup, SiteVisit, Stage, StageResult

# The states of the review stage, in the order an application passes through them.
REVIEW_STATES = (
    AppState.ELIGIBLE,
    AppState.NOT_SHORTLISTED,
    AppState.SHORTLISTED,
    AppState.BELOW_THRESHOLD,
    AppState.CANDIDATE,
)


def review_cycle(request: SignedInRequest, year: int) -> AwardCycle:
    return cycle_or_404(request, year)


def reviewers_of(request: SignedInRequest) -> QuerySet:
    """The users holding the reviewer role in this jurisdiction."""
    people = request.jurisdiction.memberships.filter(role=Role.REVIEWER).values("user")
    # With the pool's position and organisation, so that choices name them (reviews/pool.py).
    return pool.with_pool_details(get_user_model().objects.filter(pk__in=people), request.jurisdiction) \
        .order_by("username")


def cycle_applications(request: SignedInRequest, cycle: AwardCycle) -> QuerySet[Application]:
    return scoped(request, Application).filter(cycle=cycle)


def group_choices(request: SignedInRequest, cycle: AwardCycle) -> list[tuple[int, str]]:
    return [(g.pk, g.name) for g in scoped(request, ReviewGroup).filter(cycle=cycle).order_by("name")]


def rule_context(cycle: AwardCycle) -> dict:
    """The review rules every page shows with their articles."""
    rules = cycle.profile.typed
    review = rules.review
    return {
        "rules": rules,
        "third_party": review.reviewers.value == "third_party_agency",
        "reviewers_cite": cite_label(review.reviewers.cite),
        "reviewers_note": review.reviewers.note_zh,
        "min_size": review.group_min_size.value,
        "min_size_cite": cite_label(review.group_min_size.cite),
        "min_size_note": review.group_min_size.note_zh,
    }


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def overview(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    counted = dict(
        cycle_applications(request, cycle).order_by().values_list("state").annotate(n=Count("pk"))
    )
    states = [{"state": s.value, "label": s.label, "count": counted.get(s.value, 0)} for s in REVIEW_STATES]
    assignments = dict(
        scoped(request, Assignment).filter(application__cycle=cycle).order_by().values_list("stage")
        .annotate(n=Count("pk"))
    )
    results = dict(
        scoped(request, StageResult).filter(application__cycle=cycle).order_by().values_list("stage")
        .annotate(n=Count("pk"))
    )
    due = site.reports_due(cycle)
    context = {
        "cycle": cycle,
        **rule_context(cycle),
        "states": states,
        "groups": scoped(request, ReviewGroup).filter(cycle=cycle).count(),
        "assigned": {"document": assignments.get(Stage.DOCUMENT, 0), "site": assignments.get(Stage.SITE, 0)},
        "scored": {"document": results.get(Stage.DOCUMENT, 0), "site": results.get(Stage.SITE, 0)},
        "visits": scoped(request, SiteVisit).filter(application__cycle=cycle).count(),
        "due": sum(1 for row in due if not row.overdue),
        "overdue": sum(1 for row in due if row.overdue),
        "evaluated": scoped(request, Evaluation).filter(application__cycle=cycle).count(),
    }
    return render(request, "reviews/office/overview.html", context)

"""The office's reviewer pool (评审专家库): who is in it, with organisation, position and the
qualifications the profile asks for; admitting a reviewer and taking one out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awards.refusals import ServiceError
from jurisdictions.access import role_required
from jurisdictions.models import Role
from jurisdictions.people import person_name
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import pool
from .forms_pool import PoolEntryForm
from .models import PoolEntry


def _page(request: SignedInRequest, form: PoolEntryForm | None = None, status: int = 200) -> HttpResponse:
    rules = request.jurisdiction.profile_in_force()
    typed = rules.typed if rules else None
    entries = list(scoped(request, PoolEntry).filter(active=True).select_related("reviewer")
                   .order_by("reviewer__first_name", "pk"))
    wanted = typed.review.reviewer_qualifications if typed else None
    rows = [{"entry": e, "lacking": pool.shortfalls(e, wanted.value) if wanted else []} for e in entries]
    inside = {e.reviewer_id for e in entries}
    people = request.jurisdiction.memberships.filter(role=Role.REVIEWER).values("user")
    outside = [(u.pk, person_name(u)) for u in get_user_model().objects.filter(pk__in=people)
               .exclude(pk__in=inside).order_by("first_name", "pk")]
    context = {
        "rows": rows,
        "form": form or PoolEntryForm(reviewers=outside),
        "can_admit": bool(outside),
        "qualifications": wanted,
        "qualifications_cite": cite_label(wanted.cite) if wanted else "",
        "qualifications_text": pool.describe(wanted.value) if wanted else "",
        "pool_rule": typed.review.reviewer_pool if typed else None,
        "pool_required": pool.pool_required(typed) if typed else False,
    }
    return render(request, "reviews/office/pool.html", context, status=status)


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def reviewer_pool(request: SignedInRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    people = request.jurisdiction.memberships.filter(role=Role.REVIEWER).values("user")
    reviewers = {u.pk: u for u in get_user_model().objects.filter(pk__in=people)}
    form = PoolEntryForm(request.POST, reviewers=[(pk, person_name(u)) for pk, u in reviewers.items()])
    if not form.is_valid():
        return _page(request, form)
    data = form.cleaned_data
    reviewer = reviewers[data["reviewer"]]
    try:
        pool.admit(request.jurisdiction, reviewer, organisation=data["organisation"], position=data["position"],
                   degree=data["degree"], senior_title=data["senior_title"],
                   experience_years=data["experience_years"], specialty=data["specialty"])
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _page(request, form)
    messages.success(request, _("已将%(name)s列入评审专家库。") % {"name": person_name(reviewer)})
    return redirect(tenant_url(request, "office-reviewer-pool"))


@role_required(Role.OFFICE)
@require_POST
def reviewer_pool_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    entry = scoped(request, PoolEntry).filter(pk=pk, active=True).select_related("reviewer").first()
    if entry is None:
        raise Http404
    pool.withdraw(entry)
    messages.success(request, _("已将%(name)s移出评审专家库；已组建的评审组不受影响。") % {"name": person_name(entry.reviewer)})
    return redirect(tenant_url(request, "office-reviewer-pool"))

"""A reviewer's scoring page for one application and stage (资料评审 / 现场评审).

Each item saves as the reviewer works (htmx posts one item to score_autosave, which answers with
the item's status and, out of band, the running total). Without JavaScript the whole sheet posts
to score_page. Submitting locks the sheet (reviews.scoring.submit_sheet); the leader reopens it. Once the group's
stage score exists every sheet of the stage is locked, and only the office reopens that score.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.refusals import ServiceError
from awards.views_applicant import award_name
from jurisdictions.access import has_role, role_required
from jurisdictions.models import Role
from jurisdictions.tenant_request import SignedInRequest, TenantRequest, is_signed_in
from jurisdictions.tenant_urls import tenant_url

from . import scoring
from .forms_reviewer import ItemScoreForm, item_prefix
from .models import ScoreSheet, Stage, StageResult
from .views_reviewer_access import (
    awaiting_attestation,
    is_leader,
    reviewable_or_404,
    reviewable_or_none,
    stage_or_404,
)
from .views_reviewer_sheet import blocks, item_forms, save_changed, totals


def _sheet_context(request: SignedInRequest, app, stage: str, *, forms=None, submit_error: str = "",
                   confirm_error: str = "") -> dict:
    criteria = scoring.criteria_of(app)
    records = scoring.my_scores(app, request.user, stage)
    sheet = ScoreSheet.objects.filter(application=app, reviewer=request.user, stage=stage).first()
    stage_locked = StageResult.objects.filter(application=app, stage=stage).exists()
    locked = stage_locked or (sheet is not None and sheet.submitted_at is not None)
    forms = forms or item_forms(criteria, records)
    rules = app.cycle.profile.typed
    return {
        "app": app,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "award": award_name(rules, app.category),
        "criteria": criteria,
        "blocks": blocks(app, criteria, records, forms),
        "files": list(app.files.all()),
        "locked": locked,
        "stage_locked": stage_locked,
        "sheet": sheet,
        "submit_error": submit_error,
        "confirm_error": confirm_error,
        "is_leader": is_leader(request, app, stage),
        **totals(criteria, records),
    }


def _open_for_scoring(request: SignedInRequest, pk: int, stage: str):
    """The application, or a redirect to the statement when it is assigned but not yet attested."""
    app = reviewable_or_none(request, pk, stage)
    if app is not None:
        return app, None
    if awaiting_attestation(request, pk):
        return None, redirect(tenant_url(request, "reviewer-attest", pk=pk) + f"?stage={stage}")
    raise Http404


@role_required(Role.REVIEWER)
def score_page(request: SignedInRequest, pk: int, stage: str) -> HttpResponse:
    stage = stage_or_404(stage)
    app, detour = _open_for_scoring(request, pk, stage)
    if detour is not None:
        return detour
    here = tenant_url(request, "reviewer-score", pk=app.pk, stage=stage)
    if request.method != "POST":
        return render(request, "reviews/reviewer/score.html", _sheet_context(request, app, stage))

    if scoring.has_submitted(app, request.user, stage):
        messages.error(request, _("评分已提交并锁定；如需修改，请组长重新开放。"))
        return redirect(here)
    try:
        scoring.require_no_stage_result(app, stage)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(here)
    criteria = scoring.criteria_of(app)
    records = scoring.my_scores(app, request.user, stage)
    forms = item_forms(criteria, records, request.POST)
    saved = save_changed(forms, records, lambda code, **values: scoring.save_item(app, request.user, stage, code, **values))
    if not saved:
        messages.error(request, _("部分评分项未保存，请按标出的提示修改；其余评分项已保存。"))
        return render(request, "reviews/reviewer/score.html", _sheet_context(request, app, stage, forms=forms))
    if request.POST.get("action") != "submit":
        messages.success(request, _("评分已保存。"))
        return redirect(here)
    if request.POST.get("confirm_submit") != "yes":
        context = _sheet_context(request, app, stage,
                                 confirm_error=_("请勾选确认后再提交评分；已填写的评分均已保存。"))
        return render(request, "reviews/reviewer/score.html", context)
    try:
        scoring.submit_sheet(app, request.user, stage)
    except ServiceError as exc:
        messages.error(request, _("未能提交：%(reason)s") % {"reason": exc.message})
        context = _sheet_context(request, app, stage, submit_error=exc.message)
        return render(request, "reviews/reviewer/score.html", context)
    messages.success(request, _("评分已提交并锁定。如需修改，请联系评审组组长重新开放。"))
    return redirect(here)


def autosave_answer(request: TenantRequest, *, prefix: str, error: str = "", totals_context: dict | None = None,
                    saved=None, points: int | None = None) -> HttpResponse:
    """The item's status line; after a save, also its weighted score and the totals, out of band."""
    weighted = None
    if saved is not None and saved.percentage is not None and points is not None:
        weighted = scoring.weighted(points, saved.percentage)
    context = {"prefix": prefix, "error": error, "saved": saved, "weighted": weighted,
               "saved_at": timezone.localtime(), **(totals_context or {})}
    return render(request, "reviews/reviewer/_item_status.html", context)


@require_POST
def score_autosave(request: TenantRequest, pk: int, stage: str) -> HttpResponse:
    """htmx: save one item, answer with its status and the running total (out of band)."""
    code = request.POST.get("item", "")
    prefix = item_prefix(code)
    if not is_signed_in(request):
        # A redirect to the login page would be swapped into the status line; say it instead.
        return autosave_answer(request, prefix=prefix, error=_("登录已超时，请重新登录后再保存。"))
    if not has_role(request.user, request.jurisdiction, Role.REVIEWER):
        raise Http404
    stage = stage_or_404(stage)
    app = reviewable_or_404(request, pk, stage)
    criteria = scoring.criteria_of(app)
    form = ItemScoreForm(request.POST, criteria=criteria, code=code)
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return autosave_answer(request, prefix=prefix, error=error)
    try:
        saved = scoring.save_item(app, request.user, stage, code, **form.values())
    except ServiceError as exc:
        return autosave_answer(request, prefix=prefix, error=exc.message)
    records = scoring.my_scores(app, request.user, stage)
    return autosave_answer(request, prefix=prefix, totals_context=totals(criteria, records), saved=saved,
                           points=scoring.item_points(criteria)[code])

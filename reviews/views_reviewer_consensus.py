"""The group leader's consensus page (组长负责制): every member's percentage per item with the
spread, the consensus percentage and comments, the group's stage score, and reopening.

Only the group's leader, and only after submitting their own sheet, sees other members' scores:
reviews.scoring.members_view enforces it; anyone else gets 404 here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.refusals import ServiceError
from awards.views_applicant import award_name
from jurisdictions.access import has_role, role_required
from jurisdictions.models import Role
from jurisdictions.people import person_name
from jurisdictions.tenant_request import SignedInRequest, TenantRequest, is_signed_in
from jurisdictions.tenant_urls import tenant_url

from . import scoring
from .forms_reviewer import ItemScoreForm, item_prefix
from .models import Attestation, ConsensusItem, ItemScore, ScoreSheet, Stage, StageResult
from .score_display import show_score
from .views_reviewer_access import is_leader, reviewable_or_404, stage_or_404
from .views_reviewer_scoring import autosave_answer
from .views_reviewer_sheet import blocks, item_forms, save_changed, totals


def _leader_app(request: SignedInRequest, pk: int, stage: str):
    stage = stage_or_404(stage)
    app = reviewable_or_404(request, pk, stage)
    if not is_leader(request, app, stage):
        raise Http404
    return app, stage


def _consensus_records(app, stage: str) -> dict[str, ConsensusItem]:
    return {c.item_code: c for c in ConsensusItem.objects.filter(application=app, stage=stage)}


def _members(app, stage: str):
    """The group's members for this application, leader first, split into active and recused."""
    assignment = scoring.stage_assignment(app, stage)
    assert assignment is not None  # the caller found the reviewer leading this stage's group
    members = list(assignment.group.members.select_related("reviewer").order_by("-is_leader", "reviewer__username"))
    recused = set(
        Attestation.objects.filter(application=app, decision=Attestation.Decision.RECUSED)
        .values_list("reviewer_id", flat=True)
    )
    return assignment.group, [m for m in members if m.reviewer_id not in recused], [
        m for m in members if m.reviewer_id in recused
    ]


def _consensus_context(request: SignedInRequest, app, stage: str, *, forms=None, submit_error: str = "",
                       confirm_error: str = "") -> dict:
    criteria = scoring.criteria_of(app)
    spreads = {s.code: s for s in scoring.members_view(app, request.user, stage)}
    group, active, recused = _members(app, stage)
    sheets = {s.reviewer_id: s for s in ScoreSheet.objects.filter(application=app, stage=stage)}
    # members_view has authorised the leader to read the active members' sheets; their comments help
    # the leader write the consensus ones.
    comments: dict[str, list] = {}
    for score in ItemScore.objects.filter(
        application=app, stage=stage, reviewer__in=[m.reviewer for m in active]
    ).select_related("reviewer").order_by("reviewer__username"):
        if score.strengths or score.opportunities:
            comments.setdefault(score.item_code, []).append(score)
    records = _consensus_records(app, stage)
    prefilled: list[str] = []
    if forms is None:
        forms = item_forms(criteria, records)
        # An item the leader has not set yet starts from the members' median (saved with the sheet).
        for code, form in forms.items():
            median = spreads[code].median
            if code not in records and median is not None:
                form.initial["percentage"] = str(median)
                prefilled.append(code)
    laid_out = blocks(app, criteria, records, forms)
    for block in laid_out:
        for row in block.items:
            spread = spreads[row.item.code]
            row.extra = {
                "spread": spread,
                "cells": [spread.by_reviewer.get(m.reviewer.get_username()) for m in active],
                "comments": comments.get(row.item.code, []),
                "prefilled": row.item.code in prefilled,
            }
    result = StageResult.objects.filter(application=app, stage=stage).first()
    return {
        "app": app,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "award": award_name(app.cycle.profile.typed, app.category),
        "criteria": criteria,
        "group": group,
        "members": [{"member": m, "sheet": sheets.get(m.reviewer_id)} for m in active],
        "recused": recused,
        "blocks": laid_out,
        "result": result,
        "locked": result is not None,
        "high_spread": settings.REVIEW_HIGH_SPREAD_POINTS,
        "high_spread_count": sum(1 for s in spreads.values() if s.high_spread),
        "disputed": [row for block in laid_out for row in block.items if row.extra["spread"].high_spread],
        "agreed_count": sum(1 for s in spreads.values() if s.agreed),
        "prefilled_count": len(prefilled),
        "submit_error": submit_error,
        "confirm_error": confirm_error,
        **totals(criteria, records),
    }


@role_required(Role.REVIEWER)
def consensus_page(request: SignedInRequest, pk: int, stage: str) -> HttpResponse:
    app, stage = _leader_app(request, pk, stage)
    if not scoring.has_submitted(app, request.user, stage):
        return render(request, "reviews/reviewer/consensus_wait.html", {
            "app": app, "stage": stage, "stage_label": Stage(stage).label,
        })
    here = tenant_url(request, "reviewer-consensus", pk=app.pk, stage=stage)
    if request.method != "POST":
        return render(request, "reviews/reviewer/consensus.html", _consensus_context(request, app, stage))

    try:
        scoring.require_no_stage_result(app, stage)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(here)
    criteria = scoring.criteria_of(app)
    records = _consensus_records(app, stage)
    forms = item_forms(criteria, records, request.POST)
    saved = save_changed(forms, records, lambda code, **values: scoring.set_consensus(app, request.user, stage, code, **values))
    if not saved:
        messages.error(request, _("部分共识分未保存，请按标出的提示修改；其余评分项已保存。"))
        return render(request, "reviews/reviewer/consensus.html", _consensus_context(request, app, stage, forms=forms))
    if request.POST.get("action") != "submit":
        messages.success(request, _("共识分已保存。"))
        return redirect(here)
    if request.POST.get("confirm_submit") != "yes":
        return render(request, "reviews/reviewer/consensus.html", _consensus_context(
            request, app, stage, confirm_error=_("请勾选确认后再提交评审组得分；已填写的共识分均已保存。")))
    try:
        result = scoring.submit_group_score(app, request.user, stage)
    except ServiceError as exc:
        messages.error(request, _("未能提交：%(reason)s") % {"reason": exc.message})
        return render(request, "reviews/reviewer/consensus.html",
                      _consensus_context(request, app, stage, submit_error=exc.message))
    messages.success(request, _("评审组%(stage)s得分已提交：%(total)s分。") % {
        "stage": Stage(stage).label, "total": show_score(result.total),
    })
    return redirect(here)


@require_POST
def consensus_autosave(request: TenantRequest, pk: int, stage: str) -> HttpResponse:
    """htmx: save one consensus item, answer with its status and the group total (out of band)."""
    code = request.POST.get("item", "")
    prefix = item_prefix(code)
    if not is_signed_in(request):
        return autosave_answer(request, prefix=prefix, error=_("登录已超时，请重新登录后再保存。"))
    if not has_role(request.user, request.jurisdiction, Role.REVIEWER):
        raise Http404
    app, stage = _leader_app(request, pk, stage)
    if not scoring.has_submitted(app, request.user, stage):
        raise Http404
    criteria = scoring.criteria_of(app)
    form = ItemScoreForm(request.POST, criteria=criteria, code=code)
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return autosave_answer(request, prefix=prefix, error=error)
    try:
        saved = scoring.set_consensus(app, request.user, stage, code, **form.values())
    except ServiceError as exc:
        return autosave_answer(request, prefix=prefix, error=exc.message)
    return autosave_answer(request, prefix=prefix, totals_context=totals(criteria, _consensus_records(app, stage)),
                           saved=saved, points=scoring.item_points(criteria)[code])


@role_required(Role.REVIEWER)
def consensus_reopen(request: SignedInRequest, pk: int, stage: str) -> HttpResponse:
    """Confirm, then reopen a member's submitted sheet (?member=<id>). The group's stage score is
    reopened by the office alone (reviews/reopening.py); the leader is told so."""
    app, stage = _leader_app(request, pk, stage)
    back = tenant_url(request, "reviewer-consensus", pk=app.pk, stage=stage)
    member_id = request.POST.get("member") or request.GET.get("member") or ""
    if not member_id:
        messages.error(request, _("评审组得分只能由评审办重新开放。"))
        return redirect(back)
    _group, active, _recused = _members(app, stage)
    member = next((m.reviewer for m in active if str(m.reviewer_id) == member_id), None)
    if member is None:
        raise Http404
    if not scoring.has_submitted(app, member, stage):
        messages.info(request, _("该评审员的评分尚未提交，无需重新开放。"))
        return redirect(back)
    if member.pk == request.user.pk:
        messages.error(request, _("组长提交本人评分后即可查看全组评分，本人评分表不能再重新开放。"))
        return redirect(back)
    try:
        scoring.require_no_stage_result(app, stage)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)

    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            scoring.reopen(app, request.user, stage, reviewer=member)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, _("已重新开放%(name)s的评分表。") % {"name": person_name(member)})
        return redirect(back)
    return render(request, "reviews/reviewer/reopen_confirm.html", {
        "app": app, "stage": stage, "stage_label": Stage(stage).label, "member": member, "back": back,
    })

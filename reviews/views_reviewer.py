"""Reviewer pages: declared affiliations, the assigned applications and the conflict-of-interest
statement (利害关系回避声明). Scoring lives in views_reviewer_scoring.py, the leader's consensus in
views_reviewer_consensus.py.

The rules are reviews.groups: views only collect input, call it and show what it refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.refusals import ServiceError, accepted
from awards.views_applicant import award_name
from jurisdictions.access import role_required
from jurisdictions.models import Role
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import groups
from .forms_reviewer import (
    AffiliationForm,
    LateConflictForm,
    NoConflictForm,
    RecusalForm,
)
from .models import (
    Affiliation,
    Assignment,
    Attestation,
    GroupMember,
    ItemScore,
    ScoreSheet,
    Stage,
    StageResult,
)
from .views_reviewer_access import assigned_or_404


@role_required(Role.REVIEWER)
def affiliations(request: SignedInRequest) -> HttpResponse:
    form = AffiliationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                affiliation = groups.declare_affiliation(request.jurisdiction, request.user, form.save(commit=False))
            except ServiceError as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("已申报：%(name)s") % {"name": affiliation.organization_name})
                return redirect(tenant_url(request, "reviewer-affiliations"))
        messages.error(request, _("未能保存，请按提示修改标出的栏目。"))
    declared = scoped(request, Affiliation).filter(reviewer=request.user).order_by("-declared_at", "-pk")
    return render(request, "reviews/reviewer/affiliations.html", {"form": form, "declared": list(declared)})


class TaskStatus:
    NEEDS_ATTESTATION = "needs_attestation"
    ATTESTED = "attested"
    RECUSED = "recused"
    SCORING = "scoring"
    SUBMITTED = "submitted"


STATUS_LABELS = {
    TaskStatus.NEEDS_ATTESTATION: gettext_lazy("待作回避声明"),
    TaskStatus.ATTESTED: gettext_lazy("已声明无利害关系"),
    TaskStatus.RECUSED: gettext_lazy("已回避"),
    TaskStatus.SCORING: gettext_lazy("评分中"),
    TaskStatus.SUBMITTED: gettext_lazy("评分已提交"),
}


@dataclass
class TaskRow:
    assignment: Assignment
    status: str
    is_leader: bool
    group_submitted: bool
    award: str = ""

    @property
    def app(self):
        return self.assignment.application

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _task_rows(request: SignedInRequest) -> list[TaskRow]:
    """Every assignment of the reviewer's groups here, with the reviewer's own progress on it."""
    user = request.user
    assignments = list(
        scoped(request, Assignment)
        .filter(group__members__reviewer=user)
        .select_related("application__organization", "application__cycle__profile", "group")
        .order_by("stage", "application__number", "application_id")
    )
    app_ids = {a.application_id for a in assignments}
    decisions = dict(
        Attestation.objects.filter(reviewer=user, application_id__in=app_ids).values_list("application_id", "decision")
    )
    submitted = set(
        ScoreSheet.objects.filter(reviewer=user, application_id__in=app_ids, submitted_at__isnull=False)
        .values_list("application_id", "stage")
    )
    started = set(
        ItemScore.objects.filter(reviewer=user, application_id__in=app_ids).values_list("application_id", "stage").distinct()
    )
    led = set(GroupMember.objects.filter(reviewer=user, is_leader=True).values_list("group_id", flat=True))
    results = set(StageResult.objects.filter(application_id__in=app_ids).values_list("application_id", "stage"))
    rows = []
    for a in assignments:
        key = (a.application_id, a.stage)
        decision = decisions.get(a.application_id)
        if decision == Attestation.Decision.RECUSED:
            status = TaskStatus.RECUSED
        elif decision is None:
            status = TaskStatus.NEEDS_ATTESTATION
        elif key in submitted:
            status = TaskStatus.SUBMITTED
        elif key in started:
            status = TaskStatus.SCORING
        else:
            status = TaskStatus.ATTESTED
        rows.append(TaskRow(assignment=a, status=status, is_leader=a.group_id in led, group_submitted=key in results))
    return rows


@role_required(Role.REVIEWER)
def applications(request: SignedInRequest) -> HttpResponse:
    rows = _task_rows(request)
    stages = [
        {"code": code, "label": label, "rows": [r for r in rows if r.assignment.stage == code]}
        for code, label in Stage.choices
    ]
    typed_by_profile: dict = {}
    for row in rows:
        profile = row.app.cycle.profile
        rules = typed_by_profile.setdefault(profile.pk, profile.typed)
        row.award = award_name(rules, row.app.category)
    return render(request, "reviews/reviewer/applications.html", {"stages": stages, "has_rows": bool(rows)})


def _assigned_stages(request: SignedInRequest, app) -> list[str]:
    stages = set(
        scoped(request, Assignment).filter(application=app, group__members__reviewer=request.user)
        .values_list("stage", flat=True)
    )
    return [code for code in Stage.values if code in stages]


@role_required(Role.REVIEWER)
def attest(request: SignedInRequest, pk: int) -> HttpResponse:
    app = assigned_or_404(request, pk)
    rules = app.cycle.profile.typed
    recusal = rules.review.recusal
    stages = _assigned_stages(request, app)
    wanted = request.GET.get("stage") or request.POST.get("stage")
    next_stage = wanted if wanted in stages else (stages[0] if stages else Stage.DOCUMENT)
    label = _("本人确认与该申报组织不存在利害关系（任职、客户、咨询服务、竞争或其他可能影响公正评审的关系），"
              "将遵守回避规定，并对申报材料保密。")
    confirm_form = NoConflictForm(label=label)
    recusal_form = RecusalForm()
    late_form = LateConflictForm()
    statement = Attestation.objects.filter(application=app, reviewer=request.user).first()

    if request.method == "POST" and statement is not None and request.POST.get("action") == "declare_conflict":
        late_form = LateConflictForm(request.POST)
        if accepted(late_form, lambda: groups.declare_conflict(app, request.user, late_form.cleaned_data["reason"])):
            messages.success(request, _("已申报利害关系并回避。该申报已从您的评审任务中移除，评审办已收到通知。"))
            return redirect(tenant_url(request, "reviewer-applications"))
        messages.error(request, _("未能提交，请按提示修改。"))

    if request.method == "POST" and statement is None:
        action = request.POST.get("action")
        if action == "no_conflict":
            confirm_form = NoConflictForm(request.POST, label=label)
            if accepted(confirm_form, lambda: groups.attest(app, request.user, no_conflict=True)):
                messages.success(request, _("已声明与该申报组织无利害关系，现在可以查阅申报材料并评分。"))
                return redirect(tenant_url(request, "reviewer-score", pk=app.pk, stage=next_stage))
        elif action == "recuse":
            recusal_form = RecusalForm(request.POST)
            if accepted(recusal_form, lambda: groups.attest(app, request.user, no_conflict=False, reason=recusal_form.cleaned_data["reason"])):
                messages.success(request, _("已申请回避。该申报已从您的评审任务中移除，评审办已收到通知。"))
                return redirect(tenant_url(request, "reviewer-applications"))
        messages.error(request, _("声明未提交，请按提示修改。"))

    return render(request, "reviews/reviewer/attest.html", {
        "app": app,
        "award": award_name(rules, app.category),
        "recusal": recusal,
        "confirm_form": confirm_form,
        "recusal_form": recusal_form,
        "late_form": late_form,
        "statement": statement,
        "stages": [(code, Stage(code).label) for code in stages],
        "next_stage": next_stage,
    })

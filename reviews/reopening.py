"""The office reopening a group's stage score: the only way a decided score changes.

A stage result is what the shortlist (document stage) and the comprehensive evaluation (site
stage) were decided on, so reopening one undoes, through the workflow, the decision built on it,
and is refused once the application has gone further than that decision.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application
from awards.refusals import ServiceError
from awards.states import REOPEN_MOVES, AppState
from awards.workflow import TransitionError, transition
from jurisdictions.access import has_role
from jurisdictions.models import Role

from .models import Evaluation, ReviewDocument, Stage, StageResult

# The history row of the removed result keeps the reason in a 100-character column.
REASON_MAX = 100

# Per stage: the states whose decision used the stage's score (undone by a REOPEN_MOVES move), and
# the state in which the score exists but nothing has been decided on it yet.
_UNDONE = {stage: {frm: to for (frm, to), s in REOPEN_MOVES.items() if s == stage} for stage in Stage.values}
_UNDECIDED: dict[str, str] = {Stage.DOCUMENT: AppState.ELIGIBLE, Stage.SITE: AppState.SHORTLISTED}


def reopen_stage_result(application: Application, stage: str, actor: User, reason: str,
                        now: dt.datetime | None = None) -> Application:
    """Remove the group's `stage` score so the group can score again; return the application as it
    now stands (moved back if a decision had used the score)."""
    if not has_role(actor, application.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以重新开放评审组得分。"))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请写明重新开放的理由。"), "reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(_("理由不得超过%(n)s字。") % {"n": REASON_MAX}, "reason")
    now = now or timezone.now()
    label = Stage(stage).label
    with transaction.atomic():
        app = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        result = StageResult.objects.filter(application=app, stage=stage).first()
        if result is None:
            raise ServiceError(_("该申报尚无%(stage)s评审组得分，无需重新开放。") % {"stage": label})
        back_to = _UNDONE[stage].get(app.state)
        if back_to is None and app.state != _UNDECIDED[stage]:
            raise ServiceError(
                _("申报已处于“%(state)s”，依据%(stage)s得分作出的后续决定不能由重新开放撤销。")
                % {"state": AppState(app.state).label, "stage": label}
            )
        if stage == Stage.DOCUMENT and StageResult.objects.filter(application=app, stage=Stage.SITE).exists():
            raise ServiceError(_("该申报已有现场评审得分，请先重新开放现场评审得分。"))
        details = {"stage": stage, "reopened_total": str(result.total)}
        if back_to is not None:
            try:
                app = transition(app, back_to, actor=actor, reason=reason, rule=f"review.reopen.{stage}",
                                 details=details, now=now)
            except TransitionError as exc:
                raise ServiceError(str(exc)) from exc
        _remove(result, actor, reason)
        if stage == Stage.SITE:
            evaluation = Evaluation.objects.filter(application=app).first()
            if evaluation is not None:
                _remove(evaluation, actor, reason)
        else:
            # The feedback letter explained a shortlist decision that no longer stands.
            ReviewDocument.objects.filter(application=app, kind=ReviewDocument.Kind.FEEDBACK_REPORT).delete()
    return app


def _remove(record, actor: User, reason: str) -> None:
    """Delete with a history row saying who removed it and why."""
    record._history_user = actor
    record._change_reason = reason
    record.delete()


def reopenable_stages(application: Application) -> list[str]:
    """The stages whose result the office could reopen now (what the reopen form offers)."""
    results = set(StageResult.objects.filter(application=application).values_list("stage", flat=True))
    out = []
    for stage in Stage.values:
        if stage not in results:
            continue
        if application.state not in _UNDONE[stage] and application.state != _UNDECIDED[stage]:
            continue
        if stage == Stage.DOCUMENT and Stage.SITE in results:
            continue
        out.append(stage)
    return out

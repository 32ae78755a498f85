"""Scoring against the criteria: reviewers' item percentages, submission, consensus, reopening.

Item score = item points × percentage; a stage total is the sum over the items (1000 in all).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application
from awards.refusals import ServiceError
from awards.system_actor import is_system_actor
from jurisdictions.access import has_role
from jurisdictions.criteria_schema import CriteriaDoc
from jurisdictions.models import Role

from .groups import leader_of, reviewable_applications
from .models import SCORE_PLACES, Assignment, Attestation, ConsensusItem, ItemScore, ScoreSheet, StageResult
from .ranked_cut import decimal_places

TWO_PLACES = Decimal("0.01")


def criteria_of(application: Application) -> CriteriaDoc:
    return application.cycle.profile.criteria.typed


def item_points(criteria: CriteriaDoc) -> dict[str, int]:
    return {item.code: item.points for item in criteria.items()}


def weighted(points: int, percentage: int | None) -> Decimal:
    if percentage is None:
        return Decimal(0)
    return (Decimal(points) * Decimal(percentage) / Decimal(100)).quantize(TWO_PLACES, ROUND_HALF_UP)


def total_of(percentages: Mapping[str, int | None], points: dict[str, int]) -> Decimal:
    return sum((weighted(points[code], pct) for code, pct in percentages.items() if code in points), Decimal(0))


def check_percentage(value: int | None, step: int) -> None:
    if value is None:
        return
    if not 0 <= value <= 100 or value % step:
        raise ServiceError(_("得分率应为0到100之间%(step)s的整数倍。") % {"step": step}, "percentage")


def _require_access(application: Application, reviewer: User, stage: str) -> None:
    if not reviewable_applications(reviewer, application.jurisdiction, stage).filter(pk=application.pk).exists():
        raise ServiceError(_("您无权为该申报评分（未分配、未作无利害关系声明或已回避）。"))


def require_no_stage_result(application: Application, stage: str) -> None:
    """Once the group's stage score exists, decisions may rest on it: every sheet and the consensus
    of that stage are locked until the office reopens it (reviews/reopening.py)."""
    if StageResult.objects.filter(application=application, stage=stage).exists():
        raise ServiceError(_("本阶段评审组得分已确定，评分已锁定；如需修改，须由评审办重新开放。"))


def _lock_application(application: Application) -> None:
    # The group-score submission locks the same row: a save cannot slip in beside it.
    Application.objects.select_for_update(of=("self",)).filter(pk=application.pk).first()


def sheet_for(application: Application, reviewer: User, stage: str) -> ScoreSheet:
    sheet, _created = ScoreSheet.objects.get_or_create(application=application, reviewer=reviewer, stage=stage)
    return sheet


def save_item(application: Application, reviewer: User, stage: str, item_code: str, *, percentage: int | None,
              strengths: str = "", opportunities: str = "") -> ItemScore:
    _require_access(application, reviewer, stage)
    criteria = criteria_of(application)
    if item_code not in item_points(criteria):
        raise ServiceError(_("未知的评分项。"), "item_code")
    check_percentage(percentage, criteria.percentage_step)
    with transaction.atomic():
        _lock_application(application)
        require_no_stage_result(application, stage)
        sheet = ScoreSheet.objects.select_for_update().get_or_create(
            application=application, reviewer=reviewer, stage=stage
        )[0]
        if sheet.submitted_at is not None:
            raise ServiceError(_("评分已提交并锁定；如需修改，请组长重新开放。"))
        score, _created = ItemScore.objects.update_or_create(
            application=application, reviewer=reviewer, stage=stage, item_code=item_code,
            defaults={"percentage": percentage, "strengths": strengths, "opportunities": opportunities},
        )
    return score


def my_scores(application: Application, reviewer: User, stage: str) -> dict[str, ItemScore]:
    return {s.item_code: s for s in ItemScore.objects.filter(application=application, reviewer=reviewer, stage=stage)}


def submit_sheet(application: Application, reviewer: User, stage: str) -> ScoreSheet:
    _require_access(application, reviewer, stage)
    points = item_points(criteria_of(application))
    with transaction.atomic():
        _lock_application(application)
        require_no_stage_result(application, stage)
        sheet = ScoreSheet.objects.select_for_update().get_or_create(
            application=application, reviewer=reviewer, stage=stage
        )[0]
        if sheet.submitted_at is not None:
            raise ServiceError(_("评分已经提交。"))
        scored = set(
            ItemScore.objects.filter(application=application, reviewer=reviewer, stage=stage,
                                     percentage__isnull=False).values_list("item_code", flat=True)
        )
        missing = [code for code in points if code not in scored]
        if missing:
            raise ServiceError(_("还有%(n)s个评分项未打分：%(codes)s") % {"n": len(missing), "codes": "、".join(missing)})
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["submitted_at"])
    return sheet


def has_submitted(application: Application, reviewer: User, stage: str) -> bool:
    return ScoreSheet.objects.filter(application=application, reviewer=reviewer, stage=stage,
                                     submitted_at__isnull=False).exists()


@dataclass
class ItemSpread:
    code: str
    points: int
    by_reviewer: dict[str, int | None]
    mean: float | None
    stdev: float | None
    consensus: int | None
    high_spread: bool
    # Where the leader's consensus starts: the members' median, on the criteria's step.
    median: int | None = None
    # Every member who scored gave the same percentage.
    agreed: bool = False


def members_view(application: Application, viewer, stage: str) -> list[ItemSpread]:
    """Every member's percentage per item with the spread. Only the leader, and only after they
    submitted their own sheet, may see it: nobody reads others' scores before scoring."""
    if leader_of(application, stage) != viewer:
        raise ServiceError(_("只有评审组组长可以查看全组评分。"))
    if not has_submitted(application, viewer, stage):
        raise ServiceError(_("请先提交您自己的评分，再查看其他评审员的评分。"))
    criteria = criteria_of(application)
    recused = Attestation.objects.filter(application=application, decision=Attestation.Decision.RECUSED)
    scores = ItemScore.objects.filter(application=application, stage=stage).exclude(
        reviewer__in=recused.values("reviewer")
    ).select_related("reviewer")
    grid: dict[str, dict[str, int | None]] = {}
    for s in scores:
        grid.setdefault(s.item_code, {})[s.reviewer.get_username()] = s.percentage
    consensus = {c.item_code: c.percentage for c in ConsensusItem.objects.filter(application=application, stage=stage)}
    out = []
    for item in criteria.items():
        row = grid.get(item.code, {})
        values = [v for v in row.values() if v is not None]
        stdev = statistics.pstdev(values) if len(values) > 1 else (0.0 if values else None)
        out.append(ItemSpread(
            code=item.code, points=item.points, by_reviewer=row,
            mean=statistics.fmean(values) if values else None, stdev=stdev,
            consensus=consensus.get(item.code), high_spread=stdev is not None and stdev >= settings.REVIEW_HIGH_SPREAD_POINTS,
            median=median_on_step(values, criteria.percentage_step),
            agreed=len(values) > 1 and len(set(values)) == 1,
        ))
    return out


def median_on_step(values: list[int], step: int) -> int | None:
    """The members' median percentage, where the leader's consensus starts. With an even number of
    members the median may fall between two steps (60 and 65 give 62.5): it is taken down to the
    step below, so a starting value never exceeds what the middle of the group gave."""
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle // step * step)


def set_consensus(application: Application, leader, stage: str, item_code: str, *, percentage: int | None,
                  strengths: str = "", opportunities: str = "") -> ConsensusItem:
    if leader_of(application, stage) != leader:
        raise ServiceError(_("只有评审组组长可以确定共识分。"))
    criteria = criteria_of(application)
    if item_code not in item_points(criteria):
        raise ServiceError(_("未知的评分项。"), "item_code")
    check_percentage(percentage, criteria.percentage_step)
    with transaction.atomic():
        _lock_application(application)
        require_no_stage_result(application, stage)
        item, _created = ConsensusItem.objects.update_or_create(
            application=application, stage=stage, item_code=item_code,
            defaults={"percentage": percentage, "strengths": strengths, "opportunities": opportunities},
        )
    return item


def submit_group_score(application: Application, leader, stage: str) -> StageResult:
    if leader_of(application, stage) != leader:
        raise ServiceError(_("只有评审组组长可以提交评审组得分。"))
    points = item_points(criteria_of(application))
    with transaction.atomic():
        _lock_application(application)
        if StageResult.objects.filter(application=application, stage=stage).exists():
            raise ServiceError(_("本阶段评审组得分已经提交。"))
        consensus = {c.item_code: c.percentage for c in ConsensusItem.objects.filter(application=application,
                                                                                      stage=stage)}
        missing = [code for code in points if consensus.get(code) is None]
        if missing:
            raise ServiceError(_("还有%(n)s个评分项未确定共识分：%(codes)s") % {"n": len(missing), "codes": "、".join(missing)})
        return StageResult.objects.create(
            application=application, stage=stage, total=total_of(consensus, points),
            submitted_by=leader, submitted_at=timezone.now(),
        )


def consensus_totals(cycle, stage: str) -> dict[int, Decimal]:
    """Every application's consensus total at one stage, from the leaders' consensus items, in one query.

    Only applications whose every criterion item has a consensus percentage get a total: a half-set
    consensus is not a score.
    """
    points = item_points(cycle.profile.criteria.typed)
    percentages: dict[int, dict[str, int | None]] = {}
    for app_id, code, pct in ConsensusItem.objects.filter(
        application__cycle=cycle, stage=stage, percentage__isnull=False
    ).values_list("application_id", "item_code", "percentage"):
        percentages.setdefault(app_id, {})[code] = pct
    return {
        app_id: total_of(by_item, points)
        for app_id, by_item in percentages.items()
        if all(code in by_item for code in points)
    }


def reopen(application: Application, leader, stage: str, reviewer: User) -> None:
    """The leader reopens a member's submitted sheet for changes; history keeps the old values.

    Not the leader's own sheet: submitting it is what shows the leader every member's scores
    (members_view), so from then on it stays as it was. Not once the group's stage score exists:
    only the office reopens that (reviews/reopening.py).
    """
    if leader_of(application, stage) != leader:
        raise ServiceError(_("只有评审组组长可以重新开放评分。"))
    if reviewer is None:
        raise ServiceError(_("评审组得分只能由评审办重新开放。"))
    if reviewer.pk == leader.pk:
        raise ServiceError(_("组长提交本人评分后即可查看全组评分，本人评分表不能再重新开放。"))
    with transaction.atomic():
        _lock_application(application)
        require_no_stage_result(application, stage)
        # save(), not a queryset update: the reopening itself must leave a history row.
        for sheet in ScoreSheet.objects.select_for_update().filter(
            application=application, reviewer=reviewer, stage=stage, submitted_at__isnull=False
        ):
            sheet.submitted_at = None
            sheet.save(update_fields=["submitted_at"])


def exact_total(total: Decimal | int | float | str) -> Decimal:
    """A given stage total as stored: exactly, or refused. Rounding it could lift 599.995 over a
    600-point floor, so a total with more decimals than a StageResult keeps is an error."""
    value = Decimal(str(total))
    if not value.is_finite() or value < 0:
        raise ServiceError(_("评审组得分应为不小于0的数。"), "total")
    if decimal_places(value) > SCORE_PLACES:
        raise ServiceError(_("评审组得分最多保留%(n)s位小数（所填为%(v)s），请按评分表原样填写，系统不作四舍五入。")
                          % {"n": SCORE_PLACES, "v": value}, "total")
    return value


def record_group_total(application: Application, stage: str, total: Decimal, actor: User) -> StageResult:
    """A stage total given as such (a what-if run, or a score sheet kept on paper), by the office
    (or the system actor); like a submitted group score it stands until the office reopens it."""
    if not (is_system_actor(actor) or has_role(actor, application.jurisdiction, Role.OFFICE)):
        raise ServiceError(_("只有评审办工作人员可以录入评审组得分。"))
    with transaction.atomic():
        _lock_application(application)
        require_no_stage_result(application, stage)
        return StageResult.objects.create(
            application=application, stage=stage, total=exact_total(total),
            submitted_by=actor, submitted_at=timezone.now(),
        )


def stage_assignment(application: Application, stage: str) -> Assignment | None:
    return Assignment.objects.filter(application=application, stage=stage).select_related("group").first()

"""Document-review ranking and shortlist, comprehensive scores, floors and the candidate list.

Cycle-level batch steps built on the one workflow function; every outcome records its reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from awards.models import Application, AwardCycle
from awards.record_language import in_record_language
from awards.states import AppState
from awards.workflow import Move, transition_many

from .groups import ReviewError
from .models import Evaluation, Stage, StageResult

TWO = Decimal("0.01")


def _fmt(value: Decimal | float) -> str:
    text = f"{Decimal(value).quantize(TWO, ROUND_HALF_UP):f}".rstrip("0").rstrip(".")
    return text or "0"


@dataclass
class Ranked:
    application: Application
    document_score: Decimal | None
    site_score: Decimal | None = None
    comprehensive_score: Decimal | None = None
    rank: int | None = None
    reasons: list[dict] = field(default_factory=list)


def stage_scores(cycle: AwardCycle) -> dict[int, dict[str, Decimal]]:
    """application id → {stage: total}, in one query."""
    out: dict[int, dict[str, Decimal]] = {}
    for app_id, stage, total in StageResult.objects.filter(application__cycle=cycle).values_list(
        "application_id", "stage", "total"
    ):
        out.setdefault(app_id, {})[stage] = total
    return out


def document_ranking(cycle: AwardCycle) -> list[Ranked]:
    """Eligible (and later) applications by document score, highest first; ties by receipt number."""
    scores = stage_scores(cycle)
    apps = Application.objects.filter(cycle=cycle).exclude(
        state__in=[AppState.DRAFT, AppState.SUBMITTED, AppState.RETURNED, AppState.WITHDRAWN, AppState.INELIGIBLE]
    ).select_related("organization")
    rows = [Ranked(a, scores.get(a.pk, {}).get(Stage.DOCUMENT), scores.get(a.pk, {}).get(Stage.SITE)) for a in apps]
    rows.sort(key=lambda r: (r.document_score is None, -(r.document_score or 0), r.application.number))
    for i, row in enumerate(rows, start=1):
        row.rank = i if row.document_score is not None else None
    return rows


def shortlist_cap(cycle: AwardCycle) -> tuple[int | None, dict | None]:
    """The most applicants the rules let into site review, with the reason, or (None, None)."""
    rules = cycle.profile.typed
    sl = rules.shortlist
    if sl.rule.value != "cap_ratio_of_total_quota" or sl.ratio is None:
        return None, None
    total_quota = sum(q.quota for q in cycle.quotas.all())
    exact = Decimal(str(sl.ratio.value)) * total_quota
    cap = math.floor(exact)
    # "不超过" a fractional number of places means the whole number below it: show both.
    limit = (_("%(cap)s家") % {"cap": cap} if exact == cap
             else _("%(x)s，即最多%(cap)s家") % {"x": _fmt(exact), "cap": cap})
    reason = {
        "rule": "shortlist.ratio",
        "cite": sl.ratio.cite,
        "text": _("入围现场评审不超过获奖总数的%(r)s倍：%(r)s × %(q)s = %(limit)s") % {
            "r": _fmt(sl.ratio.value), "q": total_quota, "limit": limit},
    }
    return cap, reason


@in_record_language
def decide_shortlist(cycle: AwardCycle, actor, chosen_ids: set[int] | None = None,
                     excluded_ids: set[int] = frozenset()) -> list[Ranked]:
    """Send the top of the document ranking to site review. Under a cap rule the cap decides (after
    the office's exclusions) and the office's choice may not exceed it; otherwise the office's choice
    (chosen_ids; by default everyone not excluded) decides."""
    with transaction.atomic():
        # Lock the cycle's undecided applications first: a second click waits, then finds none.
        _lock(cycle, AppState.ELIGIBLE)
        rows = [r for r in document_ranking(cycle) if r.application.state == AppState.ELIGIBLE]
        unscored = [r for r in rows if r.document_score is None]
        if unscored:
            raise ReviewError(_("还有%(n)s份申报没有资料评审得分。") % {"n": len(unscored)})
        cap, cap_reason = shortlist_cap(cycle)
        sl = cycle.profile.typed.shortlist
        if chosen_ids is None:
            open_rows = [r for r in rows if r.application.pk not in excluded_ids]
            chosen_ids = {r.application.pk for r in (open_rows[:cap] if cap is not None else open_rows)}
        if cap is not None and len(chosen_ids) > cap:
            raise ReviewError(_("入围名单超过规则上限：%(text)s（%(cite)s）") % {"text": cap_reason["text"],
                                                                             "cite": cap_reason["cite"]})
        office = {"rule": "shortlist.rule", "cite": sl.rule.cite,
                  "text": _("评审办按资料评审排名确定入围现场评审名单")}
        base = cap_reason or office
        open_rank = {r.application.pk: i for i, r in enumerate(
            (r for r in rows if r.application.pk not in excluded_ids), start=1)}
        moves = {}
        for row in rows:
            app = row.application
            score_text = _("资料评审得分 %(s)s，排名第%(rank)s") % {"s": _fmt(row.document_score), "rank": row.rank}
            if app.pk in chosen_ids:
                target, why, outcome = AppState.SHORTLISTED, base, _("，入围现场评审")
            elif cap is not None and open_rank.get(app.pk, 0) > cap:
                target, why, outcome = AppState.NOT_SHORTLISTED, cap_reason, _("，未入围现场评审")
            else:
                # Left out by the office, not by the cap: the feedback must not blame the rule for it.
                target, why, outcome = AppState.NOT_SHORTLISTED, office, _("，评审办决定不列入现场评审名单")
            row.reasons = [why, {"rule": "shortlist", "cite": why["cite"], "text": score_text + outcome}]
            moves[app.pk] = Move(target, reason=score_text, rule=why["rule"], cite=why["cite"],
                                 details={"reasons": row.reasons})
        transition_many(moves, actor=actor)
        for row in rows:
            row.application.state = moves[row.application.pk].to_state
    return rows


def _lock(cycle: AwardCycle, state: str) -> list[int]:
    return list(
        Application.objects.select_for_update(of=("self",)).filter(cycle=cycle, state=state)
        .order_by("pk").values_list("pk", flat=True)
    )


def evaluate_one(cycle: AwardCycle, app: Application, document: Decimal, site: Decimal) -> tuple[Decimal, str, list[dict]]:
    """(comprehensive score, award it is a candidate for or "", reasons)."""
    rules = cycle.profile.typed
    weights = rules.scoring.weights
    w = weights.value
    score = (Decimal(document) * Decimal(str(w.document)) + Decimal(site) * Decimal(str(w.site))).quantize(
        TWO, ROUND_HALF_UP)
    reasons = [{
        "rule": "scoring.weights",
        "cite": weights.cite,
        "text": _("综合评分 = 资料评审 %(d)s × %(wd)s%% + 现场评审 %(s)s × %(ws)s%% = %(t)s") % {
            "d": _fmt(document), "wd": _fmt(Decimal(str(w.document)) * 100), "s": _fmt(site),
            "ws": _fmt(Decimal(str(w.site)) * 100), "t": _fmt(score)},
    }]
    candidates = [rules.award(app.category)]
    candidates += [a for a in rules.awards if a.lower_tier_of == app.category]
    for award in candidates:
        failed = []
        is_lower = award.lower_tier_of is not None
        apply_floors = not is_lower or rules.scoring.floors_apply_to_lower_tier.value
        for name, value, label in (("total", score, _("总评分")), ("site", Decimal(site), _("现场评审得分"))):
            floor = getattr(award.floors, name)
            if floor is None or not apply_floors:
                continue
            ok = value >= Decimal(str(floor.value))
            entry = {
                "rule": f"awards.{award.code}.floors.{name}",
                "cite": floor.cite,
                "text": _("%(award)s要求%(label)s不低于%(floor)s分，实得%(v)s分，%(verdict)s") % {
                    "award": award.name_zh, "label": label, "floor": _fmt(floor.value), "v": _fmt(value),
                    "verdict": _("达到") if ok else _("未达到")},
            }
            reasons.append(entry)
            if not ok:
                failed.append(entry)
        if not failed:
            return score, award.code, reasons
    return score, "", reasons


@in_record_language
def comprehensive_evaluation(cycle: AwardCycle, actor) -> list[Ranked]:
    """Score every shortlisted application; each becomes a candidate or falls below the floors.

    A batch step in a fixed number of queries: the evaluations are written in bulk (with history) and
    the state changes go through the workflow's transition_many.
    """
    with transaction.atomic():
        _lock(cycle, AppState.SHORTLISTED)
        scores = stage_scores(cycle)
        apps = list(Application.objects.filter(cycle=cycle, state=AppState.SHORTLISTED)
                    .select_related("organization").order_by("pk"))
        missing = [a for a in apps
                   if Stage.DOCUMENT not in scores.get(a.pk, {}) or Stage.SITE not in scores.get(a.pk, {})]
        if missing:
            raise ReviewError(_("还有%(n)s份入围申报缺少资料评审或现场评审得分。") % {"n": len(missing)})
        rows, moves, values = [], {}, {}
        for app in apps:
            doc, site = scores[app.pk][Stage.DOCUMENT], scores[app.pk][Stage.SITE]
            score, award, reasons = evaluate_one(cycle, app, doc, site)
            values[app.pk] = {"document_score": doc, "site_score": site, "comprehensive_score": score,
                              "candidate_for": award, "reasons": reasons}
            target = AppState.CANDIDATE if award else AppState.BELOW_THRESHOLD
            moves[app.pk] = Move(target, reason=reasons[-1]["text"], rule="scoring", cite=reasons[-1]["cite"],
                                 details={"reasons": reasons})
            rows.append(Ranked(app, doc, site, score, reasons=reasons))
        _save_evaluations(values, actor)
        transition_many(moves, actor=actor)
        for row in rows:
            row.application.state = moves[row.application.pk].to_state
    rows.sort(key=lambda r: (-(r.comprehensive_score or 0), r.application.number))
    for i, row in enumerate(rows, start=1):
        row.rank = i
    return rows


def _save_evaluations(values: dict[int, dict], actor) -> None:
    """Create or update one Evaluation per application, with their history rows, in bulk."""
    user = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    existing = {e.application_id: e for e in Evaluation.objects.filter(application_id__in=list(values))}
    new = []
    for app_id, fields in values.items():
        evaluation = existing.get(app_id) or Evaluation(application_id=app_id)
        for name, value in fields.items():
            setattr(evaluation, name, value)
        evaluation.evaluated_at = now
        if app_id not in existing:
            new.append(evaluation)
    if new:
        bulk_create_with_history(new, Evaluation, default_user=user)
    if existing:
        bulk_update_with_history(list(existing.values()), Evaluation, [*FIELDS_EVALUATED, "evaluated_at"],
                                 default_user=user)


FIELDS_EVALUATED = ["document_score", "site_score", "comprehensive_score", "candidate_for", "reasons"]


def candidate_list(cycle: AwardCycle) -> list[Evaluation]:
    """Candidates ranked by comprehensive score, in one query."""
    return list(
        Evaluation.objects.filter(application__cycle=cycle, application__state=AppState.CANDIDATE)
        .select_related("application__organization")
        .order_by("-comprehensive_score", "application__number")
    )

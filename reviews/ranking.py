"""Document-review ranking and shortlist, comprehensive scores, floors and the candidate list.

Cycle-level batch steps built on the one workflow function; every outcome records its reasons.
"""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from awards.models import Application, AwardCycle
from awards.quotas import total_awards
from awards.record_language import in_record_language
from awards.refusals import ServiceError
from awards.states import AppState
from awards.workflow import Move, transition_many

from . import site as site_reviews
from .models import WEIGHTED_PLACES, Evaluation, Stage, StageResult
from .ranked_cut import Cut, cut_at_cap, decimal_places, ranked_score, shared_ranks
from .score_display import show_score

# Exact values in every sentence: a rounded 599.996 would read as meeting a 600-point floor.
_fmt = show_score


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
    """Eligible (and later) applications by document score, highest first. Equal scores share a
    rank; among them the receipt number only fixes the display order and decides nothing."""
    scores = stage_scores(cycle)
    apps = Application.objects.filter(cycle=cycle).exclude(
        state__in=[AppState.DRAFT, AppState.SUBMITTED, AppState.RETURNED, AppState.WITHDRAWN, AppState.INELIGIBLE]
    ).select_related("organization")
    rows = [Ranked(a, scores.get(a.pk, {}).get(Stage.DOCUMENT), scores.get(a.pk, {}).get(Stage.SITE)) for a in apps]
    rows.sort(key=lambda r: (r.document_score is None, -(r.document_score or 0), r.application.number))
    ranks = shared_ranks([(r.application.pk, r.document_score) for r in rows if r.document_score is not None])
    for row in rows:
        row.rank = ranks.get(row.application.pk)
    return rows


def shortlist_cut(rows: list[Ranked], cap: int | None) -> Cut[int]:
    """The cap applied to ranked rows (application ids): inside, a tie straddling the cap, outside."""
    return cut_at_cap([(r.application.pk, ranked_score(r.document_score)) for r in rows], cap)


def shortlist_cap(cycle: AwardCycle) -> tuple[int | None, dict | None]:
    """The most applicants the rules let into site review, with the reason, or (None, None)."""
    rules = cycle.profile.typed
    sl = rules.shortlist
    if sl.rule.value != "cap_ratio_of_total_quota" or sl.ratio is None:
        return None, None
    awards = total_awards(cycle)
    total_quota = awards.places
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
    if awards.capped_by_total:
        reason["text"] += _("（获奖总数按%(cite)s的总数上限%(n)s家计，少于各奖项名额之和%(sum)s家）") % {
            "cite": awards.cite, "n": awards.places, "sum": awards.quota_sum}
    return cap, reason


@in_record_language
def decide_shortlist(cycle: AwardCycle, actor: User, chosen_ids: set[int] | None = None,
                     excluded_ids: AbstractSet[int] = frozenset(), *, forced_ids: AbstractSet[int] = frozenset(),
                     tie_picks: AbstractSet[int] = frozenset(), tie_reason: str = "") -> list[Ranked]:
    """Send the top of the document ranking to site review.

    Without a cap rule the office's choice (chosen_ids; by default everyone not excluded) decides.
    Under a cap ("不超过") the cap decides after the office's exclusions and its own picks
    (forced_ids, which take places first); equal scores share a rank, and where a tie straddles
    the cap no order breaks it: only those clearly inside go, unless the office picks among the
    tied (tie_picks, no more than the places left) with a written reason (tie_reason). An explicit
    chosen_ids under a cap is the office's whole list and may not exceed the cap.
    """
    with transaction.atomic():
        # Lock the cycle's undecided applications first: a second click waits, then finds none.
        _lock(cycle, AppState.ELIGIBLE)
        rows = [r for r in document_ranking(cycle) if r.application.state == AppState.ELIGIBLE]
        unscored = [r for r in rows if r.document_score is None]
        if unscored:
            raise ServiceError(_("还有%(n)s份申报没有资料评审得分。") % {"n": len(unscored)})
        cap, cap_reason = shortlist_cap(cycle)
        sl = cycle.profile.typed.shortlist
        office = {"rule": "shortlist.rule", "cite": sl.rule.cite,
                  "text": _("评审办按资料评审排名确定入围现场评审名单")}
        over_cap = ServiceError(_("入围名单超过规则上限：%(text)s（%(cite)s）") % {
            "text": (cap_reason or {}).get("text", ""), "cite": (cap_reason or {}).get("cite", "")})
        not_excluded = [r for r in rows if r.application.pk not in excluded_ids]
        # Who the cap alone would leave out: blamed on the cap; anyone else left out was the office's call.
        by_cap = shortlist_cut(not_excluded, cap)
        cut = Cut(ranks=by_cap.ranks, inside=[r.application.pk for r in not_excluded])
        if cap is None:
            if chosen_ids is None:
                chosen_ids = set(cut.inside)
        elif chosen_ids is not None:
            if len(chosen_ids) > cap:
                raise over_cap
        else:
            forced = [r for r in not_excluded if r.application.pk in forced_ids]
            if len(forced) > cap:
                raise over_cap
            cut = shortlist_cut([r for r in not_excluded if r.application.pk not in forced_ids], cap - len(forced))
            _check_tie_picks(cut, tie_picks, tie_reason)
            chosen_ids = set(forced_ids) | set(cut.inside) | set(tie_picks)
        base = cap_reason or office
        tie = _tie_entry(cycle, cut, cap, cap_reason, rows, tie_picks, tie_reason) if cut.has_tie else None
        moves = {}
        for row in rows:
            app = row.application
            score_text = _("资料评审得分 %(s)s，排名第%(rank)s") % {"s": _fmt(row.document_score), "rank": row.rank}
            reason = score_text
            if app.pk in chosen_ids and app.pk in tie_picks:
                assert tie is not None  # tie picks are accepted only where the cut has a tie
                target, why, outcome = AppState.SHORTLISTED, tie, _("，并列者中由评审办选定入围现场评审")
                reason += _("；并列者中由评审办选定入围，理由：%(why)s") % {"why": tie_reason.strip()}
            elif app.pk in chosen_ids:
                target, why, outcome = AppState.SHORTLISTED, base, _("，入围现场评审")
            elif tie is not None and app.pk in cut.tied:
                target, why, outcome = AppState.NOT_SHORTLISTED, tie, _("，并列未入围现场评审")
                reason += "；" + tie["text"]
            elif cap is not None and app.pk in by_cap.outside + by_cap.tied and app.pk not in excluded_ids:
                assert cap_reason is not None  # a cap always comes with the rule that sets it
                target, why, outcome = AppState.NOT_SHORTLISTED, cap_reason, _("，未入围现场评审")
            else:
                # Left out by the office, not by the cap: the feedback must not blame the rule for it.
                target, why, outcome = AppState.NOT_SHORTLISTED, office, _("，评审办决定不列入现场评审名单")
            row.reasons = [why, {"rule": "shortlist", "cite": why["cite"], "text": score_text + outcome}]
            details = {"reasons": row.reasons}
            if tie is not None and app.pk in cut.tied:
                details["tie"] = tie["details"]
            moves[app.pk] = Move(target, reason=reason, rule=why["rule"], cite=why["cite"], details=details)
        if tie is not None:
            tie.pop("details")
        transition_many(moves, actor=actor)
        for row in rows:
            row.application.state = moves[row.application.pk].to_state
    return rows


def _check_tie_picks(cut: Cut[int], picks: AbstractSet[int], reason: str) -> None:
    if not picks:
        return
    if not cut.has_tie or not set(picks) <= set(cut.tied):
        raise ServiceError(_("只能在得分并列、跨越入围上限的申报中选择。"), "tie_picks")
    if len(picks) > cut.places_left:
        raise ServiceError(_("并列者中最多还能选定%(n)s家（入围不超过上限），现选了%(k)s家。") % {
            "n": cut.places_left, "k": len(picks)}, "tie_picks")
    if not reason.strip():
        raise ServiceError(_("在并列者中选定入围时，请写明理由。"), "tie_reason")


def _tie_entry(cycle: AwardCycle, cut: Cut[int], cap: int | None, cap_reason: dict | None, rows: list[Ranked],
               picks: AbstractSet[int], pick_reason: str) -> dict:
    """The reason naming a tie across the cap: who tied, at what score and rank, how many places were
    left, and what the office did about it (nothing in the text breaks the tie)."""
    numbers = {r.application.pk: r.application.number for r in rows}
    values = {"s": _fmt(cut.tie_score), "n": len(cut.tied), "others": len(cut.tied) - 1,
              "rank": next(r.rank for r in rows if r.application.pk == cut.tied[0]), "cap": cap,
              "left": cut.places_left}
    text = _("资料评审得分 %(s)s，与另外%(others)s家并列第%(rank)s名；入围现场评审不超过%(cap)s家，"
             "并列的%(n)s家只余%(left)s个名额，不能全部入围；办法未规定得分相同时如何取舍") % values
    if picks:
        text += _("，评审办在并列者中选定%(k)s家入围，理由：%(why)s") % {"k": len(picks), "why": pick_reason.strip()}
    else:
        text += _("，评审办未在并列者中作出选择，故并列者均不入围")
    return {
        "rule": "shortlist.tie", "cite": (cap_reason or {}).get("cite", ""), "text": text,
        "details": {"score": _fmt(cut.tie_score), "rank": values["rank"], "places_left": cut.places_left,
                    "tied": sorted(numbers[pk] for pk in cut.tied), "picked": sorted(numbers[pk] for pk in picks),
                    "reason": pick_reason.strip()},
    }


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
    # Exact: no rounding before the floors compare it (599.98 × 20% + 600 × 80% = 599.996 < 600).
    score = Decimal(document) * Decimal(str(w.document)) + Decimal(site) * Decimal(str(w.site))
    if decimal_places(score) > WEIGHTED_PLACES:
        raise ServiceError(_("综合评分 %(v)s 的小数位超过可精确保存的%(n)s位，请检查评分权重的设定（%(cite)s）。") % {
            "v": score, "n": WEIGHTED_PLACES, "cite": weights.cite})
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
def comprehensive_evaluation(cycle: AwardCycle, actor: User) -> list[Ranked]:
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
            raise ServiceError(_("还有%(n)s份入围申报缺少资料评审或现场评审得分。") % {"n": len(missing)})
        waiting = site_reviews.awaiting_confirmation(cycle)
        if waiting:
            raise ServiceError(site_reviews.awaiting_confirmation_message(cycle, waiting))
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
    # Equal scores share a rank; the receipt number only fixes the display order.
    rows.sort(key=lambda r: (-(r.comprehensive_score or 0), r.application.number))
    ranks = shared_ranks([(r.application.pk, ranked_score(r.comprehensive_score)) for r in rows])
    for row in rows:
        row.rank = ranks[row.application.pk]
    return rows


def _save_evaluations(values: dict[int, dict], actor: User) -> None:
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
    """Candidates by comprehensive score, in one query (ties in receipt order: see ranked())."""
    return list(
        Evaluation.objects.filter(application__cycle=cycle, application__state=AppState.CANDIDATE)
        .select_related("application__organization")
        .order_by("-comprehensive_score", "application__number")
    )


def ranked(evaluations: list[Evaluation]) -> list[tuple[int, Evaluation]]:
    """(shared rank, evaluation) by comprehensive score: equal scores share a rank (1, 2, 2, 4)."""
    ranks = shared_ranks([(e.pk, ranked_score(e.comprehensive_score)) for e in evaluations])
    return [(ranks[e.pk], e) for e in evaluations]

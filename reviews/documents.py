"""PDFs of the review stage.

- The written feedback to an applicant not shortlisted for site review (资料评审反馈报告): the
  group's document-stage consensus by category, its strengths and opportunities for improvement,
  the outcome with its article. It names no reviewer: it is built from the consensus and the
  stage total only, never from individual score sheets. Stored per application (ReviewDocument)
  and regenerated idempotently.
- The cycle's comprehensive evaluation report (综合评价报告), rendered on request; its content is
  also what the office page and the Excel workbook show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.documents import award_name, store_pdf
from awards.models import Application, AwardCycle
from awards.pdf import render_pdf
from awards.record_language import in_record_language
from awards.states import AppState
from jurisdictions.rules_wording import cite_label

from .models import ConsensusItem, Evaluation, ReviewDocument, Stage, StageResult
from .ranked_cut import ranked_score, shared_ranks
from .scoring import weighted

Kind = ReviewDocument.Kind


def cited(reasons: list[dict]) -> list[dict]:
    """Reasons as shown to people: the office's own settings say so instead of a pseudo-article."""
    return [{**r, "cite": cite_label(r.get("cite", ""))} for r in reasons or []]


# --- the feedback report to an applicant not shortlisted -------------------------------------------
@dataclass
class ItemFeedback:
    code: str
    name: str
    points: int
    percentage: int | None
    score: Decimal | None
    strengths: str
    opportunities: str


@dataclass
class CategoryScore:
    code: str
    name: str
    points: int
    score: Decimal | None
    items: list[ItemFeedback] = field(default_factory=list)


def document_feedback(app: Application) -> tuple[list[CategoryScore], Decimal | None]:
    """The document-stage consensus by category and item, and the group's stage total."""
    criteria = app.cycle.profile.criteria.typed
    consensus = {c.item_code: c for c in ConsensusItem.objects.filter(application=app, stage=Stage.DOCUMENT)}
    categories = []
    for category in criteria.categories:
        items = []
        for item in category.items:
            agreed = consensus.get(item.code)
            pct = agreed.percentage if agreed else None
            items.append(ItemFeedback(
                code=item.code, name=item.name_zh, points=item.points, percentage=pct,
                score=weighted(item.points, pct) if pct is not None else None,
                strengths=agreed.strengths.strip() if agreed else "",
                opportunities=agreed.opportunities.strip() if agreed else "",
            ))
        scored = [i.score for i in items if i.score is not None]
        categories.append(CategoryScore(
            code=category.code, name=category.name_zh, points=category.points,
            score=sum(scored, Decimal(0)) if len(scored) == len(items) else None, items=items,
        ))
    result = StageResult.objects.filter(application=app, stage=Stage.DOCUMENT).first()
    return categories, result.total if result else None


def feedback_due(app: Application) -> bool:
    return app.state == AppState.NOT_SHORTLISTED and bool(
        app.cycle.profile.typed.review.feedback_to_not_shortlisted.value
    )


@in_record_language
def build_feedback_report(app: Application) -> ReviewDocument | None:
    if not feedback_due(app):
        return None
    rules = app.cycle.profile.typed
    categories, total = document_feedback(app)
    event = app.events.filter(to_state=AppState.NOT_SHORTLISTED).order_by("-at").first()
    context = {
        "app": app,
        "jurisdiction": app.jurisdiction,
        "rules": rules,
        "award_name": award_name(rules, app.category),
        "categories": categories,
        "total": total,
        "commented": [i for c in categories for i in c.items if i.strengths or i.opportunities],
        "reasons": cited(event.details.get("reasons", []) if event else []),
        "feedback_cite": rules.review.feedback_to_not_shortlisted.cite,
        "feedback_by_office": rules.review.feedback_to_not_shortlisted.is_office_setting,
        "decided_at": timezone.localtime(event.at if event else timezone.now()),
    }
    return store_pdf(ReviewDocument, app, Kind.FEEDBACK_REPORT, render_pdf("pdf/feedback_report.html", context))


BUILDERS: dict[str, Callable[[Application], ReviewDocument | None]] = {Kind.FEEDBACK_REPORT: build_feedback_report}


def get_or_build(app: Application, kind: str) -> ReviewDocument | None:
    """The stored document; built now if the worker has not got to it yet."""
    doc = ReviewDocument.objects.filter(application=app, kind=kind).first()
    return doc or BUILDERS[kind](app)


# --- the comprehensive evaluation report ----------------------------------------------------------
@dataclass
class RuleLine:
    text: str
    cite: str


@dataclass
class EvaluatedRow:
    rank: int | None
    evaluation: Evaluation
    award: str
    reasons: list[dict]

    @property
    def application(self) -> Application:
        return self.evaluation.application


def scoring_rules(cycle: AwardCycle) -> list[RuleLine]:
    """The weights and the floors the evaluation applies, each with its article, in plain sentences."""
    rules = cycle.profile.typed
    weights = rules.scoring.weights
    lines = [RuleLine(
        _("综合评分 = 资料评审得分 × %(d)s%% + 现场评审得分 × %(s)s%%") % {
            "d": _percent(weights.value.document), "s": _percent(weights.value.site)},
        cite_label(weights.cite),
    )]
    for award in rules.awards:
        if award.lower_tier_of is not None and not rules.scoring.floors_apply_to_lower_tier.value:
            continue
        for floor, label in ((award.floors.total, _("总评分")), (award.floors.site, _("现场评审得分"))):
            if floor is not None:
                lines.append(RuleLine(
                    _("%(award)s：%(label)s不低于%(floor)s分") % {
                        "award": award.name_zh, "label": label, "floor": _number(floor.value)},
                    cite_label(floor.cite),
                ))
    if len(lines) == 1:
        lines.append(RuleLine(_("办法未设获奖分数线。"), ""))
    return lines


def _percent(share: float) -> str:
    return _number(Decimal(str(share)) * 100)


def _number(value) -> str:
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def evaluated_rows(cycle: AwardCycle) -> tuple[list[EvaluatedRow], list[EvaluatedRow]]:
    """(candidates ranked by comprehensive score, those below the floors), in one query.

    Read from the Evaluation rows, not the applications' current states, so the report still
    describes the evaluation after the committee has voted.
    """
    rules = cycle.profile.typed
    evaluations = list(
        Evaluation.objects.filter(application__cycle=cycle)
        .select_related("application__organization")
        .order_by("-comprehensive_score", "application__number")
    )
    candidates: list[EvaluatedRow] = []
    below: list[EvaluatedRow] = []
    # Equal scores share a rank (1, 2, 2, 4); the receipt number only fixes the order on the page.
    ranks = shared_ranks([(e.pk, ranked_score(e.comprehensive_score)) for e in evaluations if e.candidate_for])
    for evaluation in evaluations:
        target = candidates if evaluation.candidate_for else below
        target.append(EvaluatedRow(
            rank=ranks.get(evaluation.pk),
            evaluation=evaluation,
            award=award_name(rules, evaluation.candidate_for or evaluation.application.category),
            reasons=cited(evaluation.reasons),
        ))
    return candidates, below


def comprehensive_context(cycle: AwardCycle) -> dict:
    candidates, below = evaluated_rows(cycle)
    rules = cycle.profile.typed
    return {
        "cycle": cycle,
        "jurisdiction": cycle.jurisdiction,
        "rules": rules,
        "scoring_rules": scoring_rules(cycle),
        "candidates": candidates,
        "below": below,
        "generated_at": timezone.localtime(),
    }


@in_record_language
def comprehensive_report_pdf(cycle: AwardCycle) -> bytes:
    return render_pdf("pdf/comprehensive_report.html", comprehensive_context(cycle))

"""The comprehensive evaluation report as an Excel workbook (.xlsx) for the office.

Sheets: the ranking with reasons; then, for each stage, every evaluated application's score per
criterion item, one row per reviewer and one for the group's consensus. The office's own workbook
names reviewers; the applicant's feedback never does.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import IO

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from awards.models import AwardCycle
from jurisdictions.people import person_name

from .documents import evaluated_rows
from .models import Attestation, ConsensusItem, ItemScore, Stage
from .report_workbook import StreamingWorkbook
from .scoring import weighted

# Two places at least, and every further digit the exact score has: a fixed "0.00" would show
# 599.996 as 600.00 beside a 600-point floor it fails.
SCORE_FORMAT = "0.00########"


def _reasons_text(reasons: list[dict]) -> str:
    return "\n".join(f"{r['text']}（{r['cite']}）" if r.get("cite") else r["text"] for r in reasons)


def _display_name(user: User) -> str:
    return person_name(user)


def comprehensive_workbook(cycle: AwardCycle, progress: Callable[[float], None] | None = None) -> bytes:
    """The workbook as bytes (for a small cycle; the report task writes it straight to its file)."""
    buffer = BytesIO()
    write_comprehensive_workbook(cycle, buffer, progress)
    return buffer.getvalue()


def write_comprehensive_workbook(cycle: AwardCycle, out: IO[bytes],
                                 progress: Callable[[float], None] | None = None) -> None:
    """The workbook, written to `out`; `progress`, if given, is told the share done (0–1) as the
    detail sheets fill. Six queries whatever the number of applications."""
    candidates, below = evaluated_rows(cycle)
    book = StreamingWorkbook(out, score_format=SCORE_FORMAT)

    ws = book.add_sheet(_("综合排名"), [
        _("排名"), _("受理编号"), _("申报组织"), _("奖项"), _("资料评审得分"), _("现场评审得分"), _("综合得分"),
        _("评价结果"), _("理由及依据"),
    ], (8, 20, 36, 22, 14, 14, 12, 14, 90))
    candidate_text, below_text = _("候选组织"), _("未达分数线")
    for row in [*candidates, *below]:
        ev = row.evaluation
        ws.append((
            row.rank, row.application.number, row.application.organization.name, row.award,
            ev.document_score, ev.site_score, ev.comprehensive_score,
            candidate_text if ev.candidate_for else below_text, _reasons_text(row.reasons),
        ))

    apps = [row.application for row in [*candidates, *below]]
    app_ids = [app.pk for app in apps]
    criteria = cycle.profile.criteria.typed
    items = [(category, item) for category in criteria.categories for item in category.items]
    recused = set(
        Attestation.objects.filter(application_id__in=app_ids, decision=Attestation.Decision.RECUSED)
        .values_list("application_id", "reviewer_id")
    )
    # Plain tuples, not model instances: 115,000 item scores at 500 applications. Not a server-side
    # cursor (iterator()): PostgreSQL plans a cursor for its first rows, seconds slower for all of them.
    scores = (ItemScore.objects.filter(application_id__in=app_ids)
              .order_by("reviewer__username")
              .values_list("stage", "application_id", "item_code", "reviewer_id", "percentage", "strengths",
                           "opportunities"))
    by_stage: dict[str, dict[tuple[int, str], list[tuple]]] = {Stage.DOCUMENT: {}, Stage.SITE: {}}
    reviewer_ids: set[int] = set()
    for stage, app_id, code, reviewer_id, pct, strengths, opportunities in scores:
        if (app_id, reviewer_id) not in recused and stage in by_stage:
            by_stage[stage].setdefault((app_id, code), []).append((reviewer_id, pct, strengths, opportunities))
            reviewer_ids.add(reviewer_id)
    names = {user.pk: _display_name(user) for user in User.objects.filter(pk__in=reviewer_ids)}
    consensus_by_stage: dict[str, dict[tuple[int, str], tuple]] = {Stage.DOCUMENT: {}, Stage.SITE: {}}
    for stage, app_id, code, pct, strengths, opportunities in (
            ConsensusItem.objects.filter(application_id__in=app_ids)
            .values_list("stage", "application_id", "item_code", "percentage", "strengths", "opportunities")):
        if stage in consensus_by_stage:
            consensus_by_stage[stage][(app_id, code)] = (pct, strengths, opportunities)
    agreed_by = _("评审组共识")
    # A weighted score depends on the item's points and the percentage only: a few hundred pairs.
    weighted_of: dict[tuple[int, int], Decimal] = {}

    def score_of(points: int, pct: int | None) -> Decimal | None:
        if pct is None:
            return None
        found = weighted_of.get((points, pct))
        if found is None:
            found = weighted_of[(points, pct)] = weighted(points, pct)
        return found

    for stage_index, (stage, title) in enumerate(((Stage.DOCUMENT, _("资料评审明细")), (Stage.SITE, _("现场评审明细")))):
        by_app_item = by_stage.pop(stage)
        consensus = consensus_by_stage.pop(stage)
        ws = book.add_sheet(title, [
            _("受理编号"), _("申报组织"), _("类目"), _("评分项编码"), _("评分项"), _("分值"), _("评分人"),
            _("得分率（%）"), _("得分"), _("优势"), _("改进机会"),
        ], (20, 30, 16, 10, 24, 8, 16, 12, 10, 50, 50))
        for app_index, app in enumerate(apps):
            if progress is not None and app_index % 25 == 0:
                progress((stage_index + app_index / max(len(apps), 1)) / 2)
            number, org_name = app.number, app.organization.name
            for category, item in items:
                key = (app.pk, item.code)
                head = ws.prefix((number, org_name, category.name_zh, item.code, item.name_zh, item.points))
                for reviewer_id, pct, strengths, opportunities in by_app_item.get(key, ()):
                    ws.append_after(head, (names[reviewer_id], pct, score_of(item.points, pct), strengths,
                                           opportunities))
                agreed = consensus.get(key)
                if agreed is not None:
                    pct, strengths, opportunities = agreed
                    ws.append_after(head, (agreed_by, pct, score_of(item.points, pct), strengths, opportunities))
    book.close()

"""The comprehensive evaluation report as an Excel workbook (.xlsx) for the office.

Sheets: the ranking with reasons; then, for each stage, every evaluated application's score per
criterion item, one row per reviewer and one for the group's consensus. The office's own workbook
names reviewers; the applicant's feedback never does.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import BytesIO

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from awards.models import AwardCycle
from jurisdictions.people import person_name

from .documents import evaluated_rows
from .models import Attestation, ConsensusItem, ItemScore, Stage
from .scoring import weighted

# Two places at least, and every further digit the exact score has: a fixed "0.00" would show
# 599.996 as 600.00 beside a 600-point floor it fails.
SCORE_FORMAT = "0.00########"


def _cell(ws, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        # Organisation names and comments are user text: never let one become a formula.
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.number_format = SCORE_FORMAT
    return cell


def _value(ws, value):
    """A plain value where openpyxl may write it as is (much faster in write-only mode); a cell only
    for text that would read as a formula and for scores, which need their number format."""
    if isinstance(value, Decimal) or (isinstance(value, str) and value.startswith("=")):
        return _cell(ws, value)
    return value


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: tuple[int, ...]):
    ws = workbook.create_sheet(title=title)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    row = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        row.append(cell)
    ws.append(row)
    return ws


def _reasons_text(reasons: list[dict]) -> str:
    return "\n".join(f"{r['text']}（{r['cite']}）" if r.get("cite") else r["text"] for r in reasons)


def _display_name(user: User) -> str:
    return person_name(user)


def comprehensive_workbook(cycle: AwardCycle, progress: Callable[[float], None] | None = None) -> bytes:
    """The workbook; `progress`, if given, is told the share done (0–1) as the detail sheets fill."""
    candidates, below = evaluated_rows(cycle)
    workbook = Workbook(write_only=True)

    ws = _sheet(workbook, _("综合排名"), [
        _("排名"), _("受理编号"), _("申报组织"), _("奖项"), _("资料评审得分"), _("现场评审得分"), _("综合得分"),
        _("评价结果"), _("理由及依据"),
    ], (8, 20, 36, 22, 14, 14, 12, 14, 90))
    for row in [*candidates, *below]:
        ev = row.evaluation
        ws.append([_cell(ws, v) for v in (
            row.rank, row.application.number, row.application.organization.name, row.award,
            ev.document_score, ev.site_score, ev.comprehensive_score,
            _("候选组织") if ev.candidate_for else _("未达分数线"), _reasons_text(row.reasons),
        )])

    apps = [row.application for row in [*candidates, *below]]
    criteria = cycle.profile.criteria.typed
    items = [(category, item) for category in criteria.categories for item in category.items]
    recused = set(
        Attestation.objects.filter(application__in=apps, decision=Attestation.Decision.RECUSED)
        .values_list("application_id", "reviewer_id")
    )
    for stage_index, (stage, title) in enumerate(((Stage.DOCUMENT, _("资料评审明细")), (Stage.SITE, _("现场评审明细")))):
        by_app_item: dict[tuple[int, str], list[ItemScore]] = {}
        for score in (ItemScore.objects.filter(application__in=apps, stage=stage)
                      .select_related("reviewer").order_by("reviewer__username")):
            if (score.application_id, score.reviewer_id) not in recused:
                by_app_item.setdefault((score.application_id, score.item_code), []).append(score)
        consensus = {(c.application_id, c.item_code): c
                     for c in ConsensusItem.objects.filter(application__in=apps, stage=stage)}
        ws = _sheet(workbook, title, [
            _("受理编号"), _("申报组织"), _("类目"), _("评分项编码"), _("评分项"), _("分值"), _("评分人"),
            _("得分率（%）"), _("得分"), _("优势"), _("改进机会"),
        ], (20, 30, 16, 10, 24, 8, 16, 12, 10, 50, 50))
        for app_index, app in enumerate(apps):
            if progress is not None and app_index % 25 == 0:
                progress((stage_index + app_index / max(len(apps), 1)) / 2)
            for category, item in items:
                lines: list[tuple[str, ItemScore | ConsensusItem]] = [
                    (_display_name(s.reviewer), s) for s in by_app_item.get((app.pk, item.code), [])
                ]
                agreed = consensus.get((app.pk, item.code))
                if agreed is not None:
                    lines.append((_("评审组共识"), agreed))
                for who, marked in lines:
                    pct = marked.percentage
                    ws.append([_value(ws, v) for v in (
                        app.number, app.organization.name, category.name_zh, item.code, item.name_zh, item.points,
                        who, pct, weighted(item.points, pct) if pct is not None else None,
                        marked.strengths, marked.opportunities,
                    )])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

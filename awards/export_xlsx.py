"""A cycle's application list as an Excel workbook (.xlsx) for the office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Application
from .states import AppState

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def headers() -> list[str]:
    return [
        _("受理编号"),
        _("申报组织"),
        _("统一社会信用代码"),
        _("申报奖项"),
        _("状态"),
        _("提交时间"),
        _("资格审查时间"),
        _("审查意见"),
    ]


COLUMN_WIDTHS = (20, 36, 22, 28, 16, 18, 18, 60)


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: write the Asia/Shanghai wall-clock time the office reads.
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


def _cell(ws, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        # Organisation names and reasons are user text: never let one become a formula.
        cell.data_type = "s"
    elif isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    return cell


def applications_workbook(applications: Iterable[Application], award_names: dict[str, str]) -> bytes:
    """One row per application; `applications` must come with their organisation selected."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_("申报名单"))
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_row = []
    for text in headers():
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        header_row.append(cell)
    ws.append(header_row)
    for app in applications:
        ws.append(
            [
                _cell(ws, app.number),
                _cell(ws, app.organization.name),
                _cell(ws, app.organization.uscc),
                _cell(ws, award_names.get(app.category, app.category)),
                _cell(ws, str(AppState(app.state).label)),
                _cell(ws, _local(app.submitted_at)),
                _cell(ws, _local(app.decided_at)),
                _cell(ws, app.decision_reason),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

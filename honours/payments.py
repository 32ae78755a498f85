"""The payment list for finance: each winner's money with its reasons, as a workbook and a PDF."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from awards.pdf import render_pdf
from awards.record_language import in_record_language
from jurisdictions.rules_wording import cite_label

from .models import Approval, Prize
from .prizes import yuan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _basis(prize: Prize) -> str:
    return "；".join(f"{r['text']}（{cite_label(r['cite'])}）" if r.get("cite") else r["text"] for r in prize.reasons)


@in_record_language
def workbook(cycle, record: Approval, prizes: list[Prize]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("奖金发放清单"))
    sheet.append([_("%(title)s 奖金发放清单") % {"title": cycle.title}])
    sheet.append([_("审定机关"), record.approving_body, _("批准文号"), record.document_number, _("批准日期"),
                  record.approved_on.isoformat()])
    sheet.append([_("序号"), _("组织名称"), _("统一社会信用代码"), _("奖项"), _("奖金（元）"), _("上级荣誉奖励（元）"),
                  _("合计（元）"), _("依据"), _("发放日期"), _("拨付凭证号")])
    for i, p in enumerate(prizes, 1):
        org = p.application.organization
        sheet.append([i, org.name, org.uscc, p.award_name, p.prize_cny, p.bonus_cny, p.total_cny, _basis(p),
                      p.paid_on.isoformat() if p.paid_on else "", p.paid_reference])
    sheet.append(["", _("合计"), "", "", sum(p.prize_cny for p in prizes), sum(p.bonus_cny for p in prizes),
                  sum(p.total_cny for p in prizes)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@in_record_language
def pdf(cycle, record: Approval, prizes: list[Prize]) -> bytes:
    rows = [{"prize": p, "org": p.application.organization, "basis": _basis(p), "total": yuan(p.total_cny),
             "prize_cny": yuan(p.prize_cny), "bonus_cny": yuan(p.bonus_cny)} for p in prizes]
    return render_pdf("pdf/payment_list.html", {"cycle": cycle, "record": record, "rows": rows,
                                                "jurisdiction": cycle.jurisdiction,
                                                "total": yuan(sum(p.total_cny for p in prizes))})

"""How long a cycle's record is kept, fixed when the cycle closes (Daqing 第三十六条; elsewhere an office
setting of the profile), and the sentence that says so.

The keeping itself is the database's: migration 0002 puts a BEFORE DELETE trigger on every table that
makes a cycle's record, which reads the CycleRetention row written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardCycle
from awards.states import CycleState
from jurisdictions.profile_schema import OFFICE_SETTING
from jurisdictions.rules_wording import cite_label

from .models import CycleRetention


def years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def record_close(cycle: AwardCycle, now: dt.datetime) -> None:
    """Inside the move to `closed`: the retention row from the profile the cycle pinned. Safe to run
    twice (the first row stands)."""
    rule = cycle.profile.typed.records.retention_years
    closed_on = timezone.localtime(now).date()
    CycleRetention.objects.get_or_create(cycle=cycle, defaults={
        "jurisdiction_id": cycle.jurisdiction_id, "closed_on": closed_on, "years": rule.value,
        "kept_until": years_later(closed_on, rule.value),
        # The record stays in Chinese whatever the reader's language.
        "cite_zh": "本办设定" if rule.cite == OFFICE_SETTING else rule.cite})


@dataclass(frozen=True)
class RetentionLine:
    """What the records page says of one cycle's retention."""

    years: int
    cite: str
    kept_until: dt.date | None
    sentence: str
    deletable: bool


def line(cycle: AwardCycle, today: dt.date | None = None) -> RetentionLine:
    today = today or timezone.localdate()
    rule = cycle.profile.typed.records.retention_years
    row = CycleRetention.objects.filter(cycle=cycle).first()
    cite = cite_label(rule.cite)
    if row is None:
        if cycle.state == CycleState.CLOSED:
            sentence = _("评审已结束但未登记结束日期，档案长期保存，不能删除。")
        else:
            sentence = _("评审结束后保存%(n)s年（%(cite)s），保存期限自评审结束之日起算；评审结束前档案不能删除。") % {
                "n": rule.value, "cite": cite}
        return RetentionLine(rule.value, cite, None, sentence, False)
    deletable = row.kept_until < today
    if deletable:
        sentence = _("保存期限已于%(date)s届满（%(n)s年，%(cite)s）。") % {
            "date": row.kept_until.isoformat(), "n": row.years, "cite": cite}
    else:
        sentence = _("%(closed)s评审结束，档案保存%(n)s年至%(date)s（%(cite)s），期满前不能删除。") % {
            "closed": row.closed_on.isoformat(), "n": row.years, "date": row.kept_until.isoformat(), "cite": cite}
    return RetentionLine(row.years, cite, row.kept_until, sentence, deletable)

"""The profile's after-award rules as the sanction pages read them: the ladder, the revocation grounds
with their articles, and the window a ground counts facts within."""

from __future__ import annotations

import calendar
import datetime as dt

from awards.eligibility import add_years
from awards.models import Application
from jurisdictions import rules_wording
from jurisdictions.post_award_wording import GROUNDS, PUBLICATIONS, RECOVERABLE, WINNER_SANCTIONS, names
from jurisdictions.profile_schema import Cited, Period, RevocationGround, RuleProfileDoc
from jurisdictions.workcalendar import add_working_days


def ladder(rules: RuleProfileDoc) -> list[str]:
    return list(rules.post_award.sanction_ladder.value)


def ladder_choices(rules: RuleProfileDoc) -> list[tuple[str, str]]:
    return [(code, str(WINNER_SANCTIONS[code])) for code in ladder(rules)]


def grounds(rules: RuleProfileDoc) -> list[Cited[RevocationGround]]:
    return list(rules.post_award.revocation_grounds)


def ground(rules: RuleProfileDoc, code: str) -> Cited[RevocationGround] | None:
    return next((g for g in rules.post_award.revocation_grounds if g.value.code == code), None)


def ground_choices(rules: RuleProfileDoc) -> list[tuple[str, str]]:
    return [(g.value.code, f"{GROUNDS[g.value.code]}：{g.value.text_zh}") for g in grounds(rules)]


def ground_rows(rules: RuleProfileDoc) -> list[dict]:
    """Each ground in words for the pages: who proposes and approves, must or may, what follows."""
    return [{"code": g.value.code, "name": str(GROUNDS[g.value.code]), "rule": g.value, "cite": g.cite,
             "recover": names(g.value.recover, RECOVERABLE), "publication": names(g.value.publication, PUBLICATIONS),
             "within": period_words(g.value.within) if g.value.within else ""}
            for g in grounds(rules)]


def period_words(period: Period) -> str:
    return rules_wording.period(period)




def _add_months(day: dt.date, months: int) -> dt.date:
    years, month = divmod(day.month - 1 + months, 12)
    shifted = add_years(day.replace(day=1), years).replace(month=month + 1)
    return shifted.replace(day=min(day.day, calendar.monthrange(shifted.year, shifted.month)[1]))


def window_last_day(app: Application, start: dt.date, period: Period) -> dt.date:
    """The last day facts count on, a period after the award's approval (获奖后2年内: through the
    corresponding date, as the texts count 以内)."""
    if period.unit == "years":
        return add_years(start, period.amount)
    if period.unit == "months":
        return _add_months(start, period.amount)
    if period.unit == "working_days":
        return add_working_days(app.jurisdiction, start, period.amount)
    return start + dt.timedelta(days=period.amount)

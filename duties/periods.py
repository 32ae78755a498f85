"""The last day of a profile's period counted from an event: calendar days, working days (the
jurisdiction's calendar), months or years (a missing corresponding date is the month's last day)."""

from __future__ import annotations

import calendar
import datetime as dt

from awards.eligibility import add_years
from jurisdictions.models import Jurisdiction
from jurisdictions.profile_schema import Period
from jurisdictions.workcalendar import add_working_days


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def period_end(jurisdiction: Jurisdiction, start: dt.date, period: Period) -> dt.date:
    """The last day inside `period` after `start` (the event's day itself is not counted: 30日内
    of 1 May ends on 31 May)."""
    if period.unit == "calendar_days":
        return start + dt.timedelta(days=period.amount)
    if period.unit == "working_days":
        return add_working_days(jurisdiction, start, period.amount)
    if period.unit == "months":
        return add_months(start, period.amount)
    return add_years(start, period.amount)

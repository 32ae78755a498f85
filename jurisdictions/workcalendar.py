"""A jurisdiction's working days: the national schedule shipped in ``chinesecalendar``, corrected by
the office's own CalendarOverride rows (an override always wins).

Definitions every deadline in the product relies on:

- ``add_working_days(j, start, n)`` with n ≥ 1 is the n-th working day strictly *after* ``start``:
  "report within 5 working days after the site review on 2026-09-30" is due on
  ``add_working_days(j, date(2026, 9, 30), 5)`` = 2026-10-13 (National Day week and the weekends are
  skipped, Saturday 2026-10-10 is an adjusted working day and counts). With n = 0 it is ``start``
  itself when that is a working day, otherwise the first working day after it, so a deadline never
  lands on a day off. A negative n is a programming error (ValueError).
- ``working_days_between(j, start, end)`` counts the working days d with start < d ≤ end, so that
  ``working_days_between(j, s, add_working_days(j, s, n)) == n`` for every n ≥ 1.

The package only knows the years it was released with (2004–2026 in 1.11) and raises
NotImplementedError outside them. Nothing here raises for such a year: it falls back to Monday–Friday
plus the office's overrides, and ``coverage_warning`` tells staff until the office confirms
(CalendarYear) that it has entered that year's official schedule as overrides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import chinese_calendar
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import CalendarOverride, CalendarYear, Jurisdiction

ONE_DAY = dt.timedelta(days=1)
# An office would need to declare years of consecutive holidays to exhaust this; it only stops a loop.
_SEARCH_LIMIT_DAYS = 366 * 5


@dataclass(frozen=True)
class PackageSchedule:
    """The package's data, read once per process: the lookups below are then plain dict hits."""

    first_year: int
    last_year: int
    holidays: dict[dt.date, str]  # day off -> the package's English holiday name
    workdays: dict[dt.date, str]  # weekend worked -> the holiday it makes up for

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def is_workday(self, day: dt.date) -> bool:
        """Same answer as ``chinese_calendar.is_workday`` inside the covered years; Monday–Friday outside."""
        if not self.covers(day.year):
            return day.weekday() < 5
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


@cache
def package_schedule() -> PackageSchedule:
    # The same bounds chinese_calendar itself checks before answering.
    return PackageSchedule(
        first_year=min(chinese_calendar.holidays).year,
        last_year=max(chinese_calendar.holidays).year,
        holidays=dict(chinese_calendar.holidays),
        workdays=dict(chinese_calendar.workdays),
    )


class Source:
    OVERRIDE = "override"
    PACKAGE = "package"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    working: bool
    source: str  # Source.*: who decided; FALLBACK means "no national data, weekday rule"
    override: CalendarOverride | None = None
    holiday_name: str = ""
    # The package moves this day away from the plain weekday rule (a weekday off, a weekend worked).
    # holiday_name is the national holiday a day off belongs to (empty on working days).
    adjusted: bool = False

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5


def _holiday_name(english: str | None) -> str:
    if not english:
        return ""
    if (get_language() or "").startswith("en"):
        return english
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english


def _overrides(jurisdiction: Jurisdiction, first: dt.date, last: dt.date) -> dict[dt.date, CalendarOverride]:
    """The jurisdiction's overrides from first to last inclusive, in one query."""
    rows = jurisdiction.calendar_overrides.filter(date__gte=first, date__lte=last)
    return {row.date: row for row in rows}


def _describe(day: dt.date, override: CalendarOverride | None) -> CalendarDay:
    package = package_schedule()
    covered = package.covers(day.year)
    holiday_name = ""
    adjusted = False
    if covered:
        holiday_name = _holiday_name(package.holidays.get(day))
        adjusted = package.is_workday(day) != (day.weekday() < 5)
    if override is not None:
        return CalendarDay(
            date=day,
            working=override.kind == CalendarOverride.Kind.WORKDAY,
            source=Source.OVERRIDE,
            override=override,
            holiday_name=holiday_name,
            adjusted=adjusted,
        )
    return CalendarDay(
        date=day,
        working=package.is_workday(day),
        source=Source.PACKAGE if covered else Source.FALLBACK,
        holiday_name=holiday_name,
        adjusted=adjusted,
    )


def _is_working(day: dt.date, overrides: dict[dt.date, CalendarOverride]) -> bool:
    override = overrides.get(day)
    if override is not None:
        return override.kind == CalendarOverride.Kind.WORKDAY
    return package_schedule().is_workday(day)


def describe_days(jurisdiction: Jurisdiction, first: dt.date, last: dt.date) -> list[CalendarDay]:
    """Every day from first to last inclusive, with why it is (not) a working day. One query."""
    overrides = _overrides(jurisdiction, first, last)
    days, day = [], first
    while day <= last:
        days.append(_describe(day, overrides.get(day)))
        day += ONE_DAY
    return days


def is_working_day(jurisdiction: Jurisdiction, day: dt.date) -> bool:
    return _is_working(day, _overrides(jurisdiction, day, day))


def _working_flags(jurisdiction: Jurisdiction, first: dt.date, chunk_days: int) -> Iterator[tuple[dt.date, bool]]:
    """(day, working) from first onwards, fetching overrides one chunk (one query) at a time."""
    chunk_start = first
    while (chunk_start - first).days < _SEARCH_LIMIT_DAYS:
        chunk_end = chunk_start + dt.timedelta(days=chunk_days - 1)
        overrides = _overrides(jurisdiction, chunk_start, chunk_end)
        day = chunk_start
        while day <= chunk_end:
            yield day, _is_working(day, overrides)
            day += ONE_DAY
        chunk_start = chunk_end + ONE_DAY
    raise ValueError(_("%(start)s 之后五年内没有任何工作日，请检查工作日历的调整。") % {"start": first.isoformat()})


def add_working_days(jurisdiction: Jurisdiction, start: dt.date, n: int) -> dt.date:
    """The n-th working day after start (see the module docstring for n = 0)."""
    if n < 0:
        raise ValueError("n must be zero or positive")
    first = start if n == 0 else start + ONE_DAY
    # Twice n plus a month covers the longest national break (Spring Festival) in one query.
    needed = max(n, 1)
    for day, working in _working_flags(jurisdiction, first, chunk_days=2 * needed + 31):
        if working:
            needed -= 1
            if needed == 0:
                return day
    raise AssertionError("unreachable: _working_flags raises when it gives up")


def working_days_between(jurisdiction: Jurisdiction, start: dt.date, end: dt.date) -> int:
    """Working days d with start < d ≤ end; negative when end is before start. One query."""
    if end < start:
        return -working_days_between(jurisdiction, end, start)
    if end == start:
        return 0
    overrides = _overrides(jurisdiction, start + ONE_DAY, end)
    count, day = 0, start + ONE_DAY
    while day <= end:
        count += _is_working(day, overrides)
        day += ONE_DAY
    return count


def years_without_data(jurisdiction: Jurisdiction, start: dt.date, end: dt.date) -> list[int]:
    """Years touched by start..end that the package does not cover and the office has not confirmed.

    No query at all when every year is covered, which is the common case."""
    if end < start:
        start, end = end, start
    package = package_schedule()
    missing = [year for year in range(start.year, end.year + 1) if not package.covers(year)]
    if not missing:
        return []
    confirmed = set(jurisdiction.calendar_years.filter(year__in=missing).values_list("year", flat=True))
    return [year for year in missing if year not in confirmed]


def coverage_warning(jurisdiction: Jurisdiction, start: dt.date, end: dt.date) -> str | None:
    years = years_without_data(jurisdiction, start, end)
    if not years:
        return None
    # Translators: separator between years in a list, e.g. "2027、2028".
    listed = _("、").join(str(year) for year in years)
    return _(
        "系统没有 %(years)s 年的国家法定节假日和调休安排，这些年份的工作日暂按周一至周五计算"
        "（评审办录入的调整仍然有效），与实际放假安排可能不符，涉及的期限请人工核对。"
        "请评审办在“工作日历”中录入该年度的放假和调休安排，然后点击“我已录入该年度放假安排”。"
    ) % {"years": listed}


@dataclass(frozen=True)
class OverrideSaved:
    override: CalendarOverride
    created: bool
    previous_kind: str | None  # the kind the date had before, when an existing override was replaced


def save_override(jurisdiction: Jurisdiction, day: dt.date, kind: str, note: str) -> OverrideSaved:
    """One override per date: saving a date that already has one replaces its kind and note."""
    with transaction.atomic():
        existing = jurisdiction.calendar_overrides.select_for_update().filter(date=day).first()
        if existing is None:
            try:
                with transaction.atomic():
                    override = CalendarOverride.objects.create(
                        jurisdiction=jurisdiction, date=day, kind=kind, note=note
                    )
                return OverrideSaved(override=override, created=True, previous_kind=None)
            except IntegrityError:
                # Another request created the same date a moment ago: replace it like any duplicate.
                existing = jurisdiction.calendar_overrides.select_for_update().get(date=day)
        previous_kind = existing.kind
        existing.kind, existing.note = kind, note
        existing.save(update_fields=["kind", "note"])
        return OverrideSaved(override=existing, created=False, previous_kind=previous_kind)


def confirm_year(jurisdiction: Jurisdiction, year: int, user: User) -> tuple[CalendarYear, bool]:
    """Record that the office has entered the year's official schedule; confirming twice is harmless."""
    return CalendarYear.objects.get_or_create(jurisdiction=jurisdiction, year=year, defaults={"confirmed_by": user})

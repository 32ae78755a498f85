"""The office's work-calendar page: see a year's working days, add and delete overrides, confirm a
year the national data does not cover."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import workcalendar
from .access import role_required
from .forms_calendar import OverrideForm, YearForm
from .models import CalendarOverride, Jurisdiction, Role
from .tenant_request import SignedInRequest


def _calendar_url(jurisdiction: Jurisdiction, year: int) -> str:
    return f"{reverse('office-calendar', kwargs={'jurisdiction': jurisdiction.slug})}?year={year}"


def _requested_year(request: SignedInRequest) -> tuple[int, str | None]:
    """The year asked for in ?year=, or this year with the reason when the value is unusable."""
    today = timezone.localdate()
    if "year" not in request.GET:
        return today.year, None
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"], None
    problem = "".join(str(error) for error in form.errors["year"])
    return today.year, _("%(problem)s 已改为显示 %(year)d 年。") % {"problem": problem, "year": today.year}


def _months(days: list[workcalendar.CalendarDay], year: int) -> list[dict]:
    by_date = {day.date: day for day in days}
    grid = calendar.Calendar(firstweekday=0)
    return [
        {
            "number": month,
            "weeks": [
                [by_date[d] if d.month == month else None for d in week]
                for week in grid.monthdatescalendar(year, month)
            ],
        }
        for month in range(1, 13)
    ]


def _page(request: SignedInRequest, year: int, form: OverrideForm, year_problem: str | None = None, status: int = 200):
    jurisdiction = request.jurisdiction
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = workcalendar.describe_days(jurisdiction, first, last)
    package = workcalendar.package_schedule()
    today = timezone.localdate()
    needs_confirmation = bool(workcalendar.years_without_data(jurisdiction, first, last))
    confirmation = None
    if not package.covers(year) and not needs_confirmation:
        confirmation = jurisdiction.calendar_years.select_related("confirmed_by").filter(year=year).first()
    context = {
        "year": year,
        "year_problem": year_problem,
        "year_choices": range(min(year, today.year - 3), max(year, today.year + 3) + 1),
        "previous_year": year - 1,
        "next_year": year + 1,
        "package_covers": package.covers(year),
        "package_first_year": package.first_year,
        "package_last_year": package.last_year,
        "warning": workcalendar.coverage_warning(jurisdiction, first, last) if needs_confirmation else None,
        "needs_confirmation": needs_confirmation,
        "confirmation": confirmation,
        "months": _months(days, year),
        "overrides": [day.override for day in days if day.override is not None],
        "working_day_count": sum(day.working for day in days),
        "form": form,
        "weekday_names": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
    }
    return render(request, "office/calendar.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.OFFICE)
def office_calendar(request: SignedInRequest) -> HttpResponse:
    year, year_problem = _requested_year(request)
    if request.method != "POST":
        return _page(request, year, OverrideForm(), year_problem)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _page(request, year, form, year_problem)
    saved = workcalendar.save_override(
        request.jurisdiction, form.cleaned_data["date"], form.cleaned_data["kind"], form.cleaned_data["note"]
    )
    override = saved.override
    if saved.created:
        messages.success(
            request,
            _("已添加 %(date)s 的调整：%(kind)s。")
            % {"date": override.date.isoformat(), "kind": override.get_kind_display()},
        )
    else:
        assert saved.previous_kind is not None  # an existing override was replaced: it had a kind
        previous = CalendarOverride.Kind(saved.previous_kind).label
        messages.info(
            request,
            _("%(date)s 原已有调整（%(previous)s），已更新为：%(kind)s。")
            % {"date": override.date.isoformat(), "previous": previous, "kind": override.get_kind_display()},
        )
    return HttpResponseRedirect(_calendar_url(request.jurisdiction, override.date.year))


@require_POST
@role_required(Role.OFFICE)
def delete_override(request: SignedInRequest, pk: int) -> HttpResponse:
    # Through the tenant's own relation: another office's override is simply not found (404).
    override = get_object_or_404(request.jurisdiction.calendar_overrides, pk=pk)
    year, label = override.date.year, f"{override.date.isoformat()} {override.get_kind_display()}"
    override.delete()
    messages.success(request, _("已删除调整：%(override)s。") % {"override": label})
    return HttpResponseRedirect(_calendar_url(request.jurisdiction, year))


@require_POST
@role_required(Role.OFFICE)
def confirm_year(request: SignedInRequest) -> HttpResponse:
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "".join(str(error) for error in form.errors["year"]))
        return HttpResponseRedirect(_calendar_url(request.jurisdiction, timezone.localdate().year))
    year = form.cleaned_data["year"]
    _confirmation, created = workcalendar.confirm_year(request.jurisdiction, year, request.user)
    if created:
        messages.success(request, _("已确认 %(year)d 年的放假和调休安排已录入。") % {"year": year})
    else:
        messages.info(request, _("%(year)d 年此前已经确认过。") % {"year": year})
    return HttpResponseRedirect(_calendar_url(request.jurisdiction, year))

"""Forms of the office's work-calendar page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalendarOverride

FIRST_YEAR, LAST_YEAR = 2000, 2099


def _year_problem(year: int) -> str | None:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return _("年份须在 %(first)d 年至 %(last)d 年之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR}


class OverrideForm(forms.Form):
    date = forms.DateField(
        label=_("日期"),
        # type=date inputs only accept ISO values, whatever the active locale's first input format is.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"],
        error_messages={
            "required": _("请填写日期。"),
            "invalid": _("日期格式不正确，请按“2026-10-09”的格式填写。"),
        },
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=CalendarOverride.Kind.choices,
        error_messages={
            "required": _("请选择类型：放假或调休上班。"),
            "invalid_choice": _("请选择“放假（非工作日）”或“调休上班（工作日）”。"),
        },
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        help_text=_("例如：“2027年国庆节放假”，可不填。"),
        error_messages={"max_length": _("说明最多 %(limit_value)d 个字（现在是 %(show_value)d 个字）。")},
    )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        problem = _year_problem(day.year)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("年份"),
        error_messages={"required": _("请选择年份。"), "invalid": _("年份应为四位数字，例如 2027。")},
    )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        problem = _year_problem(year)
        if problem:
            raise forms.ValidationError(problem)
        return year

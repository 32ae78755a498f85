"""Forms of the winners' duties pages (the winner's and the office's)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.text_limits import NOTE, REASON, too_long

from .models import SpotCheck

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
REQUIRED = {"required": _("此项为必填项。")}
A_DATE = {**REQUIRED, "invalid": _("请填写有效的日期。")}


class ReportForm(forms.Form):
    file = forms.FileField(label=_("自我评价报告（PDF）"), error_messages={"required": _("请选择报告文件（PDF）。")},
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))
    note = forms.CharField(label=_("说明（可不填）"), required=False, max_length=NOTE, error_messages=too_long(NOTE),
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}))


class IncidentForm(forms.Form):
    triggers = forms.MultipleChoiceField(label=_("发生的情形（可多选）"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("请选择发生的情形（可多选）。")})
    occurred_on = forms.DateField(label=_("发生日期"), widget=DATE, error_messages=A_DATE)
    description = forms.CharField(label=_("情况说明"), max_length=REASON, error_messages={**REQUIRED, **too_long(REASON)},
                                  widget=forms.Textarea(attrs={"rows": 5, "maxlength": REASON}))
    attachment = forms.FileField(label=_("附件（PDF 或图片，可不附）"), required=False)

    def __init__(self, *args, triggers=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["triggers"])
        field.choices = [(t.code, t.text_zh) for t in triggers]
        if not triggers:
            field.required = False
            field.widget = forms.MultipleHiddenInput()


class SpotCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("抽查日期"), widget=DATE, error_messages=A_DATE)
    result = forms.ChoiceField(label=_("抽查结果"), choices=SpotCheck.Result.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择抽查结果。")})
    note = forms.CharField(label=_("抽查意见"), max_length=NOTE, error_messages={**REQUIRED, **too_long(NOTE)},
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}))
    confirm = forms.BooleanField(label=_("我确认登记此抽查结果，登记后不能修改。"), error_messages={"required": _("请勾选确认。")})


class OrderForm(forms.Form):
    application = forms.TypedChoiceField(label=_("获奖组织"), coerce=int, error_messages={"required": _("请选择获奖组织。")})
    finding = forms.CharField(label=_("发现的问题"), max_length=REASON, error_messages={**REQUIRED, **too_long(REASON)},
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON}),
                              help_text=_("例如：在产品包装上使用获奖称号；宣传中未注明获奖年份。"))
    ordered_on = forms.DateField(label=_("责令日期"), widget=DATE, error_messages=A_DATE)
    deadline = forms.DateField(label=_("改正期限"), widget=DATE, error_messages=A_DATE)
    confirm = forms.BooleanField(label=_("我确认登记此责令改正，登记后不能修改或删除。"), error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, winners=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["application"]).choices = [
            ("", "—"), *((a.pk, f"{a.organization.name}（{a.cycle.year}）") for a in winners)]


class CorrectedForm(forms.Form):
    corrected_on = forms.DateField(label=_("改正日期"), widget=DATE, error_messages=A_DATE)
    note = forms.CharField(label=_("改正情况"), max_length=NOTE, error_messages={**REQUIRED, **too_long(NOTE)},
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}))
    confirm = forms.BooleanField(label=_("我确认该组织已改正，登记后不能撤销。"), error_messages={"required": _("请勾选确认。")})

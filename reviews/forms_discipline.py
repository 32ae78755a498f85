"""The form of the reviewers' discipline page."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.text_limits import REASON

REQUIRED = {"required": _("此项为必填项。")}


class SanctionForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("评审员"), coerce=int, error_messages={
        **REQUIRED, "invalid_choice": _("请选择本辖区的评审员。")})
    level = forms.ChoiceField(label=_("处理方式"), error_messages={**REQUIRED, "invalid_choice": _("请选择评审办法规定的处理方式。")})
    facts = forms.CharField(label=_("违纪事实"), max_length=REASON, error_messages=REQUIRED,
                            widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON}))
    decided_on = forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={**REQUIRED, "invalid": _("请填写有效的日期。")})
    confirm = forms.BooleanField(label=_("我确认登记这一处理决定：登记后不能撤销；取消评审资格的，评审员即移出专家库，在规定期限内不能再被聘用。"),
                                 error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, reviewers=(), levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = [("", "—"), *reviewers]
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", "—"), *levels]

"""The office's form for admitting a reviewer to the pool (评审专家库) with what it verified."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PoolEntry


class PoolEntryForm(forms.Form):
    reviewer = forms.TypedChoiceField(
        label=_("评审员"), coerce=int,
        error_messages={"required": _("请选择评审员。"), "invalid_choice": _("请从列表中选择评审员。")},
    )
    organisation = forms.CharField(label=_("工作单位"), max_length=200,
                                   error_messages={"required": _("请填写工作单位。")})
    position = forms.CharField(label=_("职务或职称"), max_length=100, error_messages={"required": _("请填写职务或职称。")},
                               help_text=_("例如：质量管理部部长、高级工程师。"))
    degree = forms.ChoiceField(label=_("学历"), choices=[("", _("— 请选择 —")), *PoolEntry.Degree.choices],
                               error_messages={"required": _("请选择学历。")})
    senior_title = forms.BooleanField(label=_("具有高级专业技术职称"), required=False)
    experience_years = forms.IntegerField(
        label=_("质量管理或专业技术工作年限"), min_value=0, max_value=60,
        error_messages={"required": _("请填写工作年限。"), "invalid": _("请填写整数年数。"),
                        "min_value": _("年限不能为负数。"), "max_value": _("年限不能超过60年。")},
    )
    specialty = forms.CharField(label=_("专业领域"), max_length=200, required=False)

    def __init__(self, *args, reviewers: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = [("", _("— 请选择 —")), *reviewers]

"""Forms of the after-award pages: a sanction, the revocation's approval, a recovery, a publication,
an agency's blacklist entry."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.text_limits import NOTE

DATE = forms.DateInput(attrs={"type": "date"})
REQUIRED = {"required": _("此项为必填项。")}
DATE_ERRORS = {**REQUIRED, "invalid": _("请填写有效的日期。")}


class SanctionForm(forms.Form):
    level = forms.ChoiceField(label=_("处理"), error_messages=REQUIRED)
    ground = forms.ChoiceField(label=_("撤销情形"), required=False,
                               help_text=_("撤销荣誉称号的，须选择办法规定的情形；较轻的处理可不选。"))
    grounds_text = forms.CharField(label=_("处理依据的情形"), max_length=NOTE, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE}),
                                   help_text=_("未选择撤销情形的，写明依据的情形。"))
    facts = forms.CharField(label=_("查实的事实"), max_length=NOTE, error_messages=REQUIRED,
                            widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}))
    occurred_on = forms.DateField(label=_("事实发生日期"), widget=DATE, error_messages=DATE_ERRORS)
    decided_on = forms.DateField(label=_("决定日期（撤销的为提请日期）"), widget=DATE, error_messages=DATE_ERRORS)
    document_number = forms.CharField(label=_("决定文号"), max_length=100, required=False,
                                      help_text=_("较轻的处理须填写；撤销的，批准文号在批准时登记。"))
    proposed_by = forms.CharField(label=_("提请机关（撤销时）"), max_length=100, required=False)

    def __init__(self, *args, levels=(), grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = list(levels)
        cast(forms.ChoiceField, self.fields["ground"]).choices = [("", _("— 不适用 —")), *grounds]


class ApproveRevocationForm(forms.Form):
    approving_body = forms.CharField(label=_("批准机关"), max_length=100, error_messages=REQUIRED)
    document_number = forms.CharField(label=_("批准文号"), max_length=100, error_messages=REQUIRED)
    approved_on = forms.DateField(label=_("批准日期"), widget=DATE, error_messages=DATE_ERRORS)
    document = forms.FileField(label=_("批准文件（PDF 或图片）"), error_messages=REQUIRED)
    serious = forms.ChoiceField(label=_("批准决定是否认定情节严重"), widget=forms.RadioSelect,
                                choices=[("yes", _("认定情节严重")), ("no", _("未认定情节严重"))],
                                error_messages={"required": _("请选择批准决定是否认定情节严重。")})
    confirm = forms.BooleanField(
        label=_("我确认登记撤销批准：奖项将被撤销，证书随即作废，查验页显示已撤销，登记后不能恢复。"),
        error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, serious_finding: bool = False, serious_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if serious_finding:
            self.fields["serious"].help_text = serious_help
        else:
            del self.fields["serious"]


class ReturnedForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    returned_on = forms.DateField(label=_("收回日期"), widget=DATE, error_messages=DATE_ERRORS)
    note = forms.CharField(label=_("说明（收据号等）"), max_length=300, required=False)


class PublishedForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("完成日期"), widget=DATE, error_messages=DATE_ERRORS)
    where = forms.CharField(label=_("发布载体"), max_length=200, error_messages=REQUIRED,
                            help_text=_("媒体名称、网站或信用档案系统。"))
    reference = forms.CharField(label=_("文号或链接"), max_length=300, required=False)


class AgencyEntryForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("第三方评审机构"), coerce=int, error_messages=REQUIRED)
    reason = forms.CharField(label=_("列入原因"), max_length=NOTE, error_messages=REQUIRED,
                             widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE}))
    decision_number = forms.CharField(label=_("市政府决定文号"), max_length=100, error_messages=REQUIRED)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE, error_messages=DATE_ERRORS)
    confirm = forms.BooleanField(label=_("我确认将该机构列入诚信黑名单，列入后不能在本系统撤回。"),
                                 error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", _("— 请选择 —")),
                                                                  *((a.pk, a.name) for a in agencies)]

"""Forms of the approval, prize, payment and verification pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.text_limits import NOTE

DATE = forms.DateInput(attrs={"type": "date"})
REQUIRED = {"required": _("此项为必填项。")}


class ApprovalForm(forms.Form):
    approving_body = forms.CharField(label=_("审定机关"), max_length=100, error_messages=REQUIRED)
    document_number = forms.CharField(label=_("批准文号"), max_length=100, error_messages=REQUIRED,
                                      help_text=_("例如：区政〔2026〕12号"))
    approved_on = forms.DateField(label=_("批准日期"), widget=DATE,
                                  error_messages={**REQUIRED, "invalid": _("请填写有效的日期。")})
    document = forms.FileField(label=_("批准文件（PDF 或图片）"), error_messages=REQUIRED)
    confirm = forms.BooleanField(label=_("我确认登记审定结果：拟授奖组织将获奖，结果通知所有申报组织，登记后不能撤销。"),
                                 error_messages={"required": _("请勾选确认。")})


class ClaimForm(forms.Form):
    application = forms.TypedChoiceField(label=_("拟授奖组织"), coerce=int, error_messages=REQUIRED)
    level_zh = forms.ChoiceField(label=_("上级荣誉"), error_messages=REQUIRED)
    nomination = forms.BooleanField(label=_("提名奖"), required=False)
    year = forms.IntegerField(label=_("获得年度"), min_value=1990, max_value=2100,
                              error_messages={**REQUIRED, "invalid": _("请填写年份。")})
    evidence = forms.CharField(label=_("证明材料（文件名称、文号）"), max_length=NOTE,
                               widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE}), error_messages=REQUIRED)

    def __init__(self, *args, applications=(), levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["application"]).choices = [(a.pk, a.organization.name) for a in applications]
        cast(forms.ChoiceField, self.fields["level_zh"]).choices = [(level, level) for level in levels]


class PaidForm(forms.Form):
    prize = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("发放日期"), widget=DATE,
                              error_messages={**REQUIRED, "invalid": _("请填写有效的日期。")})
    reference = forms.CharField(label=_("拨付凭证号"), max_length=100, error_messages=REQUIRED)
    confirm = forms.BooleanField(label=_("我确认这笔奖金已经发放，登记后不能撤销。"), error_messages={"required": _("请勾选确认。")})


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=NOTE, error_messages=REQUIRED,
                             widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE}),
                             help_text=_("理由将显示在公开的证书查验页上。"))
    confirm = forms.BooleanField(label=_("我确认撤销此证书：查验页将显示证书已撤销及撤销日期，撤销后不能恢复。"),
                                 error_messages={"required": _("请勾选确认。")})


class VerifyForm(forms.Form):
    serial = forms.CharField(label=_("证书编号"), max_length=40, required=False)
    file = forms.FileField(label=_("或上传证书 PDF 文件"), required=False)

    def clean(self):
        data = super().clean() or {}
        if not data.get("serial") and not data.get("file"):
            self.add_error("serial", _("请填写证书编号，或上传证书 PDF 文件。"))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("上传证书 PDF 文件，核对是否为颁发的原件"),
                           error_messages={"required": _("请选择证书 PDF 文件。")})

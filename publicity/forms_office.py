"""The office's forms: publishing a notice and each step of handling an objection."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.text_limits import NOTE, REASON, SITE_REPORT


class PublishForm(forms.Form):
    contact = forms.CharField(label=_("受理异议的联系方式（电话、地址、联系人）"), max_length=NOTE,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}))
    remarks = forms.CharField(label=_("补充说明（可不填）"), max_length=NOTE, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}))
    confirm = forms.BooleanField(label=_("我确认发布：名单将立即向社会公开，公示期开始计算，发布后不能撤回。"))


class AcceptanceForm(forms.Form):
    decision = forms.ChoiceField(label=_("受理审查决定"), widget=forms.RadioSelect,
                                 choices=[("accept", _("受理")), ("refuse", _("不予受理"))])
    seal_confirmed = forms.BooleanField(label=_("已核实书面异议材料加盖了该单位公章"), required=False)
    reason = forms.CharField(label=_("理由（不予受理时必填）"), max_length=REASON, required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON}))
    confirm = forms.BooleanField(label=_("我确认作出此决定，并向异议人出具书面通知。"))


class InvestigationForm(forms.Form):
    investigators = forms.CharField(label=_("调查专家（每行一人：姓名 职务）"), max_length=NOTE,
                                    widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}))
    candidate_due = forms.DateField(label=_("候选组织举证期限（最后一日）"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    objector_due = forms.DateField(label=_("异议人举证期限（最后一日）"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))


class EvidenceForm(forms.Form):
    party = forms.ChoiceField(label=_("提交材料的一方"), widget=forms.RadioSelect,
                              choices=[("candidate", _("候选组织")), ("objector", _("异议人"))])
    file = forms.FileField(label=_("材料文件（纸质材料可不上传）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE}))


class ReportForm(forms.Form):
    report = forms.CharField(label=_("调查报告"), max_length=SITE_REPORT,
                             widget=forms.Textarea(attrs={"rows": 6, "maxlength": SITE_REPORT}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("审查决定"), widget=forms.RadioSelect,
                                choices=[("upheld", _("异议成立（取消拟授奖资格）")), ("dismissed", _("异议不成立"))])
    reason = forms.CharField(label=_("理由"), max_length=REASON,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON}))
    confirm = forms.BooleanField(label=_("我确认记录此决定；异议成立的，该组织将被取消拟授奖资格，不能撤销。"))

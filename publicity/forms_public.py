"""The public's forms: an objection against a notice's entry, and the status lookup by receipt."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OBJECTION_TEXT, NoticeEntry, Objection


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("异议针对的组织"), coerce=int, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("以何种名义提出"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("姓名或单位名称"), max_length=200, required=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    contact = forms.CharField(label=_("联系电话"), max_length=200, required=False)
    email = forms.EmailField(label=_("电子邮箱（用于接收处理结果，可不填）"), required=False)
    address = forms.CharField(label=_("单位住所"), max_length=300, required=False)
    text = forms.CharField(label=_("异议内容"), max_length=OBJECTION_TEXT,
                           widget=forms.Textarea(attrs={"rows": 8, "maxlength": OBJECTION_TEXT}))
    evidence = forms.FileField(label=_("证明材料（PDF、JPG 或 PNG）"), required=False)
    evidence_more = forms.FileField(label=_("更多证明材料（可不填）"), required=False)
    seal_letter = forms.FileField(label=_("加盖本单位公章的书面异议材料"), required=False)
    answer = forms.CharField(label=_("验证"), max_length=6, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    # A field people never see (hidden by the style sheet): bots fill it in.
    website = forms.CharField(label=_("请勿填写此项"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, entries: list[NoticeEntry], anonymous_accepted: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["entry"]).choices = [(e.pk, f"{e.organization_name}（{e.award_name}）") for e in entries]
        kinds = [(Objection.Kind.PERSON, _("个人（实名）")), (Objection.Kind.ORGANIZATION, _("单位"))]
        if anonymous_accepted:
            kinds.append((Objection.Kind.ANONYMOUS, _("匿名")))
        else:
            # Offered so that the refusal can say why, with its article, instead of a bare choice error.
            kinds.append((Objection.Kind.ANONYMOUS, _("匿名（不予受理）")))
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds


class LookupForm(forms.Form):
    number = forms.CharField(label=_("异议编号"), max_length=40)
    code = forms.CharField(label=_("查询码"), max_length=40,
                           widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}))


class EvidenceForm(forms.Form):
    """More evidence from the objector, sent from the status page with the receipt number and code."""

    evidence = forms.FileField(label=_("补充证明材料（PDF、JPG 或 PNG）"), required=False)
    evidence_more = forms.FileField(label=_("更多补充材料（可不填）"), required=False)
    note = forms.CharField(label=_("说明（可不填）"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


"""Forms of the reviewer pages: affiliations, the conflict-of-interest statement, item scores.

The forms only collect and parse input. The rules (steps of the percentage, locks after
submission, who may set a consensus) are checked by reviews.groups and reviews.scoring, whose
ServiceError names the field the message belongs next to.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.uscc import normalise, uscc_problem
from jurisdictions.criteria_schema import CriteriaDoc

from .models import Affiliation


class AffiliationForm(forms.ModelForm):
    # Longer than the stored 18 characters: people paste codes with spaces and hyphens.
    uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=40, required=False)

    class Meta:
        model = Affiliation
        fields = ["kind", "organization_name", "uscc", "note"]
        error_messages = {
            "kind": {"required": gettext_lazy("请选择关系类型。")},
            "organization_name": {"required": gettext_lazy("请填写单位名称。")},
        }
        help_texts = {
            "uscc": gettext_lazy("有统一社会信用代码的请填写（18位）；系统据此在分配评审任务时自动排除利害关系。"),
            "note": gettext_lazy("例如：任职时间、咨询项目、客户关系的性质。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("请选择")), *Affiliation.Kind.choices]

    def clean_uscc(self) -> str:
        code = normalise(self.cleaned_data.get("uscc") or "")
        if not code:
            return ""
        problem = uscc_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code


class NoConflictForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": gettext_lazy("请勾选确认后再提交“无利害关系”声明。")},
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = label


def _reason_field(label, *, required, too_long, help_text) -> forms.CharField:
    """A conflict or recusal reason: required, at most 2000 characters, written in a small box."""
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required, "max_length": too_long},
        help_text=help_text,
    )


class LateConflictForm(forms.Form):
    """A conflict found after the "no conflict" statement: the reviewer recuses, with a reason."""

    reason = _reason_field(
        gettext_lazy("利害关系情况"),
        required=gettext_lazy("请写明利害关系的情况。"),
        too_long=gettext_lazy("请控制在2000字以内。"),
        help_text=gettext_lazy("例如：声明后才得知与该组织存在任职、咨询、客户、竞争或亲属关系。"),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("我确认存在利害关系并回避：提交后立即失去对该申报的查阅和评分权限，评审办将收到通知，此操作不能撤销。"),
        error_messages={"required": gettext_lazy("请勾选确认后再提交。")},
    )


class RecusalForm(forms.Form):
    reason = _reason_field(
        gettext_lazy("回避理由"),
        required=gettext_lazy("申请回避时请写明理由。"),
        too_long=gettext_lazy("回避理由请控制在2000字以内。"),
        help_text=gettext_lazy("例如：曾在该组织任职、为其提供咨询服务、与其存在竞争关系或亲属关系。"),
    )


def item_prefix(code: str) -> str:
    """A form prefix (and element id part) for an item code such as 4.1.1 (dots confuse selectors)."""
    return "i" + code.replace(".", "_")


def percentage_choices(criteria: CriteriaDoc) -> list:
    """The select's options in steps, grouped under the criteria's score bands."""
    step = criteria.percentage_step
    values = list(range(0, 101, step))
    grouped: list = [("", _("— 未评分 —"))]
    placed: set[int] = set()
    for band in criteria.bands:
        options = [(str(v), f"{v}%") for v in values if band.low <= v <= band.high]
        if options:
            grouped.append((f"{band.low}–{band.high}%：{band.description_zh}", options))
            placed.update(int(v) for v, _label in options)
    grouped.extend((str(v), f"{v}%") for v in values if v not in placed)
    return grouped


class ItemScoreForm(forms.Form):
    """One criterion item: a percentage, strengths (优势) and opportunities for improvement (改进机会)."""

    percentage = forms.CharField(label=gettext_lazy("得分率"), required=False)
    strengths = forms.CharField(
        label=gettext_lazy("优势"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("请控制在5000字以内。")},
    )
    opportunities = forms.CharField(
        label=gettext_lazy("改进机会"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("请控制在5000字以内。")},
    )

    def __init__(self, data: QueryDict | None = None, *, criteria: CriteriaDoc, code: str, **kwargs: Any):
        super().__init__(data, prefix=item_prefix(code), **kwargs)
        self.code = code
        self.fields["percentage"].widget = forms.Select(choices=percentage_choices(criteria))

    def clean_percentage(self) -> int | None:
        raw = (self.cleaned_data.get("percentage") or "").strip().rstrip("%")
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("请从列表中选择得分率。")) from exc

    def values(self) -> dict:
        data = self.cleaned_data
        return {"percentage": data["percentage"], "strengths": data["strengths"], "opportunities": data["opportunities"]}


def stored_values(record) -> dict:
    """What an ItemScore or ConsensusItem holds, in ItemScoreForm.values() terms (blank when none)."""
    if record is None:
        return {"percentage": None, "strengths": "", "opportunities": ""}
    return {"percentage": record.percentage, "strengths": record.strengths, "opportunities": record.opportunities}


def initial_for(record) -> dict:
    values = stored_values(record)
    pct = values["percentage"]
    return {**values, "percentage": "" if pct is None else str(pct)}

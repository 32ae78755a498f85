"""Forms of the applicant pages: the organisation record, starting and drafting an application, uploads.

Which organisation facts are asked comes from the rule profile (``facts_needed``): a form field is
shown when an eligibility condition reads the fact it feeds. The mapping below is from fact names
(the profile schema's vocabulary) to model fields, not from jurisdictions to fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import inlineformset_factory
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from jurisdictions import rules_wording
from jurisdictions.criteria_schema import CriteriaDoc
from jurisdictions.fact_vocabulary import BY_NAME, FACTS
from jurisdictions.profile_schema import Award, Recommendation, RuleProfileDoc

from . import text_limits
from .models import DECLARATION_FACTS, Certification, Organization, Sector

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Asked of every organisation, whatever its jurisdiction's conditions read.
ALWAYS_SHOWN = (
    "name",
    "registered_address",
    "district",
    "established",
    "industry",
    "staff_count",
    "revenue_wan",
)

# fact name (the one vocabulary) → the record's fields that establish it.
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    f.name: (f.record_field, *f.extra_fields) for f in FACTS if f.record_field is not None
}
# Facts established by the certificates listed under the record, not by a field of it.
CERTIFICATE_FACTS = frozenset(f.name for f in FACTS if f.kind == "certificate")

# The record's sections, in page order; the declarations and certificates follow them.
GROUPS = (
    (_("基本信息"), ("name", "registered_address", "district", "registered_in_jurisdiction", "established",
                  "legal_person", "industry", "sector", "staff_count", "revenue_wan")),
    (_("税收"), ("pays_tax_locally", "local_tax_wan")),
    (_("质量管理"), ("excellence_model_since",)),
)

YES_NO_FIELDS = tuple(f.record_field for f in FACTS if f.kind == "yes_no")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def english() -> bool:
    return (get_language() or "").startswith("en")


def note_field(declaration: str) -> str:
    return BY_NAME[declaration].extra_fields[0]


def yes_no_field(label: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("True", _("是")), ("False", _("否"))],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "yes-no"}),
    )


class OrganizationRecordForm(forms.ModelForm):
    """The organisation record, reduced to what the profile's conditions read (plus the basics)."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "registered_address",
            "district",
            "registered_in_jurisdiction",
            "established",
            "legal_person",
            "industry",
            "sector",
            "staff_count",
            "revenue_wan",
            "local_tax_wan",
            "pays_tax_locally",
            "excellence_model_since",
            *[name for fact in DECLARATION_FACTS for name in (fact, note_field(fact))],
        ]
        widgets = {
            "established": DATE_INPUT,
            "excellence_model_since": DATE_INPUT,
            **{note_field(fact): forms.Textarea(attrs={"rows": 2}) for fact in DECLARATION_FACTS},
        }


    def __init__(self, *args, profiles: list[RuleProfileDoc], **kwargs):
        """`profiles`: the rules the record must serve (the one in force, those pinned by open drafts)."""
        super().__init__(*args, **kwargs)
        self.needed = set().union(*(p.facts_needed for p in profiles))
        shown = set(ALWAYS_SHOWN)
        for needed in self.needed:
            shown.update(FACT_FIELDS.get(needed, ()))
        for name in YES_NO_FIELDS:
            if name in self.fields:
                field = cast(models.Field, Organization._meta.get_field(name))  # a concrete field of the record
                self.fields[name] = yes_no_field(field.verbose_name)
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
        self.fields["name"].required = True
        if "sector" in self.fields:
            cast(forms.ChoiceField, self.fields["sector"]).choices = [("", _("请选择")), *Sector.choices]
        # Each question carries the condition it serves, so the applicant sees why it is asked.
        self.certificate_conditions: list[str] = []
        explained: set[str] = set()
        for condition in (c for p in profiles for c in p.eligibility.conditions):
            fact = getattr(condition.test.value, "fact", None)
            if fact is None or fact in explained:
                continue
            explained.add(fact)
            text = _("申报条件（%(cite)s）：%(text)s") % {
                "cite": condition.test.cite,
                "text": condition.text_en if english() else condition.text_zh,
            }
            if fact in CERTIFICATE_FACTS:
                self.certificate_conditions.append(text)
            # The question in the regulation's own terms (Lucheng asks about 较大以上 accidents, Daqing
            # about any accident): the shared field label would misstate it.
            question = (condition.question_en if english() else "") or condition.question_zh
            for name in FACT_FIELDS.get(fact, ())[:1]:
                if name in self.fields:
                    self.fields[name].help_text = text
                    if question:
                        self.fields[name].label = question
        for fact in DECLARATION_FACTS:
            if note_field(fact) in self.fields:
                self.fields[note_field(fact)].label = _("情况说明")
                self.fields[note_field(fact)].help_text = _("选择“是”的，须说明时间、事由和处理结果。")

    @property
    def groups(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        shown: list[tuple[StrOrPromise, list[forms.BoundField]]] = []
        for title, names in GROUPS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                shown.append((title, fields))
        return shown

    @property
    def asks_certificates(self) -> bool:
        return bool(self.needed & CERTIFICATE_FACTS)

    @property
    def declarations(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[fact], self[note_field(fact)]) for fact in DECLARATION_FACTS if fact in self.fields]

    def clean(self) -> dict:
        super().clean()  # a Form's clean() returns its cleaned_data
        cleaned = self.cleaned_data
        for fact in DECLARATION_FACTS:
            note = note_field(fact)
            if fact not in self.fields:
                continue
            text = (cleaned.get(note) or "").strip()
            cleaned[note] = text
            if cleaned.get(fact) is True and not text:
                self.add_error(note, ValidationError(gettext("选择“是”时，请在此说明具体情况。"), code="required"))
            elif len(text) > text_limits.NOTE:
                self.add_error(note, ValidationError(
                    gettext("请控制在%(limit)s字以内（现为%(n)s字）。") % {"limit": text_limits.NOTE, "n": len(text)},
                    code="max_length"))
        return cleaned


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["kind", "name", "number", "expires_on"]
        widgets = {"expires_on": DATE_INPUT}
        labels = {"name": _("证书名称（可不填）")}


CertificationFormSet = inlineformset_factory(
    Organization,
    Certification,
    form=CertificationForm,
    extra=1,
    can_delete=True,
    max_num=20,
)


class StartApplicationForm(forms.Form):
    """Choose the award to apply for (only awards filed for directly) and, if several, the organisation."""

    category = forms.ChoiceField(label=_("申报奖项"), widget=forms.RadioSelect)
    organization = forms.TypedChoiceField(label=_("申报组织"), coerce=int)

    def __init__(self, *args, awards: list[Award], organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        name = "name_en" if english() else "name_zh"
        cast(forms.ChoiceField, self.fields["category"]).choices = [(a.code, getattr(a, name)) for a in awards]
        if len(awards) == 1:
            self.fields["category"].initial = awards[0].code
        cast(forms.ChoiceField, self.fields["organization"]).choices = [(o.pk, o.name) for o in organizations]
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
            self.fields["organization"].widget = forms.HiddenInput()
        self.fields["category"].error_messages["required"] = gettext("请选择申报奖项。")


class NormalisedTextField(forms.CharField):
    """Browsers send a textarea's line breaks as CRLF; count them as one character, as the counter does."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


def narrative_field_name(category_code: str) -> str:
    return "narrative_" + category_code.replace(".", "_")


class ApplicationDraftForm(forms.Form):
    """The application's text: overview, one narrative per criteria category, the recommendation."""

    overview = NormalisedTextField(
        label=_("组织概述"),
        required=False,
        max_length=text_limits.OVERVIEW,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-maxchars": text_limits.OVERVIEW}),
        help_text=_("简要介绍组织的基本情况、主要产品和服务、经营业绩和质量管理特色，不超过%(limit)s字。")
        % {"limit": text_limits.OVERVIEW},
    )
    recommenders = forms.MultipleChoiceField(
        label=_("已取得推荐意见的单位"), required=False, widget=forms.CheckboxSelectMultiple
    )
    recommender_names = forms.CharField(
        label=_("推荐单位名称"),
        required=False,
        max_length=300,
        help_text=_("填写推荐单位的全称，多个单位用顿号分隔。"),
    )

    def __init__(self, *args, criteria: CriteriaDoc, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = criteria.categories
        for category in self.categories:
            name = category.name_en if english() else category.name_zh
            self.fields[narrative_field_name(category.code)] = NormalisedTextField(
                label=f"{category.code} {name}",
                required=False,
                strip=False,
                max_length=text_limits.NARRATIVE,
                error_messages=text_limits.too_long(text_limits.NARRATIVE),
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("对照评价准则本类目（%(points)s分）的要求，概述本组织的方法、展开、学习、整合或结果。")
                % {"points": category.points},
            )
        self.recommendation = recommendation
        if recommendation.rule == "none":
            del self.fields["recommenders"]
            del self.fields["recommender_names"]
        else:
            choices = []
            for code in recommendation.recommenders:
                label = rules_wording.recommender_name(code, recommendation)
                if code in recommendation.optional_recommenders:
                    label = gettext("%(name)s（如有）") % {"name": label}
                choices.append((code, label))
            cast(forms.ChoiceField, self.fields["recommenders"]).choices = choices

    @property
    def narrative_fields(self) -> list[forms.BoundField]:
        return [self[narrative_field_name(c.code)] for c in self.categories]

    def narratives(self) -> dict[str, str]:
        return {c.code: self.cleaned_data.get(narrative_field_name(c.code), "") for c in self.categories}

    @classmethod
    def initial_for(cls, app) -> dict:
        initial = {
            "overview": app.overview,
            "recommenders": list(app.recommenders),
            "recommender_names": app.recommender_names,
        }
        for code, text in (app.narratives or {}).items():
            initial[narrative_field_name(code)] = text
        return initial


class UploadForm(forms.Form):
    # Empty files pass here so the content check gives its own, clearer reason.
    file = forms.FileField(label=_("选择文件"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = gettext("请选择要上传的文件。")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因（可不填）"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("我确认撤回本次申报。撤回后本届不能再提交。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = gettext("请勾选确认后再撤回。")


class SubmitConfirmForm(forms.Form):
    """The applicant ticks that it has checked its answers before the application is locked."""

    confirm = forms.BooleanField(
        label=_("我已核对以上申报内容和材料，确认提交。提交后申报内容和文件锁定，不能再修改。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = gettext("请勾选确认后再提交申报；申报内容不会丢失。")

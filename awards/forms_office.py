"""Forms of the office pages: a new award cycle, the application list filters, an eligibility decision.

The forms only collect and parse input. Every rule (quota ceilings, the interval between cycles,
whether a written reason is needed, whether returning for completion is allowed) is checked by
awards.services, whose ServiceError names the field the message belongs next to.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards import text_limits
from jurisdictions.models import RuleProfile
from jurisdictions.profile_schema import RuleProfileDoc
from jurisdictions.rules_wording import cite_label

from . import eligibility
from .eligibility import Reason
from .models import Application, AwardCycle
from .quotas import default_quotas, total_cap
from .services import ServiceError, completion_deadline
from .states import APPLICATION_TRANSITIONS, AppState

# The browser's native picker; the value carries no zone and is read in Asia/Shanghai (TIME_ZONE).
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def attach_service_error(form: forms.Form, error: ServiceError) -> None:
    """Put a refused operation's message next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class CycleForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200, required=False)
    call_published_on = forms.DateField(label=gettext_lazy("通知发布日期"), required=False, widget=DateInput())
    applications_open_at = forms.DateTimeField(label=gettext_lazy("开始受理时间"), widget=DateTimeLocalInput())
    applications_close_at = forms.DateTimeField(label=gettext_lazy("截止受理时间"), widget=DateTimeLocalInput())
    interval_override_reason = forms.CharField(
        label=gettext_lazy("提前开评理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=text_limits.NOTE, error_messages=text_limits.too_long(text_limits.NOTE),
    )

    def __init__(self, *args, profile: RuleProfile, award_name: str, previous: AwardCycle | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        rules: RuleProfileDoc = profile.typed
        interval = rules.cycle.interval_years
        # Suggest the first year the interval rule allows without an override.
        year = timezone.localdate().year
        if previous is not None:
            year = max(year, previous.year + interval.value)
        self.fields["year"].initial = year
        self.fields["title"].help_text = _("留空则按所填年度命名，例如“%(title)s”。") % {
            "title": f"{year}年度{award_name}评审"
        }
        self.fields["title"].widget.attrs["placeholder"] = f"{year}年度{award_name}评审"
        defaults = default_quotas(rules, {})
        for award in rules.awards:
            note = f"：{award.quota.note_zh}" if award.quota.note_zh else ""
            # Left empty, the quota is the service's default: the ceiling, within a total cap.
            self.fields[f"quota_{award.code}"] = forms.IntegerField(
                label=award.name_zh,
                min_value=0,
                required=False,
                initial=defaults[award.code],
                help_text=_("名额上限 %(max)s（%(cite)s%(note)s），可以调低，不能调高。")
                % {"max": award.quota.value, "cite": cite_label(award.quota.cite), "note": note},
            )
        cap = total_cap(rules)
        if cap is not None and rules.awards:
            # The service refuses quotas above the cap next to this field: say the rule where it shows.
            first = self.fields[f"quota_{rules.awards[0].code}"]
            first.help_text += _("各奖项名额合计不得超过%(n)s家（%(cite)s%(note)s）。") % {
                "n": cap.places, "cite": cite_label(cap.cite), "note": f"：{cap.note_zh}" if cap.note_zh else ""}
        self.quota_fields = [self[f"quota_{award.code}"] for award in rules.awards]
        cite = cite_label(interval.cite)
        if interval.value == 1:
            rule_text = _("依据%(cite)s，本辖区每年评选一次。") % {"cite": cite}
        else:
            rule_text = _("依据%(cite)s，本辖区每%(n)s年评选一次。") % {"cite": cite, "n": interval.value}
        if interval.note_zh:
            rule_text += _("（原文：%(note)s）") % {"note": interval.note_zh}
        if interval.value == 1:
            rule_text += _("一般无需填写。")
        elif previous is not None:
            rule_text += _("上一届为 %(year)s 年度；距上一届不足%(n)s年开评时须写明理由。") % {
                "year": previous.year,
                "n": interval.value,
            }
        else:
            rule_text += _("距上一届不足%(n)s年开评时须写明理由。") % {"n": interval.value}
        self.interval_rule_text = rule_text
        self.fields["interval_override_reason"].help_text = rule_text

    def quotas(self) -> dict[str, int]:
        rules = self.profile.typed
        return {
            award.code: self.cleaned_data[f"quota_{award.code}"]
            for award in rules.awards
            if self.cleaned_data.get(f"quota_{award.code}") is not None
        }


class ApplicationFilterForm(forms.Form):
    """GET filters of a cycle's application list; invalid values are ignored, not fatal."""

    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("申报奖项"), required=False)
    q = forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("组织名称、统一社会信用代码或受理编号")}),
    )

    def __init__(self, *args, rules: RuleProfileDoc, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", _("全部状态")), *AppState.choices]
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("全部奖项"))] + [(a.code, a.name_zh) for a in rules.top_awards]

    def apply(self, applications: QuerySet[Application]) -> QuerySet[Application]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("state"):
            applications = applications.filter(state=data["state"])
        if data.get("category"):
            applications = applications.filter(category=data["category"])
        text = (data.get("q") or "").strip()
        if text:
            applications = applications.filter(
                Q(organization__name__icontains=text)
                | Q(organization__uscc__icontains=text.upper())
                | Q(number__icontains=text)
            )
        return applications

    @property
    def active(self) -> bool:
        return any(self.data.get(name) for name in ("state", "category", "q"))


DECISION_LABELS = {
    AppState.ELIGIBLE: gettext_lazy("符合申报条件"),
    AppState.INELIGIBLE: gettext_lazy("不符合申报条件"),
    AppState.RETURNED: gettext_lazy("退回补正"),
}


def prefilled_reason(rules: RuleProfileDoc, results: list[Reason]) -> str:
    """A draft of the written reason for the decision the results advise: the failed conditions
    with their articles, or, where the application goes back for completion, the gaps to fill."""
    advised = eligibility.proposal(rules, results)
    if advised == AppState.RETURNED:
        lines = [_("经审查，申报材料不完整，请补充完善以下内容：")]
        listed = eligibility.gaps(results)
    elif advised == AppState.INELIGIBLE:
        lines = [_("经审查，贵单位存在以下不符合申报条件的情形：")]
        # Where missing data is not returned for completion it counts as not met, and is listed too.
        listed = eligibility.failures(results)
    else:
        return ""
    lines += [f"{n}. {r.text}（{cite_label(r.cite)}）" for n, r in enumerate(listed, start=1)]
    return "\n".join(lines)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("审查决定"),
        widget=forms.RadioSelect,
        choices=list(DECISION_LABELS.items()),
        error_messages={"required": gettext_lazy("请选择审查决定。")},
    )
    reason = forms.CharField(
        label=gettext_lazy("审查意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=text_limits.REASON, error_messages=text_limits.too_long(text_limits.REASON),
        help_text=gettext_lazy("判定不符合申报条件时必须填写；该意见写入发给申报组织的资格审查反馈函（PDF）。"),
    )
    override_reason = forms.CharField(
        label=gettext_lazy("不采纳自动核对结论的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=text_limits.REASON, error_messages=text_limits.too_long(text_limits.REASON),
        help_text=gettext_lazy("自动核对有不符合或缺项、仍判定符合申报条件时必须填写；记入办理记录，并注明所涉条款。"),
    )
    returned_until = forms.DateTimeField(
        label=gettext_lazy("补正截止"), required=False, widget=DateTimeLocalInput()
    )
    # The state the page showed: a second click arriving after the first decision is recognised.
    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)
    # The decision cannot be taken back: the office ticks that it knows so before it is made.
    confirm = forms.BooleanField(
        label=gettext_lazy("我已核对申报材料，确认作出上述决定。决定作出后申报状态随即变更并通知申报组织，不可撤销。"),
        required=True,
        error_messages={"required": gettext_lazy("请勾选确认后再作出资格审查决定；已填写的内容均已保留。")},
    )

    def __init__(self, *args, application: Application, results: list[Reason], **kwargs):
        super().__init__(*args, **kwargs)
        rules = application.cycle.profile.typed
        self.return_allowed = bool(rules.eligibility.return_for_completion.value)
        self.return_rule = rules.eligibility.return_for_completion
        possible = APPLICATION_TRANSITIONS.get(application.state, set())
        offered = [
            (code, label)
            for code, label in DECISION_LABELS.items()
            if code in possible and (code != AppState.RETURNED or self.return_allowed)
        ]
        self.offered = offered
        # The field accepts every decision so a refused one gets the service's cited message;
        # the page offers only the ones this application and profile allow.
        self.fields["decision"].widget.choices = offered
        if not self.return_allowed:
            del self.fields["returned_until"]
        else:
            note = f"：{self.return_rule.note_zh}" if self.return_rule.note_zh else ""
            self.fields["returned_until"].help_text = _(
                "仅在选择“退回补正”时填写；期限内申报组织可修改并重新提交（%(cite)s%(note)s）。"
            ) % {"cite": cite_label(self.return_rule.cite), "note": note}
            deadline = completion_deadline(application, timezone.now())
            self.fields["returned_until"].initial = timezone.localtime(deadline) if deadline else None
        # The engine's advice is proposed, never imposed: staff may choose otherwise (with a reason).
        self.proposed = eligibility.proposal(rules, results)
        self.against = eligibility.failures(results)
        if not self.against:
            del self.fields["override_reason"]
        if any(code == self.proposed for code, _label in offered):
            self.fields["decision"].initial = self.proposed
        self.fields["reason"].initial = prefilled_reason(rules, results)
        self.fields["seen_state"].initial = application.state

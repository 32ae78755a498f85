"""Forms of the office's review pages and of the site-report pages (leader, applicant).

The forms only collect and parse input. The rules (a group's minimum size and leader, the
third-party agency, conflicts of interest, the shortlist cap, who may write or confirm a site
report) are checked by reviews.groups, reviews.ranking and reviews.site, whose ServiceError names the
field its message belongs next to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards import text_limits
from awards.forms_office import DateInput
from awards.uscc import normalise, uscc_problem

from .pool import reviewer_line

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import ReviewAgency


def person(user: User) -> str:
    """A reviewer as a choice reads: the real name, position and organisation, never the login."""
    return reviewer_line(user)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return person(obj)


class GroupForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("评审组名称"), max_length=100,
        error_messages={"required": gettext_lazy("请填写评审组名称。")},
    )
    agency: forms.ModelChoiceField[ReviewAgency] = forms.ModelChoiceField(
        label=gettext_lazy("第三方评审机构"), queryset=None, required=False,
        empty_label=gettext_lazy("— 请选择 —"),
    )
    leader = PersonChoiceField(
        label=gettext_lazy("组长"), queryset=None, empty_label=gettext_lazy("— 请选择 —"),
        error_messages={"required": gettext_lazy("请选择组长。")},
    )
    members = PeopleChoiceField(
        label=gettext_lazy("组员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reviewers, agencies, third_party: bool, minimum: int, minimum_cite: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["leader"]).queryset = reviewers
        cast(forms.ModelChoiceField, self.fields["members"]).queryset = reviewers
        self.fields["members"].help_text = _("连同组长至少%(n)s名评审员（%(cite)s）。") % {
            "n": minimum, "cite": minimum_cite}
        if third_party:
            cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
            self.fields["agency"].help_text = _("组长和组员须是所选评审机构的评审员。")
        else:
            del self.fields["agency"]


class AgencyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("评审机构名称"), max_length=200,
        error_messages={"required": gettext_lazy("请填写评审机构名称。")},
    )
    uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=30, required=False)
    contract_note = forms.CharField(
        label=gettext_lazy("委托情况"), max_length=300, required=False,
        help_text=gettext_lazy("例如委托合同编号、服务期限。"),
    )
    reviewers = PeopleChoiceField(
        label=gettext_lazy("本机构的评审员"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["reviewers"]).queryset = reviewers

    def clean_uscc(self) -> str:
        raw = self.cleaned_data.get("uscc", "")
        if not normalise(raw):
            return ""
        problem = uscc_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return normalise(raw)


class AgencyReviewersForm(forms.Form):
    reviewers = PeopleChoiceField(
        label=gettext_lazy("增加评审员"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一名评审员。")},
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["reviewers"]).queryset = reviewers


class AddMemberForm(forms.Form):
    reviewer = forms.TypedChoiceField(
        label=gettext_lazy("补充评审员"), coerce=int,
        error_messages={"required": gettext_lazy("请选择要补充的评审员。"),
                        "invalid_choice": gettext_lazy("请从列表中选择评审员。")},
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = [("", _("— 请选择 —")), *choices]


class AssignmentForm(forms.Form):
    """One group select per application not yet assigned for the stage (`group_<id>`)."""

    def __init__(self, *args, application_ids: list[int], groups: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— 暂不分配 —")), *groups]
        for pk in application_ids:
            self.fields[f"group_{pk}"] = forms.TypedChoiceField(
                label=_("评审组"), choices=choices, coerce=int, required=False,
                error_messages={"invalid_choice": gettext_lazy("请从列表中选择评审组。")},
            )

    def field_for(self, pk: int):
        return self[f"group_{pk}"]

    def chosen(self) -> dict[int, int]:
        """application id → group id, for the rows where a group was picked."""
        return {int(name.removeprefix("group_")): value for name, value in self.cleaned_data.items() if value}


class ShortlistForm(forms.Form):
    """The office's pick where no cap decides (`chosen`: application ids)."""

    chosen = forms.TypedMultipleChoiceField(
        label=gettext_lazy("入围现场评审"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("所选申报已不在待定名单中，请刷新页面后重新选择。")},
    )
    # The office confirms it has seen the cap or its own pick before a decision no one can undo.
    confirm = forms.BooleanField(
        label=gettext_lazy("我已核对名单，确定入围现场评审名单（确定后不能撤销）"),
        error_messages={"required": gettext_lazy("请勾选确认后再提交。")},
    )

    # Under a cap, where equal scores straddle it: the office may pick among the tied, with a reason.
    tie_picks = forms.TypedMultipleChoiceField(
        label=gettext_lazy("在并列者中选定入围"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("所选申报不在并列名单中，请刷新页面后重新选择。")},
    )
    tie_reason = forms.CharField(
        label=gettext_lazy("选定理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=text_limits.NOTE, error_messages=text_limits.too_long(text_limits.NOTE),
        help_text=gettext_lazy("办法未规定得分相同时如何取舍：在并列者中选定入围时必须写明理由，理由记入申报的历史记录；"
                               "不选则并列者均不入围。"),
    )

    def __init__(self, *args, application_ids: list[int], capped: bool, tied_ids: Sequence[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.capped = capped
        cast(forms.ChoiceField, self.fields["chosen"]).choices = [(pk, str(pk)) for pk in application_ids]
        if capped:
            del self.fields["chosen"]
        if tied_ids:
            cast(forms.ChoiceField, self.fields["tie_picks"]).choices = [(pk, str(pk)) for pk in tied_ids]
        else:
            del self.fields["tie_picks"]
            del self.fields["tie_reason"]

    def clean(self) -> dict[str, Any]:
        super().clean()  # a Form's clean() returns its cleaned_data
        data = self.cleaned_data
        if not self.capped and "chosen" in data and not data["chosen"]:
            self.add_error("chosen", _("请至少选择一家进入现场评审的组织。"))
        return data


class ScheduleForm(forms.Form):
    group = forms.TypedChoiceField(
        label=gettext_lazy("现场评审组"), coerce=int,
        error_messages={"required": gettext_lazy("请选择现场评审组。"),
                        "invalid_choice": gettext_lazy("请从列表中选择评审组。")},
    )
    starts_on = forms.DateField(
        label=gettext_lazy("开始日期"), widget=DateInput(),
        error_messages={"required": gettext_lazy("请填写开始日期。"), "invalid": gettext_lazy("请填写有效的日期。")},
    )
    ends_on = forms.DateField(
        label=gettext_lazy("结束日期"), widget=DateInput(),
        error_messages={"required": gettext_lazy("请填写结束日期。"), "invalid": gettext_lazy("请填写有效的日期。")},
    )

    def __init__(self, *args, groups: list[tuple[int, str]], fixed_group: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_group:
            # The site group is assigned once; rescheduling moves only the dates.
            del self.fields["group"]
        else:
            cast(forms.ChoiceField, self.fields["group"]).choices = [("", _("— 请选择 —")), *groups]


class SiteReportForm(forms.Form):
    report = forms.CharField(
        label=gettext_lazy("现场评审报告"), widget=forms.Textarea(attrs={"rows": 16}),
        max_length=text_limits.SITE_REPORT,
        error_messages={"required": gettext_lazy("请填写现场评审报告。"), **text_limits.too_long(text_limits.SITE_REPORT)},
    )


class SiteResponseForm(forms.Form):
    CONFIRM, DISPUTE = "confirm", "dispute"

    decision = forms.ChoiceField(
        label=gettext_lazy("确认意见"), widget=forms.RadioSelect,
        choices=[(CONFIRM, gettext_lazy("确认报告内容")), (DISPUTE, gettext_lazy("对报告有异议"))],
        error_messages={"required": gettext_lazy("请选择确认报告或提出异议。")},
    )
    comments = forms.CharField(
        label=gettext_lazy("意见"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        max_length=text_limits.COMMENT, error_messages=text_limits.too_long(text_limits.COMMENT),
        help_text=gettext_lazy("提出异议时必须写明意见；确认时可留空。"),
    )


class ReopenStageForm(forms.Form):
    """The office reopening a group's stage score: which stage, and why (kept in the history)."""

    stage = forms.ChoiceField(label=gettext_lazy("重新开放的阶段"))
    reason = forms.CharField(
        label=gettext_lazy("理由（必填，100字以内）"), max_length=100, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请写明重新开放的理由。"),
                        "max_length": gettext_lazy("理由不得超过100字。")},
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("我确认重新开放：该阶段得分将撤销，依据它作出的决定一并撤回，评审组须重新评分。"),
        error_messages={"required": gettext_lazy("请勾选确认后再重新开放。")},
    )

    def __init__(self, *args, stages: Sequence[tuple[str, StrOrPromise]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = stages


class DisputeHandlingForm(forms.Form):
    handling = forms.CharField(
        label=gettext_lazy("对异议的处理"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=text_limits.REASON,
        error_messages={"required": gettext_lazy("请写明对异议的处理情况。"), **text_limits.too_long(text_limits.REASON)},
        help_text=gettext_lazy("例如核实情况、与评审组沟通的结果、是否修改报告或得分。记录后，该组织可以进入综合评价。"),
    )


class EvaluationConfirmForm(forms.Form):
    """The office ticks that it knows the comprehensive evaluation cannot simply be taken back."""

    confirm = forms.BooleanField(
        label=gettext_lazy("我确认进行综合评价：系统按上述权重计算综合得分，达到分数线的成为候选组织，其余为未达分数线，"
                           "结果记入每份申报的办理记录；如需更改，须由评审办写明理由后重新开放现场评审阶段。"),
        error_messages={"required": gettext_lazy("请勾选确认后再进行综合评价。")},
    )

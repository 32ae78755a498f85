"""The office's committee forms: roster, meeting, attendance, pre-meeting review, rounds, paper
ballots, closing, ties, deliberation and minutes."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from awards.text_limits import REASON as REASON_LIMIT

from .ballot import no_field, totals_problems, yes_field
from .models import NOTE_LIMIT, CommitteeMember, Round

DATE = forms.DateInput(attrs={"type": "date"})


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.CharField(label=_("职务"), max_length=100)
    is_chair = forms.BooleanField(label=_("主任（主持人）"), required=False)
    is_deputy = forms.BooleanField(label=_("副主任"), required=False)
    serves_from = forms.DateField(label=_("任职起始日"), widget=DATE)
    serves_until = forms.DateField(label=_("任职截止日"), required=False, widget=DATE,
                                   help_text=_("仍在任的留空。"))
    username = forms.CharField(label=_("登录账号（用于网上投票）"), max_length=150, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("没有这个登录账号。"))
        return user


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    place = forms.CharField(label=_("会议地点"), max_length=200, required=False)
    chair: forms.ModelChoiceField[CommitteeMember] = forms.ModelChoiceField(
        label=_("主持人"), queryset=CommitteeMember.objects.none(), required=False)

    def __init__(self, *args, jurisdiction, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["chair"]).queryset = CommitteeMember.objects.filter(
            jurisdiction=jurisdiction)


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(label=_("出席委员"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["present"]).choices = [(str(r.member_id), f"{r.member.name}（{r.member.position}）") for r in rows]
        self.fields["present"].initial = [str(r.member_id) for r in rows if r.present]


class PreReviewForm(forms.Form):
    opinion = forms.CharField(label=_("有关部门审议意见"), max_length=NOTE_LIMIT,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_LIMIT}))


class OpenRoundForm(forms.Form):
    award = forms.ChoiceField(label=_("奖项"))
    method = forms.ChoiceField(label=_("投票方式"), choices=[(Round.Method.ONLINE, Round.Method.ONLINE.label),
                                                          (Round.Method.PAPER, Round.Method.PAPER.label)])
    scrutineer = forms.CharField(label=_("监票人（纸质投票必填）"), max_length=50, required=False)

    def __init__(self, *args, awards, paper: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["award"]).choices = awards
        if not paper:
            cast(forms.ChoiceField, self.fields["method"]).choices = [(Round.Method.ONLINE, Round.Method.ONLINE.label)]


class BallotForm(forms.Form):
    """One ballot: yes / no / abstain per candidate, or a blank or spoiled ballot."""

    KIND_CHOICES = [("marked", _("按所选填写")), ("blank", _("空白票（不作任何选择）")), ("spoiled", _("废票"))]
    kind = forms.ChoiceField(label=_("选票"), choices=KIND_CHOICES, initial="marked", widget=forms.RadioSelect)

    def __init__(self, *args, entries, confirm_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"c{entry.application_id}"] = forms.ChoiceField(
                label=entry.application.organization.name, required=False, widget=forms.RadioSelect,
                choices=[("yes", _("赞成")), ("no", _("不赞成")), ("abstain", _("弃权"))])
        self.fields["confirm"] = forms.BooleanField(label=confirm_label, required=True,
                                                    error_messages={"required": _("请确认后再提交。")})

    def candidate_fields(self):
        return [self[f"c{e.application_id}"] for e in self.entries]

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == "marked":
            for entry in self.entries:
                if not data.get(f"c{entry.application_id}"):
                    self.add_error(f"c{entry.application_id}", _("请选择赞成、不赞成或弃权；如不作任何选择，请选“空白票”。"))
        return data

    def choices(self) -> dict[str, str]:
        data = self.cleaned_data or {}
        if data.get("kind") != "marked":
            return {}
        return {str(e.application_id): data[f"c{e.application_id}"] for e in self.entries}


class PaperTotalsForm(forms.Form):
    """A paper round's count sheet: ballots handed in, spoiled and blank ones, and per candidate the
    yes and no votes (the rest of the marked ballots are abstentions)."""

    ballots = forms.IntegerField(label=_("收回选票（张）"), min_value=0, max_value=999)
    spoiled = forms.IntegerField(label=_("其中废票（张）"), min_value=0, max_value=999, initial=0)
    blank = forms.IntegerField(label=_("其中空白票（张）"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, entries, present: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.present = present
        for entry in entries:
            name = entry.application.organization.name
            self.fields[yes_field(entry.application_id)] = forms.IntegerField(
                label=_("%(name)s：赞成（票）") % {"name": name}, min_value=0, max_value=999)
            self.fields[no_field(entry.application_id)] = forms.IntegerField(
                label=_("%(name)s：不赞成（票）") % {"name": name}, min_value=0, max_value=999)
        self.fields["confirm"] = forms.BooleanField(
            label=_("监票人已核对这些合计与计票单一致"), error_messages={"required": _("请确认后再提交。")})

    def candidate_rows(self):
        return [(e, self[yes_field(e.application_id)], self[no_field(e.application_id)]) for e in self.entries]

    def totals(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data or {}
        return {e.application_id: (data[yes_field(e.application_id)], data[no_field(e.application_id)])
                for e in self.entries}

    def clean(self):
        data = super().clean() or {}
        names = ["ballots", "spoiled", "blank"] + [f for e in self.entries
                                                   for f in (yes_field(e.application_id), no_field(e.application_id))]
        if all(data.get(n) is not None for n in names):
            for field, message in totals_problems(self.present, data["ballots"], data["spoiled"], data["blank"],
                                                  self.totals()):
                self.add_error(field, message)
        return data


class GovernmentNamingForm(forms.Form):
    """Keqiao 第二十二条: the district government's executive meeting named this candidate."""

    application = forms.ChoiceField(label=_("候选组织"))
    document = forms.CharField(label=_("区政府常务会议决定文号"), max_length=100)
    decided_on = forms.DateField(label=_("常务会议日期"), widget=DATE)
    confirm = forms.BooleanField(label=_("我确认区政府常务会议已确定该组织为本奖项；计票时该组织当选不占名额，名额顺延给其后的候选组织。"),
                                 error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["application"]).choices = [(str(e.application_id), e.application.organization.name)
                                              for e in entries]


class CloseRoundForm(forms.Form):
    confirm = forms.BooleanField(label=_("我确认结束本轮投票。结束后不能再投票，系统随即计票并按结果变更候选组织的状态，不可撤销。"),
                                 error_messages={"required": _("请勾选确认后再结束本轮投票。")})
    scrutineer_confirmed = forms.BooleanField(label=_("监票人已核对录入的选票与纸质选票一致"), required=False)


class TieForm(forms.Form):
    picks = forms.MultipleChoiceField(label=_("评委会决定当选的组织"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("评委会的决定及理由"), max_length=REASON_LIMIT,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_LIMIT}))
    confirm = forms.BooleanField(label=_("我确认记录这一决定，记录后不可撤销。"),
                                 error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, tied, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["picks"]).choices = [(str(e.application_id), e.application.organization.name) for e in tied]


class DeliberationForm(forms.Form):
    award = forms.ChoiceField(label=_("奖项"))
    selected = forms.MultipleChoiceField(label=_("审议决定列入拟获奖名单的组织"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("会议审议意见"), max_length=REASON_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_LIMIT}))
    confirm = forms.BooleanField(label=_("我确认记录会议的审议结果，记录后按结果变更推荐组织的状态，不可撤销。"),
                                 error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, award_code, apps, award_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["award"]).choices = award_choices
        self.fields["award"].initial = award_code
        cast(forms.ChoiceField, self.fields["selected"]).choices = [(str(a.pk), a.organization.name) for a in apps]


class MinutesForm(forms.Form):
    minutes = forms.FileField(label=_("会议纪要（PDF）"))
    signed_by = forms.CharField(label=_("表决结果签字人"), max_length=50)

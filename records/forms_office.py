"""Forms of the records page: a staff member's declared conflict."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.text_limits import NOTE

from .models import StaffConflict

REQUIRED = {"required": _("此项为必填项。")}


class StaffConflictForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("申报组织"), coerce=int, error_messages={
        **REQUIRED, "invalid_choice": _("请选择本辖区的申报组织。")})
    kind = forms.ChoiceField(label=_("关系类型"), choices=StaffConflict.Kind.choices, error_messages=REQUIRED)
    note = forms.CharField(label=_("说明"), max_length=NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE}))
    confirm = forms.BooleanField(label=_("我确认申报这一利害关系：申报后我将不能办理该组织申报的任何状态变更，申报不能撤回。"),
                                 error_messages={"required": _("请勾选确认。")})

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organization"]).choices = [
            ("", "—"), *((o.pk, o.name) for o in organizations)]

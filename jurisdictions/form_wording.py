"""Our wording for what Django's form fields say by default.

Django's own texts read as a machine's ("这个字段是必填项。", "选择一个有效的选项。 x 不在可用的选项中。")
and an unchosen list shows "---------". A form that names its own message keeps it; every other
field says ours. Applied once, when the apps are ready (jurisdictions/apps.py), for every app.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

EMPTY_LABEL = _("— 请选择 —")

_MESSAGES: list[tuple[type[forms.Field], dict[str, Any]]] = [
    (forms.Field, {"required": _("请填写此项。")}),
    (forms.BooleanField, {"required": _("请勾选此项。")}),
    (forms.ChoiceField, {"required": _("请选择一项。"), "invalid_choice": _("请从列表中选择。")}),
    (forms.MultipleChoiceField, {"required": _("请至少选择一项。"), "invalid_choice": _("请从列表中选择。"),
                                 "invalid_list": _("请从列表中选择。")}),
    (forms.ModelChoiceField, {"required": _("请选择一项。"), "invalid_choice": _("请从列表中选择。")}),
    (forms.ModelMultipleChoiceField, {"required": _("请至少选择一项。"), "invalid_choice": _("请从列表中选择。"),
                                      "invalid_pk_value": _("请从列表中选择。"), "invalid_list": _("请从列表中选择。")}),
    (forms.DateField, {"invalid": _("请填写有效的日期，例如 2026-09-28。")}),
    (forms.DateTimeField, {"invalid": _("请填写有效的日期和时间。")}),
    (forms.IntegerField, {"invalid": _("请填写整数。")}),
    (forms.DecimalField, {"invalid": _("请填写数字。")}),
    (forms.EmailField, {"invalid": _("请填写有效的电子邮箱地址。")}),
    (forms.FileField, {"required": _("请选择要上传的文件。"), "empty": _("上传的文件是空的。"),
                       "invalid": _("未收到文件，请重新选择。")}),
]


def apply() -> None:
    for field_class, messages in _MESSAGES:
        # Each class gets its own dict (one set on Field would otherwise be shared by all).
        field_class.default_error_messages = {**field_class.__dict__.get("default_error_messages", {}), **messages}
    if getattr(forms.ModelChoiceField.__init__, "_our_empty_label", False):
        return
    original = forms.ModelChoiceField.__init__

    def __init__(self, queryset, *, empty_label=EMPTY_LABEL, **kwargs) -> None:
        original(self, queryset, empty_label=empty_label, **kwargs)

    __init__._our_empty_label = True  # type: ignore[attr-defined]  # a marker so apply() runs once
    forms.ModelChoiceField.__init__ = __init__  # type: ignore[method-assign]  # our default empty label

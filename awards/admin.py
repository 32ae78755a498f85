"""Django admin for what has no office page yet: the past outcomes the eligibility bans read."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import PastOutcome


@admin.register(PastOutcome)
class PastOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "jurisdiction", "year", "award_code", "revoked", "revoked_on",
                    "disqualified", "disqualified_on", "serious")
    list_filter = ("jurisdiction", "revoked", "disqualified", "serious")
    search_fields = ("organization__name", "organization__uscc")
    fieldsets = (
        (None, {"fields": ("jurisdiction", "organization", "year")}),
        (_("获奖"), {"fields": ("award_code", "prize_cny", "revoked", "revoked_on")}),
        (_("取消评选资格（尚未授奖）"), {"fields": ("disqualified", "disqualified_on")}),
        (_("认定"), {"fields": ("serious",)}),
    )
    raw_id_fields = ("organization",)

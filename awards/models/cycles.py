"""Award cycles (one call for applications under one pinned rule-profile version)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from awards.states import CycleState
from jurisdictions.models import Jurisdiction, RuleProfile


class AwardCycle(models.Model):
    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="cycles")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    # Pinned at creation: later profile versions never change a running cycle.
    profile = models.ForeignKey(RuleProfile, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("规则版本"))
    state = models.CharField(_("状态"), max_length=20, choices=CycleState.choices, default=CycleState.DRAFT)
    call_published_on = models.DateField(_("通知发布日期"), null=True, blank=True)
    applications_open_at = models.DateTimeField(_("开始受理时间"))
    applications_close_at = models.DateTimeField(_("截止受理时间"))
    interval_override_reason = models.TextField(_("提前开评理由"), blank=True)
    notes = models.TextField(_("通知正文补充"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "year"], name="unique_cycle_year")]
        verbose_name = _("评审年度")
        verbose_name_plural = _("评审年度")

    def __str__(self) -> str:
        return self.title

    @property
    def close_date(self) -> dt.date:
        return timezone.localtime(self.applications_close_at).date()

    def is_open_for_submission(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.state == CycleState.PUBLISHED and self.applications_open_at <= now < self.applications_close_at

    def quota_for(self, award_code: str) -> int:
        return next((q.quota for q in self.quotas.all() if q.award_code == award_code), 0)


class CycleQuota(models.Model):
    tenant_field = "cycle__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    cycle = models.ForeignKey(AwardCycle, on_delete=models.CASCADE, related_name="quotas")
    award_code = models.CharField(_("奖项"), max_length=40)
    quota = models.PositiveSmallIntegerField(_("名额"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "award_code"], name="unique_cycle_quota")]
        verbose_name = _("名额")
        verbose_name_plural = _("名额")

    def __str__(self) -> str:
        return f"{self.cycle} {self.award_code}={self.quota}"

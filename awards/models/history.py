"""An organisation's earlier outcomes in a jurisdiction, which later eligibility checks read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jurisdictions.models import Jurisdiction

from .organizations import Organization


class PastOutcome(models.Model):
    """An award won (and possibly revoked) before or within this system."""

    class Revoked(models.TextChoices):
        NONE = "", _("未撤销")
        FRAUD = "fraud", _("弄虚作假被撤销")
        INCIDENT = "incident", _("发生事故等被撤销")

    tenant_field = "jurisdiction"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="past_outcomes")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="past_outcomes")
    year = models.PositiveSmallIntegerField(_("获奖年度"))
    award_code = models.CharField(_("奖项"), max_length=40)
    prize_cny = models.PositiveIntegerField(_("奖金（元）"), default=0)
    revoked = models.CharField(_("撤销"), max_length=10, choices=Revoked.choices, blank=True, default="")
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("历史获奖记录")
        verbose_name_plural = _("历史获奖记录")

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.award_code}"

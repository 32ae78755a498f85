"""An organisation's earlier outcomes in a jurisdiction, which later eligibility checks read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from jurisdictions.models import Jurisdiction

from .organizations import Organization


class PastOutcome(models.Model):
    """An award won (and possibly revoked), or an application disqualified before any award
    (Daqing 第三十一条: 尚未授奖的，取消其当年评选资格), before or within this system."""

    class Revoked(models.TextChoices):
        NONE = "", _("未撤销")
        FRAUD = "fraud", _("弄虚作假被撤销")
        INCIDENT = "incident", _("发生事故等被撤销")

    class Disqualified(models.TextChoices):
        NONE = "", _("未取消")
        FRAUD = "fraud", _("弄虚作假被取消评选资格（尚未授奖）")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="past_outcomes")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="past_outcomes")
    year = models.PositiveSmallIntegerField(_("年度"))
    award_code = models.CharField(_("奖项"), max_length=40, blank=True, help_text=_("取消评选资格（尚未授奖）的留空。"))
    prize_cny = models.PositiveIntegerField(_("奖金（元）"), default=0)
    revoked = models.CharField(_("撤销"), max_length=10, choices=Revoked.choices, blank=True, default="")
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    disqualified = models.CharField(_("取消评选资格"), max_length=10, choices=Disqualified.choices, blank=True,
                                    default="")
    disqualified_on = models.DateField(_("取消评选资格决定日期"), null=True, blank=True)
    # Daqing 第三十一条 bans only cases found serious; None means the decision made no such finding.
    serious = models.BooleanField(_("决定认定情节严重"), null=True, blank=True,
                                  help_text=_("撤销或取消评选资格的决定是否认定情节严重；决定未作认定的留空。"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("历史获奖记录")
        verbose_name_plural = _("历史获奖记录")

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.award_code or self.get_disqualified_display()}"

    def clean(self) -> None:
        errors = {}
        if not self.award_code and not self.disqualified:
            errors["award_code"] = _("请填写所获奖项，或记录取消评选资格。")
        if self.disqualified and self.award_code:
            errors["disqualified"] = _("取消评选资格指尚未授奖的情形，不能同时填写奖项。")
        if self.disqualified and self.disqualified_on is None:
            errors["disqualified_on"] = _("请填写取消评选资格的决定日期。")
        if self.revoked and self.revoked_on is None:
            errors["revoked_on"] = _("请填写撤销日期。")
        if errors:
            raise ValidationError(errors)

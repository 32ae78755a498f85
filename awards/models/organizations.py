"""Applicant organisations (申报组织), one record per jurisdiction they file in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards.uscc import normalise, validate_uscc
from jurisdictions.models import Jurisdiction


class Organization(models.Model):
    tenant_field = "jurisdiction"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("组织名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organizations", blank=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            # Unique per jurisdiction: a code registered elsewhere must not leak across tenants.
            models.UniqueConstraint(fields=["jurisdiction", "uscc"], name="unique_org_uscc_per_jurisdiction"),
        ]
        verbose_name = _("申报组织")
        verbose_name_plural = _("申报组织")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.uscc = normalise(self.uscc)
        super().save(*args, **kwargs)

"""Applicant organisations (申报组织), one record per jurisdiction they file in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from awards.uscc import normalise, validate_uscc
from jurisdictions.fact_vocabulary import BY_NAME
from jurisdictions.fact_vocabulary import DECLARATION_FACTS as VOCABULARY_DECLARATIONS
from jurisdictions.models import Jurisdiction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Sector(models.TextChoices):
    PRIMARY = "primary", _("第一产业")
    SECONDARY = "secondary", _("第二产业")
    TERTIARY = "tertiary", _("第三产业")


# The declarations (yes/no: "did this happen?") come from the one fact vocabulary.
DECLARATION_FACTS = VOCABULARY_DECLARATIONS


def _declared(name: str) -> StrOrPromise:
    # Each regulation words the question itself (profile question_zh); the field label stays neutral.
    return BY_NAME[name].label


class Organization(models.Model):
    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("组织名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organizations", blank=True)

    # --- the organisation record (facts the eligibility rules read) ---
    registered_address = models.CharField(_("注册地址"), max_length=300, blank=True)
    district = models.CharField(_("所在镇街/区县"), max_length=100, blank=True)
    registered_in_jurisdiction = models.BooleanField(_("在本辖区注册登记"), null=True, blank=True)
    established = models.DateField(_("成立日期"), null=True, blank=True)
    legal_person = models.BooleanField(_("具有独立法人资格"), null=True, blank=True)
    industry = models.CharField(_("所属行业"), max_length=100, blank=True)
    sector = models.CharField(_("产业类别"), max_length=20, choices=Sector.choices, blank=True)
    staff_count = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    revenue_wan = models.DecimalField(_("上年营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    local_tax_wan = models.DecimalField(_("上年在本地缴纳税收（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    pays_tax_locally = models.BooleanField(_("税收形成的地方财政收入归属本辖区"), null=True, blank=True)
    excellence_model_since = models.DateField(_("开始实施卓越绩效管理的时间"), null=True, blank=True)
    # Declarations: True means "yes, this happened" (then explain); the period asked is the profile's.
    failed_inspections_last_3_years = models.BooleanField(_declared("failed_inspections_last_3_years"), null=True, blank=True)
    failed_inspections_note = models.TextField(_("说明"), blank=True)
    major_accidents_last_3_years = models.BooleanField(_declared("major_accidents_last_3_years"), null=True, blank=True)
    major_accidents_note = models.TextField(_("说明"), blank=True)
    major_complaints_last_3_years = models.BooleanField(_declared("major_complaints_last_3_years"), null=True, blank=True)
    major_complaints_note = models.TextField(_("说明"), blank=True)
    administrative_penalties_last_3_years = models.BooleanField(_declared("administrative_penalties_last_3_years"), null=True, blank=True)
    administrative_penalties_note = models.TextField(_("说明"), blank=True)
    export_quality_notices_last_3_years = models.BooleanField(_declared("export_quality_notices_last_3_years"), null=True, blank=True)
    export_quality_notices_note = models.TextField(_("说明"), blank=True)
    serious_violations_last_3_years = models.BooleanField(_declared("serious_violations_last_3_years"), null=True, blank=True)
    serious_violations_note = models.TextField(_("说明"), blank=True)
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


class Certification(models.Model):
    class Kind(models.TextChoices):
        ISO9001 = "iso9001", _("ISO 9001 质量管理体系认证")
        OTHER_QMS = "other_qms", _("其他质量管理体系认证")

    tenant_field = "organization__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("证书名称"), max_length=200, blank=True)
    number = models.CharField(_("证书编号"), max_length=100)
    expires_on = models.DateField(_("有效期至"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "expires_on"]
        verbose_name = _("体系认证证书")
        verbose_name_plural = _("体系认证证书")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

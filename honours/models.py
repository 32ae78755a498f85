"""The government's approval of a cycle, each winner's prize and payment, and its signed certificate."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from awards import text_limits
from awards.models import Application, AwardCycle, Organization
from jurisdictions.models import Jurisdiction


def _approval_upload_path(instance: Approval, filename: str) -> str:
    # Never derive a path from user text: a random name and the extension of the checked content.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.document_type, "bin")
    return f"approvals/{instance.jurisdiction_id}/{instance.cycle_id}/{uuid.uuid4().hex}.{ext}"


class Approval(models.Model):
    """The approving body's decision (批准 / 审定) on a cycle's proposed winners, as the office recorded it."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="approvals")
    cycle = models.OneToOneField(AwardCycle, on_delete=models.PROTECT, related_name="approval")
    approving_body = models.CharField(_("审定机关"), max_length=100)
    document_number = models.CharField(_("批准文号"), max_length=100)
    approved_on = models.DateField(_("批准日期"))
    document = models.FileField(_("批准文件"), upload_to=_approval_upload_path)
    document_name = models.CharField(_("原文件名"), max_length=255)
    document_type = models.CharField(_("文件类型"), max_length=50)
    document_sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("审定批准")
        verbose_name_plural = _("审定批准")

    def __str__(self) -> str:
        return f"{self.approving_body} {self.document_number}"


class Prize(models.Model):
    """What one winner receives: the award, its money under the profile and the winner's history, and
    whether and when it was paid. `reasons` are the steps of the computation, each with its article."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="prizes")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="prize")
    award_code = models.CharField(_("奖项"), max_length=40)
    award_name = models.CharField(_("奖项名称"), max_length=100)
    prize_cny = models.PositiveIntegerField(_("奖金（元）"), default=0)
    bonus_cny = models.PositiveIntegerField(_("上级荣誉奖励（元）"), default=0)
    counts_in_quota = models.BooleanField(_("占用名额"), default=True)
    honours = models.JSONField(_("授予的荣誉"), default=list)
    reasons = models.JSONField(_("依据"), default=list)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    paid_reference = models.CharField(_("拨付凭证号"), max_length=100, blank=True)
    paid_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+")

    class Meta:
        ordering = ["application_id"]
        verbose_name = _("奖励")
        verbose_name_plural = _("奖励")

    def __str__(self) -> str:
        return f"{self.application_id} {self.award_code} {self.total_cny}"

    @property
    def total_cny(self) -> int:
        return self.prize_cny + self.bonus_cny


class HonourClaim(models.Model):
    """A higher honour (city, provincial, national quality award or its nomination) a winner claims
    a bonus for (Binjiang 五（五）), as the office recorded it from the winner's evidence."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="honour_claims")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="honour_claims")
    cycle = models.ForeignKey(AwardCycle, on_delete=models.PROTECT, related_name="honour_claims")
    level_zh = models.CharField(_("荣誉级别"), max_length=100)
    nomination = models.BooleanField(_("提名奖"), default=False)
    year = models.PositiveSmallIntegerField(_("获得年度"))
    evidence = models.TextField(_("证明材料说明"), max_length=text_limits.NOTE)
    amount_cny = models.PositiveIntegerField(_("奖励标准（元）"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["cycle_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "level_zh", "nomination", "year"],
                                               name="one_claim_per_honour")]
        verbose_name = _("上级荣誉")
        verbose_name_plural = _("上级荣誉")

    def __str__(self) -> str:
        return f"{self.organization_id} {self.level_zh} {self.year}"


class Certificate(models.Model):
    """A winner's certificate: one serial per application (the constraint), its signed PDF once made,
    and its revocation if the award is revoked."""

    class State(models.TextChoices):
        PENDING = "pending", _("待生成")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="certificates")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    serial = models.CharField(_("证书编号"), max_length=40, unique=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    # What the certificate says, fixed when it is first made: a later rename of the organisation does
    # not change an issued certificate.
    organization_name = models.CharField(_("组织名称"), max_length=200)
    award_name = models.CharField(_("奖项名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    pdf = models.BinaryField(_("证书 PDF"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    issued_at = models.DateTimeField(_("颁发时间"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销理由"), blank=True, max_length=text_limits.NOTE)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["serial"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")

    def __str__(self) -> str:
        return self.serial

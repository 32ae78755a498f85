"""Applications, their files, their state history and the documents generated for them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from awards import text_limits
from awards.states import EDITABLE_STATES, AppState
from jurisdictions.models import Jurisdiction

from .cycles import AwardCycle
from .organizations import Organization


class Application(models.Model):
    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    # Denormalised from the cycle so every tenant check and unique constraint is one hop.
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="applications")
    cycle = models.ForeignKey(AwardCycle, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="applications")
    category = models.CharField(_("申报奖项"), max_length=40)
    state = models.CharField(_("状态"), max_length=20, choices=AppState.choices, default=AppState.DRAFT)
    number = models.CharField(_("受理编号"), max_length=40, blank=True)
    overview = models.TextField(_("组织概述"), blank=True, max_length=text_limits.OVERVIEW)
    narratives = models.JSONField(_("各类目自评"), default=dict, blank=True)
    recommenders = models.JSONField(_("推荐单位"), default=list, blank=True)
    recommender_names = models.CharField(_("推荐单位名称"), max_length=300, blank=True)
    # The facts as they stood when submitted: eligibility is judged on what was filed.
    facts_snapshot = models.JSONField(_("提交时的组织信息"), default=dict, blank=True)
    fingerprint = models.CharField(_("内容指纹（SHA-256）"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("资格审查时间"), null=True, blank=True)
    returned_until = models.DateTimeField(_("补正截止时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审查意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "organization"], name="one_application_per_org_per_cycle"),
        ]
        indexes = [models.Index(fields=["cycle", "state"])]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")

    def __str__(self) -> str:
        return f"{self.organization.name} · {self.cycle.year}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


def _private_upload_path(instance: ApplicationFile, filename: str) -> str:
    # Never derive a path from user text: random name, kept extension from the checked content type.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.content_type, "bin")
    return f"applications/{instance.application.jurisdiction_id}/{instance.application_id}/{uuid.uuid4().hex}.{ext}"


class ApplicationFile(models.Model):
    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("自我评价报告")
        RECOMMENDATION = "recommendation", _("推荐意见")
        EVIDENCE = "evidence", _("证实性材料")

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=_private_upload_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("申报文件")
        verbose_name_plural = _("申报文件")

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """One state change: who, when, why, under which article."""

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, choices=AppState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=AppState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("时间"))
    reason = models.TextField(_("理由"), blank=True)
    rule = models.CharField(_("规则"), max_length=120, blank=True)
    cite = models.CharField(_("依据条款"), max_length=120, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态记录")
        verbose_name_plural = _("状态记录")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state}→{self.to_state}"


class GeneratedDocument(models.Model):
    """A PDF issued for an application (receipt, feedback letter, ...), regenerated idempotently."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("受理回执")
        INELIGIBLE_LETTER = "ineligible_letter", _("资格审查反馈函")

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="unique_document_kind")]
        verbose_name = _("生成文书")
        verbose_name_plural = _("生成文书")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


class ReminderSent(models.Model):
    """A reminder that went out; the unique key makes a second send impossible."""

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "days_before"], name="unique_reminder"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} -{self.days_before}d"

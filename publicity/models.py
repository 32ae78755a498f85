"""Publicity notices (公示) of the proposed winners, and the objections (异议) filed against them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from awards import text_limits
from awards.models import Application, AwardCycle
from jurisdictions.models import Jurisdiction

OBJECTION_TEXT = 5000      # what the objector says is wrong
CONTACT = 200


class Notice(models.Model):
    """One publicity notice of a cycle's proposed winners, running from `starts_at` to `ends_at`.

    `ends_at` is exclusive (24:00 of the period's last day); pages compare the clock with it, so the
    notice closes on time whether or not any worker ran. `ended_at` records that the beat task moved
    the cycle on afterwards."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="notices")
    cycle = models.ForeignKey(AwardCycle, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("标题"), max_length=200)
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示截止"))
    period_reasons = models.JSONField(_("公示期依据"), default=list)
    contact = models.TextField(_("联系方式"), max_length=text_limits.NOTE)
    remarks = models.TextField(_("补充说明"), blank=True, max_length=text_limits.NOTE)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    ended_at = models.DateTimeField(_("公示结束处理时间"), null=True, blank=True)
    changed_at = models.DateTimeField(_("最近变更"), auto_now=True)
    pdf = models.BinaryField(_("公示通知 PDF"), null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [models.UniqueConstraint(fields=["cycle"], name="one_notice_per_cycle")]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def __str__(self) -> str:
        return self.title


class NoticeEntry(models.Model):
    """A proposed winner on the notice, as published (name and award kept as they were shown)."""

    tenant_field = "notice__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notice_entries")
    award_code = models.CharField(_("奖项"), max_length=40)
    award_name = models.CharField(_("奖项名称"), max_length=100)
    organization_name = models.CharField(_("组织名称"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["notice", "application"], name="one_entry_per_application")]
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")

    def __str__(self) -> str:
        return self.organization_name


class Objection(models.Model):
    """An objection against one entry of a notice, and how it was handled.

    The objector's identity is personal information (个人信息保护法): it is shown only to office
    staff, the ID card number only masked except to the member of staff handling the objection, and
    stored encrypted (publicity/identity.py). The secret code for the public status lookup is kept as
    a password hash."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        ORGANIZATION = "organization", _("单位")
        ANONYMOUS = "anonymous", _("匿名")

    class State(models.TextChoices):
        RECEIVED = "received", _("已收到，待受理审查")
        ACCEPTED = "accepted", _("已受理，调查中")
        REFUSED = "refused", _("不予受理")
        WITHDRAWN = "withdrawn", _("视为放弃异议")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="objections")
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(NoticeEntry, on_delete=models.PROTECT, related_name="objections")
    number = models.CharField(_("异议编号"), max_length=40)
    secret_hash = models.CharField(max_length=200)
    kind = models.CharField(_("异议人类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("姓名或单位名称"), max_length=200, blank=True)
    id_number_encrypted = models.TextField(blank=True)
    id_number_masked = models.CharField(_("身份证号码"), max_length=40, blank=True)
    contact = models.CharField(_("联系方式"), max_length=CONTACT, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("单位住所"), max_length=300, blank=True)
    text = models.TextField(_("异议内容"), max_length=OBJECTION_TEXT)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.RECEIVED)
    filed_at = models.DateTimeField(_("提出时间"))
    acceptance_due_at = models.DateTimeField(_("受理审查期限"))
    acceptance_reasons = models.JSONField(_("受理期限依据"), default=list)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("经办人"))
    seal_confirmed = models.BooleanField(_("已核实公章"), default=False)
    decision_reason = models.TextField(_("受理审查意见"), blank=True, max_length=text_limits.REASON)
    decision_cite = models.CharField(_("依据"), max_length=100, blank=True)
    decided_at = models.DateTimeField(_("受理审查时间"), null=True, blank=True)
    investigators = models.JSONField(_("调查专家"), default=list, blank=True)
    candidate_due_at = models.DateTimeField(_("候选组织举证期限"), null=True, blank=True)
    objector_due_at = models.DateTimeField(_("异议人举证期限"), null=True, blank=True)
    candidate_evidence_at = models.DateTimeField(_("候选组织提交材料时间"), null=True, blank=True)
    objector_evidence_at = models.DateTimeField(_("异议人提交材料时间"), null=True, blank=True)
    report = models.TextField(_("调查报告"), blank=True, max_length=text_limits.SITE_REPORT)
    report_to = models.CharField(_("调查报告报送"), max_length=100, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    outcome_reason = models.TextField(_("处理结果"), blank=True, max_length=text_limits.REASON)
    outcome_rule = models.CharField(max_length=100, blank=True)
    outcome_cite = models.CharField(_("依据"), max_length=100, blank=True)
    outcome_deemed = models.BooleanField(_("按规定推定"), default=False)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "number"], name="unique_objection_number")]
        indexes = [models.Index(fields=["state", "candidate_due_at"]), models.Index(fields=["state", "objector_due_at"])]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.RECEIVED, self.State.ACCEPTED)


def _objection_upload_path(instance: ObjectionFile, filename: str) -> str:
    # Never derive a path from user text: a random name and the extension of the checked content.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.content_type, "bin")
    return f"objections/{instance.objection.jurisdiction_id}/{instance.objection_id}/{uuid.uuid4().hex}.{ext}"


class ObjectionFile(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("证明材料")
        SEAL_LETTER = "seal_letter", _("加盖公章的异议书")
        CANDIDATE_EVIDENCE = "candidate_evidence", _("候选组织提交的材料")
        OBJECTOR_EVIDENCE = "objector_evidence", _("异议人补充的材料")

    tenant_field = "objection__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=_objection_upload_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("异议材料")
        verbose_name_plural = _("异议材料")

    def __str__(self) -> str:
        return self.original_name


class ObjectionEvent(models.Model):
    """One step of an objection's handling: who (a person or the system actor), when, why, under which article."""

    tenant_field = "objection__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(blank=True)
    rule = models.CharField(max_length=100, blank=True)
    cite = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("异议处理记录")
        verbose_name_plural = _("异议处理记录")

    def __str__(self) -> str:
        return f"{self.objection_id}: {self.to_state}"


class ObjectionLetter(models.Model):
    """A written decision issued to the objector (acceptance, refusal, outcome), as PDF."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理通知书")
        REFUSAL = "refusal", _("不予受理通知书")
        OUTCOME = "outcome", _("异议处理结果告知书")

    tenant_field = "objection__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["objection", "kind"], name="unique_objection_letter")]
        verbose_name = _("异议文书")
        verbose_name_plural = _("异议文书")

    def __str__(self) -> str:
        return f"{self.objection_id} {self.kind}"


def _held_upload_path(instance: HeldFile, filename: str) -> str:
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.content_type, "bin")
    return f"objections/held/{instance.jurisdiction_id}/{uuid.uuid4().hex}.{ext}"


class HeldFile(models.Model):
    """A file an objector chose on a form that was refused for another reason, kept so that it need
    not be chosen again (publicity/held_files.py). It belongs to no objection yet; the page refers to
    it by a signed token, and a held file older than a day is removed."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=_held_upload_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField()
    held_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("暂存的异议材料")
        verbose_name_plural = _("暂存的异议材料")

    def __str__(self) -> str:
        return self.original_name

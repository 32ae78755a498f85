"""A closed cycle's retention period, the cycle archive exports, and office staff's declared conflicts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from awards import text_limits
from awards.models import AwardCycle, Organization
from jurisdictions.models import Jurisdiction


class CycleRetention(models.Model):
    """How long a closed cycle's record is kept (Daqing 第三十六条: 评审资料一般保存10年; elsewhere an
    office setting of the profile, `records.retention_years`).

    A table of its own rather than a column on the cycle: the row is written in the same transaction
    as the cycle's move to `closed` (records.retention.record_close, through awards.workflow's
    on_cycle_enter), from the years and article of the profile the cycle pinned, and the database
    triggers (migration 0002) read it: while `kept_until` is today or later, no row of the cycle's
    record can be deleted; a closed cycle without this row is kept without end. Retention runs
    `years` calendar years from the day the cycle closed; the record may go on the day after
    `kept_until`."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    cycle = models.OneToOneField(AwardCycle, on_delete=models.PROTECT, related_name="retention")
    closed_on = models.DateField(_("评审结束日期"))
    years = models.PositiveSmallIntegerField(_("保存年限"))
    kept_until = models.DateField(_("保存至"))
    # The article as the record shows it (第三十六条, or 本办设定 for an office setting): the database's
    # refusal message names it without reading the profile.
    cite_zh = models.CharField(_("依据"), max_length=60)

    class Meta:
        verbose_name = _("档案保存期限")
        verbose_name_plural = _("档案保存期限")

    def __str__(self) -> str:
        return f"{self.cycle_id} → {self.kept_until}"


def _archive_path(instance: ArchiveExport, filename: str) -> str:
    return f"archives/{instance.jurisdiction_id}/{instance.cycle_id}/{uuid.uuid4().hex}.zip"


class ArchiveExport(models.Model):
    """One export of a cycle's complete archive into a single .zip, built by a Celery task."""

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在生成")
        READY = "ready", _("已生成")
        FAILED = "failed", _("生成失败")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(AwardCycle, on_delete=models.PROTECT, related_name="archive_exports")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    file = models.FileField(upload_to=_archive_path, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # What the archive holds, per part (applications, scores, …): shown on the page once ready.
    counts = models.JSONField(default=dict)
    error = models.TextField(_("失败原因"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("档案导出")
        verbose_name_plural = _("档案导出")

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.state}"


class StaffConflict(models.Model):
    """An office staff member's declared relationship with an applicant organisation (Daqing 第三十五条:
    评审人员及工作人员…有利害关系的，本人应当主动提出回避), mirroring a reviewer's Affiliation. While it
    stands, the workflow refuses that person every state change of the organisation's applications
    (records.staff_conflicts); the joint meeting's office sees every declaration (监督)."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("任职/受雇单位")
        RELATIVE = "relative", _("近亲属任职")
        CONSULTING = "consulting", _("咨询服务关系")
        INTEREST = "interest", _("经济利益关系")
        OTHER = "other", _("其他利害关系")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_conflicts")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="staff_conflicts")
    kind = models.CharField(_("关系类型"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=text_limits.NOTE, blank=True)
    declared_at = models.DateTimeField(_("申报时间"))

    class Meta:
        ordering = ["-declared_at"]
        constraints = [
            # A double click declares once.
            models.UniqueConstraint(fields=["staff", "organization", "kind"], name="unique_staff_conflict"),
        ]
        verbose_name = _("工作人员利害关系申报")
        verbose_name_plural = _("工作人员利害关系申报")

    def __str__(self) -> str:
        return f"{self.staff_id} · {self.organization_id}"

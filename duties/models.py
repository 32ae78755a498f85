"""What a winner owes after its award: yearly self-assessment reports (with the office's spot checks
and the reminders sent for them), reports of incidents, and the office's orders to correct a misuse
of the title."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from awards import text_limits
from awards.models import Application
from jurisdictions.models import Jurisdiction

EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def _stored_name(folder: str, jurisdiction_id: int, content_type: str) -> str:
    # Never derive a path from user text: a random name and the extension of the checked content.
    return f"duties/{folder}/{jurisdiction_id}/{uuid.uuid4().hex}.{EXTENSIONS.get(content_type, 'bin')}"


def _report_path(instance: SelfAssessmentReport, filename: str) -> str:
    return _stored_name("self-assessment", instance.jurisdiction_id, instance.file_type)


def _incident_path(instance: IncidentReport, filename: str) -> str:
    return _stored_name("incidents", instance.jurisdiction_id, instance.file_type)


class SelfAssessmentDuty(models.Model):
    """One yearly self-assessment report a winner owes: due in `year`, covering the year before.
    A due date already past when the award was made is listed but not required (`not_required_reason`)."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="self_assessment_duties")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="self_assessment_duties")
    year = models.PositiveSmallIntegerField(_("报送年度"))
    due_on = models.DateField(_("报送截止日"))
    required = models.BooleanField(_("须报送"), default=True)
    not_required_reason = models.CharField(_("无需报送的原因"), max_length=300, blank=True)
    cite = models.CharField(_("依据"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "year"]
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="one_self_assessment_a_year")]
        verbose_name = _("年度自我评价报告义务")
        verbose_name_plural = _("年度自我评价报告义务")

    def __str__(self) -> str:
        return f"{self.application_id} {self.year}"

    @property
    def covers_year(self) -> int:
        return self.year - 1


class SelfAssessmentReport(models.Model):
    """One report the winner sent for a duty (a later one may follow; the first on time counts)."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="self_assessment_reports")
    duty = models.ForeignKey(SelfAssessmentDuty, on_delete=models.PROTECT, related_name="reports")
    file = models.FileField(_("报告文件"), upload_to=_report_path)
    file_name = models.CharField(_("原文件名"), max_length=255)
    file_type = models.CharField(_("文件类型"), max_length=50)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    note = models.TextField(_("说明"), blank=True, max_length=text_limits.NOTE)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    late_days = models.PositiveIntegerField(_("逾期天数"), default=0)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("年度自我评价报告")
        verbose_name_plural = _("年度自我评价报告")

    def __str__(self) -> str:
        return f"{self.duty_id} {self.submitted_at:%Y-%m-%d}"

    @property
    def late(self) -> bool:
        return self.late_days > 0


class SpotCheck(models.Model):
    """The office's spot check (抽查) of a received report."""

    class Result(models.TextChoices):
        CONFORMS = "conforms", _("符合")
        DOES_NOT_CONFORM = "does_not_conform", _("不符合")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="spot_checks")
    report = models.ForeignKey(SelfAssessmentReport, on_delete=models.PROTECT, related_name="spot_checks")
    checked_on = models.DateField(_("抽查日期"))
    result = models.CharField(_("抽查结果"), max_length=20, choices=Result.choices)
    note = models.TextField(_("抽查意见"), max_length=text_limits.NOTE)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")

    def __str__(self) -> str:
        return f"{self.report_id} {self.checked_on} {self.result}"


class DutyReminder(models.Model):
    """A reminder sent for a duty: one row per offset (days before the due date) or for its becoming
    overdue (`days_before` = -1). The unique row is the claim: a second run sends nothing."""

    OVERDUE = -1

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="duty_reminders")
    duty = models.ForeignKey(SelfAssessmentDuty, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.SmallIntegerField(_("截止前天数"))
    sent_at = models.DateTimeField(_("发送时间"))
    recipients = models.PositiveSmallIntegerField(_("收件人数"), default=0)

    class Meta:
        ordering = ["duty_id", "sent_at"]
        constraints = [models.UniqueConstraint(fields=["duty", "days_before"], name="one_reminder_per_offset")]
        verbose_name = _("报送提醒")
        verbose_name_plural = _("报送提醒")

    def __str__(self) -> str:
        return f"{self.duty_id} {self.days_before}"


class IncidentReport(models.Model):
    """A winner's report of a reportable situation (Keqiao 第二十九条), with its due date and lateness
    as computed when it was filed."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="incident_reports")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="incident_reports")
    # The situations as the profile worded them when the report was filed: [{"code", "text_zh"}].
    triggers = models.JSONField(_("情形"), default=list)
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("情况说明"), max_length=text_limits.REASON)
    file = models.FileField(_("附件"), upload_to=_incident_path, blank=True)
    file_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    file_type = models.CharField(_("文件类型"), max_length=50, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    due_on = models.DateField(_("报告期限"))
    late_days = models.PositiveIntegerField(_("逾期天数"), default=0)
    cite = models.CharField(_("依据"), max_length=40)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reported_at = models.DateTimeField(_("报告时间"))

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("情况报告")
        verbose_name_plural = _("情况报告")

    def __str__(self) -> str:
        return f"{self.application_id} {self.occurred_on}"

    @property
    def late(self) -> bool:
        return self.late_days > 0


class CorrectionOrder(models.Model):
    """The office's order to correct a misuse of the title within a time limit (责令限期改正), and
    the correction once it is recorded."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="correction_orders")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="correction_orders")
    finding = models.TextField(_("发现的问题"), max_length=text_limits.REASON)
    ordered_on = models.DateField(_("责令日期"))
    deadline = models.DateField(_("改正期限"))
    ordered_by_body = models.CharField(_("责令机关"), max_length=100)
    cite = models.CharField(_("依据"), max_length=40)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    corrected_on = models.DateField(_("改正日期"), null=True, blank=True)
    correction_note = models.TextField(_("改正情况"), blank=True, max_length=text_limits.NOTE)
    corrected_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                              blank=True, related_name="+")

    class Meta:
        ordering = ["-ordered_on", "-pk"]
        verbose_name = _("责令限期改正")
        verbose_name_plural = _("责令限期改正")

    def __str__(self) -> str:
        return f"{self.application_id} {self.ordered_on}"

"""The tenant (Jurisdiction), its versioned rule profiles, criteria, calendar and people."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from .criteria_schema import CriteriaDoc
from .parsed_documents import parsed_once
from .profile_schema import RuleProfileDoc
from .profile_validation import ProfileInvalid, parse_profile, validate_criteria_document


def _english() -> bool:
    return (get_language() or "").startswith("en")


class Jurisdiction(models.Model):
    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150)
    short_name_zh = models.CharField(_("简称"), max_length=20)
    award_name_zh = models.CharField(_("奖项名称"), max_length=100)
    award_name_en = models.CharField(_("奖项英文名称"), max_length=150)
    issuing_body_zh = models.CharField(_("评审机构（中文）"), max_length=100)
    issuing_body_en = models.CharField(_("评审机构（英文）"), max_length=150)
    office_short_zh = models.CharField(_("评审机构简称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("辖区")
        verbose_name_plural = _("辖区")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_zh

    @property
    def award_name(self) -> str:
        return self.award_name_en if _english() else self.award_name_zh

    @property
    def issuing_body(self) -> str:
        return self.issuing_body_en if _english() else self.issuing_body_zh

    def profile_in_force(self, on: dt.date | None = None) -> RuleProfile | None:
        on = on or dt.date.today()
        return self.rule_profiles.filter(effective_from__lte=on).order_by("-effective_from").first()


class CriteriaSet(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("名称"), max_length=200)
    total_points = models.PositiveIntegerField(_("总分"))
    document = models.JSONField(_("内容"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评价准则")
        verbose_name_plural = _("评价准则")

    def __str__(self) -> str:
        return self.name_zh

    def clean(self) -> None:
        _parsed, problems = validate_criteria_document(self.document)
        if problems:
            raise ValidationError({"document": [str(p) for p in problems]})

    def save(self, *args, **kwargs) -> None:
        parsed, problems = validate_criteria_document(self.document)
        if problems or parsed is None:
            raise ProfileInvalid(problems)
        self.code, self.name_zh, self.total_points = parsed.code, parsed.name_zh, parsed.total_points
        super().save(*args, **kwargs)

    @cached_property
    def typed(self) -> CriteriaDoc:
        return parsed_once("criteria", self.pk, self.document, CriteriaDoc.model_validate)


class RuleProfile(models.Model):
    """One version of a jurisdiction's rules. Cycles pin the version they opened under."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="rule_profiles")
    version = models.CharField(_("版本"), max_length=40)
    effective_from = models.DateField(_("生效日期"))
    regulation_title = models.CharField(_("依据文件"), max_length=200)
    status = models.CharField(_("文件状态"), max_length=20)
    criteria = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="profiles")
    document = models.JSONField(_("规则内容"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "version"], name="unique_profile_version"),
        ]
        verbose_name = _("规则配置")
        verbose_name_plural = _("规则配置")

    def __str__(self) -> str:
        return f"{self.jurisdiction.slug}@{self.version}"

    @property
    def label(self) -> str:
        """The internal key (`keqiao@2020-05-10`), for files, logs and commands; never shown on a page."""
        return f"{self.jurisdiction.slug}@{self.version}"

    @property
    def version_name(self) -> str:
        """How a page names this version: the regulation's title and the date the version applies from."""
        regulation = self.typed.regulation
        english = (get_language() or "").startswith("en")
        title = (regulation.title_en if english and regulation.title_en else self.regulation_title)
        return gettext("《%(title)s》%(date)s 版") % {"title": title, "date": self.effective_from.isoformat()}

    def _parse(self) -> RuleProfileDoc:
        known = set(CriteriaSet.objects.values_list("code", flat=True))
        return parse_profile(self.document, known_criteria=known)

    def clean(self) -> None:
        try:
            self._parse()
        except ProfileInvalid as exc:
            raise ValidationError({"document": [str(p) for p in exc.problems]}) from exc

    def save(self, *args, **kwargs) -> None:
        # A malformed profile never reaches the database, whichever path saves it.
        parsed = self._parse()
        if parsed.jurisdiction != self.jurisdiction.slug:
            from .profile_validation import Problem

            raise ProfileInvalid([Problem("jurisdiction", f"配置属于“{parsed.jurisdiction}”，不属于“{self.jurisdiction.slug}”")])
        self.version = parsed.version
        self.effective_from = parsed.effective_from
        self.regulation_title = parsed.regulation.title_zh
        self.status = parsed.regulation.status
        self.criteria = CriteriaSet.objects.get(code=parsed.scoring.criteria.value)
        super().save(*args, **kwargs)
        self.__dict__.pop("typed", None)

    @cached_property
    def typed(self) -> RuleProfileDoc:
        return parsed_once("profile", self.pk, self.document, RuleProfileDoc.model_validate)


class Role(models.TextChoices):
    OFFICE = "office", _("评审办工作人员")
    REVIEWER = "reviewer", _("评审员")
    COMMITTEE = "committee", _("评委会委员")
    APPLICANT = "applicant", _("申报组织用户")


class Membership(models.Model):
    """A user's role in one jurisdiction. A user may hold several roles in several jurisdictions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "jurisdiction", "role"], name="unique_membership"),
        ]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self) -> str:
        return f"{self.user} · {self.jurisdiction.slug} · {self.get_role_display()}"


class CalendarOverride(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假（非工作日）")
        WORKDAY = "workday", _("调休上班（工作日）")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="calendar_overrides")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "date"], name="unique_calendar_override"),
        ]
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """The office's statement that it has entered a year's official schedule as overrides."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="calendar_years")
    year = models.PositiveSmallIntegerField(_("年份"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    confirmed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="unique_calendar_year"),
        ]
        verbose_name = _("已录入年度日历")
        verbose_name_plural = _("已录入年度日历")

    def __str__(self) -> str:
        return f"{self.jurisdiction.slug} {self.year}"


class OutboxMessage(models.Model):
    """One outgoing mail, recorded under the id of the task that sends it (see outbox.py)."""

    key = models.CharField(max_length=100, unique=True)
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    html_body = models.TextField(blank=True)
    recipients = models.JSONField(_("收件人"), default=list)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("发信记录")
        verbose_name_plural = _("发信记录")

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"


class Notification(models.Model):
    """One message to one person about an event of theirs in one jurisdiction: listed in the app
    (unread until opened) and sent by e-mail once. `key` names the event, so the same event never
    notifies the same person twice (see jurisdictions/notifications.py)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("申报已提交")
        RETURNED = "returned", _("退回补正")
        DECIDED = "decided", _("资格审查决定")
        ASSIGNED = "assigned", _("评审任务")
        DEADLINE = "deadline", _("截止提醒")
        RESULT = "result", _("评审结果")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_notification_per_event")]
        indexes = [models.Index(fields=["user", "jurisdiction", "read_at"], name="notification_unread")]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.title

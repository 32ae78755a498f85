"""What evaluators do: groups, conflicts of interest, scores, consensus, site reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from awards.models import Application, AwardCycle
from jurisdictions.models import Jurisdiction

# Scores are stored exactly. A stage total may carry up to four decimals (a total given with more is
# refused, not rounded); a comprehensive score, a weighted sum of two totals, up to ten.
SCORE_PLACES = 4
SCORE_DIGITS = 4 + SCORE_PLACES
WEIGHTED_PLACES = 10
WEIGHTED_DIGITS = 4 + WEIGHTED_PLACES


class Stage(models.TextChoices):
    DOCUMENT = "document", _("资料评审")
    SITE = "site", _("现场评审")


class ReviewAgency(models.Model):
    """A third-party evaluation agency (Daqing 第八条) and the reviewers it provides."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="review_agencies")
    name = models.CharField(_("评审机构名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contract_note = models.CharField(_("委托情况"), max_length=300, blank=True)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="review_agencies", blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="unique_agency_name_per_jurisdiction"),
        ]
        verbose_name = _("第三方评审机构")
        verbose_name_plural = _("第三方评审机构")

    def __str__(self) -> str:
        return self.name


class ReviewGroup(models.Model):
    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="review_groups")
    cycle = models.ForeignKey(AwardCycle, on_delete=models.PROTECT, related_name="review_groups")
    name = models.CharField(_("评审组名称"), max_length=100)
    agency = models.ForeignKey(ReviewAgency, on_delete=models.PROTECT, null=True, blank=True, related_name="groups")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="unique_group_name_per_cycle")]
        verbose_name = _("评审组")
        verbose_name_plural = _("评审组")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    tenant_field = "group__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    group = models.ForeignKey(ReviewGroup, on_delete=models.CASCADE, related_name="members")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="group_seats")
    is_leader = models.BooleanField(_("组长"), default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "reviewer"], name="unique_group_member"),
            models.UniqueConstraint(fields=["group"], condition=models.Q(is_leader=True), name="one_leader_per_group"),
        ]
        verbose_name = _("评审组成员")
        verbose_name_plural = _("评审组成员")

    def __str__(self) -> str:
        return f"{self.group} · {self.reviewer}"


class Affiliation(models.Model):
    """A reviewer's declared relationship with an organisation (利害关系申报)."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("任职/受雇单位")
        CLIENT = "client", _("客户")
        CONSULTING = "consulting", _("咨询服务关系")
        COMPETITOR = "competitor", _("竞争对手")
        OTHER = "other", _("其他利害关系")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="affiliations")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations")
    kind = models.CharField(_("关系类型"), max_length=20, choices=Kind.choices)
    organization_name = models.CharField(_("单位全称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at"]
        indexes = [models.Index(fields=["jurisdiction", "uscc"])]
        constraints = [
            # The same relationship declared twice (a double click) is one declaration.
            models.UniqueConstraint(fields=["jurisdiction", "reviewer", "kind", "organization_name"],
                                    name="unique_affiliation_declaration"),
        ]
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.organization_name}"


class Assignment(models.Model):
    """An application given to a group for one stage."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(ReviewGroup, on_delete=models.PROTECT, related_name="assignments")
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="one_group_per_application_stage"),
        ]
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.group} ({self.stage})"


class Attestation(models.Model):
    """A reviewer's statement on one application: no conflict, or recusal with a reason."""

    class Decision(models.TextChoices):
        NO_CONFLICT = "no_conflict", _("无利害关系")
        RECUSED = "recused", _("申请回避")

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attestations")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attestations")
    decision = models.CharField(_("声明"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("回避理由"), blank=True)
    at = models.DateTimeField(auto_now_add=True)
    # Set when a reviewer who had stated "no conflict" later declares one (the statement turns to
    # a recusal): the office is told and the page of the group shows it.
    conflict_declared_at = models.DateTimeField(_("事后申报利害关系时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_attestation_per_reviewer"),
        ]
        verbose_name = _("回避声明")
        verbose_name_plural = _("回避声明")

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application_id} · {self.decision}"


class ItemScore(models.Model):
    """One reviewer's percentage for one criterion item at one stage."""

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="item_scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="item_scores")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    item_code = models.CharField(max_length=20)
    percentage = models.PositiveSmallIntegerField(null=True, blank=True)
    strengths = models.TextField(_("优势"), blank=True)
    opportunities = models.TextField(_("改进机会"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer", "stage", "item_code"], name="unique_item_score"),
            models.CheckConstraint(
                condition=models.Q(percentage__isnull=True) | models.Q(percentage__lte=100),
                name="percentage_at_most_100",
            ),
        ]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")

    def __str__(self) -> str:
        return f"{self.application_id} {self.reviewer_id} {self.stage} {self.item_code}={self.percentage}"


class ScoreSheet(models.Model):
    """A reviewer's stage scores as a whole: submitted once, then locked until the leader reopens."""

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="score_sheets")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer", "stage"], name="unique_score_sheet"),
        ]
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")

    def __str__(self) -> str:
        return f"{self.application_id} {self.reviewer_id} {self.stage}"


class ConsensusItem(models.Model):
    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consensus_items")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    item_code = models.CharField(max_length=20)
    percentage = models.PositiveSmallIntegerField(null=True, blank=True)
    strengths = models.TextField(_("优势"), blank=True)
    opportunities = models.TextField(_("改进机会"), blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage", "item_code"], name="unique_consensus_item"),
        ]
        verbose_name = _("共识评分")
        verbose_name_plural = _("共识评分")

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage} {self.item_code}={self.percentage}"


class StageResult(models.Model):
    """The group's score for one application at one stage (on the 1000-point scale)."""

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_results")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    # Exact: a floor compares this value, so it is never rounded on the way in (SCORE_PLACES).
    total = models.DecimalField(max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="unique_stage_result")]
        verbose_name = _("评审组阶段得分")
        verbose_name_plural = _("评审组阶段得分")

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage}={self.total}"


class SiteVisit(models.Model):
    class Confirmation(models.TextChoices):
        PENDING = "", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DISPUTED = "disputed", _("有异议")

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="site_visit")
    starts_on = models.DateField(_("现场评审开始日期"))
    ends_on = models.DateField(_("现场评审结束日期"))
    report = models.TextField(_("现场评审报告"), blank=True)
    report_due_on = models.DateField(_("报告提交期限"), null=True, blank=True)
    report_submitted_at = models.DateTimeField(_("报告提交时间"), null=True, blank=True)
    confirmation = models.CharField(_("组织确认"), max_length=10, choices=Confirmation.choices, blank=True, default="")
    applicant_comments = models.TextField(_("组织意见"), blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A disputed report holds the evaluation until the office records how it dealt with the dispute.
    dispute_handling = models.TextField(_("评审办对异议的处理"), blank=True)
    dispute_handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                           blank=True, related_name="+")
    dispute_handled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    @property
    def settled(self) -> bool:
        """Confirmed by the applicant, or disputed and the dispute's handling recorded."""
        if self.confirmation == self.Confirmation.CONFIRMED:
            return True
        return self.confirmation == self.Confirmation.DISPUTED and self.dispute_handled_at is not None

    class Meta:
        verbose_name = _("现场评审")
        verbose_name_plural = _("现场评审")

    def __str__(self) -> str:
        return f"{self.application_id} {self.starts_on}"


class Evaluation(models.Model):
    """The comprehensive evaluation (综合评价) of one shortlisted application, with its reasons."""

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="evaluation")
    document_score = models.DecimalField(_("资料评审得分"), max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES,
                                         null=True)
    site_score = models.DecimalField(_("现场评审得分"), max_digits=SCORE_DIGITS, decimal_places=SCORE_PLACES, null=True)
    # A weighted sum of exact totals: room for the weights' own decimals, so it is stored exactly too.
    comprehensive_score = models.DecimalField(_("综合得分"), max_digits=WEIGHTED_DIGITS,
                                              decimal_places=WEIGHTED_PLACES, null=True)
    candidate_for = models.CharField(_("候选奖项"), max_length=40, blank=True)
    reasons = models.JSONField(default=list)
    evaluated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("综合评价")
        verbose_name_plural = _("综合评价")

    def __str__(self) -> str:
        return f"{self.application_id} {self.comprehensive_score}"


class SiteReportReminder(models.Model):
    """A site-report reminder that went out; the unique key makes a second send impossible."""

    class Kind(models.TextChoices):
        DUE = "due", _("即将到期")
        OVERDUE = "overdue", _("已逾期")

    tenant_field = "visit__application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "kind"], name="unique_site_report_reminder")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.kind}"


class ReviewDocument(models.Model):
    """A PDF the review stage issues for one application (the written feedback to an applicant not
    shortlisted), stored on it and regenerated idempotently."""

    class Kind(models.TextChoices):
        FEEDBACK_REPORT = "feedback_report", _("资料评审反馈报告")

    tenant_field = "application__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="review_documents")
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="unique_review_document_kind"),
        ]
        verbose_name = _("评审文书")
        verbose_name_plural = _("评审文书")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


class PoolEntry(models.Model):
    """A reviewer in the office's pool (评审专家库, Zhuji 第九条（三）) with what the office verified of
    them: where they work, their position, degree or senior title and years of experience. Where
    the profile sets qualifications (Keqiao 第十一条) they are checked against these when a reviewer
    is put into a group."""

    class Degree(models.TextChoices):
        NONE = "none", _("大专以下")
        JUNIOR_COLLEGE = "junior_college", _("大专")
        BACHELOR = "bachelor", _("本科")
        MASTER = "master", _("硕士研究生")
        DOCTOR = "doctor", _("博士研究生")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="reviewer_pool")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pool_entries")
    organisation = models.CharField(_("工作单位"), max_length=200)
    position = models.CharField(_("职务或职称"), max_length=100)
    degree = models.CharField(_("学历"), max_length=20, choices=Degree.choices)
    senior_title = models.BooleanField(_("具有高级专业技术职称"), default=False)
    experience_years = models.PositiveSmallIntegerField(_("质量管理或专业技术工作年限"))
    specialty = models.CharField(_("专业领域"), max_length=200, blank=True)
    active = models.BooleanField(_("在库"), default=True)
    admitted_on = models.DateField(_("入库日期"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "reviewer"], name="unique_pool_entry_per_reviewer"),
        ]
        verbose_name = _("评审专家库成员")
        verbose_name_plural = _("评审专家库")

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} {self.reviewer_id}"


class ReviewerSanction(models.Model):
    """A sanction the office imposed on a reviewer who broke the review's discipline (Binjiang 七（六）,
    Lucheng 第二十条, Keqiao 第二十七条: 批评、警告或取消评审资格). A withdrawn qualification bars the
    reviewer from groups, agencies and assignments in this jurisdiction up to `barred_until` (the last
    day of the profile's rehire ban, Binjiang: 5年内不得聘用), or for good where the profile sets none."""

    class Level(models.TextChoices):
        CRITICISM = "criticism", _("批评")
        WARNING = "warning", _("警告")
        DISQUALIFICATION = "disqualification", _("取消评审资格")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="reviewer_sanctions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_sanctions")
    level = models.CharField(_("处理方式"), max_length=20, choices=Level.choices)
    facts = models.TextField(_("违纪事实"))
    decided_on = models.DateField(_("决定日期"))
    cite = models.CharField(_("依据"), max_length=100)
    # The last day the reviewer may not be engaged; empty with a disqualification means without end.
    barred_until = models.DateField(_("不得聘用至"), null=True, blank=True)
    ban_cite = models.CharField(_("不得聘用的依据"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["jurisdiction", "reviewer", "level"])]
        verbose_name = _("评审员违纪处理")
        verbose_name_plural = _("评审员违纪处理")

    def __str__(self) -> str:
        return f"{self.reviewer_id} {self.level} {self.decided_on}"

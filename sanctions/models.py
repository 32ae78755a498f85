"""What happens to an award after it is made: sanctions on a winner, the revocation of an award
through the profile's approval chain with what it takes back and makes public, and Daqing's credit
blacklist of organisations and evaluation agencies."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from awards import text_limits
from awards.models import Application, Organization
from jurisdictions.models import Jurisdiction
from jurisdictions.post_award_wording import GROUNDS, PUBLICATIONS, RECOVERABLE, WINNER_SANCTIONS
from reviews.models import ReviewAgency

LEVEL_CHOICES = list(WINNER_SANCTIONS.items())
GROUND_CHOICES = list(GROUNDS.items())


def _document_path(instance: Revocation, filename: str) -> str:
    # Never derive a path from user text: a random name and the extension of the checked content.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.document_type, "bin")
    return f"revocations/{instance.jurisdiction_id}/{instance.application_id}/{uuid.uuid4().hex}.{ext}"


class Revocation(models.Model):
    """The revocation of one award: proposed (step 1) by the body the ground names, then approved
    (step 2) by its approving body with a document; only the approval revokes the award."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("已提请，待批准")
        APPROVED = "approved", _("已批准撤销")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="revocations")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="revocation")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PROPOSED)
    ground = models.CharField(_("撤销情形"), max_length=10, choices=GROUND_CHOICES)
    # The ground's words and article as the profile stated them when proposed.
    ground_text = models.TextField(_("情形原文"))
    cite = models.CharField(_("条款"), max_length=60)
    mandatory = models.BooleanField(_("应当撤销"), default=False)
    proposed_by = models.CharField(_("提请机关"), max_length=100)
    proposed_on = models.DateField(_("提请日期"))
    facts = models.TextField(_("查实的事实"), max_length=text_limits.NOTE)
    occurred_on = models.DateField(_("事实发生日期"))
    proposed_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                             related_name="+")
    proposed_at = models.DateTimeField(_("提请登记时间"))
    approving_body = models.CharField(_("批准机关"), max_length=100, blank=True)
    document_number = models.CharField(_("批准文号"), max_length=100, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    document = models.FileField(_("批准文件"), upload_to=_document_path, blank=True)
    document_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    document_type = models.CharField(_("文件类型"), max_length=50, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    # Daqing 第三十一条: whether the decision finds the case serious (情节严重); None where not asked.
    serious = models.BooleanField(_("认定情节严重"), null=True, blank=True)
    approved_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                             blank=True, related_name="+")
    approved_at = models.DateTimeField(_("批准登记时间"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("撤销奖项")
        verbose_name_plural = _("撤销奖项")

    def __str__(self) -> str:
        return f"{self.application_id} {self.ground} {self.state}"


class Sanction(models.Model):
    """A sanction the office recorded on a winner (Keqiao 第三十条: 批评、警告、通报批评，直至撤销);
    a revocation's row points to the revocation procedure it started."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="sanctions")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="sanctions")
    level = models.CharField(_("处理"), max_length=20, choices=LEVEL_CHOICES)
    ground = models.CharField(_("撤销情形"), max_length=10, choices=GROUND_CHOICES, blank=True)
    grounds_text = models.TextField(_("处理依据的情形"), max_length=text_limits.NOTE, blank=True)
    facts = models.TextField(_("事实"), max_length=text_limits.NOTE)
    occurred_on = models.DateField(_("事实发生日期"))
    decided_on = models.DateField(_("决定日期"))
    document_number = models.CharField(_("决定文号"), max_length=100, blank=True)
    cite = models.CharField(_("条款"), max_length=60)
    revocation = models.OneToOneField(Revocation, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="sanction")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("获奖组织处理")
        verbose_name_plural = _("获奖组织处理")

    def __str__(self) -> str:
        return f"{self.application_id} {self.level}"


class Recovery(models.Model):
    """One thing a revocation takes back (奖牌、奖杯、证书、奖金), outstanding until recorded returned."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="recoveries")
    revocation = models.ForeignKey(Revocation, on_delete=models.CASCADE, related_name="recoveries")
    item = models.CharField(_("收回"), max_length=20, choices=list(RECOVERABLE.items()))
    amount_cny = models.PositiveIntegerField(_("金额（元）"), default=0)
    returned_on = models.DateField(_("收回日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["revocation_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["revocation", "item"], name="one_recovery_per_item")]
        verbose_name = _("收回事项")
        verbose_name_plural = _("收回事项")

    def __str__(self) -> str:
        return f"{self.revocation_id} {self.item}"


class Publication(models.Model):
    """One way a revocation is made public (曝光、公告、通报、信用档案), to do until recorded done."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="revocation_publications")
    revocation = models.ForeignKey(Revocation, on_delete=models.CASCADE, related_name="publications")
    kind = models.CharField(_("公开方式"), max_length=30, choices=list(PUBLICATIONS.items()))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    where = models.CharField(_("发布载体"), max_length=200, blank=True)
    reference = models.CharField(_("文号或链接"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["revocation_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["revocation", "kind"], name="one_publication_per_kind")]
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")

    def __str__(self) -> str:
        return f"{self.revocation_id} {self.kind}"


class BlacklistEntry(models.Model):
    """Daqing's credit blacklist (诚信黑名单): an organisation that obtained an award by fraud
    (第三十一条) or an evaluation agency that broke the rules (第三十四条)."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("申报组织")
        AGENCY = "agency", _("第三方评审机构")

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="blacklist")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="blacklist_entries")
    agency = models.ForeignKey(ReviewAgency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="blacklist_entries")
    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    reason = models.TextField(_("列入原因"), max_length=text_limits.NOTE)
    cite = models.CharField(_("条款"), max_length=60)
    listed_on = models.DateField(_("列入日期"))
    decision_number = models.CharField(_("决定文号"), max_length=100, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    revocation = models.OneToOneField(Revocation, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="blacklist_entry")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["-listed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "agency"], condition=models.Q(agency__isnull=False),
                                    name="one_blacklist_entry_per_agency"),
        ]
        verbose_name = _("诚信黑名单")
        verbose_name_plural = _("诚信黑名单")

    def __str__(self) -> str:
        return self.name

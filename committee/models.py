"""The committee, its meetings, attendance, rounds and the secret ballot.

Who voted (`VoteReceipt`) and what was voted (`Ballot`) live in separate tables with nothing in
common but the round: no member reference, no ordered key and no timestamp on a ballot, random
primary keys on both, and no history tracking of either. Closing a round rewrites both tables'
rows of that round in random order in one transaction (ballot.close_round), so PostgreSQL's
system columns (xmin, ctid) no longer link a ballot to a receipt. See docs/secret-ballot.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from awards.models import Application, AwardCycle
from awards.text_limits import REASON as REASON_LIMIT
from jurisdictions.models import Jurisdiction

NOTE_LIMIT = 2000


class CommitteeMember(models.Model):
    """One person on a jurisdiction's committee (评委会 / 审委会 / 联席会议), for a span of dates."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="committee_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="committee_seats", verbose_name=_("登录账号"))
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100)
    is_chair = models.BooleanField(_("主任（主持人）"), default=False)
    is_deputy = models.BooleanField(_("副主任"), default=False)
    serves_from = models.DateField(_("任职起始日"))
    serves_until = models.DateField(_("任职截止日"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_chair", "-is_deputy", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "user"], name="one_seat_per_user",
                                    condition=models.Q(user__isnull=False)),
        ]
        verbose_name = _("评委会成员")
        verbose_name_plural = _("评委会成员")

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）"

    def serves_on(self, day) -> bool:
        return self.serves_from <= day and (self.serves_until is None or self.serves_until >= day)


class Meeting(models.Model):
    """The committee's meeting for one cycle: attendance, the rounds, the result and the minutes."""

    tenant_field = "jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="committee_meetings")
    cycle = models.ForeignKey(AwardCycle, on_delete=models.PROTECT, related_name="committee_meetings")
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=200, blank=True)
    chair = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("主持人"))
    # Binjiang 四（六）: the district departments review the candidate list before the meeting.
    pre_review_opinion = models.TextField(_("有关部门审议意见"), blank=True, max_length=NOTE_LIMIT)
    pre_review_recorded_at = models.DateTimeField(null=True, blank=True)
    pre_review_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                               blank=True, related_name="+")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes = models.FileField(_("会议纪要"), upload_to="committee/minutes/", blank=True)
    minutes_name = models.CharField(max_length=255, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    result_signed_by = models.CharField(_("表决结果签字人"), max_length=50, blank=True)
    result_signed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("评委会会议")
        verbose_name_plural = _("评委会会议")

    def __str__(self) -> str:
        return f"{self.cycle} {self.held_on}"


class Attendance(models.Model):
    """A roster member of the meeting day and whether they are present (not secret)."""

    tenant_field = "meeting__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("出席"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")]

    def __str__(self) -> str:
        return f"{self.member} {'✓' if self.present else '✗'}"


class Round(models.Model):
    """One vote (or the joint meeting's deliberation) on the candidates for one award."""

    class Method(models.TextChoices):
        ONLINE = "online", _("网上无记名投票")
        PAPER = "paper", _("纸质无记名投票（评审办录入）")
        DELIBERATION = "deliberation", _("会议审议")

    class State(models.TextChoices):
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已结束")

    tenant_field = "meeting__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rounds")
    award_code = models.CharField(_("奖项"), max_length=40)
    number = models.PositiveSmallIntegerField(_("轮次"))
    method = models.CharField(_("表决方式"), max_length=20, choices=Method.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    # The places the round fills (quota and total cap less the winners already counted), fixed when it opens.
    places = models.PositiveSmallIntegerField(_("可当选名额"))
    places_reasons = models.JSONField(default=list)
    # A revote among the tied of an earlier round of the same award.
    revote_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="revotes")
    scrutineer = models.CharField(_("监票人"), max_length=50, blank=True)
    # A paper round entered as the totals per candidate (instead of ballot by ballot), when last entered.
    totals_entered_at = models.DateTimeField(null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(null=True, blank=True)
    ballots_count = models.PositiveSmallIntegerField(null=True, blank=True)
    spoiled_count = models.PositiveSmallIntegerField(null=True, blank=True)
    blank_count = models.PositiveSmallIntegerField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # A tie the office settled with the committee (picks and the recorded reason), when the text gives no rule.
    tie_settled_at = models.DateTimeField(null=True, blank=True)
    tie_reason = models.TextField(_("决定理由"), blank=True, max_length=REASON_LIMIT)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="unique_round_number")]
        verbose_name = _("表决轮次")
        verbose_name_plural = _("表决轮次")

    def __str__(self) -> str:
        return f"{self.meeting} #{self.number} {self.award_code}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_ballot(self) -> bool:
        return self.method != self.Method.DELIBERATION


class RoundCandidate(models.Model):
    """A candidate on a round, and once the round closes its counts, outcome and reasons."""

    class Outcome(models.TextChoices):
        PENDING = "", _("待表决")
        ELECTED = "elected", _("当选")
        ELECTED_OUTSIDE_QUOTA = "elected_outside_quota", _("当选（不占名额）")
        TIED = "tied", _("得票相同，待决定")
        NOT_ELECTED = "not_elected", _("未当选")

    tenant_field = "round__meeting__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="round_entries")
    position = models.PositiveSmallIntegerField(default=0)
    yes = models.PositiveSmallIntegerField(null=True, blank=True)
    no = models.PositiveSmallIntegerField(null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=30, choices=Outcome.choices, blank=True, default="")
    # The workflow move this entry decided: "proposed", "not_selected", or "" (goes on to a lower tier).
    decided_move = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(default=list)
    # Keqiao 第二十二条: named by the district government's executive meeting, recorded by the office.
    government_named = models.BooleanField(default=False)
    government_note = models.CharField(_("区政府常务会议决定"), max_length=300, blank=True)
    government_document = models.CharField(_("决定文号"), max_length=100, blank=True)
    government_decided_on = models.DateField(_("常务会议日期"), null=True, blank=True)
    government_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                               blank=True, related_name="+")
    government_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "application"], name="one_entry_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.application_id} {self.outcome}"


class VoteReceipt(models.Model):
    """That a member has voted in a round: no choice, no time, a random key."""

    tenant_field = "round__meeting__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="one_ballot_per_member")]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.member_id}"


class Ballot(models.Model):
    """What one ballot says: no member, no time, a random key; rewritten in random order on close."""

    class Kind(models.TextChoices):
        MARKED = "marked", _("有效票")
        BLANK = "blank", _("空白票")
        SPOILED = "spoiled", _("废票")

    tenant_field = "round__meeting__jurisdiction"
    objects = ScopedManager(jurisdiction=tenant_field)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # {application id (str): "yes" | "no" | "abstain"}; empty for a blank or spoiled ballot.
    choices = models.JSONField(default=dict)

    class Meta:
        pass  # No ordering: the table has no order to offer.

    def __str__(self) -> str:
        return f"{self.round_id}:{self.kind}"

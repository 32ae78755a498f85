"""The roster, the meeting of a cycle, attendance and the quorum (counted against the roster in
force on the meeting day: Keqiao 第十九条 and Zhuji 第十三条（七） 2/3以上)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardCycle
from awards.record_language import in_record_language
from awards.refusals import ServiceError
from jurisdictions.rules_wording import cite_label

from .models import Attendance, CommitteeMember, Meeting, Round
from .tally import fraction_label, least_meeting


def roster_on(jurisdiction, day: dt.date) -> list[CommitteeMember]:
    return [m for m in CommitteeMember.objects.filter(jurisdiction=jurisdiction).order_by("-is_chair", "-is_deputy",
                                                                                              "name", "pk")
            if m.serves_on(day)]


def save_member(jurisdiction, *, member: CommitteeMember | None = None, **fields) -> CommitteeMember:
    member = member or CommitteeMember(jurisdiction=jurisdiction)
    for name, value in fields.items():
        setattr(member, name, value)
    if member.serves_until and member.serves_until < member.serves_from:
        raise ServiceError(_("任职截止日不能早于起始日。"), "serves_until")
    if member.user_id and CommitteeMember.objects.filter(jurisdiction=jurisdiction, user_id=member.user_id).exclude(
            pk=member.pk).exists():
        raise ServiceError(_("这个账号已对应另一位委员。"), "user")
    member.save()
    return member


def create_meeting(cycle: AwardCycle, *, held_on: dt.date, place: str = "", chair: CommitteeMember | None = None,
                   actor=None) -> Meeting:
    """A meeting with its roster as of the meeting day (everyone absent until attendance is recorded)."""
    roster = roster_on(cycle.jurisdiction, held_on)
    if not roster:
        raise ServiceError(_("会议当日没有在任的委员，请先在委员名单中登记委员及任职日期。"), "held_on")
    if chair is not None and chair not in roster:
        raise ServiceError(_("主持人须为会议当日在任的委员。"), "chair")
    with transaction.atomic():
        meeting = Meeting.objects.create(jurisdiction=cycle.jurisdiction, cycle=cycle, held_on=held_on, place=place,
                                         chair=chair, created_by=actor if getattr(actor, "pk", None) else None)
        Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m) for m in roster])
    return meeting


def attendance_locked(meeting: Meeting) -> bool:
    return meeting.rounds.exists()


def record_attendance(meeting: Meeting, present_ids: set[int], actor) -> None:
    if attendance_locked(meeting):
        raise ServiceError(_("表决已经开始，出席情况不能再修改。"))
    with transaction.atomic():
        rows = list(Attendance.objects.select_for_update().filter(meeting=meeting))
        for row in rows:
            row.present = row.member_id in present_ids
        Attendance.objects.bulk_update(rows, ["present"])
        meeting.attendance_recorded_at = timezone.now()
        meeting.save(update_fields=["attendance_recorded_at"])


def record_pre_review(meeting: Meeting, opinion: str, actor) -> None:
    if meeting.rounds.exists():
        raise ServiceError(_("表决已经开始，会前审议意见不能再修改。"), "opinion")
    if not opinion.strip():
        raise ServiceError(_("请填写有关部门的审议意见。"), "opinion")
    meeting.pre_review_opinion = opinion.strip()
    meeting.pre_review_recorded_at = timezone.now()
    meeting.pre_review_recorded_by = actor
    meeting.save(update_fields=["pre_review_opinion", "pre_review_recorded_at", "pre_review_recorded_by"])


@dataclass(frozen=True)
class Quorum:
    met: bool
    present: int
    members: int
    needed: int
    text: str
    cite: str


@in_record_language
def quorum(meeting: Meeting, *, present: int | None = None, members: int | None = None) -> Quorum:
    vote = meeting.cycle.profile.typed.vote
    if present is None or members is None:
        rows = list(meeting.attendance.values_list("present", flat=True))
        members, present = len(rows), sum(rows)
    rule = vote.quorum
    values: dict[str, object] = {"present": present, "members": members}
    if rule.value is None:
        met = present > 0
        text = (_("出席委员%(present)s人（委员共%(members)s人）；表决有效不设法定人数。") % values) if met else (
            _("尚无委员出席，不能表决。"))
        return Quorum(met, present, members, 1, text, rule.cite)
    needed = least_meeting(rule.value, members)
    met = rule.value.met(present, members) and present > 0
    values |= {"fraction": fraction_label(rule.value), "need": needed, "cite": cite_label(rule.cite)}
    if met:
        text = _("出席委员%(present)s人，达到委员%(members)s人的%(fraction)s（至少%(need)s人），表决有效。") % values
    else:
        text = _("出席委员%(present)s人，不足委员%(members)s人的%(fraction)s（至少%(need)s人），"
                 "不能表决（%(cite)s）。") % values
    return Quorum(met, present, members, needed, text, rule.cite)


def may_vote(meeting: Meeting) -> str | None:
    """Why no ballot may open in this meeting, naming the article; None when one may."""
    rules = meeting.cycle.profile.typed
    review = rules.vote.pre_meeting_review_zh
    if review is not None and not meeting.pre_review_opinion:
        return _("须先由%(who)s并记录其意见，才能召开表决（%(cite)s）。") % {
            "who": review.value, "cite": cite_label(review.cite)}
    q = quorum(meeting)
    if not q.met:
        return q.text
    return None


def member_meetings(user, jurisdiction) -> list[Meeting]:
    """The meetings whose roster holds this user's seat."""
    return list(Meeting.objects.filter(jurisdiction=jurisdiction, attendance__member__user=user)
                .select_related("cycle").distinct().order_by("-held_on", "-pk"))


def seat_in(meeting: Meeting, user) -> Attendance | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return meeting.attendance.select_related("member").filter(member__user=user).first()


def open_rounds_for(meeting: Meeting) -> list[Round]:
    return list(meeting.rounds.filter(state=Round.State.OPEN, method=Round.Method.ONLINE))

"""Reviewers' discipline: the office records a sanction from the profile's list, and a reviewer whose
qualification was withdrawn is not engaged again — put into a group, an agency, the pool or given an
assignment — until the profile's rehire ban ends (Binjiang 七（六）: 5年内不得聘用), or at all in this
jurisdiction where the profile sets no such period (Lucheng 第二十条, Keqiao 第二十七条)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.refusals import ServiceError
from jurisdictions.models import Jurisdiction, Membership, Role
from jurisdictions.people import person_name
from jurisdictions.post_award_wording import REVIEWER_SANCTIONS
from jurisdictions.profile_schema import Period
from jurisdictions.rules_wording import cite_label
from jurisdictions.workcalendar import add_working_days

from .models import PoolEntry, ReviewerSanction


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_barred_day(jurisdiction: Jurisdiction, decided_on: dt.date, ban: Period) -> dt.date:
    """The last day of a ban of `ban` counted from the decision (its day the first): 5 years from
    2026-03-10 bar to 2031-03-09, and the reviewer may be engaged again on 2031-03-10."""
    if ban.unit == "years":
        return _add_months(decided_on, 12 * ban.amount) - dt.timedelta(days=1)
    if ban.unit == "months":
        return _add_months(decided_on, ban.amount) - dt.timedelta(days=1)
    if ban.unit == "working_days":
        return add_working_days(jurisdiction, decided_on, ban.amount)
    return decided_on + dt.timedelta(days=ban.amount - 1)


def sanction_choices(jurisdiction: Jurisdiction) -> tuple[list[tuple[str, str]], str]:
    """The sanctions the profile in force lets the office impose, in words, and their article."""
    profile = jurisdiction.profile_in_force(timezone.localdate())
    rule = profile.typed.post_award.reviewer_sanctions if profile else None
    if rule is None:
        return [], ""
    return [(code, str(REVIEWER_SANCTIONS[code])) for code in rule.value], rule.cite


def record(jurisdiction: Jurisdiction, reviewer: User, *, level: str, facts: str, decided_on: dt.date,
           actor: User) -> ReviewerSanction:
    """Record one sanction under the profile in force on the day it was decided."""
    if decided_on > timezone.localdate():
        raise ServiceError(_("决定日期不能晚于今天。"), "decided_on")
    profile = jurisdiction.profile_in_force(decided_on) or jurisdiction.profile_in_force(timezone.localdate())
    post_award = profile.typed.post_award if profile else None
    rule = post_award.reviewer_sanctions if post_award else None
    if post_award is None or rule is None:
        raise ServiceError(_("本辖区的评审办法未规定对评审员的处理方式，不能在此登记。"), "level")
    if level not in rule.value:
        raise ServiceError(_("评审办法规定的处理方式为：%(list)s（%(cite)s）。") % {
            "list": "、".join(str(REVIEWER_SANCTIONS[c]) for c in rule.value), "cite": cite_label(rule.cite)}, "level")
    if not Membership.objects.filter(jurisdiction=jurisdiction, role=Role.REVIEWER, user=reviewer).exists():
        raise ServiceError(_("该用户不是本辖区的评审员。"), "reviewer")
    if not facts.strip():
        raise ServiceError(_("请写明违反评审纪律的事实。"), "facts")
    barred_until, ban_cite = None, ""
    if level == ReviewerSanction.Level.DISQUALIFICATION:
        ban = post_award.reviewer_rehire_ban
        ban_cite = ban.cite if ban is not None else rule.cite
        if ban is not None:
            barred_until = last_barred_day(jurisdiction, decided_on, ban.value)
    with transaction.atomic():
        sanction = ReviewerSanction.objects.create(
            jurisdiction=jurisdiction, reviewer=reviewer, level=level, facts=facts.strip(), decided_on=decided_on,
            cite=rule.cite, barred_until=barred_until, ban_cite=ban_cite, recorded_by=actor)
        if level == ReviewerSanction.Level.DISQUALIFICATION:
            # Out of the pool at once; the groups already formed keep their history.
            PoolEntry.objects.filter(jurisdiction=jurisdiction, reviewer=reviewer).update(active=False)
    return sanction


def barring(jurisdiction: Jurisdiction, people: Iterable[User], on: dt.date | None = None) -> dict[int, ReviewerSanction]:
    """The standing disqualification of each of `people` who may not be engaged on `on`."""
    on = on or timezone.localdate()
    ids = [p.pk for p in people]
    if not ids:
        return {}
    found: dict[int, ReviewerSanction] = {}
    for sanction in ReviewerSanction.objects.filter(
            Q(barred_until__isnull=True) | Q(barred_until__gte=on), jurisdiction=jurisdiction, reviewer_id__in=ids,
            level=ReviewerSanction.Level.DISQUALIFICATION, decided_on__lte=on).order_by("decided_on", "pk"):
        current = found.get(sanction.reviewer_id)
        # An open-ended bar outweighs any dated one; otherwise the latest last day counts.
        if current is None or (current.barred_until is not None and (
                sanction.barred_until is None or sanction.barred_until > current.barred_until)):
            found[sanction.reviewer_id] = sanction
    return found


def why_barred(sanction: ReviewerSanction) -> str:
    values = {"name": person_name(sanction.reviewer), "on": sanction.decided_on.isoformat(),
              "cite": cite_label(sanction.ban_cite or sanction.cite)}
    if sanction.barred_until is None:
        return _("%(name)s已于%(on)s被取消评审资格，本辖区不再聘用（%(cite)s）") % values
    return _("%(name)s已于%(on)s被取消评审资格，%(until)s（含当日）前不得聘用（%(cite)s）") % {
        **values, "until": sanction.barred_until.isoformat()}


def check_may_engage(jurisdiction: Jurisdiction, people: Iterable[User], field: str = "members",
                     on: dt.date | None = None) -> None:
    """Refuse, naming each person, the last day and the article, anyone whose qualification stands withdrawn."""
    people = list(people)
    barred = barring(jurisdiction, people, on)
    if barred:
        by_id = {p.pk: p for p in people}
        for sanction in barred.values():
            sanction.reviewer = by_id[sanction.reviewer_id]
        raise ServiceError(_("不能聘用：%(why)s。") % {"why": "；".join(why_barred(s) for s in barred.values())}, field)

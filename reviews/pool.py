"""The office's reviewer pool (评审专家库, Zhuji 第九条（三）) and the qualifications a reviewer must
hold to sit in a group where the profile sets them (Keqiao 第十一条).

Groups are drawn from the pool wherever the profile keeps one or sets qualifications; a reviewer
who is not in it, or falls short, is refused with the article. Elsewhere the pool is optional and
only names the reviewer's organisation and position on the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardCycle
from awards.refusals import ServiceError
from jurisdictions.models import Jurisdiction, Membership, Role
from jurisdictions.people import person_line, person_name
from jurisdictions.profile_schema import DEGREES, ReviewerQualifications, RuleProfileDoc
from jurisdictions.rules_wording import cite_label, join

from .discipline import check_may_engage
from .models import PoolEntry


def pool_required(rules: RuleProfileDoc) -> bool:
    review = rules.review
    return bool(review.reviewer_pool and review.reviewer_pool.value) or review.reviewer_qualifications is not None


def shortfalls(entry: PoolEntry, wanted: ReviewerQualifications) -> list[str]:
    """What `entry` lacks of `wanted`, each in a few words (empty when qualified)."""
    missing = []
    degree_ok = DEGREES.index(entry.degree) >= DEGREES.index(wanted.min_degree)
    if not degree_ok and not (wanted.senior_title_suffices and entry.senior_title):
        degree = PoolEntry.Degree(wanted.min_degree).label
        missing.append(_("%(degree)s以上学历或高级专业技术职称") % {"degree": degree}
                       if wanted.senior_title_suffices else _("%(degree)s以上学历") % {"degree": degree})
    years = wanted.min_experience_years
    enough = entry.experience_years >= years if wanted.counting == "at_least" else entry.experience_years > years
    if not enough:
        word = _("%(n)s年以上") if wanted.counting == "at_least" else _("超过%(n)s年")
        missing.append(_("%(years)s的质量管理或专业技术工作经历（现为%(k)s年）")
                       % {"years": word % {"n": years}, "k": entry.experience_years})
    return missing


def check_can_serve(cycle: AwardCycle, people: Iterable[User], field: str = "members") -> None:
    """Refuse, naming each person and the article, anyone the profile does not let sit in a group."""
    rules = cycle.profile.typed
    if not pool_required(rules):
        return
    people = list(people)
    entries = {e.reviewer_id: e for e in PoolEntry.objects.filter(
        jurisdiction=cycle.jurisdiction, reviewer__in=people, active=True)}
    review = rules.review
    problems = []
    for person in people:
        entry = entries.get(person.pk)
        if entry is None:
            problems.append(_("%(name)s不在评审专家库中") % {"name": person_name(person)})
            continue
        if review.reviewer_qualifications is not None:
            lacking = shortfalls(entry, review.reviewer_qualifications.value)
            if lacking:
                problems.append(_("%(name)s不具备%(what)s") % {"name": person_name(person), "what": "、".join(lacking)})
    if problems:
        cited = review.reviewer_qualifications or review.reviewer_pool
        cite = cite_label(cited.cite) if cited is not None else ""
        raise ServiceError(_("以下人员不能担任本组评审员（%(cite)s）：%(problems)s。")
                           % {"cite": cite, "problems": "；".join(problems)}, field)


def admit(jurisdiction: Jurisdiction, reviewer: User, *, organisation: str, position: str, degree: str,
          senior_title: bool, experience_years: int, specialty: str = "", admitted_on: dt.date | None = None
          ) -> PoolEntry:
    """Put a reviewer of this jurisdiction into its pool (again, if they had left it)."""
    if not Membership.objects.filter(jurisdiction=jurisdiction, role=Role.REVIEWER, user=reviewer).exists():
        raise ServiceError(_("该用户不是本辖区的评审员。"), "reviewer")
    check_may_engage(jurisdiction, [reviewer], field="reviewer")
    values = {"organisation": organisation.strip(), "position": position.strip(), "degree": degree,
              "senior_title": senior_title, "experience_years": experience_years, "specialty": specialty.strip(),
              "active": True, "admitted_on": admitted_on or timezone.localdate()}
    try:
        with transaction.atomic():
            entry, _created = PoolEntry.objects.update_or_create(jurisdiction=jurisdiction, reviewer=reviewer,
                                                                 defaults=values)
    except IntegrityError as exc:  # two offices admitting the same person at once
        raise ServiceError(_("该评审员已在评审专家库中。"), "reviewer") from exc
    return entry


def withdraw(entry: PoolEntry) -> PoolEntry:
    """Take a reviewer out of the pool; groups already formed keep them."""
    entry.active = False
    entry.save(update_fields=["active"])
    return entry


def with_pool_details(users, jurisdiction: Jurisdiction):
    """`users` annotated with the pool's `pool_position` and `pool_organisation` (one query in all)."""
    entry = PoolEntry.objects.filter(jurisdiction=jurisdiction, reviewer=OuterRef("pk"))
    return users.annotate(pool_position=Subquery(entry.values("position")[:1]),
                          pool_organisation=Subquery(entry.values("organisation")[:1]))


def reviewer_line(user) -> str:
    """A reviewer's name with the position and organisation from the pool, where annotated."""
    return person_line(user, getattr(user, "pool_position", None) or "", getattr(user, "pool_organisation", None) or "")


def with_member_details(members, jurisdiction: Jurisdiction):
    """Group seats annotated with their reviewer's pool `pool_position` and `pool_organisation`."""
    entry = PoolEntry.objects.filter(jurisdiction=jurisdiction, reviewer=OuterRef("reviewer_id"))
    return members.annotate(pool_position=Subquery(entry.values("position")[:1]),
                            pool_organisation=Subquery(entry.values("organisation")[:1]))


def describe(wanted: ReviewerQualifications) -> str:
    """The qualifications in words: 本科以上学历或高级专业技术职称、3年以上的质量管理或专业技术工作经历."""
    degree = PoolEntry.Degree(wanted.min_degree).label
    first = (_("%(degree)s以上学历或高级专业技术职称") if wanted.senior_title_suffices else _("%(degree)s以上学历")) % {
        "degree": degree}
    word = _("%(n)s年以上") if wanted.counting == "at_least" else _("超过%(n)s年")
    second = _("%(years)s的质量管理或专业技术工作经历") % {"years": word % {"n": wanted.min_experience_years}}
    return join([first, second])

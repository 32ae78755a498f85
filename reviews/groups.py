"""Review groups, assignments, conflicts of interest and access (利害关系回避).

A reviewer may open an application only when it is assigned to one of their groups for the stage
and they have attested "no conflict" for it. A recusal removes access at once.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, AwardCycle
from awards.refusals import ServiceError
from awards.uscc import normalise
from jurisdictions.models import Membership, Role
from jurisdictions.people import person_name
from jurisdictions.tasks import send_mail_task

from . import discipline, pool
from .agency_checks import agency_refusal
from .models import Affiliation, Assignment, Attestation, GroupMember, ReviewAgency, ReviewGroup
from .notifications import notify_assigned


def min_group_size(cycle: AwardCycle) -> int:
    return cycle.profile.typed.review.group_min_size.value


def register_agency(jurisdiction, *, name: str, uscc: str, contract_note: str, reviewers: list) -> ReviewAgency:
    """A third-party evaluation agency (Daqing 第八条) with its reviewers; a name is registered once."""
    discipline.check_may_engage(jurisdiction, reviewers, field="reviewers")
    try:
        with transaction.atomic():
            agency = ReviewAgency.objects.create(jurisdiction=jurisdiction, name=name.strip(), uscc=uscc,
                                                 contract_note=contract_note.strip())
            agency.reviewers.set(reviewers)
    except IntegrityError as exc:
        raise ServiceError(_("已登记同名的第三方评审机构“%(name)s”，无需重复登记。") % {"name": name.strip()},
                          "name") from exc
    return agency


def declare_affiliation(jurisdiction, reviewer: User, affiliation: Affiliation) -> Affiliation:
    """Record a reviewer's declared relationship; the same one declared twice is one declaration."""
    affiliation.jurisdiction = jurisdiction
    affiliation.reviewer = reviewer
    try:
        with transaction.atomic():
            affiliation.save()
    except IntegrityError as exc:
        raise ServiceError(_("您已申报过与“%(name)s”的这一关系，无需重复申报。")
                          % {"name": affiliation.organization_name}, "organization_name") from exc
    return affiliation


def form_group(cycle: AwardCycle, *, name: str, leader, members: list, agency: ReviewAgency | None = None,
               actor: User | None = None) -> ReviewGroup:
    rules = cycle.profile.typed.review
    people = {m.pk: m for m in [leader, *members]}
    minimum = rules.group_min_size.value
    if len(people) < minimum:
        raise ServiceError(
            _("评审组至少需要%(n)s名评审员（%(cite)s），现为%(k)s名。")
            % {"n": minimum, "cite": rules.group_min_size.cite, "k": len(people)},
            "members",
        )
    reviewers = set(
        Membership.objects.filter(jurisdiction=cycle.jurisdiction, role=Role.REVIEWER, user__in=people.values())
        .values_list("user_id", flat=True)
    )
    strangers = [u for pk, u in people.items() if pk not in reviewers]
    if strangers:
        raise ServiceError(_("以下人员不是本辖区的评审员：%(names)s") % {"names": "、".join(person_name(u) for u in strangers)},
                          "members")
    third_party = rules.reviewers.value == "third_party_agency"
    if third_party and agency is None:
        raise ServiceError(_("本辖区由第三方评价机构开展评审（%(cite)s），请选择评审机构。") % {"cite": rules.reviewers.cite},
                          "agency")
    if agency is not None and (refused := agency_refusal(cycle, agency)):
        raise ServiceError(refused, "agency")
    if agency is not None:
        outside = [u for u in people.values() if not agency.reviewers.filter(pk=u.pk).exists()]
        if outside:
            raise ServiceError(_("以下评审员不属于所选评审机构：%(names)s") % {"names": "、".join(person_name(u) for u in outside)},
                              "members")
    pool.check_can_serve(cycle, people.values())
    discipline.check_may_engage(cycle.jurisdiction, people.values())
    try:
        with transaction.atomic():
            group = ReviewGroup.objects.create(jurisdiction=cycle.jurisdiction, cycle=cycle, name=name, agency=agency)
            GroupMember.objects.bulk_create(
                GroupMember(group=group, reviewer=u, is_leader=(u.pk == leader.pk)) for u in people.values()
            )
    except IntegrityError as exc:
        raise ServiceError(_("本年度已有同名评审组。"), "name") from exc
    return group


def conflicting_affiliations(group: ReviewGroup, application: Application) -> list[Affiliation]:
    uscc = normalise(application.organization.uscc)
    if not uscc:
        return []
    return list(
        Affiliation.objects.filter(
            jurisdiction=group.jurisdiction, reviewer__group_seats__group=group, uscc=uscc
        ).select_related("reviewer")
    )


def assign(application: Application, group: ReviewGroup, stage: str, actor: User) -> Assignment:
    if group.cycle_id != application.cycle_id:
        raise ServiceError(_("评审组与申报不属于同一评审年度。"), "group")
    discipline.check_may_engage(group.jurisdiction, [m.reviewer for m in group.members.select_related("reviewer")],
                                field="group")
    conflicts = conflicting_affiliations(group, application)
    if conflicts:
        who = "、".join(f"{person_name(a.reviewer)}（{a.get_kind_display()}：{a.organization_name}）" for a in conflicts)
        raise ServiceError(_("不能分配：评审员申报的利害关系与申报组织的统一社会信用代码相同——%(who)s。") % {"who": who},
                          "group")
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                jurisdiction=application.jurisdiction, application=application, group=group, stage=stage,
                assigned_by=actor,
            )
    except IntegrityError as exc:
        raise ServiceError(_("该申报在此阶段已分配给评审组。"), "group") from exc
    transaction.on_commit(partial(notify_assigned, assignment.pk))
    return assignment


def attest(application: Application, reviewer: User, *, no_conflict: bool, reason: str = "") -> Attestation:
    if not Assignment.objects.filter(application=application, group__members__reviewer=reviewer).exists():
        raise ServiceError(_("该申报未分配给您。"))
    if not no_conflict and not reason.strip():
        raise ServiceError(_("申请回避时请写明理由。"), "reason")
    try:
        with transaction.atomic():
            attestation = Attestation.objects.create(
                application=application, reviewer=reviewer,
                decision=Attestation.Decision.NO_CONFLICT if no_conflict else Attestation.Decision.RECUSED,
                reason=reason.strip(),
            )
    except IntegrityError as exc:
        raise ServiceError(_("您已就该申报作出声明。")) from exc
    if not no_conflict:
        _tell_office_of_recusal(application, reviewer, reason)
    return attestation


def declare_conflict(application: Application, reviewer: User, reason: str) -> Attestation:
    """A reviewer who stated "no conflict" declares one afterwards (利害关系事后申报). The statement
    becomes a recusal at once, so the score page, the materials and the files answer 404 from the
    next request; the office is told by mail and sees it on the groups page. History keeps the
    earlier statement and any scores the reviewer left, which no longer count (members_view and
    the workbook leave out a recused reviewer)."""
    if not reason.strip():
        raise ServiceError(_("请写明利害关系的情况。"), "reason")
    with transaction.atomic():
        attestation = Attestation.objects.select_for_update().filter(application=application, reviewer=reviewer).first()
        if attestation is None or not assigned_applications(reviewer, application.jurisdiction).filter(
                pk=application.pk).exists():
            raise ServiceError(_("该申报未分配给您。"))
        if attestation.decision != Attestation.Decision.NO_CONFLICT:
            raise ServiceError(_("您已就该申报申请回避。"))
        attestation.decision = Attestation.Decision.RECUSED
        attestation.reason = reason.strip()
        attestation.conflict_declared_at = timezone.now()
        attestation.save(update_fields=["decision", "reason", "conflict_declared_at"])
        _tell_office_of_recusal(application, reviewer, reason.strip(), after_statement=True)
    return attestation


def late_conflicts(cycle: AwardCycle) -> list[Attestation]:
    """Conflicts declared after a "no conflict" statement in this cycle, newest first."""
    return list(
        Attestation.objects.filter(application__cycle=cycle, decision=Attestation.Decision.RECUSED,
                                   conflict_declared_at__isnull=False)
        .select_related("application__organization", "reviewer").order_by("-conflict_declared_at")
    )


def _tell_office_of_recusal(application: Application, reviewer: User, reason: str, *, after_statement: bool = False) -> None:
    short = [g for g in groups_of(application) if active_member_count(g, application) < min_group_size(application.cycle)]
    emails = list(
        Membership.objects.filter(jurisdiction=application.jurisdiction, role=Role.OFFICE)
        .exclude(user__email="").values_list("user__email", flat=True)
    )
    if not emails:
        return
    values = {"r": reviewer, "n": application.number, "org": application.organization.name, "reason": reason}
    if after_statement:
        body = _("评审员 %(r)s 曾声明与申报 %(n)s（%(org)s）无利害关系，现申报存在利害关系并回避，理由：%(reason)s。"
                 "该评审员对此申报的查阅和评分权限已即时取消，其评分不再列入组长查看的全组评分。") % values
    else:
        body = _("评审员 %(r)s 对申报 %(n)s（%(org)s）申请回避，理由：%(reason)s") % values
    if short:
        body += "\n" + _("评审组人数已低于最低要求，请补充评审员。")
    subject = _("评审员事后申报利害关系通知") if after_statement else _("评审员回避通知")
    transaction.on_commit(lambda: send_mail_task.delay(subject, body, emails))


def groups_of(application: Application) -> QuerySet[ReviewGroup]:
    return ReviewGroup.objects.filter(assignments__application=application).distinct()


def active_member_count(group: ReviewGroup, application: Application) -> int:
    recused = Attestation.objects.filter(application=application, decision=Attestation.Decision.RECUSED)
    return group.members.exclude(reviewer__in=recused.values("reviewer")).count()


def groups_needing_replacement(cycle: AwardCycle) -> list[tuple[ReviewGroup, Application, int]]:
    """(group, application, active members) wherever recusals left a group below the minimum."""
    minimum = min_group_size(cycle)
    out, seen = [], set()
    for assignment in Assignment.objects.filter(application__cycle=cycle).select_related("group", "application"):
        # The same group may hold an application for both stages: one replacement serves both.
        if (assignment.group_id, assignment.application_id) in seen:
            continue
        seen.add((assignment.group_id, assignment.application_id))
        count = active_member_count(assignment.group, assignment.application)
        if count < minimum:
            out.append((assignment.group, assignment.application, count))
    return out


def add_member(group: ReviewGroup, reviewer: User) -> GroupMember:
    if not Membership.objects.filter(jurisdiction=group.jurisdiction, role=Role.REVIEWER, user=reviewer).exists():
        raise ServiceError(_("该用户不是本辖区的评审员。"), "reviewer")
    if group.agency is not None and not group.agency.reviewers.filter(pk=reviewer.pk).exists():
        raise ServiceError(_("以下评审员不属于所选评审机构：%(names)s") % {"names": person_name(reviewer)}, "reviewer")
    pool.check_can_serve(group.cycle, [reviewer], field="reviewer")
    discipline.check_may_engage(group.jurisdiction, [reviewer], field="reviewer")
    # The same conflict check an assignment gets: a replacement joins every application the group has.
    usccs = {normalise(uscc) for uscc in Application.objects.filter(assignments__group=group)
             .values_list("organization__uscc", flat=True)} - {""}
    conflicts = list(Affiliation.objects.filter(jurisdiction=group.jurisdiction, reviewer=reviewer, uscc__in=usccs))
    if conflicts:
        who = "、".join(f"{a.get_kind_display()}：{a.organization_name}" for a in conflicts)
        raise ServiceError(_("不能加入：该评审员申报的利害关系与本组评审的申报组织相同——%(who)s。") % {"who": who},
                          "reviewer")
    member, _created = GroupMember.objects.get_or_create(group=group, reviewer=reviewer)
    return member


def reviewable_applications(reviewer: User, jurisdiction, stage: str | None = None) -> QuerySet[Application]:
    """What a reviewer may open: assigned to one of their groups, attested no-conflict, not recused."""
    assigned = Assignment.objects.filter(jurisdiction=jurisdiction, group__members__reviewer=reviewer)
    if stage:
        assigned = assigned.filter(stage=stage)
    cleared = Attestation.objects.filter(reviewer=reviewer, decision=Attestation.Decision.NO_CONFLICT)
    return Application.objects.filter(
        jurisdiction=jurisdiction, pk__in=assigned.values("application"),
    ).filter(pk__in=cleared.values("application"))


def assigned_applications(reviewer: User, jurisdiction) -> QuerySet[Application]:
    """Assigned to the reviewer, whether or not they have attested yet (never after recusal)."""
    assigned = Assignment.objects.filter(jurisdiction=jurisdiction, group__members__reviewer=reviewer)
    recused = Attestation.objects.filter(reviewer=reviewer, decision=Attestation.Decision.RECUSED)
    return Application.objects.filter(jurisdiction=jurisdiction, pk__in=assigned.values("application")).exclude(
        pk__in=recused.values("application")
    )


def leader_of(application: Application, stage: str):
    assignment = Assignment.objects.filter(application=application, stage=stage).select_related("group").first()
    if assignment is None:
        return None
    member = assignment.group.members.filter(is_leader=True).select_related("reviewer").first()
    return member.reviewer if member else None


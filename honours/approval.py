"""The government's approval (批准 / 审定): the office records it once publicity has ended and every
objection is closed; the proposed winners become winners through the workflow, each with its prize,
and everybody who applied is told the outcome with its reasons."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, ApplicationEvent, AwardCycle, PastOutcome
from awards.record_language import in_record_language
from awards.refusals import ServiceError
from awards.states import AppState, CycleState
from awards.uploads import UploadRefused, check_upload
from awards.workflow import Move, TransitionError, cycle_transition, transition_many
from jurisdictions.access import has_role
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.tasks import send_mail_task
from publicity.models import Notice, Objection

from . import prizes
from .models import Approval, Certificate, HonourClaim, Prize

OPEN_OBJECTIONS = (Objection.State.RECEIVED, Objection.State.ACCEPTED)


def award_approved_on(app: Application) -> dt.date | None:
    """The day the approving body approved this application's cycle (None before the approval)."""
    return Approval.objects.filter(cycle_id=app.cycle_id).values_list("approved_on", flat=True).first()


def open_objections(cycle: AwardCycle) -> int:
    return Objection.objects.filter(notice__cycle=cycle, state__in=OPEN_OBJECTIONS).count()


def refusal(cycle: AwardCycle) -> str | None:
    """Why the approval may not be recorded now, or None."""
    if Approval.objects.filter(cycle=cycle).exists():
        return _("本年度的审定结果已经登记，不能重复登记。")
    if cycle.state == CycleState.PUBLICITY:
        return _("公示期尚未结束，不能登记审定结果。")
    if cycle.state != CycleState.APPROVAL:
        return _("本年度尚未完成公示，不能登记审定结果。")
    waiting = open_objections(cycle)
    if waiting:
        return _("还有%(n)s件异议尚未处理完毕，须全部办结后才能登记审定结果。") % {"n": waiting}
    if not cycle.applications.filter(state=AppState.PROPOSED).exists():
        return _("没有拟授奖组织，无需登记审定结果。")
    return None


def approval_on_record(apps: list[Application], to_state: str) -> dict[int, str]:
    """Workflow evidence for proposed → awarded: publicity over, every objection closed, approval recorded."""
    problems: dict[int, str] = {}
    by_cycle: dict[int, list[Application]] = {}
    for app in apps:
        by_cycle.setdefault(app.cycle_id, []).append(app)
    for cycle_id, group in by_cycle.items():
        cycle = group[0].cycle
        message = None
        if cycle.state != CycleState.APPROVAL:
            message = _("授奖须在公示结束之后。")
        elif open_objections(cycle):
            message = _("授奖须在全部异议办结之后。")
        elif not Approval.objects.filter(cycle_id=cycle_id).exists():
            message = _("授奖须有登记的审定批准（审定机关、批准文号、日期和批准文件）。")
        if message:
            problems.update(dict.fromkeys((a.pk for a in group), message))
    return problems


def proposed_award(apps: Iterable[Application]) -> dict[int, dict]:
    """The award each proposed winner was proposed for, and whether it takes a place (the committee's move)."""
    found: dict[int, dict] = {}
    events = ApplicationEvent.objects.filter(application__in=list(apps), to_state=AppState.PROPOSED).order_by("at", "pk")
    for application_id, details in events.values_list("application_id", "details"):
        details = details or {}
        found[application_id] = {"award": details.get("award") or "",
                                 "counts_in_quota": not details.get("outside_quota", False)}
    return found


def history_of(jurisdiction, organization_ids: list[int]) -> dict[int, list[prizes.PastAward]]:
    """Each organisation's earlier awards in the jurisdiction (revoked ones are left out)."""
    found: dict[int, list[prizes.PastAward]] = {}
    rows = (PastOutcome.objects.filter(jurisdiction=jurisdiction, organization_id__in=organization_ids, revoked="")
            .exclude(award_code="").order_by("year", "pk"))
    for row in rows:
        found.setdefault(row.organization_id, []).append(prizes.PastAward(row.year, row.award_code, row.prize_cny))
    return found


def decide_prizes(cycle: AwardCycle, apps: list[Application]) -> dict[int, prizes.Decision]:
    """The prize of each application about to be awarded (profile, committee finding, history, claims)."""
    rules = cycle.profile.typed
    awards = proposed_award(apps)
    history = history_of(cycle.jurisdiction, [a.organization_id for a in apps])
    claims: dict[int, list[prizes.Claim]] = {}
    earlier: dict[int, int] = {}
    for claim in HonourClaim.objects.filter(organization_id__in=[a.organization_id for a in apps]):
        if claim.cycle_id == cycle.pk:
            claims.setdefault(claim.organization_id, []).append(prizes.Claim(claim.level_zh, claim.nomination, claim.year))
        else:
            earlier[claim.organization_id] = max(earlier.get(claim.organization_id, 0), claim.amount_cny)
    decided = {}
    for app in apps:
        proposed = awards.get(app.pk) or {"award": app.category, "counts_in_quota": True}
        code = proposed["award"] or app.category
        decided[app.pk] = prizes.decide(rules, code, history.get(app.organization_id, []),
                                        counts_in_quota=proposed["counts_in_quota"],
                                        claims=claims.get(app.organization_id), earlier_bonus_cny=earlier.get(app.organization_id, 0))
    return decided


def record_approval(cycle: AwardCycle, actor: User, *, approving_body: str, document_number: str,
                    approved_on: dt.date, document: UploadedFile, now: dt.datetime | None = None) -> Approval:
    """Record the approval and award the proposed winners; refused with a ServiceError saying why."""
    now = now or timezone.now()
    if not has_role(actor, cycle.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记审定结果。"))
    problem = refusal(cycle)
    if problem:
        raise ServiceError(problem)
    approving_body, document_number = approving_body.strip(), document_number.strip()
    if not approving_body:
        raise ServiceError(_("请填写审定机关。"), "approving_body")
    if not document_number:
        raise ServiceError(_("请填写批准文号。"), "document_number")
    if approved_on > timezone.localdate(now):
        raise ServiceError(_("批准日期不能晚于今天。"), "approved_on")
    notice = Notice.objects.filter(cycle=cycle).first()
    if notice is not None and approved_on < timezone.localtime(notice.ends_at).date() - dt.timedelta(days=1):
        raise ServiceError(_("批准日期不能早于公示结束。"), "approved_on")
    try:
        content_type, digest = check_upload(document, already_stored_bytes=0)
    except UploadRefused as exc:
        raise ServiceError(str(exc), "document") from None
    rules = cycle.profile.typed
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update(of=("self",)).select_related("jurisdiction", "profile").get(pk=cycle.pk)
        problem = refusal(locked)
        if problem:
            raise ServiceError(problem)
        approval = Approval(jurisdiction=locked.jurisdiction, cycle=locked, approving_body=approving_body,
                            document_number=document_number, approved_on=approved_on, document_name=(document.name or "")[:255],
                            document_type=content_type, document_sha256=digest, recorded_by=actor, recorded_at=now)
        approval.document.save(document.name, document, save=False)
        approval.save()
        apps = list(locked.applications.filter(state=AppState.PROPOSED).select_related("organization", "cycle")
                    .order_by("pk"))
        decided = decide_prizes(locked, apps)
        approver = rules.approval.approver_zh
        moves = {}
        for app in apps:
            d = decided[app.pk]
            moves[app.pk] = Move(AppState.AWARDED, reason=_("经%(body)s审定批准（%(number)s），授予%(award)s。") % {
                "body": approving_body, "number": document_number, "award": d.award_name},
                rule="approval.approver_zh", cite=approver.cite,
                details={"award": d.award_code, "prize_cny": d.prize_cny, "bonus_cny": d.bonus_cny,
                         "counts_in_quota": d.counts_in_quota, "approval": approval.pk, "reasons": d.reasons})
        try:
            transition_many(moves, actor=actor, now=now)
        except TransitionError as exc:
            raise ServiceError(str(exc)) from None
        for app in apps:
            d = decided[app.pk]
            Prize.objects.create(jurisdiction=locked.jurisdiction, application=app, award_code=d.award_code,
                                 award_name=d.award_name, prize_cny=d.prize_cny, bonus_cny=d.bonus_cny,
                                 counts_in_quota=d.counts_in_quota, honours=d.honours, reasons=d.reasons)
            PastOutcome.objects.create(jurisdiction=locked.jurisdiction, organization=app.organization, year=locked.year,
                                       award_code=d.award_code, prize_cny=d.prize_cny)
        for claim, amount in _claim_amounts(locked, apps, decided):
            HonourClaim.objects.filter(pk=claim.pk).update(amount_cny=amount)
        # An application still open keeps the cycle awaiting its decision; the winners stand.
        with contextlib.suppress(TransitionError):
            cycle_transition(locked, CycleState.CLOSED, actor=actor, reason=_("审定批准，评审结束"), now=now)
        transaction.on_commit(lambda: _after_approval(locked.pk))
    return approval


def _claim_amounts(cycle: AwardCycle, apps: list[Application], decided: dict[int, prizes.Decision]):
    by_org = {a.organization_id: a.pk for a in apps}
    per_org: dict[int, int] = {}
    for claim in HonourClaim.objects.filter(cycle=cycle, organization_id__in=list(by_org)).order_by("pk"):
        index = per_org.get(claim.organization_id, 0)
        per_org[claim.organization_id] = index + 1
        amounts = decided[by_org[claim.organization_id]].claim_amounts
        yield claim, amounts[index] if index < len(amounts) else 0


def _after_approval(cycle_id: int) -> None:
    from .tasks import generate_cycle_certificates_task, notify_outcomes_task

    notify_outcomes_task.delay(cycle_id)
    generate_cycle_certificates_task.delay(cycle_id)


def outcome_reasons(app: Application) -> tuple[str, list[dict]]:
    """The final state's label and the reasons (with articles) of the move into it."""
    event = app.events.filter(to_state=app.state).order_by("-at", "-pk").first()
    reasons = []
    if event is not None:
        reasons.append({"text": event.reason, "cite": cite_label(event.cite) if event.cite else ""})
    return str(AppState(app.state).label), reasons


@in_record_language
def notify_outcomes(cycle_id: int) -> int:
    """Tell every organisation that applied in the cycle its outcome and the reasons; returns mails queued."""
    cycle = AwardCycle.objects.select_related("jurisdiction").get(pk=cycle_id)
    j = cycle.jurisdiction
    sent = 0
    for app in cycle.applications.exclude(state=AppState.DRAFT).select_related("organization").prefetch_related(
            "organization__users"):
        recipients = [u.email for u in app.organization.users.all() if u.email]
        if not recipients:
            continue
        label, reasons = outcome_reasons(app)
        lines = [f"· {r['text']}{'（' + r['cite'] + '）' if r['cite'] else ''}" for r in reasons if r["text"]]
        prize = Prize.objects.filter(application=app).first()
        if prize is not None and prize.total_cny:
            lines.append(_("· 奖励合计%(amount)s元，由财政部门按规定拨付。") % {"amount": prizes.yuan(prize.total_cny)})
        subject = _("【%(award)s】%(year)s年度评审结果") % {"award": j.award_name_zh, "year": cycle.year}
        body = _("%(org)s：\n\n贵单位申报的%(title)s，最终结果：%(state)s。\n%(lines)s\n\n%(office)s") % {
            "org": app.organization.name, "title": cycle.title, "state": label, "lines": "\n".join(lines),
            "office": j.issuing_body_zh}
        send_mail_task.apply_async((subject, body, recipients), task_id=f"outcome-{app.pk}")
        sent += 1
    return sent


def mark_paid(prize: Prize, actor: User, *, paid_on: dt.date, reference: str) -> Prize:
    if not has_role(actor, prize.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记奖金发放。"))
    reference = reference.strip()
    if not reference:
        raise ServiceError(_("请填写拨付凭证号。"), "reference")
    if paid_on > timezone.localdate():
        raise ServiceError(_("发放日期不能晚于今天。"), "paid_on")
    with transaction.atomic():
        locked = Prize.objects.select_for_update().get(pk=prize.pk)
        if locked.paid_on is not None:
            raise ServiceError(_("这笔奖金已登记发放，不能重复登记。"))
        if locked.total_cny == 0:
            raise ServiceError(_("这项奖励没有奖金，无需登记发放。"))
        locked.paid_on, locked.paid_reference, locked.paid_recorded_by = paid_on, reference, actor
        locked.save(update_fields=["paid_on", "paid_reference", "paid_recorded_by"])
    return locked


def record_claim(cycle: AwardCycle, app: Application, actor: User, *, level_zh: str, nomination: bool, year: int,
                 evidence: str) -> HonourClaim:
    if not has_role(actor, cycle.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记上级荣誉。"))
    rules = cycle.profile.typed
    if rules.higher_honours is None:
        raise ServiceError(_("本办法未规定获得上级质量荣誉的奖励。"))
    if level_zh not in {b.level_zh for b in rules.higher_honours.bonuses.value}:
        raise ServiceError(_("请选择办法规定的荣誉级别。"), "level_zh")
    if Approval.objects.filter(cycle=cycle).exists():
        raise ServiceError(_("审定结果已经登记，奖励已确定，不能再登记上级荣誉。"))
    if app.cycle_id != cycle.pk or app.state != AppState.PROPOSED:
        raise ServiceError(_("只能为本年度拟授奖组织登记上级荣誉。"), "application")
    if HonourClaim.objects.filter(organization=app.organization, level_zh=level_zh, nomination=nomination,
                                  year=year).exists():
        raise ServiceError(_("这项上级荣誉已经登记。"), "level_zh")
    return HonourClaim.objects.create(jurisdiction=cycle.jurisdiction, organization=app.organization, cycle=cycle,
                                      level_zh=level_zh, nomination=nomination, year=year, evidence=evidence.strip(),
                                      recorded_by=actor)


def certificates_of(cycle: AwardCycle) -> list[Certificate]:
    return list(Certificate.objects.filter(application__cycle=cycle).select_related("application__organization"))

"""Objections (异议): filing by the profile's rules, acceptance within its deadline, investigation,
deadlines for evidence with their deemed outcomes, and the outcome, which disqualifies through the
workflow when upheld. Each step records who, when, why and under which article."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application
from awards.record_language import in_record_language
from awards.refusals import ServiceError
from awards.states import AppState
from awards.system_actor import system_actor
from awards.uploads import UploadRefused, check_upload
from awards.workflow import TransitionError, transition
from jurisdictions.access import has_role
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.tasks import send_mail_task
from jurisdictions.workcalendar import add_working_days, coverage_warning

from . import identity
from .models import Notice, NoticeEntry, Objection, ObjectionEvent, ObjectionFile
from .notices import announce_change, last_day_label, midnight_after

S = Objection.State
K = Objection.Kind
MAX_OBJECTION_FILES_BYTES = 50 * 1024 * 1024
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class Filing:
    """What the objector gave: the form's cleaned data, or a scenario's `by` block."""

    kind: str
    name: str = ""
    id_number: str = ""
    contact: str = ""
    email: str = ""
    address: str = ""
    text: str = ""
    files: list[tuple[str, UploadedFile]] = field(default_factory=list)
    # A scenario has no files: it states whether the letter bears the seal and takes evidence as given.
    sealed: bool | None = None
    evidence_given: bool | None = None


@dataclass(frozen=True)
class Problem:
    field: str
    rule: str
    cite: str
    text: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "cite": self.cite, "text": self.text}


def _cited(text: str, cite: str) -> str:
    return f"{text}（{cite_label(cite)}）"


def filing_problems(rules, filing: Filing) -> list[Problem]:
    """Why the profile refuses this objection as filed (empty: it may be received)."""
    o = rules.objections
    problems: list[Problem] = []

    def need(fld: str, rule: str, cite: str, text: str) -> None:
        problems.append(Problem(fld, rule, cite, _cited(text, cite)))

    if filing.kind == K.ANONYMOUS:
        if not o.anonymous_accepted.value:
            need("kind", "objections.anonymous_accepted", o.anonymous_accepted.cite, _("以匿名方式提出的异议不予受理"))
        elif not filing.text.strip():
            need("text", "objections.evidence_required", o.evidence_required.cite, _("请写明异议内容"))
        return problems
    if filing.kind == K.PERSON:
        required = set(o.person_requires.value)
        cite = o.person_requires.cite
        if ("name" in required or o.real_name_required.value) and not filing.name.strip():
            need("name", "objections.person_requires", cite, _("个人提出异议须签署真实姓名"))
        if "id_number" in required:
            if not filing.id_number.strip():
                need("id_number", "objections.person_requires", cite, _("个人提出异议须写明身份证号码"))
            elif identity.valid_id_number(filing.id_number) is None:
                need("id_number", "objections.person_requires", cite,
                     _("身份证号码无效（校验位、出生日期或地区码不符），请核对"))
        if "contact" in required and not filing.contact.strip():
            need("contact", "objections.person_requires", cite, _("个人提出异议须写明联系方式"))
    elif filing.kind == K.ORGANIZATION:
        required = set(o.organization_requires.value)
        cite = o.organization_requires.cite
        if not filing.name.strip():
            need("name", "objections.real_name_required", o.real_name_required.cite, _("单位提出异议须写明单位名称"))
        if "address" in required and not filing.address.strip():
            need("address", "objections.organization_requires", cite, _("单位提出异议须注明单位住所"))
        if "contact" in required and not filing.contact.strip():
            need("contact", "objections.organization_requires", cite, _("单位提出异议须注明联系方式"))
        if "seal" in required:
            sealed = (filing.sealed if filing.sealed is not None
                      else any(kind == ObjectionFile.Kind.SEAL_LETTER for kind, _f in filing.files))
            if not sealed:
                need("seal_letter", "objections.organization_requires", cite,
                     _("单位提出异议须上传加盖本单位公章的书面异议材料"))
    else:
        problems.append(Problem("kind", "objections.accepted_from_zh", o.accepted_from_zh.cite, _("请选择以个人还是单位名义提出异议")))
        return problems
    if not filing.text.strip():
        need("text", "objections.evidence_required", o.evidence_required.cite, _("请写明异议内容（书面异议材料）"))
    if o.evidence_required.value:
        given = (filing.evidence_given if filing.evidence_given is not None
                 else any(kind == ObjectionFile.Kind.EVIDENCE for kind, _f in filing.files))
        if not given:
            need("evidence", "objections.evidence_required", o.evidence_required.cite, _("请上传必要的证明材料"))
    return problems


def acceptance_deadline(jurisdiction, rules, filed_at: dt.datetime) -> tuple[dt.datetime, list[dict]]:
    """The end of the acceptance period counted from the day after filing, with its reason."""
    cited = rules.objections.acceptance_decision_within
    period = cited.value
    filed_day = timezone.localtime(filed_at).date()
    if period.unit == "working_days":
        last = add_working_days(jurisdiction, filed_day, period.amount)
        text = _("收到异议后%(n)s个工作日内作出受理决定（%(cite)s），即 %(end)s 前。")
    else:
        last = filed_day + dt.timedelta(days=period.amount)
        text = _("收到异议后%(n)s日内作出受理决定（%(cite)s），即 %(end)s 前。")
    ends_at = midnight_after(last)
    reasons = [{"rule": "objections.acceptance_decision_within", "cite": cited.cite,
                "text": text % {"n": period.amount, "cite": cite_label(cited.cite), "end": last_day_label(ends_at)}}]
    warning = coverage_warning(jurisdiction, filed_day, last) if period.unit == "working_days" else None
    if warning:
        reasons.append({"rule": "calendar", "cite": "", "text": warning})
    return ends_at, reasons


def _event(objection: Objection, from_state: str, actor: User | None, now: dt.datetime, text: str,
           rule: str = "", cite: str = "") -> None:
    ObjectionEvent.objects.create(objection=objection, from_state=from_state, to_state=objection.state, at=now,
                                  actor=actor if getattr(actor, "pk", None) else None, text=text, rule=rule, cite=cite)


def _next_number(notice: Notice) -> str:
    count = Objection.objects.filter(jurisdiction=notice.jurisdiction, notice__cycle__year=notice.cycle.year).count()
    return f"YY-{notice.cycle.year}-{count + 1:03d}"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _store_files(objection: Objection, files: list[tuple[str, UploadedFile]]) -> None:
    stored = 0
    for kind, uploaded in files:
        try:
            content_type, digest = check_upload(uploaded, already_stored_bytes=stored)
        except UploadRefused as exc:
            raise ServiceError(str(exc), "evidence" if kind != ObjectionFile.Kind.SEAL_LETTER else "seal_letter") from exc
        stored += uploaded.size or 0
        if stored > MAX_OBJECTION_FILES_BYTES:
            raise ServiceError(_("材料合计超过 50 MB，请压缩后上传。"), "evidence")
        ObjectionFile.objects.create(objection=objection, kind=kind, file=uploaded, content_type=content_type,
                                     original_name=(uploaded.name or "")[-200:], size=uploaded.size or 0,
                                     sha256=digest)


@in_record_language
def file_objection(notice: Notice, entry: NoticeEntry, filing: Filing, *,
                   now: dt.datetime | None = None) -> tuple[Objection, str]:
    """Receive an objection during the notice's period; returns it and the secret lookup code.

    The clock closes the form at the notice's end, whatever any worker did."""
    now = now or timezone.now()
    if now < notice.starts_at:
        raise ServiceError(_("公示尚未开始。"))
    if now >= notice.ends_at:
        raise ServiceError(_("公示已于 %(end)s 结束，不能再在线提出异议。") % {"end": last_day_label(notice.ends_at)})
    if entry.notice_id != notice.pk:
        raise ServiceError(_("请从公示名单中选择异议所针对的组织。"), "entry")
    if entry.application.state != AppState.PROPOSED:
        raise ServiceError(_("该组织已不在拟授奖名单中。"), "entry")
    rules = notice.cycle.profile.typed
    problems = filing_problems(rules, filing)
    if problems:
        raise ServiceError(problems[0].text, problems[0].field)
    code = new_code()
    id_number = identity.valid_id_number(filing.id_number) if filing.id_number.strip() else None
    due_at, reasons = acceptance_deadline(notice.jurisdiction, rules, now)
    with transaction.atomic():
        Notice.objects.select_for_update().get(pk=notice.pk)
        objection = Objection.objects.create(
            jurisdiction=notice.jurisdiction, notice=notice, entry=entry, number=_next_number(notice),
            secret_hash=make_password(code), kind=filing.kind, name=filing.name.strip()[:200],
            id_number_encrypted=identity.encrypt(id_number) if id_number else "",
            id_number_masked=identity.mask(id_number) if id_number else "",
            contact=filing.contact.strip()[:200], email=filing.email.strip()[:254], address=filing.address.strip()[:300],
            text=filing.text.strip(), filed_at=now, acceptance_due_at=due_at, acceptance_reasons=reasons)
        _store_files(objection, filing.files)
        _event(objection, "", None, now, _("收到异议（%(number)s）") % {"number": objection.number})
    return objection, code


def lookup(jurisdiction, number: str, code: str) -> Objection | None:
    """The objection with this receipt number, if the secret code matches (else None, whichever failed)."""
    objection = Objection.objects.filter(jurisdiction=jurisdiction, number=number.strip().upper()).first()
    if objection is None:
        check_password(code, make_password("decoy"))  # the same work whether or not the number exists
        return None
    return objection if check_password(code.strip().upper(), objection.secret_hash) else None


# --- the office --------------------------------------------------------------------------------
def _office(objection: Objection, actor: User) -> None:
    if not has_role(actor, objection.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以处理异议。"))


def _locked(objection: Objection) -> Objection:
    return Objection.objects.select_for_update(of=("self",)).select_related(
        "notice__cycle__profile", "entry__application", "jurisdiction").get(pk=objection.pk)


def _after_commit(objection: Objection, letter: str | None = None, tell: tuple[str, ...] = ()) -> None:
    from .tasks import render_letter_task

    if letter:
        transaction.on_commit(partial(render_letter_task.delay, objection.pk, letter))
    for party in tell:
        transaction.on_commit(partial(notify, objection.pk, party))


def take(objection: Objection, actor: User) -> Objection:
    """A member of staff takes the objection in hand (and so may see the objector's full ID number)."""
    _office(objection, actor)
    with transaction.atomic():
        locked = _locked(objection)
        locked.handler = actor
        locked.save(update_fields=["handler"])
    return locked


def handled_by(objection: Objection, user: User) -> bool:
    return objection.handler_id is not None and objection.handler_id == user.pk


@in_record_language
def decide_acceptance(objection: Objection, actor: User, *, accept: bool, reason: str = "", seal_confirmed: bool = False,
                      now: dt.datetime | None = None) -> Objection:
    """Accept or refuse, in writing with reasons (the letter is a PDF made on commit)."""
    _office(objection, actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(objection)
        if locked.state != S.RECEIVED:
            raise ServiceError(_("这一异议已作出受理决定。"))
        rules = locked.notice.cycle.profile.typed
        o = rules.objections
        if accept and locked.kind == K.ORGANIZATION and "seal" in o.organization_requires.value and not seal_confirmed:
            raise ServiceError(_cited(_("受理单位异议须先核实书面材料加盖了本单位公章"), o.organization_requires.cite),
                               "seal_confirmed")
        if not accept and not reason.strip():
            raise ServiceError(_("不予受理须写明理由。"), "reason")
        from_state = locked.state
        locked.state = S.ACCEPTED if accept else S.REFUSED
        locked.decided_at = now
        locked.handler = locked.handler or actor
        locked.seal_confirmed = seal_confirmed
        locked.decision_cite = o.acceptance_decision_within.cite
        text = reason.strip() or _("异议符合规定并提供了相关材料，予以受理。")
        if accept:
            period = o.evidence_period
            if period is not None:
                day = timezone.localtime(now).date()
                last = (add_working_days(locked.jurisdiction, day, period.value.amount)
                        if period.value.unit == "working_days" else day + dt.timedelta(days=period.value.amount))
                locked.candidate_due_at = locked.objector_due_at = midnight_after(last)
        else:
            locked.concluded_at = now
        locked.decision_reason = text
        if now >= locked.acceptance_due_at:
            text += _("（受理审查超过规定期限）")
        locked.save()
        _event(locked, from_state, actor, now, text, "objections.acceptance_decision_within", o.acceptance_decision_within.cite)
        _after_commit(locked, "acceptance" if accept else "refusal",
                      ("objector", "candidate") if accept else ("objector",))
    return locked


def _due(day: dt.date | None) -> dt.datetime | None:
    return midnight_after(day) if day else None


@in_record_language
def assign_investigation(objection: Objection, actor: User, *, investigators: list[str], candidate_due: dt.date | None,
                         objector_due: dt.date | None, now: dt.datetime | None = None) -> Objection:
    """Name the experts investigating and the deadline for evidence of each side (inclusive last days)."""
    _office(objection, actor)
    now = now or timezone.now()
    names = [n.strip()[:100] for n in investigators if n.strip()]
    if not names:
        raise ServiceError(_("请至少指定一名调查专家。"), "investigators")
    today = timezone.localtime(now).date()
    for fld, day in (("candidate_due", candidate_due), ("objector_due", objector_due)):
        if day is not None and day < today:
            raise ServiceError(_("举证期限不能早于今天。"), fld)
    with transaction.atomic():
        locked = _locked(objection)
        if locked.state != S.ACCEPTED:
            raise ServiceError(_("只有已受理的异议才能安排调查。"))
        locked.investigators = names
        locked.candidate_due_at = _due(candidate_due)
        locked.objector_due_at = _due(objector_due)
        locked.save(update_fields=["investigators", "candidate_due_at", "objector_due_at"])
        _event(locked, locked.state, actor, now, _("组织专家调查：%(names)s") % {"names": "、".join(names)},
               "objections.decided_by_zh", "")
        _after_commit(locked, tell=("candidate", "objector"))
    return locked


@in_record_language
def record_evidence(objection: Objection, actor: User, *, party: str, files: list[UploadedFile] | None = None,
                    note: str = "", now: dt.datetime | None = None) -> Objection:
    """The office records the evidence a side gave (uploaded, or received on paper) before its deadline."""
    _office(objection, actor)
    now = now or timezone.now()
    if party not in ("candidate", "objector"):
        raise ServiceError(_("请选择提交材料的一方。"), "party")
    with transaction.atomic():
        locked = _locked(objection)
        if locked.state != S.ACCEPTED:
            raise ServiceError(_("只有调查中的异议才能登记材料。"))
        due = locked.candidate_due_at if party == "candidate" else locked.objector_due_at
        if due is not None and now >= due:
            raise ServiceError(_("举证期限已于 %(end)s 届满，不能再登记材料。") % {"end": last_day_label(due)}, "party")
        kind = ObjectionFile.Kind.CANDIDATE_EVIDENCE if party == "candidate" else ObjectionFile.Kind.OBJECTOR_EVIDENCE
        _store_files(locked, [(kind, f) for f in files or []])
        setattr(locked, f"{party}_evidence_at", now)
        locked.save(update_fields=[f"{party}_evidence_at"])
        who = _("候选组织") if party == "candidate" else _("异议人")
        _event(locked, locked.state, actor, now, _("%(who)s提交了证明材料。%(note)s") % {"who": who, "note": note.strip()})
    return locked


def objector_may_add_evidence(objection: Objection, now: dt.datetime | None = None) -> bool:
    """Whether the objector may still add evidence online: while the objection waits for the decision
    on acceptance, and while it is investigated until the objector's deadline for evidence."""
    now = now or timezone.now()
    if objection.state == S.RECEIVED:
        return True
    return objection.state == S.ACCEPTED and (objection.objector_due_at is None or now < objection.objector_due_at)


@in_record_language
def add_objector_evidence(objection: Objection, files: list[UploadedFile], *, note: str = "",
                          now: dt.datetime | None = None) -> Objection:
    """The objector adds evidence online with the receipt number and code (no account): stored with the
    objection and, during the investigation, counted as the objector's evidence before its deadline
    (so no withdrawal is deemed for a missed deadline, Daqing 第二十三条)."""
    now = now or timezone.now()
    files = [f for f in files if f]
    if not files:
        raise ServiceError(_("请选择要补充的证明材料。"), "evidence")
    with transaction.atomic():
        locked = _locked(objection)
        if not objector_may_add_evidence(locked, now):
            if locked.state == S.ACCEPTED and locked.objector_due_at is not None:
                raise ServiceError(_("举证期限已于 %(end)s 届满，不能再补充材料。")
                                   % {"end": last_day_label(locked.objector_due_at)}, "evidence")
            raise ServiceError(_("该异议已%(state)s，不能再补充材料。") % {"state": locked.get_state_display()},
                               "evidence")
        kind = ObjectionFile.Kind.OBJECTOR_EVIDENCE if locked.state == S.ACCEPTED else ObjectionFile.Kind.EVIDENCE
        _store_files(locked, [(kind, f) for f in files])
        fields = []
        if locked.state == S.ACCEPTED:
            locked.objector_evidence_at = now
            fields.append("objector_evidence_at")
        if fields:
            locked.save(update_fields=fields)
        names = "、".join((f.name or "")[-60:] for f in files)
        _event(locked, locked.state, None, now,
               _("异议人在线补充了证明材料：%(names)s。%(note)s") % {"names": names, "note": note.strip()})
    return locked


@in_record_language
def record_report(objection: Objection, actor: User, *, report: str, now: dt.datetime | None = None) -> Objection:
    """The investigation report, sent to whom the profile names (Binjiang 四（七）: the committee)."""
    _office(objection, actor)
    now = now or timezone.now()
    if not report.strip():
        raise ServiceError(_("请填写调查报告。"), "report")
    with transaction.atomic():
        locked = _locked(objection)
        if locked.state != S.ACCEPTED:
            raise ServiceError(_("只有调查中的异议才能提交调查报告。"))
        cited = locked.notice.cycle.profile.typed.publicity.investigation_report_to_zh
        locked.report, locked.report_to, locked.reported_at = report.strip(), cited.value, now
        locked.save(update_fields=["report", "report_to", "reported_at"])
        _event(locked, locked.state, actor, now, _("调查报告提交%(to)s") % {"to": cited.value},
               "publicity.investigation_report_to_zh", cited.cite)
    return locked


def _disqualify(locked: Objection, actor: User, now: dt.datetime) -> None:
    rules = locked.notice.cycle.profile.typed
    cited = rules.publicity.confirmed_violation_disqualifies
    app: Application = locked.entry.application
    if not cited.value or app.state != AppState.PROPOSED:
        return
    try:
        transition(app, AppState.DISQUALIFIED, actor=actor, now=now, rule="publicity.confirmed_violation_disqualifies",
                   cite=cited.cite, reason=_("异议%(number)s经查证属实，取消拟授奖资格：%(why)s") % {
                       "number": locked.number, "why": locked.outcome_reason},
                   details={"objection": locked.number, "outcome_cite": locked.outcome_cite,
                            "deemed": locked.outcome_deemed})
    except TransitionError as exc:
        raise ServiceError(str(exc)) from exc


def _conclude(locked: Objection, actor: User, now: dt.datetime, state: str, reason: str, rule: str, cite: str,
              deemed: bool) -> None:
    from_state = locked.state
    locked.state, locked.outcome_reason, locked.outcome_rule, locked.outcome_cite = state, reason, rule, cite
    locked.outcome_deemed, locked.concluded_at = deemed, now
    locked.save()
    _event(locked, from_state, actor, now, reason, rule, cite)
    if state == S.UPHELD:
        _disqualify(locked, actor, now)
    _after_commit(locked, "outcome", ("objector", "candidate"))
    transaction.on_commit(announce_change)


@in_record_language
def decide_outcome(objection: Objection, actor: User, *, upheld: bool, reason: str,
                   now: dt.datetime | None = None) -> Objection:
    """The deciding body's finding (the office records it): upheld disqualifies, through the workflow."""
    _office(objection, actor)
    now = now or timezone.now()
    if not reason.strip():
        raise ServiceError(_("请写明处理结果及理由。"), "reason")
    with transaction.atomic():
        locked = _locked(objection)
        if locked.state != S.ACCEPTED:
            raise ServiceError(_("只有调查中的异议才能作出处理结果。"))
        if not locked.reported_at:
            raise ServiceError(_("请先提交调查报告。"), "reason")
        o = locked.notice.cycle.profile.typed.objections
        text = _("%(body)s审查决定：%(why)s") % {"body": o.decided_by_zh.value, "why": reason.strip()}
        _conclude(locked, actor, now, S.UPHELD if upheld else S.DISMISSED, text, "objections.decided_by_zh",
                  o.decided_by_zh.cite, False)
    return locked


def deemed_outcome(locked: Objection, now: dt.datetime) -> tuple[str, str, str, str] | None:
    """(state, reason, rule, cite) the profile deems for a missed deadline, or None."""
    o = locked.notice.cycle.profile.typed.objections
    objector_missed = locked.objector_due_at is not None and now >= locked.objector_due_at and not locked.objector_evidence_at
    candidate_missed = (locked.candidate_due_at is not None and now >= locked.candidate_due_at
                        and not locked.candidate_evidence_at)
    # The objector's silence is looked at first: an objection given up leaves nothing to admit.
    if objector_missed and o.objector_silence_withdraws.value:
        return (S.WITHDRAWN, _cited(_("异议人在规定时间内未按要求提供证明材料，视为放弃异议"), o.objector_silence_withdraws.cite),
                "objections.objector_silence_withdraws", o.objector_silence_withdraws.cite)
    if candidate_missed and o.candidate_silence_admits.value:
        return (S.UPHELD, _cited(_("候选组织在规定时间内未按要求提供证明材料，视为承认异议内容"), o.candidate_silence_admits.cite),
                "objections.candidate_silence_admits", o.candidate_silence_admits.cite)
    return None


@in_record_language
def apply_deemed(objection: Objection, now: dt.datetime | None = None) -> bool:
    """Apply the deemed outcome of a missed deadline, once (a second call finds it concluded)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(objection)
        if locked.state != S.ACCEPTED:
            return False
        found = deemed_outcome(locked, now)
        if found is None:
            return False
        state, reason, rule, cite = found
        _conclude(locked, system_actor(), now, state, reason, rule, cite, True)
    return True


def apply_due_deemed_outcomes(now: dt.datetime | None = None) -> int:
    """Beat sweep over every jurisdiction's accepted objections whose deadline for evidence has passed."""
    now = now or timezone.now()
    due = (Objection.objects.filter(state=S.ACCEPTED, candidate_due_at__lte=now, candidate_evidence_at__isnull=True)
           | Objection.objects.filter(state=S.ACCEPTED, objector_due_at__lte=now, objector_evidence_at__isnull=True))
    return sum(apply_deemed(objection, now) for objection in due.distinct().order_by("pk"))


def upheld_objection(apps: list[Application], to_state: str) -> dict[int, str]:
    """Workflow evidence for proposed → disqualified: an upheld objection with its reasons and article."""
    ids = [a.pk for a in apps]
    found = set(Objection.objects.filter(entry__application_id__in=ids, state=S.UPHELD).exclude(outcome_reason="")
                .exclude(outcome_cite="").values_list("entry__application_id", flat=True))
    message = _("取消拟授奖资格须有经查证属实（或视为承认）的异议处理结果，并写明理由和依据。")
    return {pk: message for pk in ids if pk not in found}


# --- telling everybody involved ----------------------------------------------------------------
@in_record_language
def notify(objection_id: int, party: str) -> int:
    """Mail the objector (if an address was given) or the candidate's users about the objection's state.

    The candidate is never told who objected; the objector is told no more than the outcome."""
    objection = Objection.objects.select_related("entry__application__organization", "jurisdiction").filter(
        pk=objection_id).first()
    if objection is None:
        return 0
    state = Objection.State(objection.state).label
    j = objection.jurisdiction
    if party == "objector":
        recipients = [objection.email] if objection.email else []
        body = _("您提出的异议（编号 %(number)s）当前状态：%(state)s。\n%(reason)s\n可凭异议编号和查询码在公示页面查询。\n\n%(office)s")
    else:
        recipients = [u.email for u in objection.entry.application.organization.users.all() if u.email]
        body = _("%(org)s：\n\n针对贵单位拟授奖的一项异议（编号 %(number)s）当前状态：%(state)s。\n%(reason)s\n%(due)s\n%(office)s")
    if not recipients:
        return 0
    due = ""
    if party == "candidate" and objection.state == S.ACCEPTED and objection.candidate_due_at:
        due = _("请于 %(end)s 前向评审办提供相关证明材料。") % {"end": last_day_label(objection.candidate_due_at)}
    reason = objection.outcome_reason or objection.decision_reason
    subject = _("【%(award)s】异议处理情况（%(number)s）") % {"award": j.award_name_zh, "number": objection.number}
    send_mail_task.delay(subject, body % {"number": objection.number, "state": state, "reason": reason, "due": due,
                                          "office": j.issuing_body_zh,
                                          "org": objection.entry.application.organization.name}, recipients)
    return len(recipients)

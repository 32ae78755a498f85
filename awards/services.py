"""Business operations on cycles and applications: one function per operation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jurisdictions.access import has_role
from jurisdictions.models import Jurisdiction, Role, RuleProfile
from jurisdictions.rules_wording import cite_text
from jurisdictions.workcalendar import add_working_days

from . import eligibility, text_limits
from .facts import application_facts, organization_facts, organization_history
from .history_rows import record_by
from .models import Application, ApplicationFile, AwardCycle, CycleQuota, Organization
from .quotas import default_quotas, quota_total_problem
from .record_language import record_text
from .refusals import ServiceError
from .states import EDITABLE_STATES, WITHDRAWABLE_STATES, WITHDRAWABLE_WITHOUT_REASON, AppState, CycleState
from .system_actor import system_actor
from .uploads import UploadRefused, check_upload, safe_original_name, stored_bytes
from .workflow import TransitionError, cycle_transition, transition


# --- cycles ------------------------------------------------------------------------------------
def create_cycle(
    jurisdiction: Jurisdiction,
    *,
    year: int,
    actor: User,
    applications_open_at: dt.datetime,
    applications_close_at: dt.datetime,
    quotas: dict[str, int] | None = None,
    call_published_on: dt.date | None = None,
    title: str = "",
    interval_override_reason: str = "",
    profile: RuleProfile | None = None,
) -> AwardCycle:
    if applications_close_at <= applications_open_at:
        raise ServiceError(_("截止受理时间必须晚于开始受理时间。"), "applications_close_at")
    close_date = timezone.localtime(applications_close_at).date()
    profile = profile or jurisdiction.profile_in_force(close_date)
    if profile is None:
        raise ServiceError(_("截止日 %(d)s 没有生效的规则配置。") % {"d": close_date})
    rules = profile.typed
    if AwardCycle.objects.filter(jurisdiction=jurisdiction, year=year).exists():
        raise ServiceError(_("%(y)s 年度的评审已经存在。") % {"y": year}, "year")
    interval = rules.cycle.interval_years.value
    previous = AwardCycle.objects.filter(jurisdiction=jurisdiction, year__lt=year).order_by("-year").first()
    if previous and year - previous.year < interval and not interval_override_reason.strip():
        raise ServiceError(
            _("依据%(cite)s，本辖区每%(n)s年评选一次，上一届为 %(prev)s 年；如需提前开评，请填写理由。")
            % {"cite": rules.cycle.interval_years.cite, "n": interval, "prev": previous.year},
            "interval_override_reason",
        )
    # An award left unset gets its ceiling, within what a total cap leaves (awards/quotas.py).
    quotas = default_quotas(rules, dict(quotas or {}))
    for award in rules.awards:
        maximum = award.quota.value
        value = quotas.get(award.code, maximum)
        if value is None:
            value = maximum
        if value < 0 or value > maximum:
            raise ServiceError(
                _("“%(award)s”名额不得超过规则上限 %(max)s（%(cite)s）。")
                % {"award": award.name_zh, "max": maximum, "cite": award.quota.cite},
                f"quota_{award.code}",
            )
        quotas[award.code] = value
    unknown = set(quotas) - set(rules.award_codes)
    if unknown:
        raise ServiceError(_("未知的奖项：%(codes)s") % {"codes": "、".join(sorted(unknown))})
    over = quota_total_problem(rules, quotas)
    if over is not None:
        # Next to the first quota field: the fields together are what is wrong.
        raise ServiceError(
            _("各奖项名额合计%(sum)s家，超过获奖组织总数上限%(cap)s家（%(cite)s），请调低名额。")
            % {"sum": sum(quotas.values()), "cap": over.places, "cite": over.cite},
            f"quota_{rules.awards[0].code}",
        )
    try:
        with transaction.atomic():
            cycle = AwardCycle.objects.create(
                jurisdiction=jurisdiction,
                year=year,
                title=title or f"{year}年度{jurisdiction.award_name_zh}评审",
                profile=profile,
                applications_open_at=applications_open_at,
                applications_close_at=applications_close_at,
                call_published_on=call_published_on,
                interval_override_reason=interval_override_reason.strip(),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            CycleQuota.objects.bulk_create(
                CycleQuota(cycle=cycle, award_code=code, quota=value) for code, value in quotas.items()
            )
    except IntegrityError as exc:
        # Two "create" clicks at once: the check above passed for both, the unique constraint did not.
        raise ServiceError(_("%(y)s 年度的评审已经存在。") % {"y": year}, "year") from exc
    return cycle


def _cycle_move(cycle: AwardCycle, to_state: str, actor: User, reason: str, now: dt.datetime | None = None,
                changes: dict | None = None) -> AwardCycle:
    try:
        return cycle_transition(cycle, to_state, actor=actor, reason=reason, now=now, changes=changes)
    except TransitionError as exc:
        raise ServiceError(str(exc)) from exc


def publish_cycle(cycle: AwardCycle, actor: User) -> AwardCycle:
    if cycle.state != CycleState.DRAFT:
        raise ServiceError(_("该评审通知已经发布。"))
    changes = {} if cycle.call_published_on else {"call_published_on": timezone.localdate()}
    return _cycle_move(cycle, CycleState.PUBLISHED, actor, record_text(gettext_noop("发布评审通知")),
                       changes=changes)


def start_review(cycle: AwardCycle, actor: User, now: dt.datetime | None = None) -> AwardCycle:
    """After the close, the cycle moves into review (the call page then says applications are closed)."""
    if cycle.state != CycleState.PUBLISHED:
        raise ServiceError(_("只有已发布且已截止受理的评审年度才能进入评审。"))
    return _cycle_move(cycle, CycleState.REVIEW, actor, record_text(gettext_noop("申报已截止，进入评审")), now=now)


def start_due_reviews(now: dt.datetime | None = None) -> int:
    """Clock-driven: every published cycle whose close has passed enters review, as the system actor."""
    now = now or timezone.now()
    actor = system_actor()
    moved = 0
    due = AwardCycle.objects.filter(state=CycleState.PUBLISHED, applications_close_at__lte=now).values_list(
        "pk", flat=True)
    for pk in due:
        try:
            cycle_transition(pk, CycleState.REVIEW, actor=actor, now=now,
                             reason=record_text(gettext_noop("申报截止时间已到，自动进入评审")))
        except TransitionError:
            continue  # moved meanwhile by the office
        moved += 1
    return moved


def close_cycle(cycle: AwardCycle, actor: User, reason: str = "", now: dt.datetime | None = None) -> AwardCycle:
    """End the year's review once every application has its final outcome."""
    return _cycle_move(cycle, CycleState.CLOSED, actor, reason or record_text(gettext_noop("本年度评审结束")), now=now)


# --- applications ------------------------------------------------------------------------------
def start_application(cycle: AwardCycle, organization: Organization, category: str, actor: User,
                      now: dt.datetime | None = None) -> Application:
    now = now or timezone.now()
    rules = cycle.profile.typed
    if category not in [a.code for a in rules.top_awards]:
        raise ServiceError(_("请选择本辖区可申报的奖项。"), "category")
    if organization.jurisdiction_id != cycle.jurisdiction_id:
        raise ServiceError(_("该组织不属于本辖区。"))
    if cycle.state != CycleState.PUBLISHED or now >= cycle.applications_close_at:
        raise ServiceError(_("本年度申报未在受理期内。"))
    try:
        with transaction.atomic():
            return Application.objects.create(
                jurisdiction=cycle.jurisdiction, cycle=cycle, organization=organization, category=category
            )
    except IntegrityError as exc:
        raise ServiceError(_("本组织在本年度已有一份申报，每个组织每届只能申报一次。"), "category") from exc


def require_editable(app: Application, now: dt.datetime) -> None:
    if app.state not in EDITABLE_STATES:
        raise ServiceError(_("申报已提交，内容已锁定，不能再修改。"))
    if app.state == AppState.RETURNED and (app.returned_until is None or now >= app.returned_until):
        raise ServiceError(_("补正期限已过，不能再修改。"))
    if app.state == AppState.DRAFT and now >= app.cycle.applications_close_at:
        raise ServiceError(_("申报已截止，不能再修改。"))


def save_draft(app: Application, *, actor: User, overview: str, narratives: dict[str, str],
               recommenders: list[str], recommender_names: str = "", now: dt.datetime | None = None) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("cycle").get(pk=app.pk)
        require_editable(locked, now)
        if len(overview) > text_limits.OVERVIEW:
            raise ServiceError(_("组织概述不得超过%(limit)s字（现为%(n)s字）。")
                               % {"limit": text_limits.OVERVIEW, "n": len(overview)}, "overview")
        locked.overview = overview
        locked.narratives = {k: v for k, v in narratives.items() if v}
        locked.recommenders = recommenders
        locked.recommender_names = recommender_names
        record_by(locked, actor)
        locked.save()
    return locked


def add_file(app: Application, *, kind: str, uploaded: UploadedFile, actor: User,
             now: dt.datetime | None = None) -> ApplicationFile:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("cycle").get(pk=app.pk)
        require_editable(locked, now)
        try:
            content_type, digest = check_upload(uploaded, already_stored_bytes=stored_bytes(locked))
        except UploadRefused as exc:
            raise ServiceError(str(exc), "file") from exc
        if kind == ApplicationFile.Kind.SELF_ASSESSMENT and content_type != "application/pdf":
            raise ServiceError(_("自我评价报告须为 PDF 文件。"), "file")
        record = ApplicationFile(
            application=locked,
            kind=kind,
            original_name=safe_original_name(uploaded.name, content_type),
            content_type=content_type,
            size=uploaded.size or 0,  # check_upload refused a file without a size
            sha256=digest,
            uploaded_by=actor,
        )
        record.file.save("upload", uploaded, save=False)
        record.save()
    return record


def remove_file(app: Application, file_id: int, actor: User) -> None:
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("cycle").get(pk=app.pk)
        require_editable(locked, timezone.now())
        record = locked.files.filter(pk=file_id).first()
        if record is None:
            raise ServiceError(_("文件不存在。"))
        record.file.delete(save=False)
        record.delete()


def precheck(app: Application) -> list[eligibility.Reason]:
    rules = app.cycle.profile.typed
    return eligibility.evaluate(
        rules, application_facts(app), organization_history(app.organization), app.cycle.close_date, app.cycle.year
    )


def fingerprint(app: Application) -> str:
    payload = {
        "application": app.pk,
        "category": app.category,
        "overview": app.overview,
        "narratives": app.narratives,
        "recommenders": app.recommenders,
        "recommender_names": app.recommender_names,
        "facts": app.facts_snapshot,
        "files": sorted((f.kind, f.sha256, f.size) for f in app.files.all()),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _next_number(app: Application) -> str:
    # Lock the cycle row so two submissions at once never share a number.
    AwardCycle.objects.select_for_update().filter(pk=app.cycle_id).first()
    taken = Application.objects.filter(cycle_id=app.cycle_id).exclude(number="").count()
    return f"{app.jurisdiction.slug.upper()}-{app.cycle.year}-{taken + 1:04d}"


def material_labels() -> dict[str, str]:
    """What each required material is called in the checklist and in a refusal."""
    return {
        ApplicationFile.Kind.SELF_ASSESSMENT: _("自我评价报告（PDF）"),
        ApplicationFile.Kind.RECOMMENDATION: _("推荐意见扫描件"),
        ApplicationFile.Kind.EVIDENCE: _("证实性材料"),
    }


def missing_for_submission(app: Application) -> list[str]:
    """What the application still lacks before it can be filed: the overview and each material the
    profile requires (Binjiang 四（二）, Lucheng 第十三条, Keqiao 第十四条, Zhuji 第十三条（二）, Daqing 第十二条)."""
    rules = app.cycle.profile.typed
    missing = []
    if not app.overview.strip():
        missing.append(_("组织概述"))
    uploaded = set(app.files.values_list("kind", flat=True))
    labels = material_labels()
    missing += [labels[kind] for kind in rules.eligibility.required_materials.value if kind not in uploaded]
    return missing


def submit(app: Application, actor: User, now: dt.datetime | None = None) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("cycle", "organization").get(pk=app.pk)
        if locked.state not in (AppState.DRAFT, AppState.RETURNED):
            raise ServiceError(_("该申报已经提交，无需重复提交。"))
        missing = missing_for_submission(locked)
        if missing:
            raise ServiceError(_("尚缺%(items)s。") % {"items": "、".join(missing)})
        facts = organization_facts(locked.organization, locked.cycle.close_date, locked.recommenders)
        snapshot = {"values": facts.values, "organization": {"name": locked.organization.name,
                                                              "uscc": locked.organization.uscc}}
        changes = {"facts_snapshot": snapshot, "submitted_at": now}
        if not locked.number:
            changes["number"] = _next_number(locked)
        locked.facts_snapshot = snapshot
        changes["fingerprint"] = fingerprint(locked)
        try:
            return transition(locked, AppState.SUBMITTED, actor=actor, now=now, changes=changes,
                              reason=record_text(gettext_noop("提交申报")), rule="application.submit")
        except TransitionError as exc:
            raise ServiceError(str(exc)) from exc


def withdraw(app: Application, actor: User, reason: str = "", now: dt.datetime | None = None) -> Application:
    """The organisation withdraws (or the office for it) until the committee's vote; after the
    eligibility decision only with a stated reason."""
    if app.state not in WITHDRAWABLE_STATES:
        raise ServiceError(_("当前阶段已不能撤回申报。"))
    reason = reason.strip()
    if not reason and app.state not in WITHDRAWABLE_WITHOUT_REASON:
        raise ServiceError(_("资格审查已作出决定，撤回申报须写明理由。"), "reason")
    try:
        return transition(app, AppState.WITHDRAWN, actor=actor, now=now,
                          reason=reason or record_text(gettext_noop("申报组织撤回申报")))
    except TransitionError as exc:
        raise ServiceError(str(exc)) from exc


def completion_deadline(app: Application, now: dt.datetime) -> dt.datetime | None:
    """The end of the profile's completion period counted from `now` (None where it returns nothing).

    Counted as 民法典 第二百零一条 counts periods: from the day after the notice, the last day
    included, to 24:00 (第二百零三条)."""
    cited = app.cycle.profile.typed.eligibility.completion_period
    if cited is None:
        return None
    period = cited.value
    start = timezone.localtime(now).date()
    if period.unit == "working_days":
        last = add_working_days(app.jurisdiction, start, period.amount)
    else:
        last = start + dt.timedelta(days=period.amount)
    return timezone.make_aware(dt.datetime.combine(last, dt.time(23, 59)))


def decide_eligibility(app: Application, actor: User, decision: str, *, reason: str = "", override_reason: str = "",
                       returned_until: dt.datetime | None = None, now: dt.datetime | None = None) -> Application:
    """Staff decision on one submitted application: eligible, ineligible or returned for completion.

    Declaring eligible an application the automatic check found failing or incomplete (a ban
    included) needs `override_reason`; it is recorded with the overridden rules and their articles.
    """
    if not has_role(actor, app.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以作出此决定。"))
    now = now or timezone.now()
    rules = app.cycle.profile.typed
    results = precheck(app)
    details: dict = {"precheck": [r.as_dict() for r in results]}
    elig = rules.eligibility
    eligible_reason = reason
    if decision == AppState.ELIGIBLE:
        against = eligibility.failures(results)
        if against:
            why = override_reason.strip()
            if not why:
                raise ServiceError(
                    _("自动核对有 %(n)s 项不符合或缺项（%(cites)s）；判定符合申报条件须写明理由。")
                    % {"n": len(against), "cites": "、".join(dict.fromkeys(r.cite for r in against))},
                    "override_reason",
                )
            details["override"] = {
                "reason": why,
                "overridden": [{"rule": r.rule, "cite": r.cite, "status": r.status, "text": r.text} for r in against],
            }
            eligible_reason = record_text(gettext_noop("不采纳自动核对结论，理由：")) + why
    try:
        if decision == AppState.ELIGIBLE:
            return transition(app, AppState.ELIGIBLE, actor=actor,
                              reason=eligible_reason or record_text(gettext_noop("符合申报条件")),
                              rule="eligibility", cite=elig.review_checks_zh.cite, details=details, now=now,
                              changes={"decided_at": now, "decision_reason": eligible_reason})
        if decision == AppState.INELIGIBLE:
            if not reason.strip():
                raise ServiceError(_("判定不符合申报条件时必须填写书面理由。"), "reason")
            return transition(app, AppState.INELIGIBLE, actor=actor, reason=reason.strip(), rule="eligibility",
                              cite=elig.written_reason_on_failure.cite, details=details, now=now,
                              changes={"decided_at": now, "decision_reason": reason.strip()})
        if decision == AppState.RETURNED:
            if not elig.return_for_completion.value:
                raise ServiceError(
                    _("本辖区规则不允许退回补正（%(cite)s）。") % {"cite": cite_text(rules, elig.return_for_completion)}
                )
            if returned_until is None or returned_until <= now:
                raise ServiceError(_("请填写晚于现在的补正截止时间。"), "returned_until")
            if not reason.strip():
                raise ServiceError(_("请写明需要补正的材料。"), "reason")
            return transition(app, AppState.RETURNED, actor=actor, reason=reason.strip(),
                              rule="eligibility.return_for_completion", cite=elig.return_for_completion.cite,
                              details=details, now=now, changes={"returned_until": returned_until})
    except TransitionError as exc:
        raise ServiceError(str(exc)) from exc
    raise ServiceError(_("未知的审查决定。"), "decision")

"""The functions through which every state change passes: transition / transition_many for
applications, cycle_transition for cycles.

Each locks the row, checks the transition map and the guard for the move (who may make it; a move
with no guard is refused), writes the state, records who/when/why, and (for applications) queues
the side effects registered with @on_enter on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from jurisdictions.access import has_role
from jurisdictions.models import Role

from .history_rows import record_by
from .models import Application, ApplicationEvent, AwardCycle
from .states import (
    APPLICATION_TRANSITIONS,
    CYCLE_TRANSITIONS,
    FINAL_STATES,
    REOPEN_MOVES,
    WITHDRAWABLE_STATES,
    WITHDRAWABLE_WITHOUT_REASON,
    AppState,
    CycleState,
)
from .system_actor import is_system_actor


class TransitionError(Exception):
    """A refused state change; the message is shown to the user as it is."""


Guard = Callable[[Application, User | None, dt.datetime], str | None]


def _is_office(app: Application, actor: User | None, now: dt.datetime) -> str | None:
    if actor is None or not has_role(actor, app.jurisdiction, Role.OFFICE):
        return _("只有评审办工作人员可以作出此决定。")
    return None


def _is_applicant_or_office(app: Application, actor: User | None, now: dt.datetime) -> str | None:
    if actor is None:
        return _("需要登录。")
    if has_role(actor, app.jurisdiction, Role.OFFICE):
        return None
    if app.organization.users.filter(pk=actor.pk).exists():
        return None
    return _("只有申报组织本身或评审办可以执行此操作。")


def _submission_open(app: Application, actor: User | None, now: dt.datetime) -> str | None:
    problem = _is_applicant_or_office(app, actor, now)
    if problem:
        return problem
    # The clock decides, whatever any worker did or did not do.
    if app.state == AppState.RETURNED:
        if app.returned_until is None or now >= app.returned_until:
            return _("补正期限已过，不能再提交。")
        return None
    cycle = app.cycle
    if now < cycle.applications_open_at:
        return _("尚未开始受理申报。")
    if now >= cycle.applications_close_at:
        return _("申报已于 %(close)s 截止，不能再提交。") % {
            "close": timezone.localtime(cycle.applications_close_at).strftime("%Y-%m-%d %H:%M")
        }
    return None


def _office_or_lapsed_completion(app: Application, actor: User | None, now: dt.datetime) -> str | None:
    """Staff decide; the clock may too, once the completion period has run out."""
    if is_system_actor(actor):
        if app.returned_until is not None and now >= app.returned_until:
            return None
        return _("补正期限尚未届满，不能自动判定。")
    return _is_office(app, actor, now)


def _office_or_deemed(app: Application, actor: User | None, now: dt.datetime) -> str | None:
    """Staff record an objection's finding; the clock may too, where a missed deadline for evidence is
    deemed an admission (Daqing 第二十三条). Either way the move needs the upheld objection on record
    (EVIDENCE_REQUIRED)."""
    if is_system_actor(actor):
        return None
    return _is_office(app, actor, now)


# Who may make each move. Every (from, to) pair of APPLICATION_TRANSITIONS has one: a move without
# a guard is refused (tests/awards/test_workflow.py checks the table is complete). Decisions of the
# committee and of the government (vote, approval) are recorded by the office.
GUARDS: dict[tuple[str, str], Guard] = {
    (AppState.DRAFT, AppState.SUBMITTED): _submission_open,
    (AppState.RETURNED, AppState.SUBMITTED): _submission_open,
    (AppState.DRAFT, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.SUBMITTED, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.RETURNED, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.SUBMITTED, AppState.ELIGIBLE): _is_office,
    (AppState.SUBMITTED, AppState.INELIGIBLE): _is_office,
    (AppState.SUBMITTED, AppState.RETURNED): _is_office,
    (AppState.RETURNED, AppState.INELIGIBLE): _office_or_lapsed_completion,
    # Withdrawal after the eligibility decision: the organisation itself, or the office on its behalf.
    (AppState.ELIGIBLE, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.SHORTLISTED, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.CANDIDATE, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.ELIGIBLE, AppState.SHORTLISTED): _is_office,
    (AppState.ELIGIBLE, AppState.NOT_SHORTLISTED): _is_office,
    (AppState.SHORTLISTED, AppState.CANDIDATE): _is_office,
    (AppState.SHORTLISTED, AppState.BELOW_THRESHOLD): _is_office,
    (AppState.CANDIDATE, AppState.PROPOSED): _is_office,
    (AppState.CANDIDATE, AppState.NOT_SELECTED): _is_office,
    (AppState.PROPOSED, AppState.AWARDED): _is_office,
    (AppState.ELIGIBLE, AppState.DISQUALIFIED): _is_office,
    (AppState.SHORTLISTED, AppState.DISQUALIFIED): _is_office,
    (AppState.CANDIDATE, AppState.DISQUALIFIED): _is_office,
    (AppState.PROPOSED, AppState.DISQUALIFIED): _office_or_deemed,
    (AppState.AWARDED, AppState.REVOKED): _is_office,
    # The office reopening a stage result (reviews/reopening.py) undoes the decision built on it.
    **dict.fromkeys(REOPEN_MOVES, _is_office),
}

# Guards whose answer depends only on the actor and the jurisdiction: a batch asks them once per
# (from, to) pair instead of once per row.
ACTOR_ONLY_GUARDS: set[Guard] = {_is_office}

# Moves that change or undo a decision already made: they are refused without a written reason.
REASON_REQUIRED: set[tuple[str, str]] = {
    *REOPEN_MOVES,
    *((state, AppState.WITHDRAWN) for state in WITHDRAWABLE_STATES - WITHDRAWABLE_WITHOUT_REASON),
    *((state, AppState.DISQUALIFIED) for state in APPLICATION_TRANSITIONS
      if AppState.DISQUALIFIED in APPLICATION_TRANSITIONS[state]),
    (AppState.AWARDED, AppState.REVOKED),
}


# Moves that record a decision made outside the office's own pages (the committee's vote, Daqing's
# joint meeting): the office makes them only once that decision is on record. The record belongs to
# an app above this one (committee), which registers its check here; awards imports none of them. A
# move listed here is refused while no check is registered or the record is missing.
EVIDENCE_REQUIRED: set[tuple[str, str]] = {
    (AppState.CANDIDATE, AppState.PROPOSED),
    (AppState.CANDIDATE, AppState.NOT_SELECTED),
    # A proposed winner is disqualified only on an objection found upheld (or deemed admitted) during
    # publicity, with its reasons and article; the publicity app registers that check.
    (AppState.PROPOSED, AppState.DISQUALIFIED),
    # A proposed winner is awarded only once publicity has ended, every objection is closed and the
    # government's approval is on record; the honours app registers that check.
    (AppState.PROPOSED, AppState.AWARDED),
    # An award is revoked only once the revocation is approved by the body the profile names, with
    # its document; the sanctions app registers that check.
    (AppState.AWARDED, AppState.REVOKED),
}
# (applications, target state) → {application id: why it may not move}; one query for the batch.
EvidenceCheck = Callable[[list[Application], str], dict[int, str]]
EVIDENCE_CHECKS: list[EvidenceCheck] = []
# Checks registered for particular moves; a move listed here is asked only these.
MOVE_EVIDENCE_CHECKS: dict[tuple[str, str], list[EvidenceCheck]] = {}


def register_evidence(check: EvidenceCheck, moves: set[tuple[str, str]] | None = None) -> None:
    """Register a check for the committee's moves, or (with `moves`) for those moves only."""
    if moves is None:
        if check not in EVIDENCE_CHECKS:
            EVIDENCE_CHECKS.append(check)
        return
    for move in moves:
        checks = MOVE_EVIDENCE_CHECKS.setdefault(move, [])
        if check not in checks:
            checks.append(check)


def _missing_evidence(apps: list[Application], targets: dict[int, str]) -> dict[int, str]:
    """Why each application whose move needs a recorded decision lacks one (checked per move)."""
    problems: dict[int, str] = {}
    by_move: dict[tuple[str, str], list[Application]] = {}
    for app in apps:
        if (app.state, targets[app.pk]) in EVIDENCE_REQUIRED:
            by_move.setdefault((app.state, targets[app.pk]), []).append(app)
    for move, group in by_move.items():
        checks = MOVE_EVIDENCE_CHECKS.get(move) if move in MOVE_EVIDENCE_CHECKS else EVIDENCE_CHECKS
        if not checks:
            message = (_("授奖须有登记的审定批准，尚无记录。") if move == (AppState.PROPOSED, AppState.AWARDED)
                       else _("撤销奖项须有经批准的撤销决定，尚无记录。") if move == (AppState.AWARDED, AppState.REVOKED)
                       else _("取消拟授奖资格须有经查证属实的异议处理结果，尚无记录。") if move[0] == AppState.PROPOSED
                       else _("这一决定须有评委会的表决或审议结果，尚无记录。"))
            problems.update(dict.fromkeys((a.pk for a in group), message))
            continue
        for check in checks:
            problems.update(check(group, move[1]))
    return problems


# Side effects per target state, run after commit (each takes the application id).
EFFECTS: dict[str, list[Callable[[int], None]]] = {}


def on_enter(state: str) -> Callable:
    def register(fn: Callable[[int], None]) -> Callable[[int], None]:
        EFFECTS.setdefault(state, []).append(fn)
        return fn

    return register


# Checks on who makes any move of one application, whatever the move: an app above this one (records:
# an office member's declared conflict with the applicant, Daqing 第三十五条) registers them here, so
# no page or batch step that changes a state can leave them out.
# (applications, actor) → {application id: why this actor may not move it}; one query for a batch.
ActorCheck = Callable[[list[Application], User | None], dict[int, str]]
ACTOR_CHECKS: list[ActorCheck] = []


def register_actor_check(check: ActorCheck) -> None:
    if check not in ACTOR_CHECKS:
        ACTOR_CHECKS.append(check)


def _refused_actor(apps: list[Application], actor: User | None) -> None:
    for check in ACTOR_CHECKS:
        refused = check(apps, actor)
        if refused:
            raise TransitionError(next(iter(refused.values())))


def _check_move(app: Application, to_state: str, actor: User | None, now: dt.datetime, reason: str,
                answers: dict | None = None) -> None:
    """The transition map, the guard of the move and its reason; raises TransitionError saying why.

    `answers` caches actor-only guards within one batch, keyed by guard and jurisdiction.
    """
    move = (app.state, to_state)
    if to_state not in APPLICATION_TRANSITIONS.get(app.state, set()):
        raise TransitionError(
            _("当前状态“%(from)s”不能变更为“%(to)s”。")
            % {"from": AppState(app.state).label, "to": AppState(to_state).label}
        )
    guard = GUARDS.get(move)
    if guard is None:
        raise TransitionError(_("没有规定谁可以作出这一状态变更，不能执行。"))
    if answers is not None and guard in ACTOR_ONLY_GUARDS:
        key = (guard, app.jurisdiction_id)
        if key not in answers:
            answers[key] = guard(app, actor, now)
        problem = answers[key]
    else:
        problem = guard(app, actor, now)
    if problem:
        raise TransitionError(problem)
    if move in REASON_REQUIRED and not reason.strip():
        raise TransitionError(_("这一变更须写明理由。"))


def transition(
    application: Application | int,
    to_state: str,
    *,
    actor: User,
    reason: str = "",
    rule: str = "",
    cite: str = "",
    details: dict | None = None,
    now: dt.datetime | None = None,
    changes: dict[str, Any] | None = None,
) -> Application:
    """Move one application to `to_state`. `changes` are further fields written in the same lock."""
    now = now or timezone.now()
    pk = application.pk if isinstance(application, Application) else application
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cycle", "jurisdiction", "organization")
            .get(pk=pk)
        )
        from_state = app.state
        _check_move(app, to_state, actor, now, reason)
        _refused_actor([app], actor)
        missing = _missing_evidence([app], {app.pk: to_state})
        if missing:
            raise TransitionError(missing[app.pk])
        app.state = to_state
        for name, value in (changes or {}).items():
            setattr(app, name, value)
        record_by(app, actor if getattr(actor, "pk", None) else None)
        app.save()
        ApplicationEvent.objects.create(
            application=app,
            from_state=from_state,
            to_state=to_state,
            actor=actor if getattr(actor, "pk", None) else None,
            at=now,
            reason=reason,
            rule=rule,
            cite=cite,
            details=details or {},
        )
        for effect in EFFECTS.get(to_state, []):
            transaction.on_commit(partial(effect, app.pk))
    return app


@dataclass(frozen=True)
class Move:
    """One application's state change within a batch step (see transition_many)."""

    to_state: str
    reason: str = ""
    rule: str = ""
    cite: str = ""
    details: dict = field(default_factory=dict)


def transition_many(
    moves: dict[int, Move],
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> list[Application]:
    """Move many applications at once: a cycle's batch step (shortlist, comprehensive evaluation).

    The same lock, transition map, guard (for every row), history row, event and on-commit side
    effects as `transition`, in a fixed number of queries instead of several per application; all
    or nothing.
    """
    now = now or timezone.now()
    history_user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        # Locked in primary-key order, so two batches over the same rows cannot deadlock.
        apps = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("cycle", "jurisdiction", "organization")
            .filter(pk__in=list(moves))
            .order_by("pk")
        )
        if len(apps) != len(moves):
            raise Application.DoesNotExist
        events = []
        answers: dict = {}
        missing = _missing_evidence(apps, {pk: move.to_state for pk, move in moves.items()})
        if missing:
            raise TransitionError(next(iter(missing.values())))
        _refused_actor(apps, actor)
        for app in apps:
            move = moves[app.pk]
            from_state = app.state
            _check_move(app, move.to_state, actor, now, move.reason, answers)
            app.state = move.to_state
            app.updated_at = now
            events.append(ApplicationEvent(
                application=app, from_state=from_state, to_state=move.to_state, actor=history_user, at=now,
                reason=move.reason, rule=move.rule, cite=move.cite, details=move.details,
            ))
        # One UPDATE per target state (a batch has one or two), not a CASE over every row.
        for to_state in {move.to_state for move in moves.values()}:
            Application.objects.filter(pk__in=[a.pk for a in apps if a.state == to_state]).update(
                state=to_state, updated_at=now
            )
        get_history_manager_for_model(Application).bulk_history_create(
            apps, update=True, default_user=history_user
        )
        ApplicationEvent.objects.bulk_create(events)
        for app in apps:
            for effect in EFFECTS.get(app.state, []):
                transaction.on_commit(partial(effect, app.pk))
    return apps


# --- cycles ------------------------------------------------------------------------------------
CycleGuard = Callable[[AwardCycle, User | None, dt.datetime], str | None]


def _cycle_office(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    if actor is None or not has_role(actor, cycle.jurisdiction, Role.OFFICE):
        return _("只有评审办工作人员可以变更评审年度的状态。")
    return None


def _call_withdrawable(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    problem = _cycle_office(cycle, actor, now)
    if problem:
        return problem
    if cycle.applications.exists():
        return _("已有组织开始申报，不能撤回评审通知。")
    return None


def _review_may_start(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    # The close passing is a clock-driven move: the system actor may make it, as may the office.
    if not is_system_actor(actor):
        problem = _cycle_office(cycle, actor, now)
        if problem:
            return problem
    if now < cycle.applications_close_at:
        return _("申报尚未截止，不能进入评审。")
    return None


def _cycle_may_close(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    problem = _cycle_office(cycle, actor, now)
    if problem:
        return problem
    open_count = cycle.applications.exclude(state__in=FINAL_STATES).count()
    if open_count:
        return _("还有%(n)s份申报尚未作出最终决定，不能结束本年度评审。") % {"n": open_count}
    return None


# Checks an app above this one (publicity) registers for a cycle move: publicity needs the list of
# proposed winners settled; it ends only once the notice's end has passed by the clock.
CYCLE_CHECKS: dict[tuple[str, str], list[CycleGuard]] = {}


def register_cycle_check(move: tuple[str, str], check: CycleGuard) -> None:
    checks = CYCLE_CHECKS.setdefault(move, [])
    if check not in checks:
        checks.append(check)


def _registered(move: tuple[str, str], cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    checks = CYCLE_CHECKS.get(move)
    if not checks:
        return _("这一步骤尚未启用，不能执行。")
    return next((problem for check in checks if (problem := check(cycle, actor, now))), None)


def _publicity_may_start(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    return _cycle_office(cycle, actor, now) or _registered((CycleState.REVIEW, CycleState.PUBLICITY), cycle, actor, now)


def _publicity_over(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    # The notice's end passing is a clock-driven move: the system actor makes it (or the office).
    if not is_system_actor(actor):
        problem = _cycle_office(cycle, actor, now)
        if problem:
            return problem
    return _registered((CycleState.PUBLICITY, CycleState.APPROVAL), cycle, actor, now)


CYCLE_GUARDS: dict[tuple[str, str], CycleGuard] = {
    (CycleState.DRAFT, CycleState.PUBLISHED): _cycle_office,
    (CycleState.PUBLISHED, CycleState.DRAFT): _call_withdrawable,
    (CycleState.PUBLISHED, CycleState.REVIEW): _review_may_start,
    (CycleState.REVIEW, CycleState.CLOSED): _cycle_may_close,
    (CycleState.REVIEW, CycleState.PUBLICITY): _publicity_may_start,
    (CycleState.PUBLICITY, CycleState.APPROVAL): _publicity_over,
    (CycleState.APPROVAL, CycleState.CLOSED): _cycle_may_close,
}

# The cycle's history row keeps the reason in a 100-character column.
CYCLE_REASON_MAX = 100


# Work done when a cycle enters a state, inside its transition's transaction (so it commits or fails
# with the move): an app above this one records what follows, e.g. the records app fixes a closed
# cycle's retention period.
CycleEntered = Callable[[AwardCycle, dt.datetime], None]
CYCLE_ENTERED: dict[str, list[CycleEntered]] = {}


def on_cycle_enter(state: str) -> Callable[[CycleEntered], CycleEntered]:
    def register(fn: CycleEntered) -> CycleEntered:
        handlers = CYCLE_ENTERED.setdefault(state, [])
        if fn not in handlers:
            handlers.append(fn)
        return fn

    return register


def cycle_transition(
    cycle: AwardCycle | int,
    to_state: str,
    *,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
    changes: dict[str, Any] | None = None,
) -> AwardCycle:
    """Move one cycle to `to_state`: lock, map, guard, then one history row saying who, when and why."""
    now = now or timezone.now()
    pk = cycle.pk if isinstance(cycle, AwardCycle) else cycle
    reason = reason.strip()
    if len(reason) > CYCLE_REASON_MAX:
        raise TransitionError(_("理由不得超过%(n)s字。") % {"n": CYCLE_REASON_MAX})
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=pk)
        if to_state not in CYCLE_TRANSITIONS.get(locked.state, set()):
            raise TransitionError(
                _("评审年度当前状态“%(from)s”不能变更为“%(to)s”。")
                % {"from": CycleState(locked.state).label, "to": CycleState(to_state).label}
            )
        guard = CYCLE_GUARDS.get((locked.state, to_state))
        if guard is None:
            raise TransitionError(_("没有规定谁可以作出这一状态变更，不能执行。"))
        problem = guard(locked, actor, now)
        if problem:
            raise TransitionError(problem)
        locked.state = to_state
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        record_by(locked, actor if getattr(actor, "pk", None) else None, reason)
        locked.save()
        for entered in CYCLE_ENTERED.get(to_state, []):
            entered(locked, now)
    return locked


@dataclass(frozen=True)
class CycleEvent:
    """One recorded cycle state change, read back from the cycle's history."""

    at: dt.datetime
    from_state: str
    to_state: str
    actor: User | None
    reason: str


def cycle_events(cycle: AwardCycle) -> list[CycleEvent]:
    """Every state change of the cycle, oldest first (history rows where the state moved)."""
    rows = list(cycle.history.select_related("history_user").order_by("history_date", "history_id"))
    events, previous = [], None
    for row in rows:
        if previous is not None and row.state != previous:
            events.append(CycleEvent(row.history_date, previous, row.state, row.history_user,
                                     row.history_change_reason or ""))
        previous = row.state
    return events

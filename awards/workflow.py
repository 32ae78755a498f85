"""The one function through which every application state change passes.

It locks the row, checks the transition map and the guard for the move, writes the state,
records who/when/why with the citation, and queues side effects on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from jurisdictions.access import has_role
from jurisdictions.models import Role

from .models import Application, ApplicationEvent
from .states import APPLICATION_TRANSITIONS, AppState


class TransitionError(Exception):
    """A refused state change; the message is shown to the user as it is."""


Guard = Callable[[Application, Any, dt.datetime], str | None]


def _is_office(app: Application, actor, now: dt.datetime) -> str | None:
    if actor is None or not has_role(actor, app.jurisdiction, Role.OFFICE):
        return _("只有评审办工作人员可以作出此决定。")
    return None


def _is_applicant_or_office(app: Application, actor, now: dt.datetime) -> str | None:
    if actor is None:
        return _("需要登录。")
    if has_role(actor, app.jurisdiction, Role.OFFICE):
        return None
    if app.organization.users.filter(pk=actor.pk).exists():
        return None
    return _("只有申报组织本身或评审办可以执行此操作。")


def _submission_open(app: Application, actor, now: dt.datetime) -> str | None:
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


GUARDS: dict[tuple[str, str], Guard] = {
    (AppState.DRAFT, AppState.SUBMITTED): _submission_open,
    (AppState.RETURNED, AppState.SUBMITTED): _submission_open,
    (AppState.DRAFT, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.SUBMITTED, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.RETURNED, AppState.WITHDRAWN): _is_applicant_or_office,
    (AppState.SUBMITTED, AppState.ELIGIBLE): _is_office,
    (AppState.SUBMITTED, AppState.INELIGIBLE): _is_office,
    (AppState.SUBMITTED, AppState.RETURNED): _is_office,
    (AppState.RETURNED, AppState.INELIGIBLE): _is_office,
}

# Side effects per target state, run after commit (each takes the application id).
EFFECTS: dict[str, list[Callable[[int], None]]] = {}


def on_enter(state: str) -> Callable:
    def register(fn: Callable[[int], None]) -> Callable[[int], None]:
        EFFECTS.setdefault(state, []).append(fn)
        return fn

    return register


def _check_move(app: Application, to_state: str, actor, now: dt.datetime, check_guard: bool) -> None:
    """The transition map, then the guard of the move; raises TransitionError with the reason."""
    if to_state not in APPLICATION_TRANSITIONS.get(app.state, set()):
        raise TransitionError(
            _("当前状态“%(from)s”不能变更为“%(to)s”。")
            % {"from": AppState(app.state).label, "to": AppState(to_state).label}
        )
    guard = GUARDS.get((app.state, to_state))
    if check_guard and guard is not None:
        problem = guard(app, actor, now)
        if problem:
            raise TransitionError(problem)


def transition(
    application: Application | int,
    to_state: str,
    *,
    actor,
    reason: str = "",
    rule: str = "",
    cite: str = "",
    details: dict | None = None,
    now: dt.datetime | None = None,
    changes: dict[str, Any] | None = None,
    check_guard: bool = True,
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
        _check_move(app, to_state, actor, now, check_guard)
        app.state = to_state
        for name, value in (changes or {}).items():
            setattr(app, name, value)
        app._history_user = actor if getattr(actor, "pk", None) else None
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
            transaction.on_commit(lambda effect=effect, pk=app.pk: effect(pk))
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
    actor,
    now: dt.datetime | None = None,
    check_guard: bool = True,
) -> list[Application]:
    """Move many applications at once: a cycle's batch step (shortlist, comprehensive evaluation).

    The same lock, transition map, guard, history row, event and on-commit side effects as
    `transition`, in a fixed number of queries instead of several per application; all or nothing.
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
        for app in apps:
            move = moves[app.pk]
            from_state = app.state
            _check_move(app, move.to_state, actor, now, check_guard)
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
                transaction.on_commit(lambda effect=effect, pk=app.pk: effect(pk))
    return apps

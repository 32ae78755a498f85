"""The one function through which every application state change passes.

It locks the row, checks the transition map and the guard for the move, writes the state,
records who/when/why with the citation, and queues side effects on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
        if to_state not in APPLICATION_TRANSITIONS.get(from_state, set()):
            raise TransitionError(
                _("当前状态“%(from)s”不能变更为“%(to)s”。")
                % {"from": AppState(from_state).label, "to": AppState(to_state).label}
            )
        guard = GUARDS.get((from_state, to_state))
        if check_guard and guard is not None:
            problem = guard(app, actor, now)
            if problem:
                raise TransitionError(problem)
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

"""Who hears of an application's state change: the workflow's on-enter effects that notify.

Each effect runs on commit of the transition (awards/workflow.py), whoever made it (a page, a beat
sweep, run_scenario). The applicant organisation's accounts hear of every decision about their
application; the office hears of each new or corrected submission. The event's id is part of the
key, so a second submission after a return is a new event, and an effect run twice is one.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from jurisdictions.models import Notification
from jurisdictions.notifications import notify, office_staff

from .models import Application, ApplicationEvent
from .states import AppState
from .workflow import on_enter

Kind = Notification.Kind

# The states a decision or result brings, with the kind of notice each is.
RESULT_STATES = (
    AppState.NOT_SHORTLISTED, AppState.SHORTLISTED, AppState.BELOW_THRESHOLD, AppState.CANDIDATE,
    AppState.NOT_SELECTED, AppState.PROPOSED, AppState.DISQUALIFIED, AppState.AWARDED,
)


def _load(application_id: int, state: str) -> tuple[Application, ApplicationEvent] | None:
    with scopes_disabled():
        app = Application.objects.select_related("cycle", "organization", "jurisdiction").filter(
            pk=application_id, state=state
        ).first()
        if app is None:
            return None
        event = app.events.filter(to_state=state).order_by("-at", "-id").first()
    if event is None:
        return None
    return app, event


def _applicants(app: Application) -> list[User]:
    return list(app.organization.users.filter(is_active=True))


def _link(app: Application, name: str) -> str:
    return reverse(name, kwargs={"jurisdiction": app.jurisdiction.slug, "pk": app.pk})


def _key(app: Application, event: ApplicationEvent, audience: str = "") -> str:
    return f"application:{app.pk}:{event.to_state}:{event.pk}{':' + audience if audience else ''}"


@on_enter(AppState.SUBMITTED)
def notify_submitted(application_id: int) -> None:
    loaded = _load(application_id, AppState.SUBMITTED)
    if loaded is None:
        return
    app, event = loaded
    with override("zh-hans"), scopes_disabled():
        again = event.from_state == AppState.RETURNED
        notify(
            _applicants(app), app.jurisdiction, kind=Kind.SUBMITTED, key=_key(app, event),
            title=_("申报已提交：%(cycle)s") % {"cycle": app.cycle.title},
            body=_("%(org)s的申报已于%(at)s提交，受理编号%(number)s。%(office)s将进行资格审查，结果会另行通知。") % {
                "org": app.organization.name, "number": app.number or "—",
                "at": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                "office": app.jurisdiction.office_short_zh,
            },
            link=_link(app, "application-edit"),
        )
        notify(
            office_staff(app.jurisdiction), app.jurisdiction, kind=Kind.SUBMITTED, key=_key(app, event, "office"),
            title=(_("补正后重新提交：%(org)s") if again else _("收到新的申报：%(org)s")) % {"org": app.organization.name},
            body=_("%(cycle)s，受理编号%(number)s，待资格审查。") % {"cycle": app.cycle.title, "number": app.number or "—"},
            link=_link(app, "office-application"),
        )


@on_enter(AppState.RETURNED)
def notify_returned(application_id: int) -> None:
    loaded = _load(application_id, AppState.RETURNED)
    if loaded is None:
        return
    app, event = loaded
    with override("zh-hans"), scopes_disabled():
        until = (
            _("请在%(until)s前补正后重新提交。") % {"until": timezone.localtime(app.returned_until).strftime("%Y-%m-%d %H:%M")}
            if app.returned_until else ""
        )
        notify(
            _applicants(app), app.jurisdiction, kind=Kind.RETURNED, key=_key(app, event),
            title=_("申报退回补正：%(cycle)s") % {"cycle": app.cycle.title},
            body=_("需要补正的材料：%(reason)s") % {"reason": event.reason} + until,
            link=_link(app, "application-edit"),
        )


def _decided(application_id: int, state: str) -> None:
    loaded = _load(application_id, state)
    if loaded is None:
        return
    app, event = loaded
    with override("zh-hans"), scopes_disabled():
        notify(
            _applicants(app), app.jurisdiction, kind=Kind.DECIDED, key=_key(app, event),
            title=_("资格审查结果：%(state)s") % {"state": AppState(state).label},
            body=(event.reason or "") if state == AppState.INELIGIBLE else _(
                "经资格审查，%(org)s的申报符合申报条件，进入评审。") % {"org": app.organization.name},
            link=_link(app, "application-edit"),
        )


@on_enter(AppState.ELIGIBLE)
def notify_eligible(application_id: int) -> None:
    _decided(application_id, AppState.ELIGIBLE)


@on_enter(AppState.INELIGIBLE)
def notify_ineligible(application_id: int) -> None:
    _decided(application_id, AppState.INELIGIBLE)


def _result(application_id: int, state: str) -> None:
    loaded = _load(application_id, state)
    if loaded is None:
        return
    app, event = loaded
    with override("zh-hans"), scopes_disabled():
        notify(
            _applicants(app), app.jurisdiction, kind=Kind.RESULT, key=_key(app, event),
            title=_("评审结果：%(state)s") % {"state": AppState(state).label},
            body=_("%(cycle)s：%(org)s的申报现为“%(state)s”。%(reason)s") % {
                "cycle": app.cycle.title, "org": app.organization.name, "state": AppState(state).label,
                "reason": event.reason,
            },
            link=reverse("applicant-dashboard", kwargs={"jurisdiction": app.jurisdiction.slug}),
        )


for _state in RESULT_STATES:
    on_enter(_state)(lambda application_id, state=_state: _result(application_id, state))

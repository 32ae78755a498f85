"""Publishing the proposed winners (公示), the period counted from the profile, its end by the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.documents import award_name
from awards.models import Application, ApplicationEvent, AwardCycle
from awards.record_language import in_record_language
from awards.refusals import ServiceError
from awards.states import AppState, CycleState
from awards.system_actor import system_actor
from awards.workflow import TransitionError, cycle_transition
from jurisdictions.models import Jurisdiction
from jurisdictions.rules_wording import cite_label
from jurisdictions.workcalendar import add_working_days

from .models import Notice, NoticeEntry

# Sent (after commit) when what the public pages show changes: a notice published or ended, an
# objection's outcome. The public page cache listens (PublicityConfig.ready).
changed = Signal()


def announce_change() -> None:
    changed.send(sender=Notice)


@dataclass(frozen=True)
class Window:
    starts_at: dt.datetime
    ends_at: dt.datetime  # exclusive: 24:00 of the last day
    last_day: dt.date
    reasons: list[dict]


def midnight_after(day: dt.date) -> dt.datetime:
    """24:00 of `day` in the site's time zone (the next day's 00:00)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0)))


def last_day_label(ends_at: dt.datetime) -> str:
    """How an exclusive end reads: 2026-12-02 24:00."""
    last = timezone.localtime(ends_at - dt.timedelta(seconds=1))
    return last.strftime("%Y-%m-%d") + " 24:00"


def period_window(jurisdiction: Jurisdiction, rules, start: dt.datetime) -> Window:
    """The notice's window: from publication, the period counted from the next day (民法典 第二百零一条:
    开始的当日不计入), through 24:00 of its last day."""
    cited = rules.publicity.period
    period = cited.value
    start_day = timezone.localtime(start).date()
    if period.unit == "working_days":
        last = add_working_days(jurisdiction, start_day, period.amount)
        unit = _("个工作日")
    else:
        last = start_day + dt.timedelta(days=period.amount)
        unit = _("天（自然日）")
    ends_at = midnight_after(last)
    text = _("公示期%(n)s%(unit)s（%(cite)s），自发布次日起算，至 %(end)s 止。") % {
        "n": period.amount, "unit": unit, "cite": cite_label(cited.cite), "end": last_day_label(ends_at)}
    return Window(start, ends_at, last, [{"rule": "publicity.period", "cite": cited.cite, "text": text}])


def is_running(notice: Notice, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return notice.starts_at <= now < notice.ends_at


def proposed_of(cycle: AwardCycle) -> list[Application]:
    return list(cycle.applications.filter(state=AppState.PROPOSED).select_related("organization").order_by("pk"))


def list_settled(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    """Cycle check for review → publicity: someone is proposed and no candidate awaits the vote."""
    waiting = cycle.applications.filter(state=AppState.CANDIDATE).count()
    if waiting:
        return _("还有%(n)s家候选组织尚未经表决或审议，不能发布公示。") % {"n": waiting}
    if not cycle.applications.filter(state=AppState.PROPOSED).exists():
        return _("还没有拟授奖组织，不能发布公示。")
    return None


def notice_over(cycle: AwardCycle, actor: User | None, now: dt.datetime) -> str | None:
    """Cycle check for publicity → approval: the notice's end has passed."""
    notice = Notice.objects.filter(cycle=cycle).first()
    if notice is None:
        return _("本年度没有公示。")
    if now < notice.ends_at:
        return _("公示期至 %(end)s 止，尚未结束。") % {"end": last_day_label(notice.ends_at)}
    return None


def _awards_of(apps: list[Application]) -> dict[int, str]:
    """The award each was proposed for, from the committee's recorded move (one query)."""
    found: dict[int, str] = {}
    events = ApplicationEvent.objects.filter(application__in=apps, to_state=AppState.PROPOSED).order_by("at", "pk")
    for application_id, details in events.values_list("application_id", "details"):
        found[application_id] = (details or {}).get("award") or ""
    return found


@in_record_language
def publish_notice(cycle: AwardCycle, actor: User, *, contact: str, remarks: str = "",
                   now: dt.datetime | None = None) -> Notice:
    """Publish the cycle's proposed winners for the profile's period, and move the cycle into publicity."""
    now = now or timezone.now()
    if not contact.strip():
        raise ServiceError(_("请填写受理异议的联系方式（电话、地址）。"), "contact")
    rules = cycle.profile.typed
    window = period_window(cycle.jurisdiction, rules, now)
    with transaction.atomic():
        try:
            cycle = cycle_transition(cycle, CycleState.PUBLICITY, actor=actor, reason=_("发布拟授奖名单公示"), now=now)
        except TransitionError as exc:
            raise ServiceError(str(exc)) from exc
        apps = proposed_of(cycle)
        awards = _awards_of(apps)
        order = {award.code: i for i, award in enumerate(rules.awards)}
        apps.sort(key=lambda a: (order.get(awards.get(a.pk) or a.category, 99), a.pk))
        notice = Notice.objects.create(
            jurisdiction=cycle.jurisdiction, cycle=cycle, starts_at=window.starts_at, ends_at=window.ends_at,
            title=_("%(year)s年度%(award)s拟授奖名单公示") % {"year": cycle.year,
                                                         "award": cycle.jurisdiction.award_name_zh},
            period_reasons=window.reasons, contact=contact.strip(), remarks=remarks.strip(), published_by=actor)
        NoticeEntry.objects.bulk_create([
            NoticeEntry(notice=notice, application=app, award_code=awards.get(app.pk) or app.category,
                        award_name=award_name(rules, awards.get(app.pk) or app.category),
                        organization_name=app.organization.name, position=i)
            for i, app in enumerate(apps)])
        from .tasks import render_notice_pdf_task

        transaction.on_commit(partial(render_notice_pdf_task.delay, notice.pk))
        transaction.on_commit(announce_change)
    return notice


def end_due_notices(now: dt.datetime | None = None) -> int:
    """Beat sweep: every notice whose end has passed moves its cycle on to approval, once.

    The conditional UPDATE on `ended_at` is the claim: a second sweep, or two at once, finds nothing."""
    now = now or timezone.now()
    ended = 0
    for notice in Notice.objects.filter(ends_at__lte=now, ended_at__isnull=True).select_related("cycle"):
        with transaction.atomic():
            if not Notice.objects.filter(pk=notice.pk, ended_at__isnull=True).update(ended_at=now):
                continue
            if notice.cycle.state == CycleState.PUBLICITY:
                cycle_transition(notice.cycle, CycleState.APPROVAL, actor=system_actor(),
                                 reason=_("公示期届满"), now=now)
            transaction.on_commit(announce_change)
        ended += 1
    return ended


def running_notices(jurisdiction: Jurisdiction | None = None, now: dt.datetime | None = None) -> list[Notice]:
    now = now or timezone.now()
    notices = Notice.objects.filter(starts_at__lte=now, ends_at__gt=now).select_related("jurisdiction")
    if jurisdiction is not None:
        notices = notices.filter(jurisdiction=jurisdiction)
    return list(notices.order_by("ends_at"))

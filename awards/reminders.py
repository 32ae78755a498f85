"""Reminders to organisations with unsubmitted drafts, 7 and 1 days before the close."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jurisdictions.models import Notification
from jurisdictions.notifications import notify
from jurisdictions.tasks import send_mail_task

from .models import Application, ReminderSent
from .states import AppState, CycleState


def due_reminder(close_at: dt.datetime, now: dt.datetime) -> int | None:
    """Which reminder (AWARDS_CLOSE_REMINDER_DAYS before the close) is due now, if any; the nearer one wins."""
    if now >= close_at:
        return None
    for days in sorted(settings.AWARDS_CLOSE_REMINDER_DAYS):
        if now >= close_at - dt.timedelta(days=days):
            return days
    return None


def send_close_reminders(now: dt.datetime | None = None) -> int:
    """Send each due reminder once. The unique (application, days) row is the claim: a second
    sweep, or two beat sweeps at once, cannot send the same reminder again."""
    now = now or timezone.now()
    sent = 0
    drafts = Application.objects.filter(
        state=AppState.DRAFT,
        cycle__state=CycleState.PUBLISHED,
        cycle__applications_close_at__gt=now,
        cycle__applications_close_at__lte=now + dt.timedelta(days=max(settings.AWARDS_CLOSE_REMINDER_DAYS)),
    ).select_related("cycle", "organization", "jurisdiction")
    for app in drafts:
        days = due_reminder(app.cycle.applications_close_at, now)
        if days is None:
            continue
        recipients = [u.email for u in app.organization.users.all() if u.email]
        try:
            with transaction.atomic():
                ReminderSent.objects.create(application=app, days_before=days)
                close = timezone.localtime(app.cycle.applications_close_at).strftime("%Y-%m-%d %H:%M")
                subject = _("【%(award)s】申报将于%(days)s天后截止") % {"award": app.jurisdiction.award_name_zh, "days": days}
                body = _(
                    "%(org)s：\n\n贵单位的%(cycle)s申报尚未提交，受理将于 %(close)s（北京时间）截止。"
                    "截止后系统将不再接受提交。\n\n%(office)s"
                ) % {"org": app.organization.name, "cycle": app.cycle.title, "close": close,
                     "office": app.jurisdiction.issuing_body_zh}
                if recipients:
                    transaction.on_commit(partial(send_mail_task.delay, subject, body, recipients))
                # The same reminder in the app's own list (the mail above is its e-mail).
                notify(app.organization.users.all(), app.jurisdiction, kind=Notification.Kind.DEADLINE,
                       key=f"application:{app.pk}:close-reminder:{days}", title=subject, body=body,
                       link=reverse("application-edit", kwargs={"jurisdiction": app.jurisdiction.slug, "pk": app.pk}),
                       email=False)
        except IntegrityError:
            continue
        sent += 1
    return sent

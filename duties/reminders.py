"""Reminders of the yearly self-assessment: the winner's accounts hear of a report due in N days
(the profile's office setting `annual_self_assessment_reminder_days`) and, once, of its being
overdue. A DutyReminder row claims each reminder before it is sent, so a second run (or two workers
at once) sends nothing again; a report already sent silences the reminders of its duty."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from awards.states import AppState
from jurisdictions.models import Notification
from jurisdictions.notifications import notify

from .models import DutyReminder, SelfAssessmentDuty


def due_offset(duty: SelfAssessmentDuty, offsets: list[int], today: dt.date) -> int | None:
    """The reminder the day calls for: the nearest offset already reached (so a duty made 20 days
    before its due date gets the 30-day reminder once, then the 7-day one), or OVERDUE, or None."""
    days_left = (duty.due_on - today).days
    if days_left < 0:
        return DutyReminder.OVERDUE
    reached = [n for n in offsets if days_left <= n]
    return min(reached) if reached else None


def _offsets(duty: SelfAssessmentDuty) -> list[int]:
    cited = duty.application.cycle.profile.typed.post_award.annual_self_assessment_reminder_days
    return list(cited.value) if cited else []


def send_reminders(now: dt.datetime | None = None) -> int:
    """Send the reminders due today; returns how many duties were reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    with scopes_disabled():
        duties = list(SelfAssessmentDuty.objects.filter(required=True, reports__isnull=True,
                                                        application__state=AppState.AWARDED,
                                                        due_on__gte=today - dt.timedelta(days=366))
                      .select_related("application__cycle__profile", "application__organization", "jurisdiction"))
        for duty in duties:
            offset = due_offset(duty, _offsets(duty), today)
            if offset is None:
                continue
            if _remind(duty, offset, now):
                sent += 1
    return sent


def _remind(duty: SelfAssessmentDuty, offset: int, now: dt.datetime) -> bool:
    app = duty.application
    try:
        with transaction.atomic():
            claim = DutyReminder.objects.create(jurisdiction=duty.jurisdiction, duty=duty, days_before=offset,
                                                sent_at=now)
            users = list(app.organization.users.filter(is_active=True))
            with override("zh-hans"):
                words = {"org": app.organization.name, "covers": duty.covers_year, "due": duty.due_on.isoformat(),
                         "office": duty.jurisdiction.office_short_zh, "cite": duty.cite}
                if offset == DutyReminder.OVERDUE:
                    title = _("%(covers)s年度自我评价报告已逾期") % words
                    body = _("%(org)s：%(covers)s年度自我评价报告应于%(due)s前报送%(office)s（%(cite)s），"
                             "至今尚未收到，请尽快报送。") % words
                else:
                    title = _("%(covers)s年度自我评价报告将于%(due)s截止") % words
                    body = _("%(org)s：请于%(due)s前向%(office)s报送%(covers)s年度自我评价报告（%(cite)s）。") % words
            made = notify(users, duty.jurisdiction, kind=Notification.Kind.DEADLINE,
                          key=f"self-assessment:{duty.pk}:{offset}", title=title, body=body,
                          link=reverse("duty-self-assessment", kwargs={"jurisdiction": duty.jurisdiction.slug,
                                                                        "duty_id": duty.pk}))
            claim.recipients = len(made)
            claim.save(update_fields=["recipients"])
    except IntegrityError:
        return False
    return True

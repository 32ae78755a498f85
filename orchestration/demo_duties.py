"""Demo duties for `seed_demo`: the yearly self-assessment rows of each completed edition's winners
where the profile asks for them (Binjiang 七（三）), the second winner's first due report received
on time and the first winner's (the one with its own login) left overdue, so both lists show.

Idempotent: the rows are unique, and a report is sent only for a duty that has none.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from awards.models import AwardCycle
from awards.states import AppState
from duties import self_assessment
from duties.models import SelfAssessmentDuty

from .demo_publicity import _pdf


def seed_duties(cycle: AwardCycle | None, today: dt.date | None = None) -> int:
    """Make the duty rows of the cycle's winners and the demo's one received report; returns rows made."""
    if cycle is None:
        return 0
    today = today or timezone.localdate()
    apps = list(cycle.applications.filter(state=AppState.AWARDED).select_related("organization").order_by("pk"))
    made = sum(self_assessment.ensure_duties(app.pk) for app in apps)
    if len(apps) < 2:
        return made
    received = (SelfAssessmentDuty.objects.filter(application=apps[1], required=True, due_on__lt=today)
                .order_by("year").first())
    sender = apps[1].organization.users.order_by("pk").first()
    if received is not None and sender is not None and not received.reports.exists():
        # Twelve days before the deadline, but never before the award itself.
        day = max(received.due_on - dt.timedelta(days=12), self_assessment.awarded_on(apps[1]) or received.due_on)
        sent_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        self_assessment.submit_report(received, sender, uploaded=_pdf("年度自我评价报告.pdf"),
                                      note="（演示）上年度自我评价报告", now=sent_at)
    return made

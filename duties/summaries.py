"""What the winners' duties put on the role homes: the winner's next report with its due date, the
office's overdue reports, late incident reports and open correction orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone

from awards.models import Application
from awards.states import AppState
from jurisdictions.models import Jurisdiction

from . import corrections, incidents
from .models import CorrectionOrder, IncidentReport, SelfAssessmentDuty
from .self_assessment import DutyStanding, standings


@dataclass
class WinnerDuties:
    app: Application
    duties: list[DutyStanding] = field(default_factory=list)
    orders: list[CorrectionOrder] = field(default_factory=list)
    reports_incidents: bool = False

    @property
    def next_due(self) -> DutyStanding | None:
        waiting = [d for d in self.duties if d.open]
        return min(waiting, key=lambda d: d.duty.due_on) if waiting else None

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.duties if d.overdue_days)

    @property
    def open_orders(self) -> list[CorrectionOrder]:
        return [o for o in self.orders if o.corrected_on is None]


def winner_duties(user: User, jurisdiction: Jurisdiction, today: dt.date | None = None) -> list[WinnerDuties]:
    today = today or timezone.localdate()
    apps = list(Application.objects.filter(jurisdiction=jurisdiction, organization__users=user, state=AppState.AWARDED)
                .select_related("cycle__profile", "organization").order_by("-cycle__year", "pk"))
    duties = list(SelfAssessmentDuty.objects.filter(application__in=apps).order_by("year"))
    by_app: dict[int, list[SelfAssessmentDuty]] = {}
    for duty in duties:
        by_app.setdefault(duty.application_id, []).append(duty)
    orders: dict[int, list[CorrectionOrder]] = {}
    for order in CorrectionOrder.objects.filter(application__in=apps):
        orders.setdefault(order.application_id, []).append(order)
    out = []
    for app in apps:
        row = WinnerDuties(app, standings(by_app.get(app.pk, []), today), orders.get(app.pk, []),
                           incidents.rules_of(app) is not None)
        if row.duties or row.orders or row.reports_incidents:
            out.append(row)
    return out


@dataclass
class OfficeDuties:
    overdue_reports: int
    late_incidents: int
    open_orders: int
    overdue_orders: int
    any: bool


def office_duties(jurisdiction: Jurisdiction, today: dt.date | None = None) -> OfficeDuties:
    today = today or timezone.localdate()
    overdue = (SelfAssessmentDuty.objects.filter(jurisdiction=jurisdiction, required=True, reports__isnull=True,
                                                 due_on__lt=today, application__state=AppState.AWARDED).count())
    late = IncidentReport.objects.filter(jurisdiction=jurisdiction, late_days__gt=0).count()
    open_orders = list(CorrectionOrder.objects.filter(jurisdiction=jurisdiction, corrected_on__isnull=True))
    anything = (overdue or late or bool(open_orders) or SelfAssessmentDuty.objects.filter(jurisdiction=jurisdiction)
                .exists() or IncidentReport.objects.filter(jurisdiction=jurisdiction).exists()
                or CorrectionOrder.objects.filter(jurisdiction=jurisdiction).exists())
    return OfficeDuties(overdue, late, len(open_orders),
                        sum(1 for o in open_orders if corrections.is_overdue(o, today)), bool(anything))


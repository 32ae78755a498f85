"""The office's order to correct a misuse of the award's title within a time limit (责令限期改正:
Binjiang 七（四）, Lucheng 第十九条, Keqiao 第二十八条), offered only where the profile names who orders it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application
from awards.refusals import ServiceError
from awards.states import AppState
from jurisdictions.access import has_role
from jurisdictions.models import Role
from jurisdictions.profile_schema import Cited

from .models import CorrectionOrder


def ordering_body(app: Application) -> Cited[str] | None:
    return app.cycle.profile.typed.post_award.title_correction_by_zh


def is_overdue(order: CorrectionOrder, today: dt.date) -> bool:
    return order.corrected_on is None and today > order.deadline


def record_order(app: Application, actor: User, *, finding: str, ordered_on: dt.date,
                 deadline: dt.date) -> CorrectionOrder:
    if not has_role(actor, app.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记责令改正。"))
    body = ordering_body(app)
    if body is None:
        raise ServiceError(_("该奖项的评审规则没有规定责令限期改正。"), "application")
    if app.state != AppState.AWARDED:
        raise ServiceError(_("只能对获奖组织责令改正。"), "application")
    finding = finding.strip()
    if not finding:
        raise ServiceError(_("请填写发现的问题。"), "finding")
    if ordered_on > timezone.localdate():
        raise ServiceError(_("责令日期不能晚于今天。"), "ordered_on")
    if deadline <= ordered_on:
        raise ServiceError(_("改正期限须晚于责令日期。"), "deadline")
    return CorrectionOrder.objects.create(
        jurisdiction=app.jurisdiction, application=app, finding=finding, ordered_on=ordered_on, deadline=deadline,
        ordered_by_body=body.value, cite=body.cite, recorded_by=actor)


def record_corrected(order: CorrectionOrder, actor: User, *, corrected_on: dt.date, note: str) -> CorrectionOrder:
    if not has_role(actor, order.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记改正情况。"))
    if corrected_on > timezone.localdate():
        raise ServiceError(_("改正日期不能晚于今天。"), "corrected_on")
    if corrected_on < order.ordered_on:
        raise ServiceError(_("改正日期不能早于责令日期（%(day)s）。") % {"day": order.ordered_on.isoformat()},
                           "corrected_on")
    note = note.strip()
    if not note:
        raise ServiceError(_("请填写改正情况。"), "note")
    with transaction.atomic():
        locked = CorrectionOrder.objects.select_for_update().get(pk=order.pk)
        if locked.corrected_on is not None:
            raise ServiceError(_("已登记改正，不能重复登记。"))
        locked.corrected_on, locked.correction_note, locked.corrected_recorded_by = corrected_on, note, actor
        locked.save(update_fields=["corrected_on", "correction_note", "corrected_recorded_by"])
    return locked

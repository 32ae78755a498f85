"""Sanctions on a winner from the profile's ladder (Keqiao 第三十条: 批评、警告、通报批评，直至撤销;
elsewhere only revocation). A lighter sanction is recorded on the winner's record; revocation starts
the revocation procedure (sanctions/revocation.py)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application
from awards.refusals import ServiceError
from awards.states import AppState
from jurisdictions.access import has_role
from jurisdictions.models import Role
from jurisdictions.post_award_wording import WINNER_SANCTIONS
from jurisdictions.rules_wording import cite_label

from . import grounds, revocation
from .models import Revocation, Sanction


def record(app: Application, actor: User, *, level: str, ground_code: str, grounds_text: str, facts: str,
           occurred_on: dt.date, decided_on: dt.date, document_number: str, proposed_by: str = "",
           now: dt.datetime | None = None) -> Sanction | Revocation:
    """Record a sanction of the ladder; `revocation` returns the proposal it starts instead."""
    now = now or timezone.now()
    if not has_role(actor, app.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记处理。"))
    rules = app.cycle.profile.typed
    ladder = rules.post_award.sanction_ladder
    if level not in grounds.ladder(rules):
        offered = "、".join(str(WINNER_SANCTIONS[code]) for code in ladder.value)
        raise ServiceError(_("办法对获奖组织只规定%(offered)s（%(cite)s），不能给予所选处理。") % {
            "offered": offered, "cite": cite_label(ladder.cite)}, "level")
    if level == "revocation":
        if not ground_code:
            raise ServiceError(_("撤销荣誉称号须选择办法规定的撤销情形。"), "ground")
        return revocation.propose(app, actor, ground_code=ground_code, proposed_by=proposed_by,
                                  proposed_on=decided_on, facts=facts, occurred_on=occurred_on,
                                  document_number=document_number, now=now)
    if app.state != AppState.AWARDED:
        raise ServiceError(_("只能对获奖组织登记处理。"))
    cited = grounds.ground(rules, ground_code) if ground_code else None
    if ground_code and cited is None:
        raise ServiceError(_("请选择办法规定的撤销情形。"), "ground")
    grounds_text, facts, document_number = grounds_text.strip(), facts.strip(), document_number.strip()
    if cited is None and not grounds_text:
        raise ServiceError(_("请写明处理依据的情形。"), "grounds_text")
    if not facts:
        raise ServiceError(_("请写明事实。"), "facts")
    if not document_number:
        raise ServiceError(_("请填写决定文号。"), "document_number")
    today = timezone.localdate(now)
    if occurred_on > today:
        raise ServiceError(_("事实发生日期不能晚于今天。"), "occurred_on")
    if decided_on > today:
        raise ServiceError(_("决定日期不能晚于今天。"), "decided_on")
    if decided_on < occurred_on:
        raise ServiceError(_("决定日期不能早于事实发生日期。"), "decided_on")
    return Sanction.objects.create(
        jurisdiction=app.jurisdiction, application=app, level=level, ground=ground_code,
        grounds_text=grounds_text or (cited.value.text_zh if cited else ""), facts=facts, occurred_on=occurred_on,
        decided_on=decided_on, document_number=document_number[:100], cite=ladder.cite, recorded_by=actor,
        recorded_at=now)

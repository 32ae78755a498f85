"""Daqing's credit blacklist (诚信黑名单, 第三十一条 and 第三十四条): the organisations a fraud
revocation put on it, and the evaluation agencies the city government's decision listed. The office
sees an organisation's entry on its application page, and a listed agency is refused for a review."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, AwardCycle
from awards.office_warnings import OfficeWarning
from awards.refusals import ServiceError
from jurisdictions.access import has_role
from jurisdictions.models import Jurisdiction, Role
from jurisdictions.profile_schema import Cited
from jurisdictions.rules_wording import cite_label
from reviews.models import ReviewAgency

from .models import BlacklistEntry

# 第三十四条 lists agencies; the profile cites the blacklist at 第三十一条 with both in its note.
AGENCY_CITE = "第三十四条"


def kept_by(jurisdiction: Jurisdiction) -> Cited[bool] | None:
    """The profile's blacklist rule where the jurisdiction keeps one, else None."""
    profile = jurisdiction.profile_in_force()
    rule = profile.typed.post_award.blacklist if profile else None
    return rule if rule is not None and rule.value else None


def add_agency(jurisdiction: Jurisdiction, actor: User, *, agency: ReviewAgency, reason: str, decision_number: str,
               decided_on: dt.date) -> BlacklistEntry:
    """List an agency on the city government's decision (第三十四条)."""
    if not has_role(actor, jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记诚信黑名单。"))
    if kept_by(jurisdiction) is None:
        raise ServiceError(_("本辖区的办法未规定诚信黑名单。"))
    reason, decision_number = reason.strip(), decision_number.strip()
    if not reason:
        raise ServiceError(_("请写明列入原因。"), "reason")
    if not decision_number:
        raise ServiceError(_("请填写决定文号。"), "decision_number")
    if decided_on > timezone.localdate():
        raise ServiceError(_("决定日期不能晚于今天。"), "decided_on")
    try:
        with transaction.atomic():
            return BlacklistEntry.objects.create(
                jurisdiction=jurisdiction, kind=BlacklistEntry.Kind.AGENCY, agency=agency, name=agency.name,
                credit_code=agency.uscc, reason=reason, cite=AGENCY_CITE, listed_on=decided_on,
                decision_number=decision_number[:100], decided_on=decided_on, recorded_by=actor)
    except IntegrityError:
        raise ServiceError(_("“%(name)s”已列入诚信黑名单。") % {"name": agency.name}, "agency") from None


def organization_warnings(app: Application) -> list[OfficeWarning]:
    """The office's warning on an application of a blacklisted organisation (same credit code or record)."""
    rows = BlacklistEntry.objects.filter(jurisdiction_id=app.jurisdiction_id, kind=BlacklistEntry.Kind.ORGANIZATION)
    code = (app.organization.uscc or "").strip()
    matches = [e for e in rows if e.organization_id == app.organization_id or (code and e.credit_code == code)]
    return [OfficeWarning(_("该组织已于%(on)s列入诚信黑名单：%(reason)s") % {
        "on": e.listed_on.isoformat(), "reason": e.reason}, e.cite) for e in matches]


def agency_check(cycle: AwardCycle, agency: ReviewAgency) -> str | None:
    entry = BlacklistEntry.objects.filter(jurisdiction_id=cycle.jurisdiction_id, agency=agency).first()
    if entry is None:
        return None
    return _("“%(name)s”已于%(on)s列入诚信黑名单（%(number)s，%(cite)s），不能承担评审工作。") % {
        "name": agency.name, "on": entry.listed_on.isoformat(), "number": entry.decision_number,
        "cite": cite_label(entry.cite)}

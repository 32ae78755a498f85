"""What the eligibility engine reads about an organisation: its facts and its history here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jurisdictions.fact_vocabulary import FACTS, Fact

from .eligibility import Facts, HistoryEntry
from .models import Application, Certification, Organization, PastOutcome


def _value(fact: Fact, org: Organization, valid: list[Certification]) -> Any:
    if fact.kind == "certificate":
        return any(not fact.certificate_kinds or c.kind in fact.certificate_kinds for c in valid)
    assert fact.record_field is not None  # every fact but a certificate's is a field of the record
    value = getattr(org, fact.record_field)
    if fact.kind == "date":
        return value.isoformat() if value else None
    if fact.kind == "sector":
        return value or None
    return value


def organization_facts(org: Organization, close_date: dt.date, recommenders: list[str]) -> Facts:
    valid = [c for c in org.certifications.all() if c.expires_on >= close_date]
    values = {fact.name: _value(fact, org, valid) for fact in FACTS}
    return Facts(values=values, recommenders=list(recommenders))


def application_facts(app: Application) -> Facts:
    """The facts as filed: the frozen snapshot once submitted, the live record while editable
    (a draft, or an application returned to be completed)."""
    if app.facts_snapshot and not app.is_editable:
        return Facts(values=dict(app.facts_snapshot.get("values", {})), recommenders=list(app.recommenders))
    return organization_facts(app.organization, app.cycle.close_date, app.recommenders)


def organization_history(org: Organization) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            year=p.year,
            award=p.award_code or None,
            revoked=p.revoked or None,
            revoked_on=p.revoked_on,
            prize_cny=p.prize_cny,
            disqualified=p.disqualified or None,
            disqualified_on=p.disqualified_on,
            serious=p.serious,
        )
        for p in PastOutcome.objects.filter(organization=org, jurisdiction_id=org.jurisdiction_id)
    ]

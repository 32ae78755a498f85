"""What the eligibility engine reads about an organisation: its facts and its history here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .eligibility import Facts, HistoryEntry
from .models import DECLARATION_FACTS, Application, Certification, Organization, PastOutcome


def organization_facts(org: Organization, close_date: dt.date, recommenders: list[str]) -> Facts:
    certs = list(org.certifications.all())
    valid = [c for c in certs if c.expires_on >= close_date]
    values: dict[str, Any] = {
        "registered_in_jurisdiction": org.registered_in_jurisdiction,
        "local_tax": org.pays_tax_locally,
        "legal_person": org.legal_person,
        "established": org.established.isoformat() if org.established else None,
        "excellence_model_since": org.excellence_model_since.isoformat() if org.excellence_model_since else None,
        "iso9001_certified": any(c.kind == Certification.Kind.ISO9001 for c in valid),
        "qms_certified": bool(valid),
        "sector": org.sector or None,
    }
    for name in DECLARATION_FACTS:
        values[name] = getattr(org, name)
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
            award=p.award_code,
            revoked=p.revoked or None,
            revoked_on=p.revoked_on,
            prize_cny=p.prize_cny,
        )
        for p in PastOutcome.objects.filter(organization=org, jurisdiction_id=org.jurisdiction_id)
    ]

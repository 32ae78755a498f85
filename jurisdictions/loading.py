"""Load jurisdictions, criteria and rule profiles from fixtures/ into the database (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import CriteriaSet, Jurisdiction, RuleProfile
from .profile_validation import Problem, ProfileInvalid, load_json_file

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
RESERVED_SLUGS = {"admin", "accounts", "i18n", "static", "media", "api", "login", "logout", "verify"}


def load_jurisdictions(path: Path | None = None) -> list[Jurisdiction]:
    rows = json.loads((path or FIXTURES / "jurisdictions.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        row = dict(row)
        slug = row.pop("slug")
        if slug in RESERVED_SLUGS:
            raise ValueError(f"jurisdiction slug {slug!r} is reserved by the site's URLs")
        jurisdiction, _ = Jurisdiction.objects.update_or_create(slug=slug, defaults=row)
        out.append(jurisdiction)
    return out


def load_criteria(directory: Path | None = None) -> list[CriteriaSet]:
    out = []
    for path in sorted((directory or FIXTURES / "criteria").glob("*.json")):
        doc = load_json_file(path)
        existing = CriteriaSet.objects.filter(code=doc.get("code")).first()
        if existing and existing.document == doc:
            out.append(existing)
            continue
        criteria = existing or CriteriaSet()
        criteria.document = doc
        criteria.save()
        out.append(criteria)
    return out


def load_profile_file(path: Path) -> RuleProfile:
    doc = load_json_file(path)
    slug = doc.get("jurisdiction") if isinstance(doc, dict) else None
    jurisdiction = Jurisdiction.objects.filter(slug=slug).first()
    if jurisdiction is None:
        raise ProfileInvalid([Problem("jurisdiction", f"未知的辖区“{slug}”")])
    existing = RuleProfile.objects.filter(jurisdiction=jurisdiction, version=doc.get("version")).first()
    if existing and existing.document == doc:
        return existing
    profile = existing or RuleProfile(jurisdiction=jurisdiction)
    profile.document = doc
    profile.save()
    return profile


@transaction.atomic
def load_all() -> dict[str, int]:
    jurisdictions = load_jurisdictions()
    criteria = load_criteria()
    profiles = [load_profile_file(p) for p in sorted((FIXTURES / "rule_profiles").glob("*/*.json"))]
    return {"jurisdictions": len(jurisdictions), "criteria": len(criteria), "profiles": len(profiles)}

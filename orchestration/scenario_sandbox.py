"""What a what-if run does to stand alone on a live database, inside its rolled-back transaction.

An office runs scenarios on its production system, which already holds cycles of the same year,
organisations with the scenario's codes and users with its usernames. The run never reads those
rows as its own: the few live rows that would collide with the scenario's rows are set aside
(renamed) inside the transaction, which is rolled back, so the live data comes back untouched.
Only the rows that collide are touched, so a concurrent request waits at most for the length of
one run, and only if it writes one of those rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Max

from awards.models import AwardCycle, Organization
from awards.uscc import normalise
from jurisdictions.models import CriteriaSet, Jurisdiction, RuleProfile
from jurisdictions.profile_validation import ProfileInvalid, load_json_file, parse_profile


class SandboxError(ValueError):
    """A profile file or scenario that cannot be set up for a run."""


def set_aside_cycle_year(jurisdiction: Jurisdiction, year: int) -> None:
    """Move the live cycle of the scenario's year to a year nobody uses (one cycle a year is a constraint).

    The free year is above every year in use: nothing of the scenario counts it as an earlier edition.
    """
    live = AwardCycle.objects.filter(jurisdiction=jurisdiction, year=year)
    if live.exists():
        top = AwardCycle.objects.filter(jurisdiction=jurisdiction).aggregate(top=Max("year"))["top"]
        live.update(year=top + 1)


def set_aside_organizations(jurisdiction: Jurisdiction, usccs: Iterable[str]) -> None:
    """Give live organisations holding the scenario's codes a placeholder code (codes are unique per tenant)."""
    codes = {normalise(code) for code in usccs if code}
    for org in Organization.objects.filter(jurisdiction=jurisdiction, uscc__in=codes).only("pk"):
        # "~" never occurs in a real code, and the primary key keeps placeholders unique.
        Organization.objects.filter(pk=org.pk).update(uscc=f"~{org.pk}"[:18])


def free_username(wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`, ... whichever no live user holds."""
    taken = set(get_user_model().objects.filter(username__startswith=wanted).values_list("username", flat=True))
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def read_profile_file(path: Path) -> dict:
    """A rule-profile JSON file not yet loaded, checked as `load_jurisdictions` checks it."""
    try:
        doc = load_json_file(path)
        parse_profile(doc, known_criteria=set(CriteriaSet.objects.values_list("code", flat=True)))
    except ProfileInvalid as exc:
        raise SandboxError(f"{path}: " + "; ".join(str(p) for p in exc.problems)) from exc
    return doc


def unsaved_profile(jurisdiction: Jurisdiction, doc: dict) -> RuleProfile:
    """The file's profile as a row the run's cycle can pin; call inside the rolled-back transaction.

    A file with the version of a loaded profile stands in for it for this run only.
    """
    if doc.get("jurisdiction") != jurisdiction.slug:
        raise SandboxError(
            f"the profile file is for {doc.get('jurisdiction')!r}, the scenario for {jurisdiction.slug!r}"
        )
    profile = RuleProfile.objects.filter(jurisdiction=jurisdiction, version=doc.get("version")).first()
    profile = profile or RuleProfile(jurisdiction=jurisdiction)
    profile.document = doc
    try:
        profile.save()
    except ProfileInvalid as exc:
        raise SandboxError("; ".join(str(p) for p in exc.problems)) from exc
    return profile

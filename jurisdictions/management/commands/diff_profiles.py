"""List what changed between two versions of a jurisdiction's rules, rule by rule with citations."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from jurisdictions.models import CriteriaSet, Jurisdiction
from jurisdictions.profile_diff import diff_profiles
from jurisdictions.profile_schema import RuleProfileDoc
from jurisdictions.profile_validation import ProfileInvalid, load_json_file, parse_profile

KIND_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def read_profile(spec: str) -> tuple[str, RuleProfileDoc]:
    """`slug@version` of a loaded profile, or the path of a profile JSON file (loaded or not)."""
    if spec.endswith(".json") or Path(spec).is_file():
        try:
            doc = parse_profile(load_json_file(Path(spec)),
                                known_criteria=set(CriteriaSet.objects.values_list("code", flat=True)))
        except ProfileInvalid as exc:
            raise CommandError(f"{spec}: " + "; ".join(str(p) for p in exc.problems)) from exc
        return f"{doc.jurisdiction}@{doc.version} ({spec})", doc
    slug, at, version = spec.partition("@")
    if not at or not slug or not version:
        raise CommandError(f"{spec!r}: give a loaded version as jurisdiction@version (e.g. lucheng@2023-09-01) "
                           "or the path of a profile JSON file")
    jurisdiction = Jurisdiction.objects.filter(slug=slug).first()
    if jurisdiction is None:
        raise CommandError(f"{spec!r}: unknown jurisdiction {slug!r}")
    profile = jurisdiction.rule_profiles.filter(version=version).first()
    if profile is None:
        known = ", ".join(jurisdiction.rule_profiles.order_by("effective_from").values_list("version", flat=True))
        raise CommandError(f"{spec!r}: no version {version!r} of {slug} is loaded (loaded: {known or 'none'})")
    return profile.label, profile.typed


class Command(BaseCommand):
    help = (
        "List what changed between two versions of one jurisdiction's rule profile (A, B: jurisdiction@version "
        "or a profile JSON file not yet loaded), rule by rule with the old and new citations."
    )

    def add_arguments(self, parser):
        parser.add_argument("old", help="jurisdiction@version or path of a profile JSON file")
        parser.add_argument("new", help="jurisdiction@version or path of a profile JSON file")
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"], help="language of the labels")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the changes as JSON")

    @scopes_disabled()  # a version is named jurisdiction@version, so any jurisdiction's
    def handle(self, *args, old: str, new: str, lang: str, as_json: bool, **options):
        old_label, old_doc = read_profile(old)
        new_label, new_doc = read_profile(new)
        if old_doc.jurisdiction != new_doc.jurisdiction:
            raise CommandError(f"{old_label} and {new_label} are rules of two jurisdictions; compare versions of one")
        changes = diff_profiles(old_doc, new_doc, lang)
        if as_json:
            self.stdout.write(_dumps({"old": old_label, "new": new_label, "changes": [asdict(c) for c in changes]}))
            return
        self.stdout.write(f"{old_label} → {new_label}: {len(changes)} change(s)")
        for change in changes:
            line = f"{KIND_MARKS[change.kind]} {change.path_text}: "
            if change.kind == "added":
                line += f"{change.new} [{change.new_cite or '—'}]"
            elif change.kind == "removed":
                line += f"{change.old} [{change.old_cite or '—'}]"
            else:
                cite = change.new_cite if change.old_cite == change.new_cite else f"{change.old_cite or '—'} → {change.new_cite or '—'}"
                line += f"{change.old} → {change.new} [{cite or '—'}]"
            self.stdout.write(line)


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

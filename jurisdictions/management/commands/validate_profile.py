"""Check rule-profile (and criteria) JSON files without touching the database.

    python manage.py validate_profile fixtures/rule_profiles/zhuji/2025-01-01.json

Prints ``ok`` for a single good file (``ok FILE`` per file when given several) and exits 0; otherwise
prints every problem as ``PATH: message`` and exits 1. A folder is expanded to the JSON files in it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jurisdictions.profile_validation import (
    Problem,
    criteria_codes_in,
    validate_criteria_file,
    validate_profile_file,
)

CRITERIA_DIR = Path(settings.BASE_DIR) / "fixtures" / "criteria"


def _expand(names: list[str]) -> list[Path]:
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        paths.extend(sorted(path.rglob("*.json")) if path.is_dir() else [path])
    return paths


def problems_of(path: Path, known_criteria: set[str]) -> list[Problem]:
    # A file in a folder called "criteria" is an evaluation-criteria tree, not a rule profile.
    if path.parent.name == "criteria":
        return validate_criteria_file(path)
    return validate_profile_file(path, known_criteria)


class Command(BaseCommand):
    help = "Validate rule-profile JSON files against the typed schema; prints ok or PATH: message per problem."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="profile files (or folders of them)")

    def handle(self, *args, files: list[str], **options):
        paths = _expand(files)
        if not paths:
            raise CommandError("没有找到要校验的 JSON 文件")
        known = criteria_codes_in(CRITERIA_DIR)
        single = len(paths) == 1
        failed = 0
        for path in paths:
            problems = problems_of(path, known)
            if not problems:
                self.stdout.write("ok" if single else f"ok {path}")
                continue
            failed += 1
            if not single:
                self.stderr.write(f"FAIL {path}")
            for problem in problems:
                self.stderr.write(str(problem))
        if failed:
            raise CommandError(f"{failed} 个文件未通过校验", returncode=1)

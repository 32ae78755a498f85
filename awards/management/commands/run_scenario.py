import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.scenario import ScenarioError, run


class Command(BaseCommand):
    help = "Run a what-if scenario (JSON file) through the real workflow, roll it back, print the result JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--profile", help="rule-profile version to run under (default: the one in force)")

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {path}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
        try:
            result = run(data, profile_version=options.get("profile"))
        except ScenarioError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from orchestration.scenario import ScenarioError, run
from orchestration.scenario_sandbox import SandboxError, read_profile_file


class Command(BaseCommand):
    help = (
        "Run a what-if scenario (JSON file, format in docs/scenario-format.md) through the real workflow, "
        "roll it back, print the result JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--profile",
            help="rule-profile version to run under (default: the one in force on the close date), or the path "
                 "of a profile JSON file not yet loaded (checked, used for this run, never saved)",
        )

    @scopes_disabled()  # the scenario names its jurisdiction; the runner looks it up by slug
    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {path}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
        version, document = options.get("profile"), None
        # A version is a date ("2023-09-01"); anything naming a file is a profile not yet loaded.
        if version and (version.endswith(".json") or Path(version).is_file()):
            try:
                document = read_profile_file(Path(version))
            except SandboxError as exc:
                raise CommandError(str(exc)) from exc
            version = None
        try:
            result = run(data, profile_version=version, profile_document=document)
        except ScenarioError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

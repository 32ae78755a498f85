from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from jurisdictions.loading import load_all
from jurisdictions.profile_validation import ProfileInvalid


class Command(BaseCommand):
    help = "Load the jurisdictions, GB/T 19580 criteria and every rule profile under fixtures/ (idempotent)."

    @scopes_disabled()  # every jurisdiction's rules
    def handle(self, *args, **options):
        try:
            counts = load_all()
        except ProfileInvalid as exc:
            raise CommandError("\n".join(str(p) for p in exc.problems)) from exc
        self.stdout.write(
            f"loaded {counts['jurisdictions']} jurisdictions, {counts['criteria']} criteria sets, "
            f"{counts['profiles']} rule profiles"
        )

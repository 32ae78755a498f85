"""Demo logins for every jurisdiction (idempotent): admin plus S-office, S-reviewer, S-leader, S-reviewer2,
S-committee and S-applicant per jurisdiction slug S, all with one well-known password.

The password is public, so the command refuses to run with DEBUG off unless told --force.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from accounts.registration import ORGANIZATION_OWNER_PERMS
from awards.models import Organization
from awards.uscc import check_character
from jurisdictions.grants import grant
from jurisdictions.loading import load_all
from jurisdictions.models import Jurisdiction, Membership, Role
from jurisdictions.profile_validation import ProfileInvalid

DEMO_PASSWORD = "demo-pass-2026"

# (username suffix, role, what the login is for)
DEMO_PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("office", Role.OFFICE, "评审办工作人员"),
    ("reviewer", Role.REVIEWER, "评审员"),
    ("leader", Role.REVIEWER, "评审员（评审组组长）"),
    ("reviewer2", Role.REVIEWER, "评审员（评审组第三名成员）"),
    ("committee", Role.COMMITTEE, "评委会委员"),
    ("applicant", Role.APPLICANT, "申报组织用户"),
)


# The demo people's real names, one set per jurisdiction (in sort order): pages name people by
# these, never by their login.
DEMO_NAMES: tuple[dict[str, str], ...] = (
    {"office": "周晓岚", "reviewer": "王立新", "leader": "陈建国", "reviewer2": "刘芳", "committee": "孙为民",
     "applicant": "张海燕"},
    {"office": "吴敏", "reviewer": "郑文博", "leader": "黄志强", "reviewer2": "林静", "committee": "何永年",
     "applicant": "赵丽"},
    {"office": "沈佳", "reviewer": "钱立群", "leader": "马志远", "reviewer2": "许晴", "committee": "朱宏伟",
     "applicant": "杨帆"},
    {"office": "蒋玲", "reviewer": "冯卫东", "leader": "宋建华", "reviewer2": "唐敏", "committee": "韩振国",
     "applicant": "曹磊"},
    {"office": "李红梅", "reviewer": "邓国庆", "leader": "萧成", "reviewer2": "罗雪", "committee": "潘明远",
     "applicant": "谢军"},
)
ADMIN_NAME = "系统管理员"


def demo_uscc(index: int) -> str:
    """A valid, obviously made-up 统一社会信用代码: 91 (enterprise) + 330000 + MA2DEM + a serial + check character."""
    first17 = f"91330000MA2DEM{index:03d}"
    return first17 + check_character(first17)


class Command(BaseCommand):
    help = "Create demo users for every jurisdiction (password demo-pass-2026); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (never on a real deployment)"
        )

    @scopes_disabled()  # demo data for every jurisdiction
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; run it with DJANGO_DEBUG=1 or --force."
            )
        try:
            load_all()
        except ProfileInvalid as exc:
            raise CommandError("\n".join(str(p) for p in exc.problems)) from exc
        rows = self.seed()
        self.seed_cycles()
        self.print_table(rows)

    @transaction.atomic
    def seed(self) -> list[tuple[str, str, str, str]]:
        rows = [("", "admin", "系统管理员（superuser）", "/accounts/login/")]
        self.ensure_user("admin", superuser=True, name=ADMIN_NAME)
        for index, jurisdiction in enumerate(Jurisdiction.objects.order_by("sort_order", "slug"), start=1):
            slug = jurisdiction.slug
            for suffix, role, description in DEMO_PEOPLE:
                username = f"{slug}-{suffix}"
                user = self.ensure_user(username, name=DEMO_NAMES[(index - 1) % len(DEMO_NAMES)][suffix])
                Membership.objects.get_or_create(user=user, jurisdiction=jurisdiction, role=role)
                if role == Role.APPLICANT:
                    self.ensure_organization(jurisdiction, user, index)
                rows.append((slug, username, description, f"/{slug}/accounts/login/"))
        return rows

    @transaction.atomic
    def seed_cycles(self) -> None:
        """An open cycle in each jurisdiction with applications in several states, the previous
        edition in document review, and the one before it in its committee stage."""
        from orchestration.demo_applications import seed_demo_cycle
        from orchestration.demo_committee import seed_committee_cycle
        from orchestration.demo_duties import seed_duties
        from orchestration.demo_honours import seed_completed_cycle
        from orchestration.demo_publicity import seed_publicity_cycle
        from orchestration.demo_review import seed_review_cycle
        from orchestration.demo_sanctions import seed_sanctions

        for index, jurisdiction in enumerate(Jurisdiction.objects.order_by("sort_order", "slug"), start=1):
            office = get_user_model().objects.get(username=f"{jurisdiction.slug}-office")
            demo_org = Organization.objects.filter(jurisdiction=jurisdiction, uscc=demo_uscc(index)).first()
            cycle = seed_demo_cycle(jurisdiction, index, office, demo_org)
            self.stdout.write(f"{jurisdiction.slug}: {cycle.title} ({cycle.applications.count()} applications)")
            in_review = seed_review_cycle(jurisdiction, index)
            self.stdout.write(f"{jurisdiction.slug}: {in_review.title} ({in_review.applications.count()} applications)")
            at_committee = seed_committee_cycle(jurisdiction, index)
            self.stdout.write(f"{jurisdiction.slug}: {at_committee.title} (committee stage)")
            on_notice = seed_publicity_cycle(jurisdiction, index)
            self.stdout.write(f"{jurisdiction.slug}: {on_notice.title} (on public notice)")
            completed = seed_completed_cycle(jurisdiction, index)
            seed_duties(completed)
            if completed is not None:
                self.stdout.write(f"{jurisdiction.slug}: {completed.title} (approved, certificates issued; "
                                  f"the winner's login is {jurisdiction.slug}-winner)")
        seed_sanctions()  # a warning on Keqiao's first winner, once

    def ensure_user(self, username: str, superuser: bool = False, name: str = ""):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.example.cn"}
        )
        changed = created
        if name and user.first_name != name:
            user.first_name = name
            changed = True
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if superuser and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            changed = True
        if changed:
            user.save()
        return user

    def ensure_organization(self, jurisdiction: Jurisdiction, user: User, index: int) -> Organization:
        organization, _created = Organization.objects.get_or_create(
            jurisdiction=jurisdiction,
            uscc=demo_uscc(index),
            defaults={
                "name": f"{jurisdiction.short_name_zh}示范质量有限公司",
                "contact_name": "张示范",
                "contact_phone": "0571-88880000",
            },
        )
        organization.users.add(user)
        for perm in ORGANIZATION_OWNER_PERMS:
            grant(user, perm, organization)
        return organization

    def print_table(self, rows: list[tuple[str, str, str, str]]) -> None:
        header = ("jurisdiction", "username", "role", "password", "login at")
        table = [header, *((slug, user, role, DEMO_PASSWORD, url) for slug, user, role, url in rows)]
        widths = [max(_display_width(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            cells = [cell + " " * (widths[i] - _display_width(cell)) for i, cell in enumerate(row)]
            self.stdout.write("  ".join(cells).rstrip())


def _display_width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

"""Demo completed cycles for `seed_demo`: the edition before the one on public notice, its publicity
over with no objection, the approval recorded and each winner awarded with its prize and its signed
certificate (the first winner with its own login, S-winner, to download it).

Everything goes through the real services, with `now=` for what happened years ago. The certificates
are issued at once (the task the approval queues finds them made).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.models import AwardCycle, Organization
from awards.states import AppState, CycleState
from awards.system_actor import system_actor
from awards.workflow import cycle_transition
from honours import approval, certificates
from jurisdictions.models import Jurisdiction
from publicity import notices

from .demo_publicity import _close_on, _pdf, proposed_cycle, publicity_year
from .demo_review import _uscc

COMPLETED_ORGS = ("精密制造有限公司", "绿色能源股份有限公司")
WINNER_LOGIN = "winner"   # S-winner: the first winner's own login, to download its certificate


def _winner(jurisdiction: Jurisdiction, index: int, n: int, suffix: str) -> Organization:
    from jurisdictions.models import Membership, Role
    from orchestration.management.commands.seed_demo import DEMO_PASSWORD

    org, _created = Organization.objects.get_or_create(
        jurisdiction=jurisdiction, uscc=_uscc(index, n), defaults={"name": f"{jurisdiction.short_name_zh}{suffix}"})
    if n == 13:
        user, created = get_user_model().objects.get_or_create(
            username=f"{jurisdiction.slug}-{WINNER_LOGIN}",
            defaults={"first_name": "陈获奖", "email": f"{jurisdiction.slug}-{WINNER_LOGIN}@demo.example.cn"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, jurisdiction=jurisdiction, role=Role.APPLICANT)
    else:
        # The organisation's own account (not signed in to in the demo) confirms its site report.
        user, _created = get_user_model().objects.get_or_create(
            username=f"{jurisdiction.slug}-completed-org{n}", defaults={"is_active": False, "first_name": org.name})
    org.users.add(user)
    return org


def completed_year(jurisdiction: Jurisdiction, today: dt.date) -> int:
    profile = jurisdiction.profile_in_force(today)
    interval = profile.typed.cycle.interval_years.value if profile else 1
    return publicity_year(jurisdiction, today) - interval


def seed_completed_cycle(jurisdiction: Jurisdiction, index: int) -> AwardCycle:
    """Create the jurisdiction's completed, approved edition once."""
    year = completed_year(jurisdiction, timezone.localdate())
    cycle = AwardCycle.objects.filter(jurisdiction=jurisdiction, year=year).first()
    if cycle is not None:
        return cycle
    close = _close_on(jurisdiction, year)
    office = get_user_model().objects.get(username=f"{jurisdiction.slug}-office")
    winners = [_winner(jurisdiction, index, n, suffix) for n, suffix in enumerate(COMPLETED_ORGS, start=13)]
    cycle = proposed_cycle(jurisdiction, year, close, office, winners, meets_after_days=55)
    published = timezone.make_aware(dt.datetime.combine(close + dt.timedelta(days=70), dt.time(9, 0)))
    notice = notices.publish_notice(cycle, office, now=published, contact=(
        f"{jurisdiction.issuing_body_zh}（演示）\n电话：0000-12345678"))
    ended = notice.ends_at + dt.timedelta(minutes=1)
    cycle_transition(cycle, CycleState.APPROVAL, actor=system_actor(), reason="公示期满", now=ended)
    cycle.refresh_from_db()
    approved = ended + dt.timedelta(days=10)
    rules = cycle.profile.typed
    approval.record_approval(cycle, office, approving_body=rules.approval.approver_zh.value,
                             document_number=f"{jurisdiction.short_name_zh}政〔{year}〕{index + 20}号",
                             approved_on=timezone.localdate(approved), document=_pdf("审定批复.pdf"), now=approved)
    # Issued here rather than left to the task the approval queues on commit (which finds them made):
    # the demo, and the tests that seed it inside one transaction, have them at once.
    for app_id in cycle.applications.filter(state=AppState.AWARDED).order_by("pk").values_list("pk", flat=True):
        certificates.issue(app_id)
    cycle.refresh_from_db()
    return cycle

"""Demo cycles for `seed_demo`: one open cycle per jurisdiction with applications in several states.

Everything goes through the real services, so the demo shows what the product really does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import services
from awards.models import Application, ApplicationFile, AwardCycle, Certification, Organization
from awards.placeholder_pdf import PLACEHOLDER_PDF
from awards.states import AppState
from awards.uscc import check_character
from jurisdictions.models import Jurisdiction

DEMO_ORGS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    # (name suffix, state to reach, facts overrides)
    ("智能装备股份有限公司", AppState.SUBMITTED, {}),
    ("精密制造有限公司", AppState.ELIGIBLE, {}),
    ("新材料科技有限公司", AppState.INELIGIBLE, {"established": dt.date(2024, 3, 1)}),
    ("绿色食品有限公司", AppState.DRAFT, {}),
)


def _uscc(jurisdiction_index: int, n: int) -> str:
    first17 = f"91330000MA2DM{jurisdiction_index:02d}{n:02d}"
    return first17 + check_character(first17)


def complete_facts(org: Organization) -> None:
    org.registered_in_jurisdiction = True
    org.pays_tax_locally = True
    org.legal_person = True
    org.established = org.established or dt.date(2012, 4, 1)
    org.excellence_model_since = dt.date(2016, 1, 1)
    org.sector = "secondary"
    org.industry = org.industry or "制造业"
    org.registered_address = org.registered_address or "示范路1号"
    org.staff_count = org.staff_count or 520
    for name in (
        "failed_inspections_last_3_years", "major_accidents_last_3_years", "major_complaints_last_3_years",
        "administrative_penalties_last_3_years", "export_quality_notices_last_3_years",
        "serious_violations_last_3_years",
    ):
        setattr(org, name, False)
    org.save()
    if not org.certifications.exists():
        Certification.objects.create(organization=org, kind=Certification.Kind.ISO9001, number="00119Q31234R2M",
                                     expires_on=dt.date(2028, 6, 30))


DEMO_FILE_NAMES: dict[str, str] = {
    ApplicationFile.Kind.SELF_ASSESSMENT: "自我评价报告.pdf",
    ApplicationFile.Kind.RECOMMENDATION: "推荐意见.pdf",
    ApplicationFile.Kind.EVIDENCE: "证实性材料.pdf",
}


def upload_required_materials(app: Application, actor: User, now: dt.datetime | None = None) -> None:
    """One demo document for each material the cycle's profile requires."""
    for kind in app.cycle.profile.typed.eligibility.required_materials.value:
        services.add_file(app, kind=kind, actor=actor, now=now,
                          uploaded=SimpleUploadedFile(DEMO_FILE_NAMES[kind], PLACEHOLDER_PDF, "application/pdf"))


def _file(app: Application, actor: User) -> None:
    rec = app.cycle.profile.typed.eligibility.recommendation.value
    upload_required_materials(app, actor)
    services.save_draft(app, actor=actor, overview=f"{app.organization.name}成立以来坚持质量第一……",
                        narratives={"4.1": "高层领导确立使命、愿景和价值观……"},
                        recommenders=[r for r in rec.recommenders if r not in rec.optional_recommenders])


def seed_demo_cycle(jurisdiction: Jurisdiction, index: int, office, demo_org: Organization | None) -> AwardCycle:
    now = timezone.now()
    year = timezone.localdate().year
    cycle = AwardCycle.objects.filter(jurisdiction=jurisdiction, year=year).first()
    if cycle is not None:
        return cycle
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office,
        applications_open_at=now - dt.timedelta(days=30),
        applications_close_at=(now + dt.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0),
        call_published_on=timezone.localdate() - dt.timedelta(days=31),
    )
    cycle = services.publish_cycle(cycle, office)
    category = cycle.profile.typed.top_awards[0].code
    for n, (suffix, target, overrides) in enumerate(DEMO_ORGS, start=1):
        org, _ = Organization.objects.get_or_create(
            jurisdiction=jurisdiction, uscc=_uscc(index, n),
            defaults={"name": f"{jurisdiction.short_name_zh}{suffix}"},
        )
        complete_facts(org)
        for key, value in overrides.items():
            setattr(org, key, value)
        org.save()
        app = services.start_application(cycle, org, category, office)
        _file(app, office)
        if target == AppState.DRAFT:
            continue
        app = services.submit(app, office)
        if target == AppState.ELIGIBLE:
            services.decide_eligibility(app, office, AppState.ELIGIBLE, reason="材料齐全，符合申报条件")
        elif target == AppState.INELIGIBLE:
            failed = [r for r in services.precheck(app) if r.passed is False]
            reason = "；".join(f"{r.text}（{r.cite}）" for r in failed) or "不符合申报条件"
            services.decide_eligibility(app, office, AppState.INELIGIBLE, reason=reason)
    if demo_org is not None:
        complete_facts(demo_org)
        user = demo_org.users.first()
        assert user is not None  # the demo organisation is seeded with its applicant's account
        if not Application.objects.filter(cycle=cycle, organization=demo_org).exists():
            app = services.start_application(cycle, demo_org, category, user)
            services.save_draft(app, actor=user, overview="", narratives={}, recommenders=[])
    return cycle

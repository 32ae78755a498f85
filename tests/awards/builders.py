"""Builders for award tests: a published cycle, an organisation with complete facts, a filed draft."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import services
from awards.models import Certification, Organization
from awards.placeholder_pdf import PLACEHOLDER_PDF
from jurisdictions.models import Membership, Role
from tests.conftest import make_user

_counter = {"n": 0}


def uscc_for(n: int) -> str:
    from awards.uscc import check_character

    body = f"9133062{n:010d}"[:17]
    return body + check_character(body)


def published_cycle(jurisdiction, office, *, year=2026, opens_days_ago=10, closes_in_days=20, quotas=None):
    now = timezone.now()
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office,
        applications_open_at=now - dt.timedelta(days=opens_days_ago),
        applications_close_at=now + dt.timedelta(days=closes_in_days),
        quotas=quotas,
    )
    return services.publish_cycle(cycle, office)


def organization(jurisdiction, *, name=None, user=None, **facts) -> Organization:
    _counter["n"] += 1
    n = _counter["n"]
    org = Organization.objects.create(
        jurisdiction=jurisdiction, name=name or f"测试组织{n}有限公司", uscc=uscc_for(n),
        registered_in_jurisdiction=True, pays_tax_locally=True, legal_person=True,
        established=dt.date(2010, 1, 1), excellence_model_since=dt.date(2018, 1, 1), sector="secondary",
        failed_inspections_last_3_years=False, major_accidents_last_3_years=False,
        major_complaints_last_3_years=False, administrative_penalties_last_3_years=False,
        export_quality_notices_last_3_years=False, serious_violations_last_3_years=False,
    )
    for key, value in facts.items():
        setattr(org, key, value)
    org.save()
    Certification.objects.create(organization=org, kind=Certification.Kind.ISO9001, number="ISO-1",
                                 expires_on=dt.date(2030, 1, 1))
    if user is None:
        user = make_user(f"applicant-{jurisdiction.slug}-{n}")
    Membership.objects.get_or_create(user=user, jurisdiction=jurisdiction, role=Role.APPLICANT)
    org.users.add(user)
    return org


def pdf_upload(name="report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PLACEHOLDER_PDF, content_type="application/pdf")


def ready_draft(cycle, org, user, *, category="quality", recommenders=None):
    rules = cycle.profile.typed
    app = services.start_application(cycle, org, category, user)
    rec = rules.eligibility.recommendation.value
    services.save_draft(app, actor=user, overview="本组织概述", narratives={"4.1": "领导"},
                        recommenders=recommenders if recommenders is not None else list(rec.recommenders))
    # Every material the profile requires (Daqing asks no self-assessment report).
    names = {"self_assessment": "report.pdf", "recommendation": "rec.pdf", "evidence": "evidence.pdf"}
    for kind in rules.eligibility.required_materials.value:
        services.add_file(app, kind=kind, uploaded=pdf_upload(names[kind]), actor=user)
    app.refresh_from_db()
    return app

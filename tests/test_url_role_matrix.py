"""Every URL × every role × objects of one's own tenant, of another tenant and of another applicant.

The routes come from the URLconf itself, so a page added later is probed without anyone listing it;
a route whose arguments this file cannot fill fails the test with its name, so it gets a rule here
rather than being skipped in silence. Each request is sent as GET and as an empty POST. Nothing may
answer with a server error, and an object of another jurisdiction — or another applicant's
application — must answer 404 (or send an anonymous visitor to the login page), never the page.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from awards import services
from awards.models import Application, ApplicationFile
from jurisdictions.models import CalendarOverride, Jurisdiction, Membership, Role
from reviews.models import Assignment, ReviewAgency, ReviewGroup
from tests.awards.builders import organization, pdf_upload

pytestmark = pytest.mark.django_db

OWN, OTHER = "keqiao", "zhuji"
ARG = re.compile(r"<(?:(\w+):)?(\w+)>")
# Routes outside this probe, each for a reason.
NOT_PROBED = {
    "password_reset_confirm": "its token is tested in tests/jurisdictions/test_accounts.py",
    "set_language": "Django's own view",
}
# Arguments naming an applicant's own object: another applicant of the same tenant gets 404.
APPLICANT_OBJECTS = {"pk", "file_id", "certificate_id", "duty_id", "report_id", "incident_id"}
ROLES = ["office", "reviewer", "leader", "reviewer2", "committee", "applicant"]


def routes() -> list[tuple[str, str]]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name or ""
    return sorted({(r, n) for r, n in walk(get_resolver().url_patterns) if n not in NOT_PROBED})


@dataclass
class World:
    own_app: Application        # the demo applicant's own application
    other_applicant_app: Application  # another organisation's application in the same tenant
    other_tenant_app: Application
    own_override: CalendarOverride
    other_override: CalendarOverride


def _application_with_files(slug: str, exclude_org=None) -> Application:
    apps = Application.objects.filter(jurisdiction__slug=slug).exclude(number="").order_by("pk")
    if exclude_org is not None:
        apps = apps.exclude(organization=exclude_org)
    assigned = apps.filter(pk__in=Assignment.objects.values("application"))
    return (assigned.first() or apps.first())


@pytest.fixture
def world(loaded, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--force", stdout=io.StringIO())
    User = get_user_model()
    applicant = User.objects.get(username=f"{OWN}-applicant")
    own_org = applicant.organizations.get(jurisdiction__slug=OWN)
    own_app = Application.objects.filter(organization=own_org).order_by("pk").first()
    assert own_app is not None
    if not own_app.files.exists():
        services.add_file(own_app, kind=ApplicationFile.Kind.EVIDENCE, actor=applicant, uploaded=pdf_upload("证书.pdf"))
    # A second applicant user, for the "another applicant's object" column.
    other = organization(loaded[OWN])
    Membership.objects.get_or_create(user=other.users.first(), jurisdiction=loaded[OWN], role=Role.APPLICANT)
    overrides = [CalendarOverride.objects.create(jurisdiction=loaded[slug], date=dt.date(2026, 10, 9),
                                                 kind=CalendarOverride.Kind.WORKDAY, note="调休")
                 for slug in (OWN, OTHER)]
    return World(
        own_app=own_app,
        other_applicant_app=_application_with_files(OWN, exclude_org=own_org),
        other_tenant_app=_application_with_files(OTHER),
        own_override=overrides[0],
        other_override=overrides[1],
    )


def _fill(route: str, name: str, world: World, variant: str) -> str | None:
    """The path for one variant, or None where the variant does not apply to the route."""
    app = {"own": world.own_app, "other_applicant": world.other_applicant_app,
           "other_tenant": world.other_tenant_app}[variant]
    tenant = OTHER if variant == "other_tenant" else OWN
    values: dict[str, str] = {"jurisdiction": OWN}
    names = [arg for _conv, arg in ARG.findall(route)]
    # A serial is public (the verification page is for anyone), a format is no object.
    object_args = set(names) - {"jurisdiction", "year", "stage", "kind", "fmt", "serial"}
    if variant != "own" and not object_args:
        return None
    if variant == "other_applicant" and not APPLICANT_OBJECTS & object_args:
        return None
    for arg in names:
        if arg == "jurisdiction":
            continue
        if arg == "year":
            values[arg] = str(app.cycle.year)
        elif arg == "stage":
            values[arg] = "document"
        elif arg == "kind":
            values[arg] = "evidence"
        elif arg == "pk" and name.startswith("office-calendar"):
            override = world.other_override if variant == "other_tenant" else world.own_override
            values[arg] = str(override.pk)
        elif arg == "pk":
            values[arg] = str(app.pk)
        elif arg == "file_id":
            # Looked up once: the applicant's remove route deletes the file part-way through the walk,
            # and the routes after it (the reviewer's download) must still name the same file.
            file_ids = world.__dict__.setdefault("file_ids", {})
            if app.pk not in file_ids:
                file = ApplicationFile.objects.filter(application=app).first()
                assert file is not None, f"no file on {app}"
                file_ids[app.pk] = file.pk
            values[arg] = str(file_ids[app.pk])
        elif arg == "group_id":
            values[arg] = str(ReviewGroup.objects.filter(cycle__jurisdiction__slug=tenant).first().pk)
        elif arg == "agency_id":
            agency = ReviewAgency.objects.filter(jurisdiction__slug=tenant).first()
            if agency is None:
                agency = ReviewAgency.objects.create(jurisdiction=Jurisdiction.objects.get(slug=tenant),
                                                     name=f"{tenant}评审机构")
            values[arg] = str(agency.pk)
        elif arg in ("notice_id", "objection_id", "evidence_id"):
            values[arg] = str(_publicity_object(tenant, arg).pk)
        elif arg == "notification_id":
            # The tenant's office user's own notification: another tenant's, or another user's, is 404.
            values[arg] = str(_notification(tenant).pk)
        elif arg in ("meeting_id", "round_id", "member_id"):
            values[arg] = str(_committee_object(tenant, app.cycle if variant != "other_tenant" else None, arg).pk)
        elif arg == "cycle_id":
            # The tenant's approved cycle where seed_demo made one (its approval document, payment
            # lists and certificates are then real), else the application's cycle.
            from honours.models import Approval
            approved = Approval.objects.filter(jurisdiction__slug=tenant).order_by("pk").first()
            values[arg] = str(approved.cycle_id if approved else app.cycle_id)
        elif arg in ("application_id", "revocation_id"):
            # A winner of the tenant and a revocation proposed on it (another tenant's stands in as foreign).
            revocation = _revocation(tenant)
            values[arg] = str(revocation.application_id if arg == "application_id" else revocation.pk)
        elif arg in ("duty_id", "report_id", "incident_id", "order_id"):
            # The variant's own application's row (made here where seed_demo made none).
            values[arg] = str(_duty_object(app, arg).pk)
        elif arg == "fmt":
            values[arg] = "xlsx"
        elif arg == "export_id":
            values[arg] = str(_archive_export(tenant).pk)
        elif arg in ("certificate_id", "serial"):
            cert = _certificate(tenant)
            values[arg] = str(cert.pk) if arg == "certificate_id" else cert.serial
        else:
            pytest.fail(f"route {name!r} ({route}) has an argument {arg!r} this matrix cannot fill: add a rule")
    return "/" + ARG.sub(lambda m: values[m.group(2)], route)


def _publicity_object(tenant: str, arg: str):
    """The tenant's notice, an objection on it and that objection's evidence (seed_demo files one in
    each jurisdiction with a cycle on notice; where it has none, another tenant's stands in as foreign)."""
    from publicity.models import Notice, Objection, ObjectionFile

    model = {"notice_id": Notice, "objection_id": Objection, "evidence_id": ObjectionFile}[arg]
    field = "objection__jurisdiction__slug" if model is ObjectionFile else "jurisdiction__slug"
    found = model.objects.filter(**{field: tenant}).order_by("pk").first()
    if found is None and tenant == OTHER:
        found = model.objects.exclude(**{field: OWN}).order_by("pk").first()
    assert found is not None, f"seed_demo made no {model.__name__} for {tenant}"
    return found


def _certificate(tenant: str):
    """A certificate of the tenant whose organisation has no login of its own, so it is foreign to
    every applicant of the matrix (seed_demo issues them where a completed cycle exists; where the
    tenant has none, another tenant's stands in as foreign)."""
    from honours.models import Certificate

    rows = Certificate.objects.exclude(application__organization__users__is_active=True).order_by("pk")
    found = rows.filter(jurisdiction__slug=tenant).first()
    if found is None and tenant == OTHER:
        found = rows.exclude(jurisdiction__slug=OWN).first()
    assert found is not None, f"seed_demo made no certificate for {tenant}"
    return found


def _revocation(tenant: str):
    from awards.states import AppState
    from sanctions.models import Revocation

    found = Revocation.objects.filter(jurisdiction__slug=tenant).first()
    if found is not None:
        return found
    winner = Application.objects.filter(jurisdiction__slug=tenant, state=AppState.AWARDED).order_by("pk").first()
    if winner is None and tenant == OTHER:
        winner = (Application.objects.filter(state=AppState.AWARDED).exclude(jurisdiction__slug=OWN)
                  .order_by("pk").first())
    assert winner is not None, f"seed_demo made no winner for {tenant}"
    return Revocation.objects.create(
        jurisdiction=winner.jurisdiction, application=winner, ground="fraud", ground_text="骗取奖项", cite="第二十六条",
        mandatory=True, proposed_by="评审办", proposed_on=dt.date(2026, 1, 5), facts="申报材料弄虚作假",
        occurred_on=dt.date(2025, 6, 1), proposed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))


def _archive_export(tenant: str):
    """A built archive of the tenant's latest cycle (the download is real), made once."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from awards.models import AwardCycle
    from records.models import ArchiveExport

    found = ArchiveExport.objects.filter(jurisdiction__slug=tenant).first()
    if found is None:
        cycle = AwardCycle.objects.filter(jurisdiction__slug=tenant).order_by("-year").first()
        found = ArchiveExport(jurisdiction=cycle.jurisdiction, cycle=cycle, state=ArchiveExport.State.READY,
                              requested_at=timezone.now())
        found.file.save("archive.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
        found.save()
    return found


def _duty_object(app, arg: str):
    """A yearly report duty, a report sent for it, an incident report or a correction order of `app`."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from awards.placeholder_pdf import PLACEHOLDER_PDF
    from duties.models import CorrectionOrder, IncidentReport, SelfAssessmentDuty, SelfAssessmentReport

    common = {"jurisdiction": app.jurisdiction}
    if arg == "order_id":
        return CorrectionOrder.objects.filter(application=app).first() or CorrectionOrder.objects.create(
            **common, application=app, finding="在产品宣传中使用称号", ordered_on=dt.date(2026, 10, 1),
            deadline=dt.date(2026, 10, 31), ordered_by_body="评审办", cite="第二十八条")
    if arg == "incident_id":
        found = IncidentReport.objects.filter(application=app).first()
        if found is None:
            found = IncidentReport(**common, application=app, occurred_on=dt.date(2026, 10, 1), description="抽查不合格",
                                   due_on=dt.date(2026, 10, 31), cite="第二十九条", reported_at=timezone.now(),
                                   file_type="application/pdf", file_name="附件.pdf")
            found.file.save("附件.pdf", ContentFile(PLACEHOLDER_PDF), save=False)
            found.save()
        return found
    duty, _made = SelfAssessmentDuty.objects.get_or_create(
        application=app, year=app.cycle.year + 1,
        defaults={**common, "due_on": dt.date(app.cycle.year + 2, 2, 28), "cite": "七（三）"})
    if arg == "duty_id":
        return duty
    report = duty.reports.first()
    if report is None:
        report = SelfAssessmentReport(**common, duty=duty, file_name="自评报告.pdf", file_type="application/pdf",
                                      submitted_at=timezone.now())
        report.file.save("自评报告.pdf", ContentFile(PLACEHOLDER_PDF), save=False)
        report.save()
    return report


def _notification(tenant: str):
    from jurisdictions.models import Notification
    jurisdiction = Jurisdiction.objects.get(slug=tenant)
    user = get_user_model().objects.get(username=f"{tenant}-office")
    notification, _created = Notification.objects.get_or_create(
        jurisdiction=jurisdiction, user=user, key="matrix", defaults={"kind": "submitted", "title": "收到新的申报",
                                                                       "link": f"/{tenant}/office/"})
    return notification


def _committee_object(tenant: str, cycle, arg: str):
    """The tenant's committee member, meeting (for the cycle in question) and an open round in it."""
    from committee.models import CommitteeMember, Meeting, Round

    jurisdiction = Jurisdiction.objects.get(slug=tenant)
    member = CommitteeMember.objects.filter(jurisdiction=jurisdiction).first()
    if member is None:
        user = get_user_model().objects.filter(username=f"{tenant}-committee").first()
        member = CommitteeMember.objects.create(jurisdiction=jurisdiction, user=user, name="测试委员", position="委员",
                                                serves_from=dt.date(2020, 1, 1))
    if arg == "member_id":
        return member
    cycle = cycle or Application.objects.filter(jurisdiction=jurisdiction).first().cycle
    meeting = Meeting.objects.filter(cycle=cycle).first()
    if meeting is None:
        meeting = Meeting.objects.create(jurisdiction=jurisdiction, cycle=cycle, held_on=dt.date(2026, 11, 20))
        meeting.attendance.create(member=member, present=True)
    if arg == "meeting_id":
        return meeting
    return (Round.objects.filter(meeting=meeting).first()
            or Round.objects.create(meeting=meeting, award_code="quality", number=1, method=Round.Method.ONLINE,
                                    places=1, present_count=1))


def _users() -> dict:
    User = get_user_model()
    users = {role: User.objects.get(username=f"{OWN}-{role}") for role in ROLES}
    users["other_tenant_office"] = User.objects.get(username=f"{OTHER}-office")
    users["other_applicant"] = (User.objects.filter(memberships__jurisdiction__slug=OWN,
                                                    memberships__role=Role.APPLICANT)
                                .exclude(username=f"{OWN}-applicant").exclude(organizations=None).first())
    users["anonymous"] = None
    return users


def foreign(route: str, variant: str, who: str) -> bool:
    """Whether the user must not see the object the path names."""
    if variant != "own":
        return True
    # The demo applicant's own application, asked for by another applicant of the same tenant.
    return who == "other_applicant" and bool(APPLICANT_OBJECTS & {a for _c, a in ARG.findall(route)})


def test_no_url_fails_or_leaks_for_any_role(client, world):
    users = _users()
    problems: list[str] = []
    probed = 0
    for route, name in routes():
        for variant in ("own", "other_tenant", "other_applicant"):
            path = _fill(route, name, world, variant)
            if path is None:
                continue
            for who, user in users.items():
                if variant == "other_applicant" and who != "applicant":
                    continue
                for method in ("get", "post"):
                    client.logout()
                    if user is not None:
                        client.force_login(user)
                    response = getattr(client, method)(path)
                    probed += 1
                    code = response.status_code
                    where = f"{method.upper()} {path} as {who} ({variant}): {code}"
                    if code >= 500:
                        problems.append("server error " + where)
                    elif foreign(route, variant, who) and code not in (404, 405):
                        to_login = code == 302 and "/accounts/login/" in response.get("Location", "")
                        # An autosave answers an expired session with a status line instead of a
                        # redirect (htmx would swap the login page into it), before looking anything up.
                        expired = code == 200 and name.endswith("autosave") and "登录已超时" in response.content.decode()
                        if not (user is None and (to_login or expired)):
                            problems.append("leak " + where)
    assert problems == []
    assert probed > 1000

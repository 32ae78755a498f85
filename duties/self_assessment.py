"""The yearly self-assessment a winner owes (Binjiang 七（三）): which reports are due when, the
winner's submissions (late ones accepted and marked late) and the office's spot checks.

The duty rows are made when an application enters `awarded` (the workflow's on-enter effect, see
apps.py) and by a daily sweep for winners awarded before this existed; both are idempotent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from awards.models import Application, ApplicationEvent
from awards.refusals import ServiceError
from awards.states import AppState
from awards.uploads import UploadRefused, check_upload, safe_original_name
from jurisdictions.access import has_role
from jurisdictions.models import Role

from .models import SelfAssessmentDuty, SelfAssessmentReport, SpotCheck


@dataclass(frozen=True)
class DueReport:
    year: int
    due_on: dt.date
    required: bool
    not_required_reason: str


def awarded_on(app: Application) -> dt.date | None:
    """The local day the application entered `awarded`."""
    at = (ApplicationEvent.objects.filter(application=app, to_state=AppState.AWARDED)
          .order_by("at", "pk").values_list("at", flat=True).first())
    return timezone.localdate(at) if at else None


def due_reports(app: Application, award_day: dt.date) -> tuple[list[DueReport], str]:
    """The reports the profile asks of this winner, and the article; none where it asks for none."""
    post = app.cycle.profile.typed.post_award
    if post.annual_self_assessment_years is None or post.annual_self_assessment_due is None:
        return [], ""
    due = post.annual_self_assessment_due.value
    first = app.cycle.year + 1
    rows = []
    for year in range(first, first + post.annual_self_assessment_years.value):
        day = due.due_on(year)
        reason = ""
        if day < award_day:
            reason = _("该年度报送截止日（%(due)s）在授奖（%(award)s）之前，无需报送。") % {
                "due": day.isoformat(), "award": award_day.isoformat()}
        rows.append(DueReport(year, day, not reason, reason))
    return rows, post.annual_self_assessment_years.cite


def ensure_duties(application_id: int) -> int:
    """Make the awarded application's duty rows that are missing; returns how many were made."""
    with scopes_disabled():
        app = (Application.objects.select_related("cycle__profile", "jurisdiction")
               .filter(pk=application_id, state=AppState.AWARDED).first())
        if app is None:
            return 0
        award_day = awarded_on(app)
        if award_day is None:
            return 0
        rows, cite = due_reports(app, award_day)
        have = set(SelfAssessmentDuty.objects.filter(application=app).values_list("year", flat=True))
        made = 0
        for row in rows:
            if row.year in have:
                continue
            try:
                with transaction.atomic():
                    SelfAssessmentDuty.objects.create(
                        jurisdiction=app.jurisdiction, application=app, year=row.year, due_on=row.due_on,
                        required=row.required, not_required_reason=row.not_required_reason, cite=cite)
            except IntegrityError:
                continue  # made at the same moment by the hook or the sweep
            made += 1
        return made


def ensure_all_duties() -> int:
    """The sweep: duty rows for every winner whose profile asks for yearly reports."""
    with scopes_disabled():
        ids = list(Application.objects.filter(state=AppState.AWARDED)
                   .filter(cycle__profile__document__post_award__has_key="annual_self_assessment_due")
                   .values_list("pk", flat=True))
    return sum(ensure_duties(pk) for pk in ids)


def first_report(duty: SelfAssessmentDuty) -> SelfAssessmentReport | None:
    return duty.reports.order_by("submitted_at", "pk").first()


def days_late(due_on: dt.date, day: dt.date) -> int:
    return max((day - due_on).days, 0)


def submit_report(duty: SelfAssessmentDuty, actor: User, *, uploaded: UploadedFile, note: str,
                  now: dt.datetime | None = None) -> SelfAssessmentReport:
    """The winner sends its report (a PDF); a late one is accepted and marked late."""
    now = now or timezone.now()
    app = duty.application
    if not app.organization.users.filter(pk=actor.pk).exists():
        raise ServiceError(_("只有获奖组织的账号可以报送自我评价报告。"))
    if app.state != AppState.AWARDED:
        raise ServiceError(_("该组织已不再是获奖组织，无需报送。"))
    try:
        content_type, digest = check_upload(uploaded, already_stored_bytes=0)
    except UploadRefused as exc:
        raise ServiceError(str(exc), "file") from None
    if content_type != "application/pdf":
        raise ServiceError(_("自我评价报告须为 PDF 文件，请导出为 PDF 后上传。"), "file")
    report = SelfAssessmentReport(
        jurisdiction=duty.jurisdiction, duty=duty, file_name=safe_original_name(uploaded.name, content_type),
        file_type=content_type, sha256=digest, size=uploaded.size or 0, note=note.strip(), submitted_by=actor,
        submitted_at=now, late_days=days_late(duty.due_on, timezone.localdate(now)))
    report.file.save(report.file_name, uploaded, save=False)
    report.save()
    return report


def record_spot_check(report: SelfAssessmentReport, actor: User, *, checked_on: dt.date, result: str,
                      note: str) -> SpotCheck:
    if not has_role(actor, report.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记抽查结果。"))
    if checked_on > timezone.localdate():
        raise ServiceError(_("抽查日期不能晚于今天。"), "checked_on")
    if checked_on < timezone.localdate(report.submitted_at):
        raise ServiceError(_("抽查日期不能早于报告提交日期（%(day)s）。") % {
            "day": timezone.localdate(report.submitted_at).isoformat()}, "checked_on")
    if result not in SpotCheck.Result.values:
        raise ServiceError(_("请选择抽查结果。"), "result")
    note = note.strip()
    if not note:
        raise ServiceError(_("请填写抽查意见。"), "note")
    return SpotCheck.objects.create(jurisdiction=report.jurisdiction, report=report, checked_on=checked_on,
                                    result=result, note=note, checked_by=actor)


# --- where each duty stands -------------------------------------------------------------------
@dataclass
class DutyStanding:
    duty: SelfAssessmentDuty
    report: SelfAssessmentReport | None
    status: str
    overdue_days: int = 0

    @property
    def open(self) -> bool:
        return self.duty.required and self.report is None


def standing(duty: SelfAssessmentDuty, today: dt.date, report: SelfAssessmentReport | None) -> DutyStanding:
    if report is not None:
        label = (_("已报送（逾期%(n)s天）") % {"n": report.late_days}) if report.late else _("已报送")
        return DutyStanding(duty, report, label)
    if not duty.required:
        return DutyStanding(duty, None, _("无需报送"))
    if today > duty.due_on:
        n = (today - duty.due_on).days
        return DutyStanding(duty, None, _("已逾期%(n)s天") % {"n": n}, n)
    return DutyStanding(duty, None, _("待报送"))


def standings(duties: list[SelfAssessmentDuty], today: dt.date) -> list[DutyStanding]:
    """Each duty with its first report (one query for all)."""
    firsts: dict[int, SelfAssessmentReport] = {}
    for report in SelfAssessmentReport.objects.filter(duty__in=duties).order_by("-submitted_at", "-pk"):
        firsts[report.duty_id] = report
    return [standing(d, today, firsts.get(d.pk)) for d in duties]

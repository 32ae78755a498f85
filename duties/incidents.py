"""A winner's report of a situation its profile makes reportable (Keqiao 第二十九条: within 30 days
of its occurring): due date by the profile's period, lateness counted when it is filed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application
from awards.refusals import ServiceError
from awards.states import AppState
from awards.uploads import UploadRefused, check_upload, safe_original_name
from honours.approval import award_approved_on
from jurisdictions.profile_schema import Cited, IncidentTrigger, Period

from .models import IncidentReport
from .periods import period_end


def rules_of(app: Application) -> tuple[Cited[Period], list[IncidentTrigger]] | None:
    """The period and the situations, where the award's profile asks for incident reports."""
    post = app.cycle.profile.typed.post_award
    if post.incident_report_within is None:
        return None
    return post.incident_report_within, list(post.incident_triggers.value) if post.incident_triggers else []


def file_report(app: Application, actor: User, *, triggers: list[str], occurred_on: dt.date, description: str,
                attachment: UploadedFile | None = None, now: dt.datetime | None = None) -> IncidentReport:
    now = now or timezone.now()
    rules = rules_of(app)
    if rules is None:
        raise ServiceError(_("本辖区的评审规则没有规定获奖组织报告情况的义务。"))
    within, known = rules
    if app.state != AppState.AWARDED:
        raise ServiceError(_("只有获奖组织需要报告。"))
    if not app.organization.users.filter(pk=actor.pk).exists():
        raise ServiceError(_("只有获奖组织的账号可以报告。"))
    by_code = {t.code: t for t in known}
    chosen = [by_code[c] for c in triggers if c in by_code]
    if known and not chosen:
        raise ServiceError(_("请选择发生的情形（可多选）。"), "triggers")
    today = timezone.localdate(now)
    if occurred_on > today:
        raise ServiceError(_("发生日期不能晚于今天。"), "occurred_on")
    awarded_on = award_approved_on(app)
    if awarded_on is not None and occurred_on < awarded_on:
        # The duty is the winner's (获得…质量奖的组织): what happened before the award is not reported here.
        raise ServiceError(_("发生日期早于获奖（%(day)s），不属于获奖后应当报告的情况。") % {"day": awarded_on.isoformat()},
                           "occurred_on")
    description = description.strip()
    if not description:
        raise ServiceError(_("请填写情况说明。"), "description")
    report = IncidentReport(
        jurisdiction=app.jurisdiction, application=app, triggers=[{"code": t.code, "text_zh": t.text_zh} for t in chosen],
        occurred_on=occurred_on, description=description, cite=within.cite, reported_by=actor, reported_at=now)
    if attachment is not None:
        try:
            content_type, digest = check_upload(attachment, already_stored_bytes=0)
        except UploadRefused as exc:
            raise ServiceError(str(exc), "attachment") from None
        report.file_type, report.sha256 = content_type, digest
        report.file_name = safe_original_name(attachment.name, content_type)
        report.file.save(report.file_name, attachment, save=False)
    report.due_on = period_end(app.jurisdiction, occurred_on, within.value)
    report.late_days = max((today - report.due_on).days, 0)
    report.save()
    return report

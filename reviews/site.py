"""Site reviews (现场评审): scheduling, the report and its deadline, the applicant's confirmation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, AwardCycle
from awards.refusals import ServiceError
from awards.states import AppState
from jurisdictions.access import has_role
from jurisdictions.models import Membership, Notification, Role
from jurisdictions.notifications import notify
from jurisdictions.rules_wording import cite_label
from jurisdictions.tasks import send_mail_task
from jurisdictions.workcalendar import add_working_days, coverage_warning

from .groups import assign, leader_of
from .models import Assignment, ReviewGroup, SiteReportReminder, SiteVisit, Stage


def report_due_on(application: Application, ends_on: dt.date) -> tuple[dt.date | None, str | None]:
    """The report deadline the profile sets, counted on the jurisdiction's calendar, and any warning
    that the calendar lacks that year's official schedule."""
    cited = application.cycle.profile.typed.review.site_report_deadline
    if cited is None:
        return None, None
    period = cited.value
    if period.unit == "working_days":
        due = add_working_days(application.jurisdiction, ends_on, period.amount)
        return due, coverage_warning(application.jurisdiction, ends_on, due)
    if period.unit == "calendar_days":
        return ends_on + dt.timedelta(days=period.amount), None
    raise ServiceError(_("不支持的报告期限单位。"))


# A visit may be recorded after it took place, but one that began more than a year ago belongs to
# no running cycle: such a date is a mistyped year, and is refused next to the field.
LATEST_RECORDING_DAYS = 365


def days_in_the_past(starts_on: dt.date, today: dt.date | None = None) -> int:
    """How many days ago a visit began (0 for today or a future date)."""
    return max(((today or timezone.localdate()) - starts_on).days, 0)


def schedule(application: Application, group: ReviewGroup, starts_on: dt.date, ends_on: dt.date, actor: User,
             today: dt.date | None = None) -> SiteVisit:
    if application.state != AppState.SHORTLISTED:
        raise ServiceError(_("只有入围现场评审的申报才能安排现场评审。"))
    past = days_in_the_past(starts_on, today)
    if past > LATEST_RECORDING_DAYS:
        raise ServiceError(_("开始日期 %(date)s 已过去 %(days)s 天，不能安排为本届的现场评审；请核对年份。") % {
            "date": starts_on.isoformat(), "days": past}, "starts_on")
    if ends_on < starts_on:
        raise ServiceError(_("结束日期不能早于开始日期。"), "ends_on")
    if not Assignment.objects.filter(application=application, stage=Stage.SITE).exists():
        assign(application, group, Stage.SITE, actor)
    due, _warning = report_due_on(application, ends_on)
    visit, _created = SiteVisit.objects.update_or_create(
        application=application,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "report_due_on": due},
    )
    return visit


def submit_report(application: Application, leader, report: str) -> SiteVisit:
    if leader_of(application, Stage.SITE) != leader:
        raise ServiceError(_("只有现场评审组组长可以提交现场评审报告。"))
    if not report.strip():
        raise ServiceError(_("请填写现场评审报告。"), "report")
    with transaction.atomic():
        visit = SiteVisit.objects.select_for_update().filter(application=application).first()
        if visit is None:
            raise ServiceError(_("尚未安排现场评审。"))
        if visit.confirmation:
            raise ServiceError(_("组织已对报告作出确认，不能再修改。"))
        visit.report = report.strip()
        visit.report_submitted_at = timezone.now()
        visit.save(update_fields=["report", "report_submitted_at"])
    return visit


def respond(application: Application, user: User, *, confirm: bool, comments: str = "") -> SiteVisit:
    """The applicant confirms the site report (由组织确认) or disputes it with comments."""
    if not application.organization.users.filter(pk=user.pk).exists():
        raise ServiceError(_("只有申报组织可以确认现场评审报告。"))
    rule = application.cycle.profile.typed.review.site_report_confirmed_by_applicant
    if not rule.value:
        cite = cite_label(rule.cite)
        raise ServiceError(_("本辖区的现场评审报告不设组织确认环节（%(cite)s）。") % {"cite": cite})
    if not confirm and not comments.strip():
        raise ServiceError(_("对报告有异议时请写明意见。"), "comments")
    with transaction.atomic():
        visit = SiteVisit.objects.select_for_update().filter(application=application).first()
        if visit is None or visit.report_submitted_at is None:
            raise ServiceError(_("现场评审报告尚未提交。"))
        if visit.confirmation:
            raise ServiceError(_("您已对报告作出确认。"))
        visit.confirmation = SiteVisit.Confirmation.CONFIRMED if confirm else SiteVisit.Confirmation.DISPUTED
        visit.applicant_comments = comments.strip()
        visit.confirmed_at = timezone.now()
        visit.save(update_fields=["confirmation", "applicant_comments", "confirmed_at"])
    return visit


def record_given_report(application: Application, *, starts_on: dt.date, ends_on: dt.date, report: str,
                        actor: User) -> SiteVisit:
    """A site visit whose report is given as such (a what-if run, or a report kept on paper): the
    visit and its submitted report are recorded in one step; the applicant's confirmation is not."""
    if not report.strip():
        raise ServiceError(_("请填写现场评审报告。"), "report")
    with transaction.atomic():
        visit, _created = SiteVisit.objects.update_or_create(
            application=application,
            defaults={"starts_on": starts_on, "ends_on": ends_on, "report": report.strip(),
                      "report_due_on": report_due_on(application, ends_on)[0], "report_submitted_at": timezone.now()},
        )
    return visit


def handle_dispute(application: Application, actor: User, handling: str) -> SiteVisit:
    """The office records how it dealt with the applicant's objection to the site report; the
    comprehensive evaluation may then go ahead for this application."""
    if not has_role(actor, application.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以记录异议的处理。"))
    if not handling.strip():
        raise ServiceError(_("请写明对异议的处理情况。"), "handling")
    with transaction.atomic():
        visit = SiteVisit.objects.select_for_update().filter(application=application).first()
        if visit is None or visit.confirmation != SiteVisit.Confirmation.DISPUTED:
            raise ServiceError(_("该组织没有对现场评审报告提出异议。"))
        if visit.dispute_handled_at is not None:
            raise ServiceError(_("对该异议的处理已经记录。"))
        visit.dispute_handling = handling.strip()
        visit.dispute_handled_by = actor
        visit.dispute_handled_at = timezone.now()
        visit.save(update_fields=["dispute_handling", "dispute_handled_by", "dispute_handled_at"])
    return visit


def confirmation_required(cycle: AwardCycle) -> bool:
    return bool(cycle.profile.typed.review.site_report_confirmed_by_applicant.value)


def awaiting_confirmation(cycle: AwardCycle) -> list[Application]:
    """Shortlisted applications whose site report the applicant has not confirmed (and, if disputed,
    whose dispute the office has not yet dealt with), where the profile asks for the confirmation.
    The comprehensive evaluation waits for them (Keqiao 第十七条: 现场评审报告由组织确认)."""
    if not confirmation_required(cycle):
        return []
    apps = (Application.objects.filter(cycle=cycle, state=AppState.SHORTLISTED)
            .select_related("organization", "site_visit").order_by("number", "pk"))
    return [a for a in apps if getattr(a, "site_visit", None) is None or not a.site_visit.settled]


def awaiting_confirmation_message(cycle: AwardCycle, waiting: list[Application]) -> str:
    cited = cycle.profile.typed.review.site_report_confirmed_by_applicant
    cite = cite_label(cited.cite)
    return _("现场评审报告须经申报组织确认（%(cite)s），以下%(n)s家尚未确认或其异议尚未处理，暂不能进行综合评价：%(list)s") % {
        "cite": cite, "n": len(waiting),
        "list": "、".join(f"{a.number}（{a.organization.name}）" for a in waiting)}


@dataclass
class DueRow:
    visit: SiteVisit
    overdue: bool
    days_left: int

    @property
    def due_on(self) -> dt.date:
        assert self.visit.report_due_on is not None  # reports_due lists visits with a deadline only
        return self.visit.report_due_on


def reports_due(cycle: AwardCycle, today: dt.date | None = None) -> list[DueRow]:
    """Reports not yet submitted with a deadline, soonest first; what is overdue is marked."""
    today = today or timezone.localdate()
    visits = (
        SiteVisit.objects.filter(application__cycle=cycle, report_submitted_at__isnull=True,
                                 report_due_on__isnull=False)
        .select_related("application__organization")
        .order_by("report_due_on")
    )
    rows = []
    for v in visits:
        assert v.report_due_on is not None  # the query keeps visits with a deadline only
        rows.append(DueRow(v, v.report_due_on < today, (v.report_due_on - today).days))
    return rows


def send_report_reminders(today: dt.date | None = None) -> int:
    """Remind the site group's leader of a report due tomorrow or overdue, once per kind of reminder.
    The unique (visit, kind) row is the claim, so a second sweep sends nothing."""
    today = today or timezone.localdate()
    sent = 0
    for visit in SiteVisit.objects.filter(report_submitted_at__isnull=True, report_due_on__isnull=False,
                                          report_due_on__lte=today + dt.timedelta(days=1)).select_related(
            "application__organization", "application__jurisdiction"):
        assert visit.report_due_on is not None  # the query keeps visits with a deadline only
        kind = SiteReportReminder.Kind.OVERDUE if visit.report_due_on < today else SiteReportReminder.Kind.DUE
        leader = leader_of(visit.application, Stage.SITE)
        if leader is None:
            continue
        try:
            with transaction.atomic():
                SiteReportReminder.objects.create(visit=visit, kind=kind)
                subject = _("现场评审报告提交提醒")
                body = _("%(org)s 的现场评审报告应于 %(due)s 前提交%(office)s。") % {
                    "org": visit.application.organization.name, "due": visit.report_due_on,
                    "office": visit.application.jurisdiction.office_short_zh}
                if kind == SiteReportReminder.Kind.OVERDUE:
                    body += _("现已逾期，请尽快提交。")
                recipients = [leader.email] if leader.email else []
                recipients += list(Membership.objects.filter(
                    jurisdiction=visit.application.jurisdiction, role=Role.OFFICE,
                ).exclude(user__email="").values_list("user__email", flat=True)) if kind == "overdue" else []
                if recipients:
                    transaction.on_commit(partial(send_mail_task.delay, subject, body, recipients))
                # The leader's in-app list has it too (the mail above is its e-mail).
                notify([leader], visit.application.jurisdiction, kind=Notification.Kind.DEADLINE,
                       key=f"site-report:{visit.pk}:{kind}", title=subject, body=body,
                       link=reverse("reviewer-site-report-write",
                                    kwargs={"jurisdiction": visit.application.jurisdiction.slug,
                                            "pk": visit.application_id}),
                       email=False)
        except IntegrityError:
            continue
        sent += 1
    return sent

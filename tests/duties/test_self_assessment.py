"""The yearly self-assessment (Binjiang 七（三）): five reports from the year after the award, each
due before 1 March; a due date past at the award not required; late reports accepted and marked;
the reminders at each office-set offset once, and once when overdue, none after a report; the
office's overdue and received lists and spot checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from awards.states import AppState
from duties import reminders, self_assessment
from duties.models import DutyReminder, SelfAssessmentDuty, SpotCheck
from jurisdictions.models import Notification, OutboxMessage
from tests.awards.builders import pdf_upload
from tests.duties.builders import at, winner

pytestmark = pytest.mark.django_db


def test_the_award_lists_five_reports_each_due_before_march_covering_the_year_before(
        loaded, django_capture_on_commit_callbacks):
    from tests.honours.builders import approve, awaiting_approval

    cycle, office, apps, _notice = awaiting_approval(loaded["binjiang"], 1)
    # The on-award hook makes the rows once the approval commits.
    with django_capture_on_commit_callbacks(execute=True):
        approve(cycle, office)
    duties = list(SelfAssessmentDuty.objects.filter(application=apps[0]).order_by("year"))
    y = cycle.year
    assert [(d.year, d.covers_year, d.due_on, d.required, d.cite) for d in duties] == [
        (y + k, y + k - 1, dt.date(y + k, 3, 1) - dt.timedelta(days=1), True, "七（三）") for k in range(1, 6)]
    # The sweep, run after, makes nothing twice.
    assert self_assessment.ensure_all_duties() == 0
    assert SelfAssessmentDuty.objects.filter(application=apps[0]).count() == 5


def test_a_due_date_past_at_the_award_is_listed_as_not_required_with_the_reason(loaded):
    # Awarded on 10 March of the year after the cycle: that year's report (due 28 February) was past.
    app, _office, _user = winner(loaded["binjiang"], awarded_at=None)
    SelfAssessmentDuty.objects.filter(application=app).delete()
    from awards.models import ApplicationEvent
    ApplicationEvent.objects.filter(application=app, to_state=AppState.AWARDED).update(
        at=at(dt.date(app.cycle.year + 1, 3, 10)))
    assert self_assessment.ensure_duties(app.pk) == 5
    first, *rest = SelfAssessmentDuty.objects.filter(application=app).order_by("year")
    assert not first.required
    assert f"{first.due_on.isoformat()}" in first.not_required_reason and "无需报送" in first.not_required_reason
    assert all(d.required for d in rest)
    client = Client()
    client.force_login(app.organization.users.get())
    page = client.get("/binjiang/duties/").content.decode()
    assert "无需报送" in page and first.not_required_reason in page


def test_reminders_once_at_each_offset_and_once_overdue_not_duplicated(loaded, django_capture_on_commit_callbacks):
    app, _office, user = winner(loaded["binjiang"])
    duty = SelfAssessmentDuty.objects.filter(application=app).order_by("year").first()
    due = duty.due_on

    def run(day: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send_reminders(now=at(day))

    assert run(due - dt.timedelta(days=31)) == 0
    assert run(due - dt.timedelta(days=30)) == 1
    assert run(due - dt.timedelta(days=29)) == 0          # the same offset: not again
    assert run(due - dt.timedelta(days=7)) == 1
    assert run(due - dt.timedelta(days=7)) == 0           # a second run the same day
    assert run(due) == 0
    assert run(due + dt.timedelta(days=1)) == 1           # overdue, once
    assert run(due + dt.timedelta(days=2)) == 0
    sent = list(DutyReminder.objects.filter(duty=duty).order_by("sent_at").values_list("days_before", flat=True))
    assert sent == [30, 7, DutyReminder.OVERDUE]
    notes = list(Notification.objects.filter(user=user, key__startswith=f"self-assessment:{duty.pk}:")
                 .order_by("created_at", "pk"))
    assert len(notes) == 3
    assert f"将于{due.isoformat()}截止" in notes[0].title and "七（三）" in notes[0].body
    assert "已逾期" in notes[2].title
    mails = OutboxMessage.objects.filter(recipients__contains=[user.email], subject__contains="自我评价报告")
    assert mails.count() == 3


def test_no_reminder_after_the_report_is_sent(loaded):
    app, _office, user = winner(loaded["binjiang"])
    duty = SelfAssessmentDuty.objects.filter(application=app).order_by("year").first()
    assert reminders.send_reminders(now=at(duty.due_on - dt.timedelta(days=30))) == 1
    self_assessment.submit_report(duty, user, uploaded=pdf_upload("自评报告.pdf"), note="",
                                  now=at(duty.due_on - dt.timedelta(days=20)))
    assert reminders.send_reminders(now=at(duty.due_on - dt.timedelta(days=7))) == 0
    assert reminders.send_reminders(now=at(duty.due_on + dt.timedelta(days=3))) == 0
    assert list(DutyReminder.objects.filter(duty=duty).values_list("days_before", flat=True)) == [30]


def test_a_late_report_is_accepted_and_marked_late_and_the_office_lists_overdue_and_received(loaded):
    app, office, user = winner(loaded["binjiang"])
    first, second = SelfAssessmentDuty.objects.filter(application=app).order_by("year")[:2]
    report = self_assessment.submit_report(first, user, uploaded=pdf_upload("自评报告.pdf"), note="迟交说明",
                                           now=at(first.due_on + dt.timedelta(days=4)))
    assert report.late and report.late_days == 4
    on_time = self_assessment.submit_report(second, user, uploaded=pdf_upload("自评报告.pdf"), note="",
                                            now=at(second.due_on))
    assert not on_time.late
    # The office's page on a day after the third report's due date: that one is overdue.
    third = SelfAssessmentDuty.objects.filter(application=app).order_by("year")[2]
    from duties import summaries
    counts = summaries.office_duties(loaded["binjiang"], today=third.due_on + dt.timedelta(days=5))
    assert counts.overdue_reports == 1
    client = Client()
    client.force_login(office)
    page = client.get("/binjiang/office/duties/").content.decode()
    org = app.organization.name
    assert org in page and "逾期4天" in page and f"{first.covers_year}年度" in page


def test_the_office_records_a_spot_check_on_a_received_report(loaded):
    app, office, user = winner(loaded["binjiang"])
    duty = SelfAssessmentDuty.objects.filter(application=app).order_by("year").first()
    report = self_assessment.submit_report(duty, user, uploaded=pdf_upload("自评报告.pdf"), note="")
    client = Client()
    client.force_login(office)
    url = f"/binjiang/office/duties/reports/{report.pk}/"
    refused = client.post(url, {"checked_on": "", "result": "conforms", "note": "与现场情况一致"})
    body = refused.content.decode()
    field = body.split('<div class="field has-error">', 1)[1].split("</div>", 1)[0]
    assert 'name="checked_on"' in field and "此项为必填项" in field
    assert "请勾选确认" in body and "与现场情况一致" in body
    today = dt.date.today().isoformat()
    done = client.post(url, {"checked_on": today, "result": "does_not_conform", "note": "数据与年报不一致",
                             "confirm": "on"}, follow=True)
    check = SpotCheck.objects.get(report=report)
    assert (check.result, check.checked_by, check.note) == ("does_not_conform", office, "数据与年报不一致")
    assert "不符合" in done.content.decode() and "数据与年报不一致" in done.content.decode()


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field_and_the_note_is_kept(loaded):
    app, _office, user = winner(loaded["binjiang"])
    duty = SelfAssessmentDuty.objects.filter(application=app).order_by("year").first()
    client = Client()
    client.force_login(user)
    url = f"/binjiang/duties/self-assessments/{duty.pk}/"
    for upload, words in ((SimpleUploadedFile("报告.pdf", b"not a pdf at all", content_type="application/pdf"),
                           "不是 PDF"),
                          (SimpleUploadedFile("报告.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40, content_type="image/png"),
                           "须为 PDF 文件")):
        response = client.post(url, {"file": upload, "note": "本年度说明文字"})
        body = response.content.decode()
        assert response.status_code == 200
        field = body.split('<div class="field has-error">', 1)[1].split("</div>", 1)[0]
        assert words in field and 'name="file"' in field
        assert "本年度说明文字" in body
    assert not duty.reports.exists()
    sent = client.post(url, {"file": pdf_upload("2026年度自评报告.pdf"), "note": "本年度说明文字"}, follow=True)
    assert "2026年度自评报告.pdf" in sent.content.decode() and duty.reports.count() == 1
    # The winner's own file downloads; the bytes are the PDF it sent.
    download = client.get(f"/binjiang/duties/reports/{duty.reports.get().pk}.pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")

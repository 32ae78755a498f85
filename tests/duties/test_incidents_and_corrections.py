"""Incident reports within the profile's period (Keqiao 第二十九条), late ones marked by how many
days; orders to correct a misuse of the title (Binjiang 七（四）…) overdue then corrected; another
tenant's or another organisation's duty answers 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from awards.refusals import ServiceError
from duties import corrections, incidents
from duties.models import CorrectionOrder, IncidentReport, SelfAssessmentDuty
from honours.models import Approval
from tests.awards.builders import pdf_upload
from tests.duties.builders import at, winner

pytestmark = pytest.mark.django_db


def test_an_incident_reported_within_30_days_is_on_time_and_one_after_is_late_by_its_days(loaded):
    app, office, user = winner(loaded["keqiao"])
    occurred = dt.date(2027, 5, 1)
    on_time = incidents.file_report(app, user, triggers=["failed_spot_check"], occurred_on=occurred,
                                    description="省级监督抽查不合格", now=at(dt.date(2027, 5, 31)))
    assert (on_time.due_on, on_time.late_days, on_time.cite) == (dt.date(2027, 5, 31), 0, "第二十九条")
    assert on_time.triggers == [{"code": "failed_spot_check", "text_zh": "国家、省、市、县产品质量监督抽查不合格"}]
    late = incidents.file_report(app, user, triggers=["major_accident", "serious_losses"], occurred_on=occurred,
                                 description="生产安全事故", attachment=pdf_upload("事故报告.pdf"),
                                 now=at(dt.date(2027, 6, 3)))
    assert late.late and late.late_days == 3
    client = Client()
    client.force_login(office)
    page = client.get("/keqiao/office/duties/").content.decode()
    assert "逾期3天" in page and "第二十九条" in page and "发生较大及以上质量、生产安全、环保事故" in page
    assert "事故报告.pdf" in page


def test_what_happened_before_the_award_is_not_an_incident_report_and_binjiang_lists_none(loaded):
    app, _office, user = winner(loaded["keqiao"])
    awarded_on = Approval.objects.get(cycle_id=app.cycle_id).approved_on
    with pytest.raises(ServiceError) as refused:
        incidents.file_report(app, user, triggers=["major_accident"], occurred_on=awarded_on - dt.timedelta(days=1),
                              description="获奖前的事故", now=at(awarded_on + dt.timedelta(days=3)))
    assert refused.value.field == "occurred_on" and "早于获奖" in refused.value.message
    assert not IncidentReport.objects.exists()
    # Binjiang's text asks for no incident reports: its office page has no such section.
    _app, binjiang_office, _user = winner(loaded["binjiang"])
    client = Client()
    client.force_login(binjiang_office)
    page = client.get("/binjiang/office/duties/").content.decode()
    assert 'id="incidents"' not in page and 'id="overdue"' in page


def test_the_incident_form_shows_the_profiles_situations_and_refuses_none_chosen(loaded):
    app, _office, user = winner(loaded["keqiao"])
    # The builder's approval is dated after the notice ends (days from now): this award was made earlier.
    Approval.objects.filter(cycle_id=app.cycle_id).update(approved_on=timezone.localdate() - dt.timedelta(days=10))
    client = Client()
    client.force_login(user)
    url = f"/keqiao/duties/{app.pk}/incident/"
    page = client.get(url).content.decode()
    assert "用户对质量问题反映强烈" in page and "第二十九条" in page and "30天" in page
    refused = client.post(url, {"occurred_on": timezone.localdate().isoformat(), "description": "客户集中投诉"})
    body = refused.content.decode()
    assert "请选择发生的情形" in body and "客户集中投诉" in body
    future = client.post(url, {"triggers": ["quality_complaints"], "description": "客户集中投诉",
                               "occurred_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()})
    assert "发生日期不能晚于今天" in future.content.decode()
    done = client.post(url, {"triggers": ["quality_complaints"], "description": "客户集中投诉",
                             "occurred_on": timezone.localdate().isoformat()}, follow=True)
    assert IncidentReport.objects.filter(application=app).count() == 1
    assert "报告" in done.content.decode()
    # Binjiang's text asks for no incident reports: no such page there.
    bj, _o, bj_user = winner(loaded["binjiang"])
    client.force_login(bj_user)
    assert client.get(f"/binjiang/duties/{bj.pk}/incident/").status_code == 404


def test_a_correction_order_goes_overdue_then_is_corrected(loaded):
    app, office, _user = winner(loaded["binjiang"])
    today = timezone.localdate()
    client = Client()
    client.force_login(office)
    refused = client.post("/binjiang/office/duties/orders/new/", {
        "application": app.pk, "finding": "在产品包装上使用获奖称号", "ordered_on": today.isoformat(),
        "deadline": today.isoformat(), "confirm": "on"})
    assert "改正期限须晚于责令日期" in refused.content.decode() and "在产品包装上使用获奖称号" in refused.content.decode()
    ordered = today - dt.timedelta(days=20)
    client.post("/binjiang/office/duties/orders/new/", {
        "application": app.pk, "finding": "在产品包装上使用获奖称号", "ordered_on": ordered.isoformat(),
        "deadline": (today - dt.timedelta(days=5)).isoformat(), "confirm": "on"})
    order = CorrectionOrder.objects.get(application=app)
    assert (order.ordered_by_body, order.cite) == ("区评审办", "七（四）")
    assert corrections.is_overdue(order, today)
    page = client.get(f"/binjiang/office/duties/orders/{order.pk}/").content.decode()
    assert "已逾期5天，未改正" in page and "七（四）" in page
    home = client.get("/binjiang/office/").content.decode()
    assert "未完成的责令改正" in home and "其中1项已逾期" in home
    client.post(f"/binjiang/office/duties/orders/{order.pk}/", {
        "corrected_on": today.isoformat(), "note": "已更换包装并撤回宣传材料", "confirm": "on"})
    order.refresh_from_db()
    assert order.corrected_on == today and not corrections.is_overdue(order, today)
    page = client.get(f"/binjiang/office/duties/orders/{order.pk}/").content.decode()
    assert f"已于{today.isoformat()}改正" in page and "已更换包装并撤回宣传材料" in page
    with pytest.raises(ServiceError):
        corrections.record_corrected(order, office, corrected_on=today, note="再次")


def test_no_correction_order_where_the_profile_names_no_one_to_order_it(loaded):
    app, office, _user = winner(loaded["zhuji"])
    with pytest.raises(ServiceError) as refused:
        corrections.record_order(app, office, finding="x", ordered_on=timezone.localdate(),
                                 deadline=timezone.localdate() + dt.timedelta(days=10))
    assert "没有规定责令限期改正" in refused.value.message
    client = Client()
    client.force_login(office)
    assert client.get("/zhuji/office/duties/orders/new/").status_code == 404


def test_another_organisations_or_another_tenants_duty_answers_404(loaded):
    app, office, user = winner(loaded["binjiang"], 2)
    from awards.models import Application
    other_app = Application.objects.filter(cycle=app.cycle, state="awarded").exclude(pk=app.pk).get()
    from duties import self_assessment
    self_assessment.ensure_duties(other_app.pk)
    other_duty = SelfAssessmentDuty.objects.filter(application=other_app).first()
    own_duty = SelfAssessmentDuty.objects.filter(application=app).first()
    client = Client()
    client.force_login(user)
    assert client.get(f"/binjiang/duties/self-assessments/{own_duty.pk}/").status_code == 200
    assert client.get(f"/binjiang/duties/self-assessments/{other_duty.pk}/").status_code == 404
    report = self_assessment.submit_report(other_duty, other_app.organization.users.get(), uploaded=pdf_upload(),
                                           note="")
    assert client.get(f"/binjiang/duties/reports/{report.pk}.pdf").status_code == 404
    # Another tenant's office: 404 under its own jurisdiction for Binjiang's rows.
    _kq_app, kq_office, _kq_user = winner(loaded["keqiao"])
    client.force_login(kq_office)
    assert client.get(f"/keqiao/office/duties/reports/{report.pk}/").status_code == 404
    assert client.get(f"/keqiao/duties/reports/{report.pk}.pdf").status_code == 404
    order = corrections.record_order(app, office, finding="违规使用称号", ordered_on=timezone.localdate(),
                                     deadline=timezone.localdate() + dt.timedelta(days=10))
    assert client.get(f"/keqiao/office/duties/orders/{order.pk}/").status_code == 404
    assert "违规使用称号" not in client.get("/keqiao/office/duties/").content.decode()

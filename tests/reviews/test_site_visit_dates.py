"""A site visit dated more than a year back is refused next to its start date (a mistyped year);
one recorded after it took place is saved with a warning, shown again beside its dates until the
report is in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reviews.models import SiteVisit
from tests.reviews.test_office_review import schedule_data, site_case, url  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_visit_503_days_back_is_refused_next_to_the_start_date(client, site_case):  # noqa: F811
    app, _other = site_case["apps"]
    client.force_login(site_case["office"])
    today = timezone.localdate()
    starts = today - dt.timedelta(days=503)
    response = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                           schedule_data(app, site_case["group"], starts=starts.isoformat(),
                                         ends=(starts + dt.timedelta(days=2)).isoformat()))
    assert response.status_code == 200
    form = next(r["form"] for r in response.context["rows"] if r["app"].pk == app.pk)
    assert form.errors["starts_on"] == [f"开始日期 {starts.isoformat()} 已过去 503 天，不能安排为本届的现场评审；请核对年份。"]
    assert form["starts_on"].value() == starts.isoformat()
    assert not SiteVisit.objects.exists()


def test_a_visit_recorded_after_it_took_place_is_saved_with_a_warning_beside_it(client, site_case):  # noqa: F811
    app, _other = site_case["apps"]
    client.force_login(site_case["office"])
    starts = timezone.localdate() - dt.timedelta(days=12)
    response = client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                           schedule_data(app, site_case["group"], starts=starts.isoformat(),
                                         ends=(starts + dt.timedelta(days=1)).isoformat()), follow=True)
    assert SiteVisit.objects.get(application=app).starts_on == starts
    shown = [str(m) for m in response.context["messages"]]
    assert f"开始日期 {starts.isoformat()} 已过去 12 天，已按补录保存；如日期有误，请修改。" in shown
    assert "开始日期已过去 12 天，报告尚未提交；如日期有误，请修改。" in response.content.decode()

    # A visit ahead carries no warning.
    ahead = timezone.localdate() + dt.timedelta(days=30)
    client.post(url("keqiao", "office-review-site-schedule", year=2026, pk=app.pk),
                schedule_data(app, starts=ahead.isoformat(), ends=(ahead + dt.timedelta(days=1)).isoformat()))
    page = client.get(url("keqiao", "office-review-site", year=2026)).content.decode()
    assert "报告尚未提交；如日期有误" not in page

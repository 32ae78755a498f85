"""The work calendar: national data from chinesecalendar, office overrides, the 2027 fallback and the
office's calendar page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import chinese_calendar
import pytest
from django.urls import reverse

from jurisdictions import workcalendar
from jurisdictions.models import CalendarOverride, CalendarYear
from jurisdictions.workcalendar import (
    add_working_days,
    coverage_warning,
    is_working_day,
    working_days_between,
    years_without_data,
)

D = dt.date
WARNING_2027 = (
    "系统没有 2027 年的国家法定节假日和调休安排，这些年份的工作日暂按周一至周五计算"
    "（评审办录入的调整仍然有效），与实际放假安排可能不符，涉及的期限请人工核对。"
    "请评审办在“工作日历”中录入该年度的放假和调休安排，然后点击“我已录入该年度放假安排”。"
)


def calendar_url(slug: str, year: int | None = None) -> str:
    url = reverse("office-calendar", kwargs={"jurisdiction": slug})
    return f"{url}?year={year}" if year is not None else url


def delete_url(slug: str, pk: int) -> str:
    return reverse("office-calendar-delete", kwargs={"jurisdiction": slug, "pk": pk})


def confirm_url(slug: str) -> str:
    return reverse("office-calendar-confirm", kwargs={"jurisdiction": slug})


# --- the package data --------------------------------------------------------------------------


def test_package_schedule_agrees_with_chinese_calendar_on_every_covered_day():
    package = workcalendar.package_schedule()
    assert (package.first_year, package.last_year) == (2004, 2026)
    day, disagreements = D(2004, 1, 1), []
    while day <= D(2026, 12, 31):
        if package.is_workday(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


def test_package_raises_for_2027_so_the_fallback_is_needed():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


def test_national_day_2026_per_the_package(loaded):
    keqiao = loaded["keqiao"]
    for day in range(1, 8):
        assert chinese_calendar.is_workday(D(2026, 10, day)) is False
        assert is_working_day(keqiao, D(2026, 10, day)) is False
    # Sunday 20 September and Saturday 10 October 2026 are adjusted working days.
    assert D(2026, 9, 20).weekday() == 6 and D(2026, 10, 10).weekday() == 5
    assert chinese_calendar.is_workday(D(2026, 9, 20)) is True
    assert chinese_calendar.is_workday(D(2026, 10, 10)) is True
    assert is_working_day(keqiao, D(2026, 9, 20)) is True
    assert is_working_day(keqiao, D(2026, 10, 10)) is True
    assert is_working_day(keqiao, D(2026, 10, 11)) is False


# --- counting working days ---------------------------------------------------------------------


def test_add_working_days_across_national_day_2026(loaded):
    keqiao = loaded["keqiao"]
    start = D(2026, 9, 30)  # e.g. the site review
    # 8 Oct (1), 9 Oct (2), Saturday 10 Oct (3, adjusted working day), 12 Oct (4), 13 Oct (5).
    assert add_working_days(keqiao, start, 1) == D(2026, 10, 8)
    assert add_working_days(keqiao, start, 3) == D(2026, 10, 10)
    assert add_working_days(keqiao, start, 5) == D(2026, 10, 13)
    assert working_days_between(keqiao, start, D(2026, 10, 13)) == 5
    assert working_days_between(keqiao, D(2026, 10, 13), start) == -5
    assert working_days_between(keqiao, start, start) == 0
    assert working_days_between(keqiao, start, D(2026, 10, 7)) == 0


def test_zero_working_days_is_the_day_itself_or_the_next_working_day(loaded):
    keqiao = loaded["keqiao"]
    assert add_working_days(keqiao, D(2026, 9, 30), 0) == D(2026, 9, 30)
    assert add_working_days(keqiao, D(2026, 10, 1), 0) == D(2026, 10, 8)
    with pytest.raises(ValueError):
        add_working_days(keqiao, D(2026, 9, 30), -1)


def test_office_override_changes_the_result_only_in_its_own_jurisdiction(loaded):
    keqiao, zhuji = loaded["keqiao"], loaded["zhuji"]
    CalendarOverride.objects.create(
        jurisdiction=keqiao, date=D(2026, 10, 9), kind=CalendarOverride.Kind.HOLIDAY, note="区里统一安排"
    )
    assert is_working_day(keqiao, D(2026, 10, 9)) is False
    assert add_working_days(keqiao, D(2026, 9, 30), 5) == D(2026, 10, 14)
    assert working_days_between(keqiao, D(2026, 9, 30), D(2026, 10, 14)) == 5
    assert add_working_days(zhuji, D(2026, 9, 30), 5) == D(2026, 10, 13)

    # An override beats the package the other way too: a national holiday declared a working day.
    CalendarOverride.objects.create(jurisdiction=keqiao, date=D(2026, 10, 7), kind=CalendarOverride.Kind.WORKDAY)
    assert add_working_days(keqiao, D(2026, 9, 30), 1) == D(2026, 10, 7)


def test_range_functions_fetch_overrides_in_one_query(loaded, django_assert_num_queries):
    keqiao = loaded["keqiao"]
    for day in (D(2026, 10, 9), D(2026, 10, 12), D(2026, 10, 13)):
        CalendarOverride.objects.create(jurisdiction=keqiao, date=day, kind=CalendarOverride.Kind.HOLIDAY)
    with django_assert_num_queries(1):
        assert add_working_days(keqiao, D(2026, 9, 30), 5) == D(2026, 10, 16)
    with django_assert_num_queries(1):
        # 248 national working days in 2026, minus the three declared holidays.
        assert working_days_between(keqiao, D(2026, 1, 1), D(2026, 12, 31)) == 245
    with django_assert_num_queries(1):
        assert len(workcalendar.describe_days(keqiao, D(2026, 1, 1), D(2026, 12, 31))) == 365
    with django_assert_num_queries(0):
        assert years_without_data(keqiao, D(2020, 1, 1), D(2026, 12, 31)) == []
        assert coverage_warning(keqiao, D(2020, 1, 1), D(2026, 12, 31)) is None


def test_a_long_count_needing_several_chunks_of_overrides(loaded):
    keqiao = loaded["keqiao"]
    # 2026 has 248 working days; the 249th after New Year's Eve 2025 is Friday 1 Jan 2027 (weekday
    # fallback), the 250th Monday 4 Jan 2027.
    assert working_days_between(keqiao, D(2025, 12, 31), D(2026, 12, 31)) == 248
    assert add_working_days(keqiao, D(2025, 12, 31), 250) == D(2027, 1, 4)
    CalendarOverride.objects.create(jurisdiction=keqiao, date=D(2027, 1, 4), kind=CalendarOverride.Kind.HOLIDAY)
    assert add_working_days(keqiao, D(2025, 12, 31), 250) == D(2027, 1, 5)


def test_overrides_beyond_the_first_chunk_are_read(loaded, django_assert_num_queries):
    keqiao = loaded["keqiao"]
    # For n = 1 the first query covers 33 days (1 Jan – 2 Feb 2026). Close every day of it, and
    # Tuesday 3 Feb too, which only the second query sees.
    closed = [D(2026, 1, 1) + dt.timedelta(days=i) for i in range(34)]
    CalendarOverride.objects.bulk_create(
        CalendarOverride(jurisdiction=keqiao, date=day, kind=CalendarOverride.Kind.HOLIDAY) for day in closed
    )
    assert closed[-1] == D(2026, 2, 3)
    with django_assert_num_queries(2):
        assert add_working_days(keqiao, D(2025, 12, 31), 1) == D(2026, 2, 4)


# --- a year the package does not cover ---------------------------------------------------------


def test_2027_falls_back_to_weekdays_without_raising(loaded):
    keqiao = loaded["keqiao"]
    assert is_working_day(keqiao, D(2027, 1, 4)) is True  # Monday
    assert is_working_day(keqiao, D(2027, 1, 2)) is False  # Saturday
    # Thursday 30 Sept 2027: Fri 1 Oct (1), 4 (2), 5 (3), 6 (4), 7 Oct (5) — no national data.
    assert add_working_days(keqiao, D(2027, 9, 30), 5) == D(2027, 10, 7)
    # Across the year boundary: 31 Dec 2026 (1), Fri 1 Jan 2027 by the fallback (2), Mon 4 Jan (3).
    assert add_working_days(keqiao, D(2026, 12, 30), 3) == D(2027, 1, 4)


def test_2027_overrides_entered_by_the_office_apply(loaded):
    keqiao = loaded["keqiao"]
    CalendarOverride.objects.create(jurisdiction=keqiao, date=D(2027, 1, 1), kind=CalendarOverride.Kind.HOLIDAY)
    assert add_working_days(keqiao, D(2026, 12, 30), 3) == D(2027, 1, 5)
    for day in range(1, 8):
        CalendarOverride.objects.create(
            jurisdiction=keqiao, date=D(2027, 10, day), kind=CalendarOverride.Kind.HOLIDAY
        )
    CalendarOverride.objects.create(jurisdiction=keqiao, date=D(2027, 10, 9), kind=CalendarOverride.Kind.WORKDAY)
    # 8 Oct (1), Saturday 9 Oct (2), 11 (3), 12 (4), 13 Oct (5).
    assert add_working_days(keqiao, D(2027, 9, 30), 5) == D(2027, 10, 13)


def test_2027_warning_until_the_office_confirms_the_year(loaded, cast):
    keqiao, zhuji = loaded["keqiao"], loaded["zhuji"]
    year_2027 = (D(2027, 1, 1), D(2027, 12, 31))
    assert years_without_data(keqiao, *year_2027) == [2027]
    assert coverage_warning(keqiao, *year_2027) == WARNING_2027
    assert years_without_data(keqiao, D(2026, 11, 1), D(2028, 2, 1)) == [2027, 2028]
    assert "系统没有 2027、2028 年的国家法定节假日" in coverage_warning(keqiao, D(2026, 11, 1), D(2028, 2, 1))

    workcalendar.confirm_year(keqiao, 2027, cast["office"])
    assert years_without_data(keqiao, *year_2027) == []
    assert coverage_warning(keqiao, *year_2027) is None
    assert years_without_data(keqiao, D(2026, 11, 1), D(2028, 2, 1)) == [2028]
    # Confirmation is per jurisdiction.
    assert coverage_warning(zhuji, *year_2027) == WARNING_2027
    # The fallback itself does not change with the confirmation: the overrides carry the schedule.
    assert add_working_days(keqiao, D(2027, 9, 30), 5) == D(2027, 10, 7)


# --- the office page ---------------------------------------------------------------------------


def test_office_sees_the_2026_grid_with_package_days(client, cast):
    client.force_login(cast["office"])
    response = client.get(calendar_url("keqiao", 2026))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-date="2026-10-01" data-working="0" data-source="package"' in html
    assert 'data-date="2026-10-10" data-working="1" data-source="package"' in html
    assert 'data-date="2026-09-20" data-working="1" data-source="package"' in html
    assert "2026 年共有 248 个工作日。" in html
    assert 'id="coverage-warning"' not in html
    assert "我已录入该年度放假安排" not in html


def test_2027_page_warns_and_the_confirm_button_removes_the_warning(client, cast, loaded):
    client.force_login(cast["office"])
    html = client.get(calendar_url("keqiao", 2027)).content.decode()
    assert WARNING_2027 in html
    assert "我已录入该年度放假安排" in html
    assert 'data-date="2027-01-01" data-working="1" data-source="fallback"' in html

    response = client.post(confirm_url("keqiao"), {"year": "2027"})
    assert response.status_code == 302
    assert response["Location"] == calendar_url("keqiao", 2027)
    confirmation = CalendarYear.objects.get(jurisdiction=loaded["keqiao"], year=2027)
    assert confirmation.confirmed_by == cast["office"]

    html = client.get(calendar_url("keqiao", 2027)).content.decode()
    assert WARNING_2027 not in html
    assert "我已录入该年度放假安排" not in html
    assert 'id="coverage-confirmed"' in html
    assert "已确认 2027 年的放假和调休安排已录入。" in html

    # Confirming again is harmless.
    assert client.post(confirm_url("keqiao"), {"year": "2027"}).status_code == 302
    assert CalendarYear.objects.filter(jurisdiction=loaded["keqiao"], year=2027).count() == 1
    # Zhuji's office still sees the warning: the confirmation is Keqiao's.
    client.force_login(cast["other_office"])
    assert WARNING_2027 in client.get(calendar_url("zhuji", 2027)).content.decode()


def test_confirm_with_a_bad_year_explains(client, cast, loaded):
    client.force_login(cast["office"])
    response = client.post(confirm_url("keqiao"), {"year": "二〇二七"}, follow=True)
    assert response.status_code == 200
    assert "年份应为四位数字，例如 2027。" in response.content.decode()
    assert not CalendarYear.objects.filter(jurisdiction=loaded["keqiao"]).exists()


def test_add_override_from_the_page(client, cast, loaded):
    client.force_login(cast["office"])
    response = client.post(
        calendar_url("keqiao", 2026), {"date": "2027-10-01", "kind": "holiday", "note": "2027年国庆节"}
    )
    assert response.status_code == 302
    assert response["Location"] == calendar_url("keqiao", 2027)
    override = CalendarOverride.objects.get(jurisdiction=loaded["keqiao"])
    assert (override.date, override.kind, override.note) == (D(2027, 10, 1), "holiday", "2027年国庆节")

    html = client.get(response["Location"]).content.decode()
    assert "已添加 2027-10-01 的调整：放假（非工作日）。" in html
    assert 'data-date="2027-10-01" data-working="0" data-source="override"' in html
    assert "2027年国庆节" in html
    assert is_working_day(loaded["keqiao"], D(2027, 10, 1)) is False


def test_same_date_again_updates_the_override(client, cast, loaded):
    keqiao = loaded["keqiao"]
    CalendarOverride.objects.create(jurisdiction=keqiao, date=D(2027, 10, 9), kind="holiday", note="旧")
    client.force_login(cast["office"])
    response = client.post(
        calendar_url("keqiao", 2027), {"date": "2027-10-09", "kind": "workday", "note": "调休上班"}, follow=True
    )
    assert response.status_code == 200
    assert "2027-10-09 原已有调整（放假（非工作日）），已更新为：调休上班（工作日）。" in response.content.decode()
    override = CalendarOverride.objects.get(jurisdiction=keqiao)
    assert (override.date, override.kind, override.note) == (D(2027, 10, 9), "workday", "调休上班")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "", "kind": "holiday", "note": "保留这段说明"}, "date", "请填写日期。"),
        ({"date": "2026-13-45", "kind": "holiday", "note": "保留这段说明"}, "date", "日期格式不正确，请按“2026-10-09”的格式填写。"),
        ({"date": "1999-10-01", "kind": "holiday", "note": "保留这段说明"}, "date", "年份须在 2000 年至 2099 年之间。"),
        ({"date": "2027-10-01", "kind": "", "note": "保留这段说明"}, "kind", "请选择类型：放假或调休上班。"),
        ({"date": "2027-10-01", "kind": "weekend", "note": "保留这段说明"}, "kind", "请选择“放假（非工作日）”或“调休上班（工作日）”。"),
        ({"date": "2027-10-01", "kind": "holiday", "note": "长" * 201}, "note", "说明最多 200 个字（现在是 201 个字）。"),
    ],
)
def test_override_form_errors_are_next_to_the_field_and_keep_the_input(client, cast, data, field, message):
    client.force_login(cast["office"])
    response = client.post(calendar_url("keqiao", 2027), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_errors" role="alert"><li>{message}</li></ul>' in html
    assert response.context["form"].errors == {field: [message]}
    # What was typed comes back in the form.
    if data["note"] and field != "note":
        assert 'value="保留这段说明"' in html
    if data["date"] and field != "date":
        assert f'value="{data["date"]}"' in html
    assert response.context["year"] == 2027
    assert not CalendarOverride.objects.exists()


def test_bad_year_parameter_shows_this_year_with_a_message(client, cast):
    client.force_login(cast["office"])
    response = client.get(calendar_url("keqiao") + "?year=abc")
    assert response.status_code == 200
    this_year = response.context["year"]
    assert f"年份应为四位数字，例如 2027。 已改为显示 {this_year} 年。" in response.content.decode()


def test_delete_own_override(client, cast, loaded):
    override = CalendarOverride.objects.create(jurisdiction=loaded["keqiao"], date=D(2027, 5, 6), kind="holiday")
    client.force_login(cast["office"])
    response = client.post(delete_url("keqiao", override.pk))
    assert response.status_code == 302
    assert response["Location"] == calendar_url("keqiao", 2027)
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()
    assert client.get(delete_url("keqiao", override.pk)).status_code == 405


def test_other_tenants_override_is_invisible_and_undeletable(client, cast, loaded):
    theirs = CalendarOverride.objects.create(
        jurisdiction=loaded["keqiao"], date=D(2027, 5, 6), kind="holiday", note="柯桥专用说明"
    )
    client.force_login(cast["other_office"])  # Zhuji's office
    assert client.get(calendar_url("keqiao", 2027)).status_code == 404
    assert client.post(delete_url("zhuji", theirs.pk)).status_code == 404
    assert client.post(delete_url("keqiao", theirs.pk)).status_code == 404
    assert client.post(confirm_url("keqiao"), {"year": "2027"}).status_code == 404
    assert client.post(calendar_url("keqiao", 2027), {"date": "2027-05-06", "kind": "workday"}).status_code == 404
    html = client.get(calendar_url("zhuji", 2027)).content.decode()
    assert "柯桥专用说明" not in html
    assert 'data-date="2027-05-06" data-working="1" data-source="fallback"' in html
    theirs.refresh_from_db()
    assert (theirs.kind, theirs.note) == ("holiday", "柯桥专用说明")
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize("role", ["reviewer", "committee", "applicant", "outsider"])
def test_only_office_staff_open_the_calendar(client, cast, role):
    client.force_login(cast[role])
    assert client.get(calendar_url("keqiao", 2026)).status_code == 404


def test_page_queries_do_not_grow_with_overrides(client, cast, loaded, django_assert_num_queries):
    keqiao = loaded["keqiao"]
    client.force_login(cast["office"])
    CalendarOverride.objects.create(jurisdiction=keqiao, date=D(2027, 1, 1), kind="holiday")
    client.get(calendar_url("keqiao", 2027))  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(calendar_url("keqiao", 2027)).status_code == 200
    for day in range(4, 9):
        CalendarOverride.objects.create(jurisdiction=keqiao, date=D(2027, 1, day), kind="holiday", note=f"第{day}天")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(calendar_url("keqiao", 2027)).status_code == 200


def test_anonymous_user_is_sent_to_the_tenant_login(client, loaded):
    response = client.get(calendar_url("keqiao", 2027))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/keqiao/accounts/login/"
    assert parse_qs(location.query) == {"next": ["/keqiao/office/calendar/?year=2027"]}

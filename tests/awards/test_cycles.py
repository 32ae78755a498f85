"""Office staff create and publish award cycles: quotas, the interval rule, the pinned profile version."""

from __future__ import annotations

import copy
import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import AwardCycle
from awards.states import CycleState
from jurisdictions.models import Role, RuleProfile
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(slug: str, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def form_data(year=2026, **overrides) -> dict:
    data = {
        "year": str(year),
        "title": "",
        "call_published_on": f"{year}-03-01",
        "applications_open_at": f"{year}-03-01T09:00",
        "applications_close_at": f"{year}-04-30T17:30",
        "interval_override_reason": "",
    }
    data.update(overrides)
    return data


def field_block(html: str, name: str) -> str:
    """The markup of one form field's wrapper (label, input, help, errors)."""
    match = re.search(rf'<div class="field[^"]*">\s*<label for="id_{name}">.*?</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group(0)


@pytest.fixture
def office_client(client, cast):
    client.force_login(cast["office"])
    return client


@pytest.fixture
def daqing_office(loaded):
    return make_user("dq-office", loaded["daqing"], Role.OFFICE)


def test_create_form_shows_the_profile_in_force_its_quotas_and_interval_rule(office_client):
    response = office_client.get(url("keqiao", "office-cycles"))
    assert response.status_code == 200
    html = response.content.decode()
    # The version by its regulation and date, never the internal key.
    assert "《柯桥区政府质量奖评审管理办法》2020-05-10 版" in html and "keqiao@2020-05-10" not in html
    assert "柯桥区政府质量奖评审管理办法" in html
    quality = field_block(html, "quota_quality")
    assert 'value="3"' in quality
    assert "名额上限 3（第三条），可以调低，不能调高。" in quality
    assert 'value="10"' in field_block(html, "quota_nomination")
    assert 'type="datetime-local"' in field_block(html, "applications_open_at")
    assert "依据第三条，本辖区每年评选一次。一般无需填写。" in field_block(html, "interval_override_reason")
    assert 'value="2026"' in field_block(html, "year")


def test_a_cycle_with_a_lowered_quota_is_created_in_shanghai_time(office_client, loaded, cast):
    response = office_client.post(
        url("keqiao", "office-cycles"), form_data(quota_quality="2", quota_nomination="10")
    )
    assert response.status_code == 302
    assert response["Location"] == "/keqiao/office/cycles/2026/"
    cycle = AwardCycle.objects.get(jurisdiction=loaded["keqiao"], year=2026)
    assert cycle.title == "2026年度柯桥区政府质量奖评审"
    assert {q.award_code: q.quota for q in cycle.quotas.all()} == {"quality": 2, "nomination": 10}
    assert cycle.applications_open_at == dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
    assert cycle.applications_close_at == dt.datetime(2026, 4, 30, 17, 30, tzinfo=SHANGHAI)
    assert cycle.call_published_on == dt.date(2026, 3, 1)
    assert cycle.profile.label == "keqiao@2020-05-10"
    assert cycle.state == CycleState.DRAFT
    assert cycle.created_by == cast["office"]


def test_a_raised_quota_is_refused_next_to_its_field_with_the_article(office_client, loaded):
    data = form_data(title="柯桥区2026年度质量奖", quota_quality="4", quota_nomination="10")
    response = office_client.post(url("keqiao", "office-cycles"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"quota_quality": ["“柯桥区政府质量奖”名额不得超过规则上限 3（第三条）。"]}
    html = response.content.decode()
    assert "“柯桥区政府质量奖”名额不得超过规则上限 3（第三条）。" in field_block(html, "quota_quality")
    # Nothing entered is lost.
    assert 'value="4"' in field_block(html, "quota_quality")
    assert 'value="柯桥区2026年度质量奖"' in field_block(html, "title")
    assert 'value="2026-03-01T09:00"' in field_block(html, "applications_open_at")
    assert not AwardCycle.objects.filter(jurisdiction=loaded["keqiao"]).exists()


def test_close_before_open_is_refused_next_to_the_close_field(office_client, loaded):
    data = form_data(applications_close_at="2026-02-01T09:00")
    response = office_client.post(url("keqiao", "office-cycles"), data)
    assert response.context["form"].errors == {"applications_close_at": ["截止受理时间必须晚于开始受理时间。"]}
    assert not AwardCycle.objects.exists()


def test_a_daqing_cycle_one_year_after_the_previous_needs_an_override_reason(client, loaded, daqing_office):
    daqing = loaded["daqing"]
    services.create_cycle(
        daqing, year=2025, actor=daqing_office,
        applications_open_at=dt.datetime(2025, 3, 1, 9, tzinfo=SHANGHAI),
        applications_close_at=dt.datetime(2025, 4, 30, 17, tzinfo=SHANGHAI),
    )
    client.force_login(daqing_office)
    page = client.get(url("daqing", "office-cycles")).content.decode()
    explanation = "依据第五条，本辖区每2年评选一次。（原文：每两年评选一次）上一届为 2025 年度；距上一届不足2年开评时须写明理由。"
    assert explanation in field_block(page, "interval_override_reason")
    assert 'value="2027"' in field_block(page, "year")  # the first year needing no override

    refused = client.post(url("daqing", "office-cycles"), form_data(2026))
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "interval_override_reason": ["依据第五条，本辖区每2年评选一次，上一届为 2025 年；如需提前开评，请填写理由。"]
    }
    assert "如需提前开评，请填写理由" in field_block(refused.content.decode(), "interval_override_reason")
    assert not AwardCycle.objects.filter(jurisdiction=daqing, year=2026).exists()

    reason = "市政府决定提前开展评选"
    accepted = client.post(url("daqing", "office-cycles"), form_data(2026, interval_override_reason=reason))
    assert accepted.status_code == 302
    cycle = AwardCycle.objects.get(jurisdiction=daqing, year=2026)
    assert cycle.interval_override_reason == reason
    assert {q.award_code: q.quota for q in cycle.quotas.all()} == {"quality": 5, "nomination": 7}
    dashboard = client.get(url("daqing", "office-cycle", year=2026)).content.decode()
    assert reason in dashboard


def test_a_daqing_cycle_two_years_after_the_previous_needs_no_reason(loaded, daqing_office):
    daqing = loaded["daqing"]
    for year in (2024, 2026):
        services.create_cycle(
            daqing, year=year, actor=daqing_office,
            applications_open_at=dt.datetime(year, 3, 1, 9, tzinfo=SHANGHAI),
            applications_close_at=dt.datetime(year, 4, 30, 17, tzinfo=SHANGHAI),
        )
    assert list(AwardCycle.objects.filter(jurisdiction=daqing).values_list("year", "interval_override_reason")) == [
        (2026, ""),
        (2024, ""),
    ]


def test_the_cycle_keeps_its_profile_version_when_a_later_one_takes_effect(office_client, loaded):
    keqiao = loaded["keqiao"]
    assert office_client.post(url("keqiao", "office-cycles"), form_data(2026)).status_code == 302
    old = keqiao.profile_in_force()
    document = copy.deepcopy(old.document)
    document["version"] = document["effective_from"] = "2026-01-01"
    document["awards"][0]["quota"]["value"] = 2
    newer = RuleProfile.objects.create(jurisdiction=keqiao, document=document, criteria=old.criteria)
    assert keqiao.profile_in_force(dt.date(2026, 6, 1)) == newer

    cycle = AwardCycle.objects.get(jurisdiction=keqiao, year=2026)
    assert cycle.profile_id == old.pk
    assert cycle.quota_for("quality") == 3
    dashboard = office_client.get(url("keqiao", "office-cycle", year=2026)).content.decode()
    assert "《柯桥区政府质量奖评审管理办法》2020-05-10 版" in dashboard and "keqiao@2020-05-10" not in dashboard
    assert "keqiao@2026-01-01" not in dashboard

    # A new cycle is created under the newer version, with its lower ceiling.
    refused = office_client.post(url("keqiao", "office-cycles"), form_data(2027, quota_quality="3"))
    assert refused.context["form"].errors == {"quota_quality": ["“柯桥区政府质量奖”名额不得超过规则上限 2（第三条）。"]}
    assert office_client.post(url("keqiao", "office-cycles"), form_data(2027)).status_code == 302
    later = AwardCycle.objects.get(jurisdiction=keqiao, year=2027)
    assert (later.profile.label, later.quota_for("quality")) == ("keqiao@2026-01-01", 2)
    assert AwardCycle.objects.get(pk=cycle.pk).profile.label == "keqiao@2020-05-10"


def test_the_same_year_twice_is_refused_next_to_the_year(office_client, loaded):
    office_client.post(url("keqiao", "office-cycles"), form_data(2026))
    again = office_client.post(url("keqiao", "office-cycles"), form_data(2026))
    assert again.context["form"].errors == {"year": ["2026 年度的评审已经存在。"]}
    assert AwardCycle.objects.filter(jurisdiction=loaded["keqiao"]).count() == 1


def test_publishing_a_cycle_once(office_client, loaded):
    created = office_client.post(url("keqiao", "office-cycles"), form_data(2026, call_published_on=""), follow=True)
    assert [str(m) for m in created.context["messages"]] == [
        "已建立“2026年度柯桥区政府质量奖评审”，规则版本 《柯桥区政府质量奖评审管理办法》2020-05-10 版。核对后请发布申报通知。"
    ]
    assert "发布申报通知</button>" in created.content.decode()
    publish = url("keqiao", "office-cycle-publish", year=2026)
    assert office_client.get(publish).status_code == 405

    response = office_client.post(publish, follow=True)
    cycle = AwardCycle.objects.get(jurisdiction=loaded["keqiao"], year=2026)
    assert cycle.state == CycleState.PUBLISHED
    assert cycle.call_published_on == timezone.localdate()
    assert [str(m) for m in response.context["messages"]] == ["申报通知已发布：2026年度柯桥区政府质量奖评审。"]
    assert "发布申报通知</button>" not in response.content.decode()

    again = office_client.post(publish, follow=True)
    assert [str(m) for m in again.context["messages"]] == ["该评审通知已经发布。"]
    assert AwardCycle.objects.get(pk=cycle.pk).state == CycleState.PUBLISHED


def test_the_cycles_list_counts_applications(office_client, loaded):
    office_client.post(url("keqiao", "office-cycles"), form_data(2026))
    response = office_client.get(url("keqiao", "office-cycles"))
    (cycle,) = response.context["cycles"]
    assert (cycle.year, cycle.application_count, cycle.profile.label) == (2026, 0, "keqiao@2020-05-10")
    assert 'href="/keqiao/office/cycles/2026/"' in response.content.decode()


@pytest.mark.parametrize("who", ["reviewer", "committee", "applicant", "other_office", "outsider"])
def test_only_this_jurisdictions_office_opens_the_cycle_pages(client, cast, loaded, who):
    services.create_cycle(
        loaded["keqiao"], year=2026, actor=cast["office"],
        applications_open_at=dt.datetime(2026, 3, 1, 9, tzinfo=SHANGHAI),
        applications_close_at=dt.datetime(2026, 4, 30, 17, tzinfo=SHANGHAI),
    )
    client.force_login(cast[who])
    assert client.get(url("keqiao", "office-cycles")).status_code == 404
    assert client.post(url("keqiao", "office-cycles"), form_data(2027)).status_code == 404
    assert client.get(url("keqiao", "office-cycle", year=2026)).status_code == 404
    assert client.post(url("keqiao", "office-cycle-publish", year=2026)).status_code == 404
    assert AwardCycle.objects.get(year=2026).state == CycleState.DRAFT


def test_anonymous_visitors_are_sent_to_the_tenant_login(client, loaded):
    response = client.get(url("keqiao", "office-cycles"))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.path, parse_qs(location.query)) == ("/keqiao/accounts/login/", {"next": ["/keqiao/office/cycles/"]})


def test_the_cycles_list_runs_the_same_queries_for_one_and_three_cycles(office_client, loaded):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office_client.get(url("keqiao", "office-cycles")).status_code == 200
        return len(queries)

    office_client.post(url("keqiao", "office-cycles"), form_data(2024))
    office_client.get(url("keqiao", "office-cycles"))
    one = count()
    office_client.post(url("keqiao", "office-cycles"), form_data(2025))
    office_client.post(url("keqiao", "office-cycles"), form_data(2026))
    assert AwardCycle.objects.filter(jurisdiction=loaded["keqiao"]).count() == 3
    assert count() == one

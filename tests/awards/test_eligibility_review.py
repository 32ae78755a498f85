"""The office's eligibility review against the engine: gaps returned for completion, overrides with a
reason, each profile's own questions and materials, and past outcomes with their findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.forms_applicant import OrganizationRecordForm
from awards.models import ApplicationFile, PastOutcome
from awards.states import AppState
from jurisdictions.models import Role
from jurisdictions.workcalendar import add_working_days
from orchestration.scenario import ScenarioError, run
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def url(slug: str, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def filed(cycle, user, **facts):
    org = organization(cycle.jurisdiction, user=user, **facts)
    return services.submit(ready_draft(cycle, org, user), user)


def decide(client, app, decision, **fields):
    data = {"decision": decision, "seen_state": app.state, "confirm": "on", **fields}
    return client.post(url(app.jurisdiction.slug, "office-application-decide", pk=app.pk), data)


@pytest.fixture
def daqing(loaded):
    office = make_user("dq-office", loaded["daqing"], Role.OFFICE)
    applicant = make_user("dq-applicant", loaded["daqing"], Role.APPLICANT)
    return published_cycle(loaded["daqing"], office), office, applicant


# --- point 6: incomplete is not ineligible ---------------------------------------------------------
def test_daqing_office_page_proposes_returning_a_file_without_a_founding_date(client, daqing):
    cycle, office, applicant = daqing
    app = filed(cycle, applicant, established=None)
    client.force_login(office)
    response = client.get(url("daqing", "office-application", pk=app.pk))
    form = response.context["form"]
    assert form["decision"].initial == AppState.RETURNED
    assert form["reason"].initial == (
        "经审查，申报材料不完整，请补充完善以下内容：\n"
        "1. 未填写成立日期，无法判断“正常运营3年以上（含3年）”（第十条（一））"
    )
    # The completion period is the profile's (office setting: 10 working days), to the end of the day.
    expected = add_working_days(cycle.jurisdiction, timezone.localdate(), 10)
    assert timezone.localtime(form["returned_until"].initial) == timezone.make_aware(
        dt.datetime.combine(expected, dt.time(23, 59)))
    page = response.content.decode()
    assert "自动核对建议：退回补正（第十三条）" in page
    assert 'class="row-missing"' in page and "缺项待补" in page
    assert response.context["gap_count"] == 1 and response.context["failed_count"] == 0


def test_keqiao_reports_a_missing_founding_date_as_missing_and_proposes_ineligible(client, loaded, cast):
    cycle = published_cycle(loaded["keqiao"], cast["office"])
    app = filed(cycle, cast["applicant"], established=None)
    client.force_login(cast["office"])
    response = client.get(url("keqiao", "office-application", pk=app.pk))
    rows = [row for row in response.context["precheck"] if row["status"] != "pass" and row["status"] != "manual"]
    assert [(row["rule"], row["status"], row["status_label"]) for row in rows] == [
        ("eligibility.conditions.years_operating", "missing", "缺项待补"),
    ]
    assert response.context["form"]["decision"].initial == AppState.INELIGIBLE
    assert response.context["form"]["reason"].initial == (
        "经审查，贵单位存在以下不符合申报条件的情形：\n"
        "1. 未填写成立日期，无法判断“合法从事生产经营和服务业3年以上（含3年）”（第十二条）"
    )


def test_the_applicant_precheck_tells_missing_from_failed(client, loaded, cast):
    cycle = published_cycle(loaded["keqiao"], cast["office"])
    org = organization(cycle.jurisdiction, user=cast["applicant"], established=None, pays_tax_locally=False)
    app = ready_draft(cycle, org, cast["applicant"])
    client.force_login(cast["applicant"])
    response = client.get(url("keqiao", "application-edit", pk=app.pk))
    summary = response.context["precheck_summary"]
    assert (summary["failed"], summary["missing"]) == (1, 1)
    page = response.content.decode()
    assert '<li class="check-missing">' in page and '<li class="check-fail">' in page


# --- point 9: overrides carry a reason -------------------------------------------------------------
def test_marking_eligible_against_a_ban_needs_a_reason_next_to_its_field(client, loaded, cast):
    cycle = published_cycle(loaded["keqiao"], cast["office"])
    app = filed(cycle, cast["applicant"])
    PastOutcome.objects.create(jurisdiction=cycle.jurisdiction, organization=app.organization, year=2020,
                               award_code="quality", revoked="fraud", revoked_on=dt.date(2024, 3, 1))
    client.force_login(cast["office"])
    refused = decide(client, app, "eligible")
    assert refused.status_code == 200
    assert refused.context["form"].errors["override_reason"] == [
        "自动核对有 1 项不符合或缺项（第二十六条）；判定符合申报条件须写明理由。"
    ]
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED

    response = decide(client, app, "eligible", override_reason="区政府已撤销原撤销决定（附件）")
    assert response.status_code == 302
    event = app.events.get(to_state=AppState.ELIGIBLE)
    assert event.reason == "不采纳自动核对结论，理由：区政府已撤销原撤销决定（附件）"
    assert event.details["override"] == {
        "reason": "区政府已撤销原撤销决定（附件）",
        "overridden": [{
            "rule": "bans.fraud", "cite": "第二十六条", "status": "failed",
            "text": "2024-03-01 被撤销2020年度奖项，弄虚作假骗取奖项被取消荣誉的，5年内不再受理申报：禁止申报至 2029-03-01（含）",
        }],
    }
    office_page = client.get(url("keqiao", "office-application", pk=app.pk)).content.decode()
    assert "不采纳的自动核对结论：" in office_page and "禁止申报至 2029-03-01（含）（第二十六条）" in office_page
    client.force_login(cast["applicant"])
    applicant_page = client.get(url("keqiao", "application-edit", pk=app.pk)).content.decode()
    assert "不采纳自动核对结论，理由：区政府已撤销原撤销决定（附件）" in applicant_page
    assert "禁止申报至 2029-03-01（含）（第二十六条）" in applicant_page


def test_no_override_reason_is_asked_when_the_engine_found_nothing(client, loaded, cast):
    cycle = published_cycle(loaded["keqiao"], cast["office"])
    app = filed(cycle, cast["applicant"])
    client.force_login(cast["office"])
    assert "override_reason" not in client.get(url("keqiao", "office-application", pk=app.pk)).context["form"].fields
    app = services.decide_eligibility(app, cast["office"], AppState.ELIGIBLE)
    assert "override" not in app.events.get(to_state=AppState.ELIGIBLE).details


def test_a_missing_result_overridden_is_recorded_as_missing(daqing):
    cycle, office, applicant = daqing
    app = filed(cycle, applicant, established=None)
    with pytest.raises(services.ServiceError) as refused:
        services.decide_eligibility(app, office, AppState.ELIGIBLE)
    assert refused.value.field == "override_reason"
    app = services.decide_eligibility(app, office, AppState.ELIGIBLE, override_reason="营业执照已核验，成立于2001年")
    overridden = app.events.get(to_state=AppState.ELIGIBLE).details["override"]["overridden"]
    assert [(r["rule"], r["status"], r["cite"]) for r in overridden] == [
        ("eligibility.conditions.years_operating", "missing", "第十条（一）"),
    ]


# --- point 8: materials from the profile -----------------------------------------------------------
def test_daqing_asks_for_evidence_and_a_recommendation_but_no_self_assessment(client, daqing):
    cycle, _office, applicant = daqing
    org = organization(cycle.jurisdiction, user=applicant)
    app = services.start_application(cycle, org, "quality", applicant)
    app = services.save_draft(app, actor=applicant, overview="概述", narratives={}, recommenders=["county_government"])
    assert services.missing_for_submission(app) == ["推荐意见扫描件", "证实性材料"]
    client.force_login(applicant)
    response = client.get(url("daqing", "application-edit", pk=app.pk))
    assert [slot.kind for slot in response.context["slots"]] == ["recommendation", "evidence"]
    assert response.context["slots"][0].basis == "必交（第十二条）"
    assert 'id="paper-copies"' not in response.content.decode()


def test_keqiao_asks_for_evidence_and_two_paper_copies(client, loaded, cast):
    cycle = published_cycle(loaded["keqiao"], cast["office"])
    org = organization(cycle.jurisdiction, user=cast["applicant"])
    app = services.start_application(cycle, org, "quality", cast["applicant"])
    assert services.missing_for_submission(app) == ["组织概述", "自我评价报告（PDF）", "推荐意见扫描件", "证实性材料"]
    client.force_login(cast["applicant"])
    response = client.get(url("keqiao", "application-edit", pk=app.pk))
    assert [slot.kind for slot in response.context["slots"]] == ["self_assessment", "recommendation", "evidence"]
    assert response.context["paper_copies"] == "除在线上传外，申报材料还须按第十四条以纸质形式一式两份报送评审办。"


def test_a_kind_the_profile_does_not_ask_for_cannot_be_uploaded(client, daqing):
    cycle, _office, applicant = daqing
    org = organization(cycle.jurisdiction, user=applicant)
    app = services.start_application(cycle, org, "quality", applicant)
    client.force_login(applicant)
    response = client.post(url("daqing", "application-upload", pk=app.pk, kind="self_assessment"), {})
    assert response.status_code == 404
    assert not ApplicationFile.objects.filter(application=app).exists()


# --- point 7: each regulation's own questions ------------------------------------------------------
def _labels(slug: str, loaded) -> dict[str, str]:
    profile = loaded[slug].profile_in_force().typed
    form = OrganizationRecordForm(profiles=[profile])
    return {name: str(field.label) for name, field in form.fields.items()}


def test_lucheng_asks_about_larger_accidents_performance_indicators_and_major_complaints(loaded):
    labels = _labels("lucheng", loaded)
    assert labels["major_accidents_last_3_years"] == (
        "近3年是否发生过较大以上的质量、安全生产、环境污染、公共卫生等事故（按照国家有关规定认定）？")
    assert labels["failed_inspections_last_3_years"] == (
        "近3年在各级质量监督抽查中是否出现过安全指标或者主要性能指标不合格？")
    assert labels["major_complaints_last_3_years"] == "近3年是否有因组织责任导致的顾客、员工、合作伙伴和社会对其的重大投诉？"


def test_daqing_asks_about_any_accident_and_export_problems_without_a_period(loaded):
    labels = _labels("daqing", loaded)
    assert labels["major_accidents_last_3_years"] == (
        "近3年在各级行政部门监督检查中是否发生过质量、安全生产、公共卫生、环保等事故（不论事故等级）？")
    assert labels["serious_violations_last_3_years"] == "近3年是否有其他违法违规的不良记录（不限于严重违法）？"
    export = labels["export_quality_notices_last_3_years"]
    assert "近3年" not in export and "不限年限" in export


def test_the_office_page_shows_each_fact_as_the_profile_asks_it(client, daqing):
    cycle, office, applicant = daqing
    app = filed(cycle, applicant)
    client.force_login(office)
    facts = {row["label"]: row["value"] for row in client.get(url("daqing", "office-application", pk=app.pk)).context["facts"]}
    assert facts["出口产品是否出现过质量检验检疫不合格，或因质量问题被国外通报或退运？（不限年限）（第十条（八））"] == "否"


# --- point 5: past outcomes with their findings ----------------------------------------------------
def test_the_admin_records_a_disqualification_with_its_finding(client, loaded):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    page = client.get("/admin/awards/pastoutcome/add/").content.decode()
    for name in ("disqualified", "disqualified_on", "serious"):
        assert f'name="{name}"' in page
    org = organization(loaded["daqing"])
    outcome = PastOutcome(jurisdiction=loaded["daqing"], organization=org, year=2024, disqualified="fraud")
    with pytest.raises(Exception) as refused:
        outcome.full_clean()
    assert refused.value.message_dict["disqualified_on"] == ["请填写取消评选资格的决定日期。"]


def test_a_scenario_history_entry_with_a_bad_finding_or_no_decision_date_is_refused(loaded):
    def history(entry):
        return {"jurisdiction": "daqing", "cycle": {"year": 2026, "applications_close": "2026-05-31"},
                "applicants": [{"ref": "X", "facts": {}, "history": [entry]}]}

    with pytest.raises(ScenarioError, match=r"applicant X.history\[0\].serious: true, false or absent, not 'yes'"):
        run(history({"year": 2024, "award": "quality", "revoked": "fraud", "revoked_on": "2024-03-01", "serious": "yes"}))
    with pytest.raises(ScenarioError, match="请填写取消评选资格的决定日期。"):
        run(history({"year": 2024, "award": None, "disqualified": "fraud"}))

"""The applicant's pages: call, organisation record, editor with autosave, submit, withdraw, downloads."""

from __future__ import annotations

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Application, ApplicationEvent, AwardCycle, Certification, Organization
from awards.states import AppState
from jurisdictions.models import Membership, Role, RuleProfile
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(slug: str, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def keqiao_cycle(loaded, cast):
    return published_cycle(loaded["keqiao"], cast["office"], quotas={"quality": 2})


@pytest.fixture
def applicant(client, cast, loaded):
    user = cast["applicant"]
    org = organization(loaded["keqiao"], name="柯桥织造有限公司", user=user)
    client.force_login(user)
    return user, org


# --- the call -------------------------------------------------------------------------------
def test_call_page_lists_quotas_conditions_recommendation_and_dates(client, keqiao_cycle):
    response = client.get(url("keqiao", "cycle-call", year=2026))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年度柯桥区政府质量奖评审" in html
    # The cycle's quota (lowered to 2) next to the profile's ceiling with its article.
    assert "不超过2家" in html
    assert '3家 <span class="cite"><span class="visually-hidden">依据：</span>第三条</span>' in html
    assert "不超过10家" in html
    assert "通过 ISO 9001 质量体系认证。" in html
    assert "申报须经下列单位之一推荐：镇（街道、开发区）、行业协会。" in html
    assert "第十四条" in html
    closes = timezone.localtime(keqiao_cycle.applications_close_at, SHANGHAI)
    assert f"{closes.year}年{closes.month}月{closes.day}日 {closes:%H:%M}" in html
    assert "正在受理" in html
    # Anonymous visitors are sent to log in or register, not given the form.
    assert "登录后申报" in html and "开始填写申报书" not in html


def test_call_page_is_404_for_an_unpublished_cycle_and_for_another_tenant(client, loaded, cast, keqiao_cycle):
    now = timezone.now()
    services.create_cycle(loaded["keqiao"], year=2027, actor=cast["office"],
                          applications_open_at=now, applications_close_at=now + dt.timedelta(days=30))
    assert client.get(url("keqiao", "cycle-call", year=2027)).status_code == 404
    assert client.get(url("keqiao", "cycle-call", year=2030)).status_code == 404
    assert client.get(url("zhuji", "cycle-call", year=2026)).status_code == 404


def test_applicant_starts_one_application_and_a_second_is_refused(client, keqiao_cycle, applicant):
    _user, org = applicant
    page = client.get(url("keqiao", "cycle-call", year=2026)).content.decode()
    assert "开始填写申报书" in page
    # The nomination award is a lower tier of the quality award: not offered for filing.
    assert 'value="quality"' in page and 'value="nomination"' not in page

    response = client.post(url("keqiao", "application-start", year=2026),
                           {"category": "quality", "organization": org.pk})
    app = Application.objects.get(organization=org)
    assert response.status_code == 302
    assert response["Location"] == url("keqiao", "application-edit", pk=app.pk)

    again = client.post(url("keqiao", "application-start", year=2026),
                        {"category": "quality", "organization": org.pk})
    assert again.status_code == 200
    assert "本组织在本年度已有一份申报，每个组织每届只能申报一次。" in again.content.decode()
    assert Application.objects.filter(organization=org).count() == 1
    assert "打开申报书" in client.get(url("keqiao", "cycle-call", year=2026)).content.decode()


def test_an_organisation_of_another_user_cannot_be_used_to_start(client, keqiao_cycle, applicant, loaded):
    stranger = organization(loaded["keqiao"], name="别家公司")
    response = client.post(url("keqiao", "application-start", year=2026),
                           {"category": "quality", "organization": stranger.pk})
    assert response.status_code == 200
    assert "请从列表中选择。" in response.content.decode()
    assert not Application.objects.exists()


# --- the organisation record ----------------------------------------------------------------
ALWAYS = ("name", "registered_address", "district", "established", "industry", "staff_count", "revenue_wan")


@pytest.mark.parametrize(
    ("slug", "shown", "hidden"),
    [
        ("keqiao", ["pays_tax_locally", "local_tax_wan", "certifications-0-kind", "excellence_model_since"],
         ["export_quality_notices_last_3_years", "legal_person", "sector", "serious_violations_last_3_years"]),
        ("lucheng", ["pays_tax_locally", "certifications-0-kind", "legal_person", "serious_violations_last_3_years"],
         ["export_quality_notices_last_3_years", "administrative_penalties_last_3_years"]),
        ("zhuji", ["export_quality_notices_last_3_years", "export_quality_notices_note"],
         ["pays_tax_locally", "certifications-0-kind", "legal_person"]),
        ("daqing", ["export_quality_notices_last_3_years", "administrative_penalties_last_3_years", "sector",
                    "legal_person"],
         ["pays_tax_locally", "certifications-0-kind"]),
        ("binjiang", ["legal_person", "registered_in_jurisdiction"],
         ["pays_tax_locally", "certifications-0-kind", "export_quality_notices_last_3_years"]),
    ],
)
def test_the_record_asks_only_what_the_profile_needs(client, loaded, slug, shown, hidden):
    user = make_user(f"{slug}-app")
    organization(loaded[slug], user=user)
    client.force_login(user)
    html = client.get(url(slug, "org-record")).content.decode()
    for name in (*ALWAYS, *shown):
        assert f'name="{name}"' in html, name
    for name in hidden:
        assert f'name="{name}"' not in html, name
    assert 'name="uscc"' not in html


def test_keqiao_record_offers_iso9001_and_yes_no_in_chinese(client, applicant):
    html = client.get(url("keqiao", "org-record")).content.decode()
    assert "ISO 9001 质量管理体系认证" in html
    assert '<input type="radio" name="major_accidents_last_3_years" value="True"' in html
    assert 'id="id_major_accidents_last_3_years_0">\n 是</label>' in html
    assert 'id="id_major_accidents_last_3_years_1" checked>\n 否</label>' in html
    assert "申报条件（第十二条）：通过 ISO 9001 质量体系认证" in html


def record_post(org: Organization, **changes) -> dict:
    certs = list(org.certifications.order_by("pk"))
    data = {
        "name": org.name, "registered_address": "柯桥区某路1号", "district": "柯桥街道",
        "registered_in_jurisdiction": "True", "established": "2010-01-01", "industry": "纺织",
        "staff_count": "120", "revenue_wan": "5000", "pays_tax_locally": "True", "local_tax_wan": "300",
        "excellence_model_since": "2018-01-01",
        "failed_inspections_last_3_years": "False", "major_accidents_last_3_years": "False",
        "major_complaints_last_3_years": "False",
        "certifications-TOTAL_FORMS": str(len(certs) + 1), "certifications-INITIAL_FORMS": str(len(certs)),
        "certifications-MIN_NUM_FORMS": "0", "certifications-MAX_NUM_FORMS": "1000",
        "uscc": "91330600000000000X",
    }
    for i, cert in enumerate(certs):
        data.update({f"certifications-{i}-id": str(cert.pk), f"certifications-{i}-kind": cert.kind,
                     f"certifications-{i}-number": cert.number,
                     f"certifications-{i}-expires_on": cert.expires_on.isoformat()})
    data.update(changes)
    return data


def test_a_yes_declaration_needs_an_explanation_and_nothing_typed_is_lost(client, applicant):
    _user, org = applicant
    response = client.post(url("keqiao", "org-record"),
                           record_post(org, name="柯桥织造股份有限公司", major_accidents_last_3_years="True"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "选择“是”时，请在此说明具体情况。" in html
    assert 'value="柯桥织造股份有限公司"' in html
    org.refresh_from_db()
    assert org.name == "柯桥织造有限公司" and org.major_accidents_last_3_years is False

    response = client.post(url("keqiao", "org-record"),
                           record_post(org, name="柯桥织造股份有限公司", major_accidents_last_3_years="True",
                                       major_accidents_note="2024年一起一般事故，已整改。"))
    assert response.status_code == 302
    org.refresh_from_db()
    uscc_before = org.uscc
    assert (org.name, org.major_accidents_last_3_years, org.major_accidents_note) == (
        "柯桥织造股份有限公司", True, "2024年一起一般事故，已整改。")
    assert org.local_tax_wan == 300 and org.staff_count == 120
    assert org.uscc == uscc_before != "91330600000000000X"


def test_certificates_are_added_and_removed(client, applicant):
    _user, org = applicant
    data = record_post(org, **{"certifications-1-kind": "other_qms", "certifications-1-number": "QMS-7",
                                "certifications-1-expires_on": "2029-06-30"})
    assert client.post(url("keqiao", "org-record"), data).status_code == 302
    assert sorted(org.certifications.values_list("number", flat=True)) == ["ISO-1", "QMS-7"]

    data = record_post(org, **{"certifications-0-DELETE": "on"})
    assert client.post(url("keqiao", "org-record"), data).status_code == 302
    assert list(org.certifications.values_list("number", flat=True)) == ["QMS-7"]
    assert Certification.objects.filter(organization=org).count() == 1


def test_record_next_goes_back_to_the_application_only_within_the_tenant(client, applicant, keqiao_cycle):
    _user, org = applicant
    app = services.start_application(keqiao_cycle, org, "quality", applicant[0])
    back = url("keqiao", "application-edit", pk=app.pk)
    response = client.post(url("keqiao", "org-record") + f"?next={back}", record_post(org))
    assert response["Location"] == back
    response = client.post(url("keqiao", "org-record") + "?next=https://evil.example/", record_post(org))
    assert response["Location"] == url("keqiao", "org-record")


# --- the editor -----------------------------------------------------------------------------
@pytest.fixture
def draft(keqiao_cycle, applicant):
    user, org = applicant
    return services.start_application(keqiao_cycle, org, "quality", user)


def draft_post(**changes) -> dict:
    data = {"overview": "本公司成立于2010年，主营高档面料。", "narrative_4_1": "高层领导亲自推进卓越绩效。",
            "recommenders": ["town"], "recommender_names": "柯桥街道办事处"}
    data.update(changes)
    return data


def test_autosave_saves_and_survives_a_reload(client, draft):
    response = client.post(url("keqiao", "application-autosave", pk=draft.pk), draft_post())
    assert response.status_code == 200
    draft.refresh_from_db()
    stamp = timezone.localtime(draft.updated_at).strftime("%H:%M")
    assert response.content.decode().strip() == f"已自动保存 {stamp}"
    assert draft.overview == "本公司成立于2010年，主营高档面料。"
    assert draft.narratives == {"4.1": "高层领导亲自推进卓越绩效。"}
    assert (draft.recommenders, draft.recommender_names) == (["town"], "柯桥街道办事处")

    html = client.get(url("keqiao", "application-edit", pk=draft.pk)).content.decode()
    assert "本公司成立于2010年，主营高档面料。</textarea>" in html
    assert "高层领导亲自推进卓越绩效。</textarea>" in html
    assert 'value="town" id="id_recommenders_0" checked' in html
    assert 'hx-trigger="change, input changed delay:2s"' in html


def test_autosave_reports_a_refusal_instead_of_pretending(client, draft):
    response = client.post(url("keqiao", "application-autosave", pk=draft.pk), draft_post(overview="字" * 3001))
    assert response.status_code == 200
    assert "未能自动保存" in response.content.decode()
    draft.refresh_from_db()
    assert draft.overview == ""


def test_the_save_button_works_without_javascript(client, draft):
    response = client.post(url("keqiao", "application-edit", pk=draft.pk), draft_post(), follow=True)
    assert messages_of(response) == ["草稿已保存。"]
    draft.refresh_from_db()
    assert draft.overview == "本公司成立于2010年，主营高档面料。"


def test_overview_limit_counts_line_breaks_once_and_refuses_3001_characters(client, draft):
    text = "质量第一\r\n" * 600  # 3000 characters once CRLF counts as one, 3600 as sent
    assert client.post(url("keqiao", "application-edit", pk=draft.pk), draft_post(overview=text)).status_code == 302
    draft.refresh_from_db()
    assert len(draft.overview) == 3000

    response = client.post(url("keqiao", "application-edit", pk=draft.pk), draft_post(overview="质" * 3001))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3001" in html and 'class="errorlist"' in html
    assert "高层领导亲自推进卓越绩效。</textarea>" in html  # the rest of what was typed is still there
    draft.refresh_from_db()
    assert len(draft.overview) == 3000


def test_a_huge_narrative_is_refused_next_to_its_field_and_nothing_else_is_lost(client, draft):
    response = client.post(url("keqiao", "application-edit", pk=draft.pk),
                           draft_post(narrative_4_2="战" * 1_500_000))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["narrative_4_2"] == ["请控制在10000字以内（现为1500000字）。"]
    html = response.content.decode()
    assert "本公司成立于2010年，主营高档面料。</textarea>" in html
    draft.refresh_from_db()
    assert draft.narratives == {}
    assert client.post(url("keqiao", "application-edit", pk=draft.pk),
                       draft_post(narrative_4_2="战" * 10_000)).status_code == 302


def test_editor_names_the_recommendation_in_the_jurisdictions_words(client, draft):
    html = client.get(url("keqiao", "application-edit", pk=draft.pk)).content.decode()
    assert "申报须经下列单位之一推荐：镇（街道、开发区）、行业协会。" in html
    assert "经镇（街道、开发区）、行业协会之一签署推荐意见，一式两份报送评审办" in html
    assert "第十四条" in html
    for code in ("4.1", "4.4", "4.7"):
        assert f'name="narrative_{code.replace(".", "_")}"' in html
    assert 'id="upload-recommendation"' in html


def test_lucheng_needs_no_recommendation(client, loaded):
    user = make_user("lc-app")
    org = organization(loaded["lucheng"], user=user)
    cycle = published_cycle(loaded["lucheng"], make_user("lc-office", loaded["lucheng"], Role.OFFICE))
    app = services.start_application(cycle, org, "innovation", user)
    client.force_login(user)
    html = client.get(url("lucheng", "application-edit", pk=app.pk)).content.decode()
    assert "本辖区无需推荐，由申报组织直接向区评审办申报。" in html
    assert "第十三条" in html
    assert 'name="recommenders"' not in html and 'id="upload-recommendation"' not in html


def test_precheck_is_shown_as_a_warning_before_submitting(client, draft, applicant):
    _user, org = applicant
    Organization.objects.filter(pk=org.pk).update(established=dt.date(2024, 1, 1))
    html = client.get(url("keqiao", "application-edit", pk=draft.pk)).content.decode()
    assert 'class="panel panel-warning" id="precheck"' in html
    assert "存在“不符合”的项目仍可提交" in html
    assert "成立日期 2024-01-01" in html and "不满足“3年以上（含本数）”的要求" in html
    assert "待人工审查" in html
    assert "提交申报" in html


# --- submit, receipt, withdraw, letter ------------------------------------------------------
@pytest.fixture
def ready(keqiao_cycle, applicant):
    user, org = applicant
    return ready_draft(keqiao_cycle, org, user)


def test_missing_items_are_named_when_submitting(client, draft):
    response = client.post(url("keqiao", "application-submit", pk=draft.pk), {"confirm": "on"}, follow=True)
    assert messages_of(response) == ["未能提交：尚缺组织概述、自我评价报告（PDF）、推荐意见扫描件、证实性材料。"]
    draft.refresh_from_db()
    assert draft.state == AppState.DRAFT


def test_submitting_first_shows_the_answers_then_needs_the_box_ticked(client, ready):
    edit = client.get(url("keqiao", "application-edit", pk=ready.pk)).content.decode()
    check_url = url("keqiao", "application-submit", pk=ready.pk)
    assert f'href="{check_url}"' in edit
    page = client.get(check_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "核对并提交申报" in html and "提交后将会" in html and "确认提交申报" in html
    assert ready.organization.name in html and ready.organization.uscc in html
    assert "申报内容和已上传的文件锁定" in html
    # The trail leads back to the editor.
    assert 'class="breadcrumbs"' in html and url("keqiao", "application-edit", pk=ready.pk) in html

    refused = client.post(check_url, {})
    assert refused.status_code == 200
    assert refused.context["confirm_form"].errors["confirm"] == ["请勾选确认后再提交申报；申报内容不会丢失。"]
    assert 'class="field checkbox-field has-error"' in refused.content.decode()
    ready.refresh_from_db()
    assert ready.state == AppState.DRAFT and ready.number == "" and ready.overview

    response = client.post(check_url, {"confirm": "on"}, follow=True)
    assert messages_of(response) == ["申报已提交，受理编号：KEQIAO-2026-0001。请下载并妥善保存受理回执。"]
    # Once submitted, the check page sends the applicant back to the (locked) application.
    assert client.get(check_url)["Location"] == url("keqiao", "application-edit", pk=ready.pk)


def test_the_check_page_names_what_is_missing_and_offers_no_submit(client, draft):
    html = client.get(url("keqiao", "application-submit", pk=draft.pk)).content.decode()
    assert "提交前尚需完成：" in html and "组织概述" in html
    assert "确认提交申报" not in html


def test_submit_gives_a_number_and_a_receipt_pdf_and_freezes_the_page(client, ready):
    response = client.post(url("keqiao", "application-submit", pk=ready.pk), {"confirm": "on"}, follow=True)
    assert messages_of(response) == ["申报已提交，受理编号：KEQIAO-2026-0001。请下载并妥善保存受理回执。"]
    html = response.content.decode()
    assert url("keqiao", "application-receipt", pk=ready.pk) in html
    assert 'id="draft-form"' not in html and 'name="file"' not in html
    assert "申报已提交，以下内容已锁定。" in html and "本组织概述" in html

    receipt = client.get(url("keqiao", "application-receipt", pk=ready.pk))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt["X-Content-Type-Options"] == "nosniff"
    assert receipt["Content-Disposition"].startswith("attachment;")
    assert receipt.content.startswith(b"%PDF")


def test_receipt_is_404_before_submission(client, ready):
    assert client.get(url("keqiao", "application-receipt", pk=ready.pk)).status_code == 404


def test_double_submit_gives_a_message_and_still_one_event(client, ready):
    client.post(url("keqiao", "application-submit", pk=ready.pk), {"confirm": "on"})
    response = client.post(url("keqiao", "application-submit", pk=ready.pk), {"confirm": "on"}, follow=True)
    assert messages_of(response) == [
        "申报已提交，受理编号：KEQIAO-2026-0001。请下载并妥善保存受理回执。",
        "未能提交：该申报已经提交，无需重复提交。",
    ]
    assert ApplicationEvent.objects.filter(application=ready).count() == 1


def test_late_submission_is_refused_by_the_clock(client, ready):
    past = timezone.now() - dt.timedelta(minutes=5)
    AwardCycle.objects.filter(pk=ready.cycle_id).update(applications_close_at=past)
    response = client.post(url("keqiao", "application-submit", pk=ready.pk), {"confirm": "on"}, follow=True)
    shown = timezone.localtime(past).strftime("%Y-%m-%d %H:%M")
    assert messages_of(response) == [f"未能提交：申报已于 {shown} 截止，不能再提交。"]
    ready.refresh_from_db()
    assert ready.state == AppState.DRAFT and ready.number == ""
    html = response.content.decode()
    assert "申报已截止，不能再修改。" in html and 'id="draft-form"' not in html


def test_withdraw_needs_confirmation_then_records_the_reason(client, ready):
    client.post(url("keqiao", "application-submit", pk=ready.pk), {"confirm": "on"})
    page = client.get(url("keqiao", "application-withdraw", pk=ready.pk))
    assert "确认撤回" in page.content.decode()

    refused = client.post(url("keqiao", "application-withdraw", pk=ready.pk), {"reason": "经营调整"})
    assert refused.status_code == 200
    assert "请勾选确认后再撤回。" in refused.content.decode()
    ready.refresh_from_db()
    assert ready.state == AppState.SUBMITTED

    response = client.post(url("keqiao", "application-withdraw", pk=ready.pk),
                           {"reason": "经营调整", "confirm": "on"}, follow=True)
    assert messages_of(response) == ["申报已撤回。"]
    ready.refresh_from_db()
    assert ready.state == AppState.WITHDRAWN
    event = ready.events.get(to_state=AppState.WITHDRAWN)
    assert (event.from_state, event.reason) == (AppState.SUBMITTED, "经营调整")
    assert url("keqiao", "application-withdraw", pk=ready.pk) not in response.content.decode()


def test_after_the_eligibility_decision_a_withdrawal_states_its_reason(client, ready, cast):
    app = services.submit(ready, ready.organization.users.get())
    services.decide_eligibility(app, cast["office"], AppState.ELIGIBLE)
    page = url("keqiao", "application-withdraw", pk=ready.pk)
    response = client.post(page, {"confirm": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["资格审查已作出决定，撤回申报须写明理由。"]
    ready.refresh_from_db()
    assert ready.state == AppState.ELIGIBLE
    response = client.post(page, {"reason": "企业重组，不再参评", "confirm": "on"}, follow=True)
    assert messages_of(response) == ["申报已撤回。"]
    ready.refresh_from_db()
    assert ready.state == AppState.WITHDRAWN
    response = client.post(page, {"reason": "再撤一次", "confirm": "on"}, follow=True)
    assert messages_of(response) == ["未能撤回：当前阶段已不能撤回申报。"]


def test_the_feedback_letter_is_downloadable_once_ineligible(client, ready, cast):
    letter_url = url("keqiao", "application-letter", pk=ready.pk)
    app = services.submit(ready, ready.organization.users.get())
    assert client.get(letter_url).status_code == 404
    services.decide_eligibility(app, cast["office"], AppState.INELIGIBLE, reason="未通过 ISO 9001 认证。")
    html = client.get(url("keqiao", "application-edit", pk=ready.pk)).content.decode()
    assert letter_url in html and "未通过 ISO 9001 认证。" in html
    response = client.get(letter_url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_dashboard_shows_each_applications_timeline(client, ready):
    client.post(url("keqiao", "application-submit", pk=ready.pk), {"confirm": "on"})
    client.post(url("keqiao", "application-withdraw", pk=ready.pk), {"reason": "经营调整", "confirm": "on"})
    html = client.get(url("keqiao", "applicant-dashboard")).content.decode()
    assert "2026年度柯桥区政府质量奖评审" in html
    assert '<span class="badge badge-state badge-state-withdrawn">已撤回</span>' in html
    assert "草稿 → 已提交" in html and "已提交 → 已撤回" in html and "经营调整" in html
    submitted = timezone.localtime(ready.events.get(to_state=AppState.SUBMITTED).at)
    assert f"{submitted:%Y-%m-%d %H:%M}" in html
    assert "受理编号：KEQIAO-2026-0001" in html


def test_dashboard_needs_the_applicant_role(client, cast):
    client.force_login(cast["office"])
    assert client.get(url("keqiao", "applicant-dashboard")).status_code == 404
    client.logout()
    response = client.get(url("keqiao", "applicant-dashboard"))
    assert response.status_code == 302 and "/keqiao/accounts/login/" in response["Location"]


# --- who may see what -----------------------------------------------------------------------
def _private_urls(slug: str, app: Application) -> list[str]:
    file_id = app.files.first().pk
    return [
        url(slug, "application-edit", pk=app.pk),
        url(slug, "application-file", pk=app.pk, file_id=file_id),
        url(slug, "application-receipt", pk=app.pk),
        url(slug, "application-letter", pk=app.pk),
        url(slug, "application-withdraw", pk=app.pk),
    ]


def test_another_organisation_gets_404_everywhere(client, ready, loaded):
    services.submit(ready, ready.organization.users.get())
    other = make_user("kq-other-applicant")
    organization(loaded["keqiao"], user=other)
    client.force_login(other)
    for address in _private_urls("keqiao", ready):
        assert client.get(address).status_code == 404, address
    for name in ("application-autosave", "application-submit", "application-withdraw"):
        assert client.post(url("keqiao", name, pk=ready.pk), draft_post()).status_code == 404, name
    ready.refresh_from_db()
    assert ready.state == AppState.SUBMITTED and ready.overview == "本组织概述"


def test_another_tenants_path_gets_404_even_for_the_owner(client, ready, loaded, applicant):
    user, _org = applicant
    services.submit(ready, user)
    # The owner also files in Zhuji: the Keqiao application is still not reachable under /zhuji/.
    Membership.objects.create(user=user, jurisdiction=loaded["zhuji"], role=Role.APPLICANT)
    ready.refresh_from_db()
    # Nothing of the Keqiao application on any of these answers: not its organisation, its number,
    # its text, nor the bytes of a file or a receipt.
    hidden = ("柯桥织造有限公司", ready.number, ready.overview)

    def assert_hidden(address):
        response = client.get(address)
        assert response.status_code == 404, address
        body = response.content
        assert not body.startswith(b"%PDF"), address
        assert not any(text.encode() in body for text in hidden), address

    for address in _private_urls("zhuji", ready):
        assert_hidden(address)
    withdraw = url("zhuji", "application-withdraw", pk=ready.pk)
    assert client.post(withdraw, {"reason": "经营调整", "confirm": "on"}).status_code == 404
    zhuji_applicant = make_user("zj-applicant", loaded["zhuji"], Role.APPLICANT)
    client.force_login(zhuji_applicant)
    for address in _private_urls("zhuji", ready) + _private_urls("keqiao", ready):
        assert_hidden(address)
    ready.refresh_from_db()
    assert ready.state == AppState.SUBMITTED


def test_files_reach_the_office_of_the_jurisdiction_only(client, ready, cast):
    record = ready.files.get(kind="self_assessment")
    address = url("keqiao", "application-file", pk=ready.pk, file_id=record.pk)
    client.force_login(cast["office"])
    response = client.get(address)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for who in ("other_office", "reviewer", "committee", "outsider"):
        client.force_login(cast[who])
        assert client.get(address).status_code == 404, who
    client.force_login(cast["other_office"])
    assert client.get(url("zhuji", "application-file", pk=ready.pk, file_id=record.pk)).status_code == 404
    # A file id under another application's URL is no way in either.
    client.force_login(cast["office"])
    assert client.get(url("keqiao", "application-file", pk=ready.pk + 1, file_id=record.pk)).status_code == 404


def test_the_record_also_asks_what_a_drafts_pinned_profile_needs(client, loaded, cast, applicant):
    user, org = applicant
    keqiao = loaded["keqiao"]
    document = copy.deepcopy(keqiao.profile_in_force().document)
    document.update(version="2019-01-01", effective_from="2019-01-01")
    document["eligibility"]["conditions"].append({
        "code": "no_export_notices", "text_zh": "近三年无出口质量通报", "text_en": "No export notices",
        "question_zh": "近三年是否有出口质量通报？", "question_en": "Any export notice in the last three years?",
        "test": {"value": {"kind": "fact_false", "fact": "export_quality_notices_last_3_years"}, "cite": "第九十九条"},
    })
    older = RuleProfile(jurisdiction=keqiao, document=document)
    older.save()
    assert 'name="export_quality_notices_last_3_years"' not in client.get(url("keqiao", "org-record")).content.decode()

    now = timezone.now()
    cycle = services.create_cycle(keqiao, year=2025, actor=cast["office"], profile=older,
                                  applications_open_at=now - dt.timedelta(days=1),
                                  applications_close_at=now + dt.timedelta(days=9))
    cycle = services.publish_cycle(cycle, cast["office"])
    services.start_application(cycle, org, "quality", user)
    html = client.get(url("keqiao", "org-record")).content.decode()
    assert 'name="export_quality_notices_last_3_years"' in html
    assert "申报条件（第九十九条）：近三年无出口质量通报" in html
    assert "近三年是否有出口质量通报？" in html  # asked in the pinned profile's own words
    assert 'name="pays_tax_locally"' in html


def test_autosave_after_the_session_ended_says_so_in_the_status_line(client, draft):
    client.logout()
    response = client.post(url("keqiao", "application-autosave", pk=draft.pk), draft_post())
    assert response.status_code == 200
    assert response.content.decode().strip() == (
        '<span class="is-error">未能自动保存：登录已超时，请复制尚未保存的内容后重新登录。</span>'
    )
    draft.refresh_from_db()
    assert draft.overview == ""


def test_a_closed_call_offers_no_start(client, keqiao_cycle, applicant):
    AwardCycle.objects.filter(pk=keqiao_cycle.pk).update(applications_close_at=timezone.now() - dt.timedelta(hours=1))
    html = client.get(url("keqiao", "cycle-call", year=2026)).content.decode()
    assert "已截止" in html and "本年度申报已截止。" in html and "开始填写申报书" not in html
    response = client.post(url("keqiao", "application-start", year=2026),
                           {"category": "quality", "organization": applicant[1].pk})
    assert "本年度申报未在受理期内。" in response.content.decode()
    assert not Application.objects.exists()

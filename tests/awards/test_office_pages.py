"""Office pages: the cycle dashboard, the Excel export, one application and its eligibility decision."""

from __future__ import annotations

import datetime as dt
import re
import threading
from io import BytesIO

import pytest
from django.db import connection, connections, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards import services
from awards.models import Application, ApplicationEvent, GeneratedDocument
from awards.states import AppState
from jurisdictions.models import Role
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HEADERS = ["受理编号", "申报组织", "统一社会信用代码", "申报奖项", "状态", "提交时间", "资格审查时间", "审查意见"]


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def url(slug: str, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


@pytest.fixture
def cycle(loaded, cast):
    return published_cycle(loaded["keqiao"], cast["office"])


@pytest.fixture
def office(client, cast):
    client.force_login(cast["office"])
    return client


def filed(cycle, user, name=None, **facts) -> Application:
    org = organization(cycle.jurisdiction, name=name, user=user, **facts)
    return services.submit(ready_draft(cycle, org, user), user)


def draft(cycle, user, name=None) -> Application:
    org = organization(cycle.jurisdiction, name=name, user=user)
    return services.start_application(cycle, org, "quality", user)


def decide(client, app, decision, **fields):
    data = {"decision": decision, "seen_state": fields.pop("seen_state", app.state), "confirm": "on", **fields}
    return client.post(url(app.jurisdiction.slug, "office-application-decide", pk=app.pk), data)


def errors_of(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# --- dashboard ------------------------------------------------------------------------------------
def test_dashboard_shows_the_pinned_version_counts_and_the_list(office, cycle, cast):
    user = cast["applicant"]
    first = filed(cycle, user, name="甲质量有限公司")
    second = filed(cycle, user, name="乙精密机械有限公司")
    draft(cycle, user, name="丙纺织有限公司")
    services.decide_eligibility(second, cast["office"], AppState.ELIGIBLE)

    response = office.get(url("keqiao", "office-cycle", year=2026))
    assert response.status_code == 200
    counts = {row["state"]: row["count"] for row in response.context["counts"]}
    assert counts == {"draft": 1, "submitted": 1, "returned": 0, "eligible": 1, "ineligible": 0, "withdrawn": 0}
    assert response.context["total"] == 3
    html = response.content.decode()
    # The pinned version by its regulation and date, never its internal key.
    assert "keqiao@2020-05-10" not in html
    assert "《柯桥区政府质量奖评审管理办法》2020-05-10 版" in html
    # Filed first, drafts last.
    assert [row["organization"] for row in response.context["rows"]] == [
        "甲质量有限公司", "乙精密机械有限公司", "丙纺织有限公司",
    ]
    assert f'href="/keqiao/office/applications/{first.pk}/"' in html
    assert "发布申报通知</button>" not in html  # already published


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "eligible"}, ["乙精密机械有限公司"]),
        ({"state": "submitted"}, ["甲质量有限公司"]),
        ({"q": "精密"}, ["乙精密机械有限公司"]),
        ({"q": "KEQIAO-2026-0001"}, ["甲质量有限公司"]),
        ({"category": "quality", "state": "draft"}, ["丙纺织有限公司"]),
        # Keqiao's nomination award is not filed for directly: not a filter, so ignored.
        ({"category": "nomination"}, ["甲质量有限公司", "乙精密机械有限公司", "丙纺织有限公司"]),
        ({"state": "no-such-state"}, ["甲质量有限公司", "乙精密机械有限公司", "丙纺织有限公司"]),
    ],
)
def test_dashboard_filters_and_search(office, cycle, cast, query, expected):
    user = cast["applicant"]
    filed(cycle, user, name="甲质量有限公司")
    second = filed(cycle, user, name="乙精密机械有限公司")
    draft(cycle, user, name="丙纺织有限公司")
    services.decide_eligibility(second, cast["office"], AppState.ELIGIBLE)
    response = office.get(url("keqiao", "office-cycle", year=2026), query)
    assert [row["organization"] for row in response.context["rows"]] == expected


def test_search_by_uscc_in_lower_case(office, cycle, cast):
    app = filed(cycle, cast["applicant"], name="甲质量有限公司")
    response = office.get(url("keqiao", "office-cycle", year=2026), {"q": app.organization.uscc[-6:].lower()})
    assert [row["url"] for row in response.context["rows"]] == [
        f"/keqiao/office/applications/{app.pk}/"]


def test_htmx_gets_only_the_table(office, cycle, cast):
    filed(cycle, cast["applicant"], name="甲质量有限公司")
    response = office.get(url("keqiao", "office-cycle", year=2026), {"q": "甲"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>" not in html and "<html" not in html
    assert "甲质量有限公司" in html
    assert "HX-Request" in [v.strip() for v in response["Vary"].split(",")]
    assert 'href="/keqiao/office/cycles/2026/export.xlsx?q=%E7%94%B2"' in html


def _count_queries(client, path, **extra) -> int:
    reset_queries()  # the debug query log is a bounded deque: a full one would count nothing
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_and_export_run_the_same_queries_for_1_and_50_applications(office, cycle, cast):
    user = cast["applicant"]
    filed(cycle, user)
    dashboard = url("keqiao", "office-cycle", year=2026)
    export = url("keqiao", "office-cycle-export", year=2026)
    office.get(dashboard)  # warm-up: nothing below may depend on a first-request cache
    at_one = (
        _count_queries(office, dashboard),
        _count_queries(office, dashboard, HTTP_HX_REQUEST="true"),
        _count_queries(office, dashboard + "?q=测试&state=submitted"),
        _count_queries(office, export),
    )
    for _n in range(49):
        draft(cycle, user)
    assert Application.objects.filter(cycle=cycle).count() == 50
    at_fifty = (
        _count_queries(office, dashboard),
        _count_queries(office, dashboard, HTTP_HX_REQUEST="true"),
        _count_queries(office, dashboard + "?q=测试&state=submitted"),
        _count_queries(office, export),
    )
    assert at_fifty == at_one
    assert len(office.get(dashboard).context["rows"]) == 50


def test_dashboard_paginates_fifty_a_page_and_keeps_the_filters(office, cycle, cast):
    user = cast["applicant"]
    for _n in range(51):
        draft(cycle, user)
    first = office.get(url("keqiao", "office-cycle", year=2026), {"state": "draft"})
    assert len(first.context["rows"]) == 50
    assert (first.context["page"].number, first.context["page"].paginator.num_pages) == (1, 2)
    assert 'href="?state=draft&amp;page=2"' in first.content.decode()
    second = office.get(url("keqiao", "office-cycle", year=2026), {"state": "draft", "page": "2"})
    assert len(second.context["rows"]) == 1
    beyond = office.get(url("keqiao", "office-cycle", year=2026), {"page": "99"})
    assert beyond.context["page"].number == 2


# --- export ---------------------------------------------------------------------------------------
def test_export_has_chinese_headers_and_the_filtered_rows(office, cycle, cast):
    user = cast["applicant"]
    eligible = filed(cycle, user, name="甲质量有限公司")
    ineligible = filed(cycle, user, name="=乙公司")
    decided_at = timezone.now().replace(microsecond=0)
    services.decide_eligibility(eligible, cast["office"], AppState.ELIGIBLE, now=decided_at)
    services.decide_eligibility(ineligible, cast["office"], AppState.INELIGIBLE, reason="材料不实", now=decided_at)
    eligible.refresh_from_db()

    response = office.get(url("keqiao", "office-cycle-export", year=2026), {"state": "eligible"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''keqiao-2026-")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    local = timezone.localtime
    assert rows == [
        HEADERS,
        [
            "KEQIAO-2026-0001",
            "甲质量有限公司",
            eligible.organization.uscc,
            "柯桥区政府质量奖",
            "资格审查通过",
            local(eligible.submitted_at).replace(tzinfo=None, second=0, microsecond=0),
            local(decided_at).replace(tzinfo=None, second=0, microsecond=0),
            None,
        ],
    ]

    everything = load_workbook(BytesIO(office.get(url("keqiao", "office-cycle-export", year=2026)).content)).active
    rows = [[cell.value for cell in row] for row in everything.iter_rows()]
    assert [row[0] for row in rows] == ["受理编号", "KEQIAO-2026-0001", "KEQIAO-2026-0002"]
    # User text starting with "=" stays text, never a formula.
    assert rows[2][1] == "=乙公司" and everything["B3"].data_type == "s"
    assert rows[2][4:] == ["资格审查未通过", rows[2][5], rows[2][6], "材料不实"]


# --- one application ------------------------------------------------------------------------------
def test_application_page_shows_the_filing_the_precheck_and_a_prefilled_reason(office, cycle, cast):
    close = cycle.close_date
    established = dt.date(close.year - 2, close.month, 1)
    app = filed(cycle, cast["applicant"], name="甲质量有限公司", established=established)
    response = office.get(url("keqiao", "office-application", pk=app.pk))
    assert response.status_code == 200
    html = response.content.decode()
    sentence = f"成立日期 {established}，至截止日 {close} 满 2 年，不满足“3年以上（含本数）”的要求"
    failing = [row for row in response.context["precheck"] if row["status"] == "fail"]
    assert failing == [
        {"text": sentence, "text_en": "Lawfully operating for 3 years or more",
         "rule": "eligibility.conditions.years_operating", "cite": "第十二条", "status": "fail", "status_label": "不符合"}
    ]
    assert response.context["form"]["reason"].value() == (
        f"经审查，贵单位存在以下不符合申报条件的情形：\n1. {sentence}（第十二条）"
    )
    assert "人工审查" in html  # manual conditions are shown as such
    assert "本组织概述" in html and "领导" in html
    assert "report.pdf" in html and "rec.pdf" in html
    assert "草稿 → 已提交" in html and "<td>提交申报</td>" in html and "application.submit" not in html
    # Keqiao does not return for completion: no such choice, no deadline field.
    assert 'value="returned"' not in html
    assert 'name="returned_until"' not in html
    # 第十五条 checks completeness and gives reasons; not returning is the office's reading of it.
    assert "本辖区资格审查不退回补正（评审办设定）。 第十五条规定评审办审查申报材料的完整性" in html
    # Files link to the confidential download view, which serves them to the office.
    files = list(app.files.all())
    assert sorted(f.kind for f in files) == ["evidence", "recommendation", "self_assessment"]  # 第十四条
    for file in files:
        file_url = reverse("application-file", kwargs={"jurisdiction": "keqiao", "pk": app.pk, "file_id": file.pk})
        assert f'href="{file_url}"' in html
    download = office.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_marking_eligible_records_one_cited_transition(office, cycle, cast):
    app = filed(cycle, cast["applicant"])
    response = decide(office, app, "eligible")
    assert response.status_code == 302
    assert response["Location"] == f"/keqiao/office/applications/{app.pk}/#main"
    app.refresh_from_db()
    assert app.state == AppState.ELIGIBLE and app.decided_at is not None
    event = app.events.get(to_state=AppState.ELIGIBLE)
    assert (event.from_state, event.actor, event.rule, event.cite) == ("submitted", cast["office"], "eligibility", "第十五条")
    page = office.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [f"已作出资格审查决定：符合申报条件（{app.organization.name}）。"]
    assert page.context["form"] is None


def test_ineligible_without_a_reason_is_refused_next_to_the_reason(office, cycle, cast):
    app = filed(cycle, cast["applicant"])
    response = decide(office, app, "ineligible", reason="  ")
    assert response.status_code == 200
    assert errors_of(response, "reason") == ["判定不符合申报条件时必须填写书面理由。"]
    block = re.search(r'<div class="field[^"]*">\s*<label for="id_reason">.*?</div>', response.content.decode(), re.S)
    assert "判定不符合申报条件时必须填写书面理由。" in block.group(0)
    assert re.search(r'<input type="radio" name="decision" value="ineligible"[^>]*checked>', response.content.decode())
    assert Application.objects.get(pk=app.pk).state == AppState.SUBMITTED


def test_a_decision_without_the_confirmation_is_refused_next_to_the_box_and_keeps_the_input(office, cycle, cast):
    app = filed(cycle, cast["applicant"])
    page = office.get(reverse("office-application", kwargs={"jurisdiction": "keqiao", "pk": app.pk}))
    html = page.content.decode()
    assert 'id="decision-consequences"' in html and "不可撤销" in html
    response = decide(office, app, "ineligible", reason="近3年有质量监督抽查不合格记录。", confirm="")
    assert response.status_code == 200
    assert errors_of(response, "confirm") == ["请勾选确认后再作出资格审查决定；已填写的内容均已保留。"]
    assert response.context["form"]["reason"].value() == "近3年有质量监督抽查不合格记录。"
    block = re.search(r'<div class="field checkbox-field has-error">.*?</div>', response.content.decode(), re.S)
    assert "请勾选确认后再作出资格审查决定" in block.group(0)
    assert Application.objects.get(pk=app.pk).state == AppState.SUBMITTED


def test_no_decision_chosen_is_refused_next_to_the_choice(office, cycle, cast):
    app = filed(cycle, cast["applicant"])
    response = decide(office, app, "", reason="理由保留")
    assert errors_of(response, "decision") == ["请选择审查决定。"]
    assert response.context["form"]["reason"].value() == "理由保留"


def test_ineligible_with_a_reason_issues_the_letter_the_applicant_downloads(
    office, cycle, cast, client, django_capture_on_commit_callbacks
):
    app = filed(cycle, cast["applicant"])
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(office, app, "ineligible", reason="经核实，近3年有质量监督抽查不合格记录。")
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.decision_reason) == (AppState.INELIGIBLE, "经核实，近3年有质量监督抽查不合格记录。")
    letter = GeneratedDocument.objects.get(application=app, kind=GeneratedDocument.Kind.INELIGIBLE_LETTER)
    assert bytes(letter.pdf).startswith(b"%PDF")
    client.force_login(cast["applicant"])
    download = client.get(reverse("application-letter", kwargs={"jurisdiction": "keqiao", "pk": app.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content == bytes(letter.pdf)


@pytest.fixture
def daqing(loaded):
    office = make_user("dq-office", loaded["daqing"], Role.OFFICE)
    return published_cycle(loaded["daqing"], office), office


def test_daqing_returns_an_application_for_completion_until_a_date(client, daqing):
    cycle, office_user = daqing
    applicant = make_user("dq-applicant", cycle.jurisdiction, Role.APPLICANT)
    app = filed(cycle, applicant)
    client.force_login(office_user)
    page = client.get(url("daqing", "office-application", pk=app.pk)).content.decode()
    assert 'value="returned"' in page and 'name="returned_until"' in page
    assert "第十三条" in page

    missing = decide(client, app, "returned", reason="请补充推荐意见原件扫描件", returned_until="")
    assert errors_of(missing, "returned_until") == ["请填写晚于现在的补正截止时间。"]
    until = (timezone.localtime() + dt.timedelta(days=10)).replace(second=0, microsecond=0)
    response = decide(client, app, "returned", reason="请补充推荐意见原件扫描件",
                      returned_until=until.strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.returned_until) == (AppState.RETURNED, until)
    event = app.events.get(to_state=AppState.RETURNED)
    assert (event.rule, event.cite, event.reason) == (
        "eligibility.return_for_completion", "第十三条", "请补充推荐意见原件扫描件",
    )
    # A returned application can still be found ineligible, but not returned or passed again.
    again = client.get(url("daqing", "office-application", pk=app.pk))
    assert [code for code, _label in again.context["form"].offered] == ["ineligible"]


def test_keqiao_refuses_to_return_for_completion(office, cycle, cast):
    app = filed(cycle, cast["applicant"])
    until = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = decide(office, app, "returned", reason="补充材料", returned_until=until)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["本辖区规则不允许退回补正（评审办设定）。"]
    assert "本辖区规则不允许退回补正（评审办设定）。" in response.content.decode()
    assert "office setting" not in response.content.decode()
    assert Application.objects.get(pk=app.pk).state == AppState.SUBMITTED


def test_a_double_click_makes_one_decision_and_says_so(office, cycle, cast):
    app = filed(cycle, cast["applicant"])
    assert decide(office, app, "eligible").status_code == 302
    second = decide(office, app, "ineligible", reason="第二次点击", seen_state="submitted")
    assert second.status_code == 302
    page = office.get(second["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        f"已作出资格审查决定：符合申报条件（{app.organization.name}）。",
        "这份申报的状态已是“资格审查通过”，本次提交没有再次执行（可能是重复点击，或其他工作人员已经处理）。",
    ]
    assert ApplicationEvent.objects.filter(application=app).exclude(to_state=AppState.SUBMITTED).count() == 1
    assert Application.objects.get(pk=app.pk).state == AppState.ELIGIBLE


def test_a_stale_post_without_the_seen_state_is_refused_by_the_workflow(office, cycle, cast):
    app = filed(cycle, cast["applicant"])
    services.decide_eligibility(app, cast["office"], AppState.ELIGIBLE)
    response = decide(office, app, "eligible", seen_state="")
    assert response.status_code == 200
    assert ApplicationEvent.objects.filter(application=app, to_state=AppState.ELIGIBLE).count() == 1


# --- who may see what ---------------------------------------------------------------------------
def test_another_tenants_office_gets_404_everywhere(client, cycle, cast, loaded):
    app = filed(cycle, cast["applicant"], name="柯桥保密测试有限公司")
    client.force_login(cast["other_office"])
    # Not a page with the data left out: 404, and nothing of Keqiao's applicant in it, nor a spreadsheet.
    hidden = ("柯桥保密测试有限公司", app.organization.uscc, app.number)

    def assert_hidden(path):
        response = client.get(path)
        assert response.status_code == 404, path
        assert not response.content.startswith(b"PK"), path
        assert not any(value in response.content.decode() for value in hidden), path

    # Through the other tenant's URL...
    assert_hidden(url("keqiao", "office-cycle", year=2026))
    assert_hidden(url("keqiao", "office-cycle-export", year=2026))
    assert_hidden(url("keqiao", "office-application", pk=app.pk))
    assert decide(client, app, "eligible").status_code == 404
    # ...and through its own, with the other tenant's year and id.
    assert_hidden(url("zhuji", "office-cycle", year=2026))
    assert_hidden(url("zhuji", "office-cycle-export", year=2026))
    assert_hidden(url("zhuji", "office-application", pk=app.pk))
    zhuji_decide = url("zhuji", "office-application-decide", pk=app.pk)
    assert client.post(zhuji_decide, {"decision": "eligible", "seen_state": "submitted"}).status_code == 404
    assert Application.objects.get(pk=app.pk).state == AppState.SUBMITTED


@pytest.mark.parametrize("who", ["reviewer", "committee", "applicant", "outsider"])
def test_reviewers_and_applicants_get_404_on_office_pages(client, cycle, cast, who):
    app = filed(cycle, cast["applicant"])
    client.force_login(cast[who])
    for path in (
        url("keqiao", "office-cycle", year=2026),
        url("keqiao", "office-cycle-export", year=2026),
        url("keqiao", "office-application", pk=app.pk),
    ):
        assert client.get(path).status_code == 404, path
    assert decide(client, app, "eligible").status_code == 404
    assert Application.objects.get(pk=app.pk).state == AppState.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_clicks_make_one_decision(cycle, cast):
    """Two requests at once: the workflow's row lock lets one through; the other reports it."""
    app = filed(cycle, cast["applicant"])
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def click() -> None:
        client = Client()
        client.force_login(cast["office"])
        barrier.wait()
        try:
            statuses.append(decide(client, app, "eligible", seen_state="submitted").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert ApplicationEvent.objects.filter(application=app, to_state=AppState.ELIGIBLE).count() == 1
    assert Application.objects.get(pk=app.pk).state == AppState.ELIGIBLE

"""Office staff review two filed applications; the refused applicant downloads the feedback letter."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from awards import services
from awards.models import Application, ApplicationFile, Certification, GeneratedDocument, Organization
from awards.states import AppState
from jurisdictions.models import Role
from tests.awards.builders import uscc_for
from tests.conftest import make_user

from .conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

REASON = "经核实，贵单位成立未满3年，不符合《柯桥区政府质量奖评审管理办法》第十二条规定的申报条件。"


def small_pdf(text: str) -> SimpleUploadedFile:
    # A real PDF from the same engine the product uses (Latin text: no CJK font subsetting needed).
    content = weasyprint.HTML(string=f"<h1>{text}</h1><p>Quality award self-assessment.</p>").write_pdf()
    return SimpleUploadedFile(f"{text}.pdf", content, content_type="application/pdf")


def file_application(cycle, user, name: str, n: int, established: dt.date) -> Application:
    org = Organization.objects.create(
        jurisdiction=cycle.jurisdiction, name=name, uscc=uscc_for(9000 + n),
        registered_in_jurisdiction=True, pays_tax_locally=True, legal_person=True,
        established=established, excellence_model_since=dt.date(2019, 1, 1), sector="secondary",
        failed_inspections_last_3_years=False, major_accidents_last_3_years=False,
        major_complaints_last_3_years=False, administrative_penalties_last_3_years=False,
        export_quality_notices_last_3_years=False, serious_violations_last_3_years=False,
    )
    Certification.objects.create(organization=org, kind=Certification.Kind.ISO9001, number=f"ISO-{n}",
                                 expires_on=dt.date(2030, 1, 1))
    org.users.add(user)
    app = services.start_application(cycle, org, "quality", user)
    services.save_draft(app, actor=user, overview=f"{name}的组织概述", narratives={"4.1": "高层领导推进卓越绩效"},
                        recommenders=["town"], recommender_names="柯桥街道办事处")
    services.add_file(app, kind=ApplicationFile.Kind.SELF_ASSESSMENT, uploaded=small_pdf("self-assessment"), actor=user)
    services.add_file(app, kind=ApplicationFile.Kind.RECOMMENDATION, uploaded=small_pdf("recommendation"), actor=user)
    services.add_file(app, kind=ApplicationFile.Kind.EVIDENCE, uploaded=small_pdf("evidence"), actor=user)
    return services.submit(app, user)



def test_office_decides_two_applications_and_the_applicant_downloads_the_letter(
    page: Page, browser: Browser, live_server, loaded, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    keqiao = loaded["keqiao"]
    office = make_user("kq-office-journey", keqiao, Role.OFFICE, first_name="柯桥评审办王科长")
    good_user = make_user("kq-applicant-good", keqiao, Role.APPLICANT)
    refused_user = make_user("kq-applicant-refused", keqiao, Role.APPLICANT)
    now = timezone.now()
    cycle = services.create_cycle(
        keqiao, year=now.year, actor=office,
        applications_open_at=now - dt.timedelta(days=5), applications_close_at=now + dt.timedelta(days=20),
    )
    cycle = services.publish_cycle(cycle, office)
    good = file_application(cycle, good_user, "柯桥精工机械有限公司", 1, dt.date(2012, 5, 1))
    refused = file_application(cycle, refused_user, "柯桥新创纺织有限公司", 2, now.date() - dt.timedelta(days=400))
    base = live_server.url

    # Office staff log in and prepare next year's cycle: a raised quota is refused, with its article.
    log_in(page, base, "kq-office-journey")
    page.goto(f"{base}/keqiao/office/cycles/")
    expect(page.locator(".legend")).to_contain_text("《柯桥区政府质量奖评审管理办法》2020-05-10 版")
    next_year = cycle.year + 1
    page.get_by_label("年度", exact=True).fill(str(next_year))
    page.get_by_label("开始受理时间").fill(f"{next_year}-03-01T09:00")
    page.get_by_label("截止受理时间").fill(f"{next_year}-04-30T17:30")
    expect(page.get_by_label("年度", exact=True)).to_have_value(str(next_year))
    quota = page.get_by_label("柯桥区政府质量奖", exact=True)
    expect(quota).to_have_value("3")
    quota.fill("4")
    page.get_by_role("button", name="建立评审年度").click()
    quota_field = page.locator(".field.has-error", has=page.locator("#id_quota_quality"))
    expect(quota_field.locator(".errorlist")).to_have_text("“柯桥区政府质量奖”名额不得超过规则上限 3（第三条）。")
    expect(page.get_by_label("截止受理时间")).to_have_value(f"{next_year}-04-30T17:30")
    screenshot(page, "office-00-cycle-form-error")
    quota.fill("2")
    page.get_by_role("button", name="建立评审年度").click()
    expect(page).to_have_url(re.compile(rf"/keqiao/office/cycles/{next_year}/$"))
    expect(page.locator("#cycle-quotas + table tbody tr").first).to_contain_text("2")
    expect(page.get_by_role("button", name="发布申报通知")).to_be_visible()
    screenshot(page, "office-00-new-cycle-draft")

    # Then the running cycle's dashboard.
    page.get_by_role("link", name="全部评审年度").click()
    page.get_by_role("link", name=cycle.title).click()
    expect(page).to_have_url(re.compile(rf"/keqiao/office/cycles/{cycle.year}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(cycle.title)
    expect(page.locator("#cycle-facts + dl")).to_contain_text("《柯桥区政府质量奖评审管理办法》2020-05-10 版")
    submitted_card = page.locator(".state-counts a", has_text="已提交")
    expect(submitted_card.locator(".n")).to_have_text("2")
    expect(page.locator("#application-table tbody tr")).to_have_count(2)
    screenshot(page, "office-01-dashboard")

    # The first application passes.
    page.get_by_role("link", name="柯桥精工机械有限公司").click()
    expect(page).to_have_url(re.compile(rf"/keqiao/office/applications/{good.pk}/$"))
    expect(page.locator("#app-facts ~ table tbody tr").first).to_contain_text("是否在柯桥区登记注册？（第十二条）")
    expect(page.locator("#precheck")).to_contain_text("第十二条")
    expect(page.locator("#precheck .result-fail")).to_have_count(0)
    expect(page.locator("#history")).to_contain_text("草稿 → 已提交")
    screenshot(page, "office-02-application-passing")
    page.get_by_label("符合申报条件", exact=True).check()
    expect(page.locator("#decision-consequences")).to_contain_text("不可撤销")
    page.get_by_label("我已核对申报材料", exact=False).check()
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator(".msg-success")).to_have_text("已作出资格审查决定：符合申报条件（柯桥精工机械有限公司）。")
    expect(page.locator("#app-state")).to_have_text("资格审查通过")
    expect(page.locator("#history")).to_contain_text("已提交 → 资格审查通过")

    # Back on the dashboard, filter to what is still waiting (htmx refreshes the table).
    page.get_by_role("link", name=re.compile("返回")).click()
    page.get_by_label("状态").select_option("submitted")
    expect(page.locator("#application-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"state=submitted"))
    screenshot(page, "office-03-dashboard-filtered")

    # The second fails the years-operating condition; a reason is required, and prefilled.
    page.get_by_role("link", name="柯桥新创纺织有限公司").click()
    expect(page.locator("#precheck .result-fail")).to_have_count(1)
    reason = page.get_by_label("审查意见")
    expect(reason).to_have_value(re.compile(r"^经审查，贵单位存在以下不符合申报条件的情形：\n1\. 成立日期 .*（第十二条）$"))
    screenshot(page, "office-04-application-failing")
    page.get_by_label("不符合申报条件", exact=True).check()
    reason.fill("")
    page.get_by_label("我已核对申报材料", exact=False).check()
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator(".field.has-error", has=page.locator("#id_reason")).locator(".errorlist")).to_have_text(
        "判定不符合申报条件时必须填写书面理由。"
    )
    expect(page.get_by_label("不符合申报条件", exact=True)).to_be_checked()
    screenshot(page, "office-05-reason-required")
    page.get_by_label("审查意见").fill(REASON)
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("#app-state")).to_have_text("资格审查未通过")
    expect(page.locator("#history")).to_contain_text(REASON)
    screenshot(page, "office-06-decided-ineligible")

    # The export carries both decisions.
    page.goto(f"{base}/keqiao/office/cycles/{cycle.year}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    export = download_info.value
    assert export.suggested_filename == f"keqiao-{cycle.year}-申报名单.xlsx"
    export.save_as(tmp_path / "export.xlsx")
    sheet = load_workbook(tmp_path / "export.xlsx").active
    rows = {row[1]: (row[4], row[7]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {"柯桥精工机械有限公司": ("资格审查通过", None), "柯桥新创纺织有限公司": ("资格审查未通过", REASON)}

    assert Application.objects.get(pk=good.pk).state == AppState.ELIGIBLE
    assert Application.objects.get(pk=refused.pk).state == AppState.INELIGIBLE
    assert GeneratedDocument.objects.filter(application=refused, kind="ineligible_letter").exists()

    # The refused applicant logs in and downloads the feedback letter.
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    applicant = context.new_page()
    try:
        log_in(applicant, base, "kq-applicant-refused")
        applicant.goto(f"{base}/keqiao/my/")
        screenshot(applicant, "office-07-applicant-dashboard")
        with applicant.expect_download() as letter_info:
            applicant.get_by_role("link", name="下载资格审查反馈函（PDF）").click()
        letter = letter_info.value
        pdf = Path(letter.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
        assert letter.suggested_filename == f"资格审查反馈函-KEQIAO-{cycle.year}-0002.pdf"
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        text = re.sub(r"\s+", "", text)  # the letter's heading is letter-spaced and lines wrap
        assert "资格审查结果的告知书" in text and "柯质奖评办资审〔2026〕" in text
        assert "柯桥新创纺织有限公司" in text
        assert REASON in text
        # Another organisation's letter is not served to this applicant.
        other = context.request.get(f"{base}/keqiao/applications/{good.pk}/letter.pdf")
        assert other.status == 404
    finally:
        context.close()

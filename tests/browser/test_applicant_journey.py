"""An applicant registers, fills the organisation record, drafts, uploads, sees the pre-check, submits
and downloads the receipt, in a real browser."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards import services
from awards.models import Application
from awards.placeholder_pdf import minimal_pdf as small_pdf
from awards.states import AppState
from jurisdictions.models import Role
from tests.awards.builders import uscc_for
from tests.conftest import make_user

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def open_keqiao_cycle(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    now = timezone.now()
    office = make_user("kq-office-journey", loaded["keqiao"], Role.OFFICE)
    cycle = services.create_cycle(
        loaded["keqiao"], year=2026, actor=office,
        applications_open_at=now - dt.timedelta(days=3), applications_close_at=now + dt.timedelta(days=20),
    )
    return services.publish_cycle(cycle, office)


def wait_until_saved(page: Page, pk: int, **values) -> None:
    for _attempt in range(50):
        if Application.objects.filter(pk=pk, **values).exists():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"autosave never stored {values}")


def both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_applicant_registers_files_and_downloads_the_receipt(page: Page, live_server, open_keqiao_cycle):
    base = live_server.url

    # Register the organisation (the registration page logs the new user in).
    page.goto(f"{base}/keqiao/register/")
    page.get_by_label("组织名称").fill("绍兴柯桥锦纶织造有限公司")
    page.get_by_label("统一社会信用代码").fill(uscc_for(424242))
    page.get_by_label("联系人").fill("王丽")
    page.get_by_label("联系电话").fill("0575-84123456")
    page.get_by_label("电子邮箱").fill("wangli@example.cn")
    page.get_by_label("用户名").fill("jinlun")
    page.get_by_label("密码", exact=True).fill("Jinlun-2026-secret")
    page.get_by_label("确认密码").fill("Jinlun-2026-secret")
    page.get_by_role("button", name="注册").click()
    expect(page).to_have_url(re.compile(r"/keqiao/applicant/$"))

    # The applicant's workbench offers the open call with its deadline and a 申报 button.
    expect(page.get_by_role("heading", name="正在受理的申报")).to_be_visible()
    expect(page.locator(".wb-calls").get_by_role("link", name="申报", exact=True)).to_have_attribute(
        "href", "/keqiao/cycles/2026/")
    expect(page.locator("main")).not_to_contain_text("发布申报通知后开放")
    both_widths(page, "applicant-00-workbench")

    # The organisation record: only what Keqiao's conditions need, yes/no in Chinese.
    page.get_by_role("link", name="填写或修改组织信息").click()
    expect(page.locator("#uscc-readonly")).to_have_value(uscc_for(424242))
    expect(page.locator('[name="export_quality_notices_last_3_years"]')).to_have_count(0)
    page.get_by_label("注册地址").fill("绍兴市柯桥区柯桥街道兴越路1号")
    page.get_by_label("所在镇街/区县").fill("柯桥街道")
    page.locator("#id_registered_in_jurisdiction_0").check()
    page.get_by_label("成立日期").fill("2012-05-01")
    page.get_by_label("所属行业").fill("纺织业")
    page.get_by_label("职工人数").fill("360")
    page.get_by_label("上年营业收入（万元）").fill("52000")
    page.locator("#id_pays_tax_locally_0").check()
    page.get_by_label("上年在本地缴纳税收（万元）").fill("2100")
    page.get_by_label("开始实施卓越绩效管理的时间").fill("2019-03-01")
    page.locator("#id_certifications-0-kind").select_option("iso9001")
    page.locator("#id_certifications-0-number").fill("00119Q31234R2M")
    page.locator("#id_certifications-0-expires_on").fill("2028-06-30")
    page.locator("#id_failed_inspections_last_3_years_1").check()
    # "Yes" without an explanation is refused next to the field, and nothing typed is lost.
    page.locator("#id_major_accidents_last_3_years_0").check()
    page.locator("#id_major_complaints_last_3_years_1").check()
    page.get_by_role("button", name="保存组织信息").click()
    expect(page.locator("#id_major_accidents_note_error")).to_have_text("选择“是”时，请在此说明具体情况。")
    expect(page.get_by_label("注册地址")).to_have_value("绍兴市柯桥区柯桥街道兴越路1号")
    both_widths(page, "applicant-01-record-error")
    page.locator("#id_major_accidents_last_3_years_1").check()
    page.get_by_role("button", name="保存组织信息").click()
    expect(page.locator(".msg-success")).to_have_text("组织信息已保存。")

    # The public call, and the start of an application.
    page.goto(f"{base}/keqiao/cycles/2026/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2026年度柯桥区政府质量奖评审")
    expect(page.locator("#h-eligibility")).to_be_visible()
    both_widths(page, "applicant-02-call")
    page.get_by_label("柯桥区政府质量奖", exact=True).check()
    page.get_by_role("button", name="开始填写申报书").click()
    expect(page).to_have_url(re.compile(r"/keqiao/applications/\d+/$"))
    app = Application.objects.get(organization__name="绍兴柯桥锦纶织造有限公司")

    # The overview autosaves (no save button pressed) and survives a reload.
    overview = "公司始建于2012年，专业生产高档锦纶面料，坚持质量第一、顾客至上。"
    page.get_by_role("textbox", name="组织概述").fill(overview)
    expect(page.locator("#id_overview-counter")).to_contain_text(f"{len(overview)} / 3000")
    page.get_by_role("textbox", name="组织概述").press("Tab")
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存")
    page.get_by_label("4.1 领导").fill("高层领导每季度主持质量例会。")
    page.get_by_label("镇（街道、开发区）").check()
    page.get_by_label("推荐单位名称").fill("柯桥街道办事处")
    page.get_by_label("推荐单位名称").press("Tab")
    # Several autosaves may be in flight; wait for the one carrying everything to land.
    wait_until_saved(page, app.pk, recommenders=["town"], recommender_names="柯桥街道办事处")
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存")
    page.reload()
    expect(page.get_by_role("textbox", name="组织概述")).to_have_value(overview)
    expect(page.get_by_label("镇（街道、开发区）")).to_be_checked()

    # Uploads: a disguised file is refused with the reason, then the real PDFs go in.
    page.locator("#file-self_assessment").set_input_files(
        files=[{"name": "自评报告.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00not a pdf"}]
    )
    page.locator("#upload-self_assessment").get_by_role("button", name="上传").click()
    expect(page.locator("#file-self_assessment-error")).to_have_text(
        "文件“自评报告.pdf”的内容不是 PDF、JPG 或 PNG（系统按文件内容判断，而非扩展名）。"
    )
    expect(page.get_by_role("textbox", name="组织概述")).to_have_value(overview)
    both_widths(page, "applicant-03-upload-refused")
    page.locator("#file-self_assessment").set_input_files(
        files=[{"name": "自评报告.pdf", "mimeType": "application/pdf", "buffer": small_pdf("Self-assessment")}]
    )
    page.locator("#upload-self_assessment").get_by_role("button", name="上传").click()
    expect(page.locator("#upload-self_assessment .file-list")).to_contain_text("自评报告.pdf")
    page.locator("#file-recommendation").set_input_files(
        files=[{"name": "推荐意见.pdf", "mimeType": "application/pdf", "buffer": small_pdf("Recommendation")}]
    )
    page.locator("#upload-recommendation").get_by_role("button", name="上传").click()
    expect(page.locator("#upload-recommendation .file-list")).to_contain_text("推荐意见.pdf")
    # Keqiao 第十四条 asks for the supporting evidence too.
    page.locator("#file-evidence").set_input_files(
        files=[{"name": "证实性材料.pdf", "mimeType": "application/pdf", "buffer": small_pdf("Evidence")}]
    )
    page.locator("#upload-evidence").get_by_role("button", name="上传").click()
    expect(page.locator("#upload-evidence .file-list")).to_contain_text("证实性材料.pdf")

    # The pre-check is a warning panel; everything automatic passes for this record.
    precheck = page.locator("#precheck")
    expect(precheck).to_contain_text("不符合 0 项")
    expect(precheck.locator("li.check-pass", has_text="ISO 9001")).to_contain_text("第十二条")
    expect(page.locator("#submit")).to_contain_text("必备材料已齐全，可以提交。")
    page.locator("#submit").scroll_into_view_if_needed()
    both_widths(page, "applicant-04-editor")

    # Submit: first the answers to check and what will happen; the box must be ticked.
    page.get_by_role("link", name="提交申报").click()
    expect(page.locator("h1")).to_have_text("核对并提交申报")
    expect(page.locator("#confirm")).to_contain_text("申报内容和已上传的文件锁定")
    expect(page.locator(".breadcrumbs")).to_contain_text("申报书")
    page.get_by_role("button", name="确认提交申报").click()
    expect(page.locator(".checkbox-field .errorlist")).to_have_text("请勾选确认后再提交申报；申报内容不会丢失。")
    both_widths(page, "applicant-05a-check-answers")
    page.get_by_label("我已核对以上申报内容和材料", exact=False).check()
    page.get_by_role("button", name="确认提交申报").click()
    # Then the page is frozen and the receipt downloads as a PDF.
    expect(page.locator(".msg-success")).to_have_text(
        "申报已提交，受理编号：KEQIAO-2026-0001。请下载并妥善保存受理回执。"
    )
    expect(page.locator("#draft-form")).to_have_count(0)
    both_widths(page, "applicant-05-submitted")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载受理回执（PDF）").first.click()
    download = download_info.value
    assert download.suggested_filename == "受理回执-KEQIAO-2026-0001.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED and app.overview == overview

    # The dashboard tells the story so far.
    page.goto(f"{base}/keqiao/my/")
    expect(page.locator(".timeline").first).to_contain_text("草稿 → 已提交")
    both_widths(page, "applicant-06-dashboard")

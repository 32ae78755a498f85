"""After the award: a Binjiang winner sees its next yearly self-assessment report on its home, is
refused a file that is not a PDF next to the field, uploads its report and sees it received; the
office sees it in the received list and records a spot check."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from awards.placeholder_pdf import PLACEHOLDER_PDF
from duties.models import SelfAssessmentDuty, SpotCheck
from tests.duties.builders import winner

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser



def test_winner_uploads_its_yearly_report_and_the_office_sees_it(page: Page, live_server, loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    app, office, user = winner(loaded["binjiang"])
    user.first_name = "陈获奖"
    user.save(update_fields=["first_name"])
    office.first_name = "滨江评审办王科长"
    office.save(update_fields=["first_name"])
    duty = SelfAssessmentDuty.objects.filter(application=app).order_by("year").first()
    base = live_server.url
    org = app.organization.name

    log_in(page, base, user.username, slug="binjiang")
    panel = page.locator("section", has=page.get_by_role("heading", name="获奖后义务"))
    due = f"{duty.due_on.year}年{duty.due_on.month}月{duty.due_on.day}日"
    expect(panel).to_contain_text(f"{duty.covers_year}年度自我评价报告：{due}前报送")
    screenshot(page, "duties-01-winner-home")
    panel.get_by_role("link", name="报送自我评价报告").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{duty.covers_year}年度自我评价报告")
    expect(page.locator("#duty-status")).to_have_text("待报送")

    # A Word file renamed .pdf is refused next to the field; the note stays.
    page.get_by_label("自我评价报告（PDF）").set_input_files(
        files=[{"name": "自评报告.pdf", "mimeType": "application/pdf", "buffer": b"PK\x03\x04 not a pdf"}])
    page.get_by_label("说明（可不填）").fill("本年度自我评价报告，经领导班子审议。")
    page.get_by_role("button", name="报送").click()
    field = page.locator(".field.has-error", has=page.locator("input[name=file]"))
    expect(field.locator(".errorlist")).to_contain_text("不是 PDF")
    expect(page.get_by_label("说明（可不填）")).to_have_value("本年度自我评价报告，经领导班子审议。")
    screenshot(page, "duties-02-not-a-pdf")

    page.get_by_label("自我评价报告（PDF）").set_input_files(
        files=[{"name": "2026年度自评报告.pdf", "mimeType": "application/pdf", "buffer": PLACEHOLDER_PDF}])
    page.get_by_role("button", name="报送").click()
    expect(page.locator("#duty-status")).to_have_text("已报送")
    received = page.locator("#received")
    expect(received).to_contain_text("2026年度自评报告.pdf")
    expect(received).to_contain_text("按时")
    screenshot(page, "duties-03-received")
    page.get_by_role("button", name="退出登录").first.click()

    # The office: the home counts, the received list, a spot check.
    log_in(page, base, office.username, slug="binjiang")
    page.goto(f"{base}/binjiang/office/duties/")
    row = page.locator("#received tbody tr", has_text=org)
    expect(row).to_contain_text(f"{duty.covers_year}年度")
    expect(row).to_contain_text("按时")
    screenshot(page, "duties-04-office-received")
    row.get_by_role("link", name="查看与抽查").click()
    page.get_by_label("符合", exact=True).check()
    page.get_by_label("抽查意见").fill("报告内容与年度经营数据一致。")
    page.get_by_role("button", name="登记抽查结果").click()
    confirm = page.locator(".field.has-error", has=page.locator("#id_confirm"))
    expect(confirm.locator(".errorlist")).to_have_text("请勾选确认。")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="登记抽查结果").click()
    expect(page.locator("#checks")).to_contain_text("符合")
    expect(page.locator("#checks")).to_contain_text("滨江评审办王科长")
    screenshot(page, "duties-05-spot-check")
    assert SpotCheck.objects.get().result == "conforms"

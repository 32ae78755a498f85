"""The office revokes an award: the proposal on the winner's page, then the approval with its document
and the confirmation (refused next to the box without it); the public verification page then says
the certificate was revoked and on what date."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.placeholder_pdf import PLACEHOLDER_PDF
from honours.models import Certificate
from tests.browser.test_honours_journey import log_in
from tests.sanctions.builders import winner

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_office_revokes_an_award_and_the_public_page_says_when(page: Page, live_server, loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HONOURS_PUBLIC_BASE_URL = live_server.url
    app, office = winner(loaded["keqiao"])
    office.username, office.first_name = "kq-revoke-office", "柯桥评审办李科长"
    office.set_password("Test-pass-2026!")
    office.save()
    base, today = live_server.url, timezone.localdate().isoformat()

    log_in(page, base, "kq-revoke-office")
    page.goto(f"{base}/keqiao/office/post-award/winners/{app.pk}/")
    page.get_by_label("处理", exact=True).select_option(label="撤销荣誉称号")
    page.get_by_label("撤销情形", exact=True).select_option("fraud")
    page.get_by_label("查实的事实").fill("申报材料中的检测报告系伪造。")
    page.get_by_label("事实发生日期").fill(today)
    page.get_by_label("决定日期（撤销的为提请日期）").fill(today)
    screenshot(page, "revocation-01-proposal")
    page.get_by_role("button", name="登记处理").click()
    expect(page.locator("#revocation-state")).to_have_text("已提请，待批准")
    expect(page.locator("#mandatory")).to_contain_text("应当撤销")

    page.get_by_label("批准文号").fill("区政〔2026〕31号")
    page.get_by_label("批准日期").fill(today)
    page.get_by_label("批准文件（PDF 或图片）").set_input_files(
        files=[{"name": "撤销批复.pdf", "mimeType": "application/pdf", "buffer": PLACEHOLDER_PDF}])
    page.get_by_role("button", name="登记批准并撤销奖项").click()
    confirm = page.locator(".field.has-error", has=page.locator("#id_approve-confirm"))
    expect(confirm.locator(".errorlist")).to_have_text("请勾选确认。")
    expect(page.get_by_label("批准文号")).to_have_value("区政〔2026〕31号")
    screenshot(page, "revocation-02-unconfirmed")
    page.get_by_label("批准文件（PDF 或图片）").set_input_files(
        files=[{"name": "撤销批复.pdf", "mimeType": "application/pdf", "buffer": PLACEHOLDER_PDF}])
    page.locator("#id_approve-confirm").check()
    page.get_by_role("button", name="登记批准并撤销奖项").click()
    expect(page.locator("#revocation-state")).to_have_text("已批准撤销")
    expect(page.locator("#recoveries")).to_contain_text("尚未收回")
    screenshot(page, "revocation-03-approved")

    cert = Certificate.objects.get(application=app)
    page.goto(f"{base}/verify/{cert.serial}/")
    expect(page.locator("#verify-status")).to_have_text(f"此证书已于 {today} 撤销，不再有效。")
    screenshot(page, "revocation-04-public-verification")

"""After publicity: the office records the approval (confirmed) and sees the certificates made with a
progress bar; the winner downloads its signed certificate from its home page; the public verifies it
by the QR code's URL and by uploading the PDF."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.states import CycleState
from awards.system_actor import system_actor
from awards.workflow import cycle_transition
from honours.models import Certificate
from jurisdictions.models import Role
from tests.conftest import make_user
from tests.publicity.builders import published

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser



def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").first.click()


def test_approval_certificates_download_and_public_verification(page: Page, live_server, loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HONOURS_PUBLIC_BASE_URL = live_server.url
    keqiao = loaded["keqiao"]
    office = make_user("kq-honours-office", keqiao, Role.OFFICE, first_name="柯桥评审办李科长")
    notice, office, apps = published(keqiao, 2, office=office, now=timezone.now() - dt.timedelta(days=30))
    cycle = notice.cycle
    cycle_transition(cycle, CycleState.APPROVAL, actor=system_actor(), reason="公示期满",
                     now=notice.ends_at + dt.timedelta(minutes=1))
    winner = make_user("kq-honours-winner", keqiao, Role.APPLICANT, first_name="陈获奖")
    apps[0].organization.users.add(winner)
    base = live_server.url

    # The office records the approval: without the confirmation it is refused next to the box.
    log_in(page, base, "kq-honours-office")
    page.goto(f"{base}/keqiao/office/honours/{cycle.pk}/")
    page.get_by_label("批准文号").fill("区政〔2026〕8号")
    page.get_by_label("批准日期").fill(timezone.localdate().isoformat())
    page.get_by_label("批准文件（PDF 或图片）").set_input_files(
        files=[{"name": "批复.pdf", "mimeType": "application/pdf", "buffer": _approval_pdf()}])
    page.get_by_role("button", name="登记审定结果并授奖").click()
    confirm = page.locator(".field.has-error", has=page.locator("#id_approve-confirm"))
    expect(confirm.locator(".errorlist")).to_have_text("请勾选确认。")
    screenshot(page, "honours-01-approval-unconfirmed")
    page.get_by_label("批准文件（PDF 或图片）").set_input_files(
        files=[{"name": "批复.pdf", "mimeType": "application/pdf", "buffer": _approval_pdf()}])
    page.locator("#id_approve-confirm").check()
    page.get_by_role("button", name="登记审定结果并授奖").click()

    # Certificates are made (the tasks run at once here); the progress bar reaches all of them.
    progress = page.locator("#certificate-progress")
    expect(progress).to_contain_text("已生成 2 / 2 份")
    expect(page.locator("#certificate-progress-bar")).to_have_attribute("value", "100")
    expect(page.locator("#certificates tbody tr")).to_have_count(2)
    screenshot(page, "honours-02-office-certificates")
    cert = Certificate.objects.get(application=apps[0])
    assert cert.state == Certificate.State.READY
    log_out(page)

    # The winner downloads its signed certificate from its home page.
    log_in(page, base, "kq-honours-winner")
    page.goto(f"{base}/keqiao/applicant/")
    section = page.locator("section", has=page.get_by_role("heading", name="获奖证书"))
    expect(section).to_contain_text(cert.serial)
    screenshot(page, "honours-03-winner-home")
    with page.expect_download() as download_info:
        section.get_by_role("link", name="下载证书（PDF，已数字签名）").click()
    path = tmp_path / "certificate.pdf"
    download_info.value.save_as(path)
    data = path.read_bytes()
    assert data == bytes(cert.pdf) and len(data) <= 60_000
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path),
                    str(screenshot.__globals__["_screens"]["dir"] / "honours-04-certificate")], check=True)
    log_out(page)

    # The public: the QR code's URL, then the upload of the very file.
    page.goto(f"{base}/verify/{cert.serial}/")
    expect(page.locator("#verify-status")).to_have_text("此证书真实有效。")
    expect(page.locator("main")).to_contain_text(apps[0].organization.name)
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("main form [type=submit]").click()
    expect(page.locator("main")).to_contain_text("完全一致")
    expect(page.locator("main")).to_contain_text("数字签名有效")
    screenshot(page, "honours-05-verified-upload")


def _approval_pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<h1>Approval</h1>").write_pdf()

"""The office's records: each cycle with the day its record is kept until and the article, the
cycle's archive exported and downloaded as one zip; Daqing's staff declare a conflict (第三十五条)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.honours.builders import approve, awaiting_approval

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser



def test_the_office_exports_a_closed_cycles_archive_and_daqing_staff_declare_a_conflict(
        page: Page, live_server, loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cycle, office, apps, _notice = awaiting_approval(loaded["daqing"], 1)
    approve(cycle, office)
    office.first_name = "大庆联席办王科员"
    office.set_password(PASSWORD)
    office.save()
    base = live_server.url

    log_in(page, base, office.username, slug="daqing")
    page.goto(f"{base}/daqing/office/")
    page.get_by_role("link", name="评审档案").click()
    row = page.locator(f"#cycle-{cycle.pk}")
    expect(row).to_contain_text("第三十六条")
    expect(row).to_contain_text("保存至")
    row.get_by_role("button", name=f"导出“{cycle.title}”的完整档案").click()
    # The task runs in-process in tests; the page then links the zip.
    page.goto(f"{base}/daqing/office/records/")
    link = page.locator(f"#cycle-{cycle.pk} .download-link")
    expect(link).to_be_visible()
    screenshot(page, "records-01-archive-ready")
    with page.expect_download() as download_info:
        link.click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    names = set(archive.namelist())
    assert "manifest.json" in names and "applications.json" in names

    # A member of staff declares a conflict with the applicant: refused without the confirmation.
    organization = apps[0].organization
    section = page.locator("#staff-conflicts-section")
    section.get_by_label("申报组织").select_option(label=organization.name)
    page.locator("#declare-conflict").click()
    expect(page.locator("#staff-conflicts-section .has-error")).to_be_visible()
    page.locator("#staff-conflicts-section input[type=checkbox]").check()
    page.locator("#declare-conflict").click()
    expect(page.locator("#staff-conflict-list")).to_contain_text(organization.name)
    expect(page.locator("#staff-conflict-list")).to_contain_text("大庆联席办王科员")
    screenshot(page, "records-02-staff-conflict")

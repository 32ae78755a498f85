"""The public reads a notice on a phone and files an objection, then looks it up by receipt; the
office handles it (accepts it, names investigators, reports and records the outcome)."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from awards.placeholder_pdf import PLACEHOLDER_PDF
from awards.states import AppState
from publicity.models import Objection
from tests.publicity.builders import VALID_ID, published

from .conftest import PHONE, _close, _new_page, log_in, screenshot

pytestmark = pytest.mark.browser



def answer(page: Page) -> str:
    a, b = map(int, re.search(r"(\d+) 加 (\d+) 等于几", page.locator("main form").inner_text()).groups())
    return str(a + b)


def test_the_public_objects_on_a_phone_and_the_office_handles_it(page: Page, browser: Browser, live_server, loaded,
                                                                 settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OBJECTION_MIN_FILL_SECONDS = 0
    with scopes_disabled():
        notice, office, (first, _second) = published(loaded["daqing"])
        target = first.organization.name
    base = live_server.url

    context, phone = _new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"{base}/daqing/")
    phone.get_by_role("link", name=notice.title).first.click()
    expect(phone.locator("#notice-status")).to_contain_text("正在公示")
    expect(phone.locator("table")).to_contain_text(target)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "publicity-notice-phone")

    phone.get_by_role("link", name="在线提出异议").click()
    phone.get_by_label(re.compile(re.escape(target))).check()
    phone.get_by_label("个人（实名）").check()
    phone.get_by_label("姓名或单位名称").fill("张三")
    phone.get_by_label("身份证号码").fill("110105194912310021")      # a wrong check digit
    phone.get_by_label("联系电话").fill("13800000000")
    phone.get_by_label("异议内容").fill("该企业去年发生过重大质量事故，有当地报道为证。")
    phone.get_by_label("证明材料（PDF、JPG 或 PNG）").set_input_files(
        {"name": "报道.pdf", "mimeType": "application/pdf", "buffer": PLACEHOLDER_PDF})
    phone.get_by_label(re.compile("验证")).fill(answer(phone))
    phone.get_by_role("button", name="提交异议").click()
    expect(phone.locator("#field-id_number")).to_contain_text("身份证号码无效")
    expect(phone.get_by_label("异议内容")).to_have_value("该企业去年发生过重大质量事故，有当地报道为证。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "publicity-objection-refused-phone")
    phone.get_by_label("身份证号码").fill(VALID_ID)
    phone.get_by_label("证明材料（PDF、JPG 或 PNG）").set_input_files(
        {"name": "报道.pdf", "mimeType": "application/pdf", "buffer": PLACEHOLDER_PDF})
    phone.get_by_label(re.compile("验证")).fill(answer(phone))
    phone.get_by_role("button", name="提交异议").click()
    number = phone.locator("#receipt-number").inner_text()
    code = phone.locator("#receipt-code").inner_text()
    assert number.startswith("YY-")
    screenshot(phone, "publicity-receipt-phone")

    phone.get_by_role("link", name="查询处理情况").click()
    phone.get_by_label("异议编号").fill(number)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("#status-state")).to_have_text("已收到，待受理审查")
    expect(phone.locator("main")).not_to_contain_text(VALID_ID)
    screenshot(phone, "publicity-lookup-phone")

    # The office handles it.
    log_in(page, base, office.username, slug="daqing")
    page.goto(f"{base}/daqing/office/publicity/")
    page.get_by_role("link", name=number).click()
    expect(page.locator("#id-number")).to_have_text("110***********002X")
    page.get_by_role("button", name="由我经办（可查看完整身份证号码）").click()
    expect(page.locator("#id-number")).to_have_text(VALID_ID)
    page.get_by_label("受理", exact=True).check()
    page.get_by_label("我确认作出此决定，并向异议人出具书面通知。").check()
    page.get_by_role("button", name="记录受理审查决定").click()
    expect(page.locator("h1")).to_contain_text("已受理，调查中")
    page.get_by_label("调查专家（每行一人：姓名 职务）").fill("王专家 教授")
    page.get_by_role("button", name="保存调查安排").click()
    page.get_by_role("textbox", name="调查报告").fill("经调查，异议反映的问题属实。")
    page.get_by_role("button", name="提交调查报告").click()
    page.get_by_label("异议成立（取消拟授奖资格）").check()
    page.get_by_label("理由").fill("查证属实")
    page.get_by_label(re.compile("我确认记录此决定")).check()
    page.get_by_role("button", name="记录审查决定").click()
    expect(page.locator("#outcome")).to_contain_text("查证属实")
    screenshot(page, "publicity-office-objection-desktop")
    with scopes_disabled():
        assert Objection.objects.get().state == Objection.State.UPHELD
        first.refresh_from_db()
        assert first.state == AppState.DISQUALIFIED

    phone.goto(f"{base}/daqing/publicity/{notice.pk}/")
    expect(phone.locator("table")).to_contain_text("已取消拟授奖资格")
    screenshot(phone, "publicity-notice-after-phone")
    _close(context, phone)

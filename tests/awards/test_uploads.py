"""Uploads through the applicant's editor: checked by content and size, refused with the reason, kept private."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import services
from awards.models import ApplicationFile
from awards.placeholder_pdf import PLACEHOLDER_PDF
from jurisdictions.models import Role
from tests.awards.builders import organization, published_cycle
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name: str, slug: str = "keqiao", **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


@pytest.fixture
def draft(client, loaded, cast):
    user = cast["applicant"]
    org = organization(loaded["keqiao"], user=user)
    cycle = published_cycle(loaded["keqiao"], cast["office"])
    app = services.start_application(cycle, org, "quality", user)
    services.save_draft(app, actor=user, overview="已经写好的组织概述", narratives={"4.2": "战略部分"},
                        recommenders=["town"])
    client.force_login(user)
    return app


def upload(client, app, kind: str, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(
        url("application-upload", pk=app.pk, kind=kind),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def field_error(html: str, kind: str) -> str:
    marker = f'<ul class="errorlist" id="file-{kind}-error"><li>'
    assert marker in html, f"no error next to the {kind} field"
    start = html.index(marker) + len(marker)
    return html[start:html.index("</li>", start)]


def test_a_renamed_exe_is_refused_by_its_content_and_nothing_else_is_lost(client, draft):
    upload(client, draft, "evidence", "licence.png", PNG, "image/png")
    response = upload(client, draft, "self_assessment", "report.pdf", EXE)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "self_assessment") == (
        "文件“report.pdf”的内容不是 PDF、JPG 或 PNG（系统按文件内容判断，而非扩展名）。"
    )
    assert "已经写好的组织概述</textarea>" in html and "战略部分</textarea>" in html
    assert "licence.png" in html
    assert list(draft.files.values_list("original_name", flat=True)) == ["licence.png"]


def test_an_oversize_file_is_refused(client, draft, settings):
    settings.AWARDS_MAX_FILE_BYTES = 1024
    response = upload(client, draft, "self_assessment", "big.pdf", PLACEHOLDER_PDF + b"\n" * 2048)
    size = len(PLACEHOLDER_PDF) + 2048
    assert field_error(response.content.decode(), "self_assessment") == (
        f"文件“big.pdf”大小为 {size / 1024:.0f} KB，超过单个文件上限 1 KB。"
    )
    assert not draft.files.exists()


def test_an_empty_file_is_refused(client, draft):
    response = upload(client, draft, "evidence", "empty.pdf", b"")
    assert field_error(response.content.decode(), "evidence") == "文件“empty.pdf”是空文件，请重新选择。"
    assert not draft.files.exists()


def test_the_total_per_application_is_limited(client, draft, settings):
    settings.AWARDS_MAX_APPLICATION_BYTES = 2048
    first = upload(client, draft, "evidence", "one.pdf", PLACEHOLDER_PDF + b"\n" * 1200)
    assert first.status_code == 302
    response = upload(client, draft, "evidence", "two.pdf", PLACEHOLDER_PDF + b"\n" * 1200)
    assert field_error(response.content.decode(), "evidence") == (
        "本次上传后申报材料合计将超过 2 KB 的上限，请压缩或删除部分文件。"
    )
    assert list(draft.files.values_list("original_name", flat=True)) == ["one.pdf"]


def test_choosing_no_file_says_so(client, draft):
    response = client.post(url("application-upload", pk=draft.pk, kind="evidence"), {})
    assert field_error(response.content.decode(), "evidence") == "请选择要上传的文件。"


def test_the_self_assessment_report_must_be_a_pdf(client, draft):
    response = upload(client, draft, "self_assessment", "report.png", PNG, "image/png")
    assert field_error(response.content.decode(), "self_assessment") == "自我评价报告须为 PDF 文件。"


def test_evidence_accepts_jpg_and_png_and_is_served_privately(client, draft):
    assert upload(client, draft, "evidence", "证书.jpg", JPG, "image/jpeg").status_code == 302
    assert upload(client, draft, "recommendation", "推荐意见.png", PNG, "image/png").status_code == 302
    jpg = draft.files.get(kind="evidence")
    assert (jpg.content_type, jpg.size) == ("image/jpeg", len(JPG))
    assert jpg.file.name.endswith(".jpg") and "证书" not in jpg.file.name

    response = client.get(url("application-file", pk=draft.pk, file_id=jpg.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E8%AF%81%E4%B9%A6.jpg"
    assert b"".join(response.streaming_content) == JPG
    # MEDIA_ROOT has no URL: the stored path answers 404.
    assert client.get("/media/" + jpg.file.name).status_code == 404
    assert client.get("/" + jpg.file.name).status_code == 404


def test_a_file_is_removed_while_a_draft_and_locked_after_submission(client, draft):
    upload(client, draft, "evidence", "a.pdf", PLACEHOLDER_PDF)
    record = draft.files.get()
    response = client.post(url("application-file-remove", pk=draft.pk, file_id=record.pk), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已上传：a.pdf", "已删除：a.pdf"]
    assert not draft.files.exists()

    upload(client, draft, "self_assessment", "self.pdf", PLACEHOLDER_PDF)
    upload(client, draft, "recommendation", "rec.pdf", PLACEHOLDER_PDF)
    response = client.post(url("application-submit", pk=draft.pk), {"confirm": "on"}, follow=True)
    # Keqiao 第十四条 asks for the evidence too (证实性材料): without it the filing is refused.
    assert [str(m) for m in response.context["messages"]] == [
        "已上传：self.pdf", "已上传：rec.pdf", "未能提交：尚缺证实性材料。"
    ]
    upload(client, draft, "evidence", "evidence.pdf", PLACEHOLDER_PDF)
    response = client.post(url("application-submit", pk=draft.pk), {"confirm": "on"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "已上传：evidence.pdf", "申报已提交，受理编号：KEQIAO-2026-0001。请下载并妥善保存受理回执。"
    ]
    draft.refresh_from_db()
    assert draft.state == "submitted"
    response = client.post(url("application-upload", pk=draft.pk, kind="evidence"),
                           {"file": SimpleUploadedFile("late.pdf", PLACEHOLDER_PDF)}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["申报已提交，内容已锁定，不能再修改。"]
    locked = draft.files.get(kind="self_assessment")
    response = client.post(url("application-file-remove", pk=draft.pk, file_id=locked.pk), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["申报已提交，内容已锁定，不能再修改。"]
    assert draft.files.count() == 3


def test_unknown_or_unneeded_kinds_are_404(client, loaded, draft):
    assert upload(client, draft, "photos", "a.pdf", PLACEHOLDER_PDF).status_code == 404
    user = make_user("lc-applicant")
    org = organization(loaded["lucheng"], user=user)
    cycle = published_cycle(loaded["lucheng"], make_user("lc-office", loaded["lucheng"], Role.OFFICE))
    app = services.start_application(cycle, org, "quality", user)
    client.force_login(user)
    response = client.post(url("application-upload", slug="lucheng", pk=app.pk, kind="recommendation"),
                           {"file": SimpleUploadedFile("rec.pdf", PLACEHOLDER_PDF)})
    assert response.status_code == 404
    assert not ApplicationFile.objects.filter(application=app).exists()


@pytest.mark.parametrize("name", ["申报材料.bat", "report.html", "report.exe", "noextension"])
def test_a_name_outside_the_allowed_extensions_is_refused_even_with_pdf_bytes(client, draft, name):
    content = PLACEHOLDER_PDF + (b"<script>alert(1)</script>" if name.endswith(".html") else b"")
    response = upload(client, draft, "evidence", name, content)
    assert field_error(response.content.decode(), "evidence") == (
        f"文件“{name}”的类型不在允许范围内：只接受扩展名为 .pdf、.jpg、.jpeg 或 .png 的文件。"
    )
    assert not draft.files.exists()


def test_an_extension_that_disagrees_with_the_content_is_refused(client, draft):
    response = upload(client, draft, "evidence", "scan.png", PLACEHOLDER_PDF, "image/png")
    assert field_error(response.content.decode(), "evidence") == (
        "文件“scan.png”的扩展名与内容不符：内容是 PDF，请使用正确的扩展名后重新上传。"
    )
    assert not draft.files.exists()


def test_bytes_that_only_begin_like_a_pdf_are_refused(client, draft):
    response = upload(client, draft, "self_assessment", "report.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>")
    assert field_error(response.content.decode(), "self_assessment") == (
        "文件“report.pdf”不是完整有效的 PDF 文件（无法读取其页面），请重新导出后上传。"
    )
    assert not draft.files.exists()


def test_an_upper_case_extension_is_accepted_and_kept_lower_case(client, draft):
    assert upload(client, draft, "evidence", "营业执照.JPEG", JPG, "image/jpeg").status_code == 302
    assert list(draft.files.values_list("original_name", flat=True)) == ["营业执照.jpeg"]


@pytest.mark.parametrize(("given", "stored"), [
    ("C:\\Users\\张三\\自评报告.pdf", "自评报告.pdf"),
    ("../../etc/自评\u202e报告.pdf", "自评报告.pdf"),
    ("...pdf", "file.pdf"),
    ("证书.JPG", "证书.jpg"),
])
def test_stored_names_are_a_plain_last_part_with_a_safe_extension(given, stored):
    from awards.uploads import safe_original_name

    content_type = "image/jpeg" if given.lower().endswith(".jpg") else "application/pdf"
    assert safe_original_name(given, content_type) == stored

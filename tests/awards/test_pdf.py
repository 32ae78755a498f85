"""The one PDF renderer: CJK text (rare characters included), escaping, and no fetching outside."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from awards.pdf import FetchRefused, _fetcher_for, native_subsetting, render_html_to_pdf, render_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run")


@pytest.fixture(autouse=True, params=["auto", "fonttools"])
def subsetting(request, settings):
    """Every test runs on both font paths: WeasyPrint's hb-subset and our fontTools pre-subsetting."""
    settings.PDF_FONT_SUBSETTING = request.param
    native_subsetting.cache_clear()
    yield request.param
    native_subsetting.cache_clear()


def test_the_normal_path_is_native_where_hb_subset_is_installed(subsetting):
    # .ci/run installs libharfbuzz-subset0, so "auto" must take the fast native path there.
    assert native_subsetting() is (subsetting == "auto")


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def fonts_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_chinese_text_is_embedded_as_a_small_subset(tmp_path):
    pdf = render_html_to_pdf("<h1>受理回执</h1><p>绍兴市柯桥区某纺织有限公司</p>")
    assert pdf.startswith(b"%PDF")
    assert "绍兴市柯桥区某纺织有限公司" in text_of(pdf, tmp_path)
    assert len(pdf) < 400_000  # a subset, not the 26 MB collection


def test_rare_characters_outside_noto_still_render(tmp_path):
    pdf = render_html_to_pdf("<p>杭州𪚥𠀾科技有限公司</p>")
    assert "杭州𪚥𠀾科技有限公司" in text_of(pdf, tmp_path)
    assert "HanaMin" in fonts_of(pdf, tmp_path)


def test_user_text_is_escaped_in_templates(tmp_path, loaded):
    class Org:
        name = "<b>恶意</b><img src='file:///etc/passwd'>公司"
        uscc = "91110000600037341L"

    class App:
        number = "KEQIAO-2026-0001"
        organization = Org()
        fingerprint = "0" * 64

        class cycle:
            title = "2026年度评审"

    jurisdiction = loaded["keqiao"]
    pdf = render_pdf("pdf/receipt.html", {
        "app": App(), "jurisdiction": jurisdiction, "rules": jurisdiction.profile_in_force().typed,
        "award_name": "质量奖", "files": [], "submitted_at": None,
    })
    assert "<b>恶意</b><img src='file:///etc/passwd'>公司" in text_of(pdf, tmp_path)


def test_the_fetcher_serves_only_our_fonts_and_static_files():
    fetch = _fetcher_for({"abc.otf": b"font"})
    assert fetch("awardfont:abc.otf")["string"] == b"font"
    for url in ("file:///etc/passwd", "http://127.0.0.1/secret", "awardfont:other.otf", "static:../settings.py"):
        with pytest.raises(FetchRefused):
            fetch(url)
    # A document that points outside still renders; the reference is simply not fetched.
    assert render_html_to_pdf("<p>外部图片</p><img src='http://example.invalid/x.png'>").startswith(b"%PDF")

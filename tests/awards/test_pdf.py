"""The one PDF renderer: CJK text (rare characters included), escaping, and no fetching outside."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.utils.html import escape

from awards.pdf import FetchRefused, _fetcher_for, native_subsetting, render_html_to_pdf, render_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run")


# The fontTools path first cuts each Noto weight down to GB 2312 (about 45 s, once per checkout)
# and keeps the result in settings.PDF_FONT_CACHE_DIR (the work tree's tmp/), keyed by the font
# file's path, size and date; every later render, in this run or the next, reads it from there.


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


def text_of(pdf: bytes, tmp_path, *options: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


def fonts_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_chinese_text_is_embedded_as_a_small_subset(tmp_path):
    pdf = render_html_to_pdf("<h1>受理回执</h1><p>绍兴市柯桥区某纺织有限公司</p>")
    assert pdf.startswith(b"%PDF")
    assert "绍兴市柯桥区某纺织有限公司" in text_of(pdf, tmp_path)
    assert len(pdf) < 400_000  # a subset, not the 26 MB collection


def test_rare_characters_outside_noto_still_render(tmp_path, subsetting):
    pdf = render_html_to_pdf("<p>杭州𪚥𠀾科技有限公司</p>")
    assert "杭州𪚥𠀾科技有限公司" in text_of(pdf, tmp_path)
    # From Hanazono: the system face on the native path, our subset of it (AwardCJKRare) otherwise.
    assert ("HanaMin" if subsetting == "auto" else "AwardCJKRare") in fonts_of(pdf, tmp_path)


# What users type, as an attacker would type it: markup, an outside fetch, an entity, template syntax.
HOSTILE = {
    "organisation": "<b>恶意</b><img src='file:///etc/passwd'>公司",
    "cycle": "<style>*{display:none}</style>2026年度评审",
    "file": '<a href="file:///etc/passwd">证书</a>.pdf',
    "entity": "&lt;已转义&gt; & 公司",
    "template": "{{ settings.SECRET_KEY }}{% debug %}",
}


def receipt_context(loaded) -> dict:
    class Org:
        name = HOSTILE["organisation"] + HOSTILE["entity"]
        uscc = "91110000600037341L"

    class App:
        number = "KEQIAO-2026-0001"
        organization = Org()
        fingerprint = "0" * 64

        class cycle:
            title = HOSTILE["cycle"] + HOSTILE["template"]

    class File:
        original_name = HOSTILE["file"]
        sha256 = "1" * 64

        def get_kind_display(self):
            return "证明材料"

    jurisdiction = loaded["keqiao"]
    return {"app": App(), "jurisdiction": jurisdiction, "rules": jurisdiction.profile_in_force().typed,
            "award_name": "质量奖", "files": [File()], "submitted_at": None}


def test_user_text_is_escaped_in_templates(tmp_path, loaded):
    from django.template.loader import render_to_string

    context = receipt_context(loaded)
    html = render_to_string("pdf/receipt.html", context)
    # In the HTML the renderer is given, every hostile value is text: no tag, no attribute, no entity
    # decoded twice, no template syntax run.
    for value in HOSTILE.values():
        assert value not in html or value == escape(value)
        assert escape(value) in html
    for markup in ("<b>恶意", "<img", "<style>*", '<a href="file', "file:///etc/passwd'>"):
        assert markup not in html
    assert "&amp;lt;已转义&amp;gt;" in html
    # One real PDF with all of them at once: each reads back as the very characters typed (in the
    # order drawn, so that a name wrapped in its table cell is not interleaved with the next cell).
    text = "".join(text_of(render_pdf("pdf/receipt.html", context), tmp_path, "-raw").split())
    for value in HOSTILE.values():
        assert "".join(value.split()) in text


def test_the_fetcher_serves_only_our_fonts_and_static_files():
    fetch = _fetcher_for({"abc.otf": b"font"})
    assert fetch("awardfont:abc.otf").read() == b"font"
    assert fetch("data:text/plain;base64,5a2X").read() == "字".encode()
    for url in ("file:///etc/passwd", "http://127.0.0.1/secret", "awardfont:other.otf", "static:../settings.py"):
        with pytest.raises(FetchRefused):
            fetch(url)
    # A document that points outside still renders; the reference is simply not fetched.
    assert render_html_to_pdf("<p>外部图片</p><img src='http://example.invalid/x.png'>").startswith(b"%PDF")

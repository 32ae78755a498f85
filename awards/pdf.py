"""The one PDF renderer every document uses (receipts, letters, reports, notices, certificates).

WeasyPrint with the system Noto CJK collection spends seconds per page subsetting a 26 MB font.
We subset the font ourselves, to exactly the characters of the document, with fontTools, cache the
result by character set, and hand WeasyPrint only that small font. Characters the CJK font lacks
(rare 生僻字) fall through to the system's fallback fonts, so they still render.

WeasyPrint fetches URLs: our fetcher serves only the subset fonts and our static files, so nothing
in a document (a company name, say) can reach the file system or the network.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import strip_tags

FONT_FAMILY = "AwardCJK"
_FONTS = {
    # (file, index of the Simplified Chinese face in the collection)
    "regular": (Path(settings.PDF_CJK_FONT_REGULAR), 2),
    "bold": (Path(settings.PDF_CJK_FONT_BOLD), 2),
}
_lock = threading.Lock()


class FetchRefused(ValueError):
    pass


def _common_characters() -> str:
    """GB 2312 (the 6,763 common hanzi and its symbols) plus ASCII: the base every document draws on."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    # Latin-1, general punctuation, CJK symbols and full-width forms, whatever GB 2312 maps them to.
    for low, high in ((0xA0, 0x100), (0x2000, 0x2070), (0x3000, 0x3040), (0xFF00, 0xFFF0)):
        chars.update(chr(c) for c in range(low, high))
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(chars))


def _subset_options():
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    return options


def _base_font(weight: str) -> tuple[Path, str]:
    """A once-built subset of the system font to the common characters, cached on disk.

    Subsetting the 26 MB collection takes seconds; subsetting this ~3 MB base takes ~0.1 s.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path, index = _FONTS[weight]
    stat = path.stat()
    cache_dir = Path(settings.PDF_FONT_CACHE_DIR)
    key = hashlib.sha256(f"{path}:{index}:{stat.st_size}:{stat.st_mtime_ns}:v2".encode()).hexdigest()[:16]
    target = cache_dir / f"base-{weight}-{key}.otf"
    common = _common_characters()
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(path), fontNumber=index)
        subsetter = subset.Subsetter(_subset_options())
        subsetter.populate(text=common)
        subsetter.subset(font)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        tmp.replace(target)  # atomic: a concurrent builder never sees half a file
    return target, common


@lru_cache(maxsize=256)
def _subset(weight: str, chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    base_path, common = _base_font(weight)
    if set(chars) <= set(common):
        font = TTFont(str(base_path))
    else:
        # Rare characters (生僻字) outside GB 2312: go back to the full collection.
        path, index = _FONTS[weight]
        font = TTFont(str(path), fontNumber=index)
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def warm_font_cache() -> None:
    for weight, (path, _index) in _FONTS.items():
        if path.exists():
            _base_font(weight)


_served: dict[str, bytes] = {}


def _font_face_css(chars: str) -> str:
    rules = []
    for weight, css_weight in (("regular", 400), ("bold", 700)):
        path, _index = _FONTS[weight]
        if not path.exists():
            continue
        with _lock:
            data = _subset(weight, chars)
        key = hashlib.sha256(data).hexdigest()[:24]
        _served[key] = data
        rules.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {css_weight}; "
            f"src: url('awardfont:{key}.otf') format('opentype'); }}"
        )
    return "\n".join(rules)


def _fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    if url.startswith("awardfont:"):
        key = url.removeprefix("awardfont:").removesuffix(".otf")
        data = _served.get(key)
        if data is None:
            raise FetchRefused(url)
        return {"string": data, "mime_type": "font/otf"}
    if url.startswith("static:"):
        found = finders.find(url.removeprefix("static:").lstrip("/"))
        if not found:
            raise FetchRefused(url)
        mime, _enc = mimetypes.guess_type(found)
        return {"string": Path(found).read_bytes(), "mime_type": mime or "application/octet-stream"}
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url)
    raise FetchRefused(url)


def document_characters(html: str) -> str:
    text = strip_tags(html)
    # Digits, Latin letters and the punctuation of dates and numbers are always included.
    base = "0123456789年月日：:，,。.（）()-—／/ ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz№#%￥"
    # Whitespace and control characters need no glyph and would defeat the common-base cache.
    return "".join(sorted({ch for ch in text if ch.isprintable() and not ch.isspace()} | set(base)))


def render_html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    css = _font_face_css(document_characters(html))
    stylesheets = [CSS(string=css + f"\nhtml {{ font-family: '{FONT_FAMILY}', sans-serif; }}")]
    return HTML(string=html, base_url="static:/", url_fetcher=_fetcher).write_pdf(stylesheets=stylesheets)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template (under templates/pdf/) to PDF bytes."""
    return render_html_to_pdf(render_to_string(template_name, context))

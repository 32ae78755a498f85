"""The one PDF renderer every document uses (receipts, letters, reports, notices, certificates).

CJK fonts are the cost: WeasyPrint embeds a subset of each font it uses, and subsetting the 26 MB
Noto CJK collection with fontTools takes seconds per document. Two paths, chosen once:

- native (the normal case): WeasyPrint ≥ 61 subsets with HarfBuzz's hb-subset when
  libharfbuzz-subset is installed (.ci/run and the Dockerfile install it): ~0.1 s a page with the
  system fonts named in PDF_SYSTEM_FONT_FAMILIES, rare characters falling back to Hanazono.
- pre-subset (fallback, no hb-subset): we subset the collection once to GB 2312 (cached on disk),
  then each document's own characters from that small base with fontTools, and hand WeasyPrint only
  that; characters outside it come from the full collection or the Hanazono fallback fonts.
- compact (certificates, checked for size): our own subsets handed to WeasyPrint as on the
  pre-subset path, but cut by hb-subset straight from the collection with the glyphs renumbered
  (a few milliseconds; ~30 KB signed), fontTools only where hb-subset is missing. WeasyPrint's own
  hb-subset keeps every glyph id up to the highest one used, ~60,000 slots, hence ~300 KB.

WeasyPrint fetches URLs: our fetcher serves only those subset fonts and our static files, so
nothing in a document (a company name, say) can reach the file system or the network.
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
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils.html import strip_tags

FONT_FAMILY = "AwardCJK"
FALLBACK_FAMILY = "AwardCJKRare"
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


_HB_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_blob_destroy (hb_blob_t *blob);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
void hb_set_add (hb_set_t *set, uint32_t codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
_HB_NO_HINTING, _HB_NOTDEF_OUTLINE = 0x1, 0x40
_hb_faces: dict[tuple[str, int], object] = {}


@lru_cache(maxsize=1)
def _harfbuzz():
    """HarfBuzz and its subsetter through cffi (WeasyPrint's own bindings lack the calls needed), or None."""
    try:
        import cffi  # type: ignore[import-untyped]  # cffi ships no type information

        ffi = cffi.FFI()
        ffi.cdef(_HB_CDEF)
        hb, hb_subset = ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError):
        return None
    return ffi, hb, hb_subset


def _hb_subset(path: str, index: int, chars: str) -> bytes | None:
    """The font's glyphs for `chars`, renumbered from 0 (no retained glyph ids), by hb-subset: a few
    milliseconds even from the 26 MB collection, where fontTools takes seconds. None without it."""
    bindings = None if settings.PDF_FONT_SUBSETTING == "fonttools" else _harfbuzz()
    if bindings is None:
        return None
    ffi, hb, hb_subset = bindings
    face = _hb_faces.get((path, index))
    if face is None:
        blob = hb.hb_blob_create_from_file_or_fail(path.encode())
        if blob == ffi.NULL:
            return None
        face = hb.hb_face_create(blob, index)  # the face keeps the blob alive; both live for the process
        _hb_faces[(path, index)] = face
    subset_input = hb_subset.hb_subset_input_create_or_fail()
    if subset_input == ffi.NULL:
        return None
    try:
        unicodes = hb_subset.hb_subset_input_unicode_set(subset_input)
        for ch in chars:
            hb.hb_set_add(unicodes, ord(ch))
        hb_subset.hb_subset_input_set_flags(subset_input, _HB_NO_HINTING | _HB_NOTDEF_OUTLINE)
        result = hb_subset.hb_subset_or_fail(face, subset_input)
    finally:
        hb_subset.hb_subset_input_destroy(subset_input)
    if result == ffi.NULL:
        return None
    try:
        blob = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(blob, length)
        out = None if data == ffi.NULL else ffi.unpack(data, int(length[0]))
        hb.hb_blob_destroy(blob)
    finally:
        hb.hb_face_destroy(result)
    return out or None


def _subset(weight: str, chars: str) -> bytes:
    return _subset_with(weight, chars, settings.PDF_FONT_SUBSETTING)


@lru_cache(maxsize=256)
def _subset_with(weight: str, chars: str, _mode: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path, index = _FONTS[weight]
    fast = _hb_subset(str(path), index, chars)
    if fast is not None:
        return fast
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


def _face(family: str, weight: int, key: str) -> str:
    return (f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
            f"src: url('awardfont:{key}') format('opentype'); }}")


@lru_cache(maxsize=8)
def _coverage(path: str, index: int = 0) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True) if path.endswith(".ttc") else TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def _fallback_subset(path: str, chars: str) -> bytes:
    return _fallback_subset_with(path, chars, settings.PDF_FONT_SUBSETTING)


@lru_cache(maxsize=64)
def _fallback_subset_with(path: str, chars: str, _mode: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    fast = _hb_subset(path, 0, chars)
    if fast is not None:
        return fast
    font = TTFont(path)
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _fonts_for(chars: str) -> tuple[str, dict[str, bytes]]:
    """@font-face rules for this document and the font files they name (served by the fetcher)."""
    rules, files = [], {}
    for weight, css_weight in (("regular", 400), ("bold", 700)):
        path, _index = _FONTS[weight]
        if not path.exists():
            continue
        with _lock:
            data = _subset(weight, chars)
        key = hashlib.sha256(data).hexdigest()[:24] + ".otf"
        files[key] = data
        rules.append(_face(FONT_FAMILY, css_weight, key))
    regular, index = _FONTS["regular"]
    if regular.exists():
        missing = "".join(ch for ch in chars if ord(ch) not in _coverage(str(regular), index))
        for fallback in settings.PDF_FALLBACK_FONTS:
            if not missing or not Path(fallback).exists():
                continue
            covered = "".join(ch for ch in missing if ord(ch) in _coverage(fallback))
            if not covered:
                continue
            with _lock:
                data = _fallback_subset(fallback, covered)
            key = hashlib.sha256(data).hexdigest()[:24] + ".ttf"
            files[key] = data
            rules.append(_face(FALLBACK_FAMILY, 400, key))
            missing = "".join(ch for ch in missing if ch not in covered)
    return "\n".join(rules), files


class _Fetcher:
    """WeasyPrint 70's fetcher protocol: called with the URL, returns a `URLFetcherResponse` (a dict
    is refused, and a refused font silently falls back to the system fonts), and carries
    `_fail_on_errors` (False: a refused URL is skipped with a warning, the document still renders)."""

    _fail_on_errors = False

    def __init__(self, files: dict[str, bytes]) -> None:
        self._files = files

    def __call__(self, url: str, *args, **kwargs):
        from weasyprint.urls import URLFetcherResponse

        if url.startswith("awardfont:"):
            data = self._files.get(url.removeprefix("awardfont:"))
            if data is None:
                raise FetchRefused(url)
            return URLFetcherResponse(url, data, {"Content-Type": "font/otf"})
        if url.startswith("static:"):
            try:
                found = finders.find(url.removeprefix("static:").lstrip("/"))
            except SuspiciousFileOperation as exc:
                raise FetchRefused(url) from exc
            if not found:
                raise FetchRefused(url)
            mime, _enc = mimetypes.guess_type(found)
            return URLFetcherResponse(url, Path(found).read_bytes(),
                                      {"Content-Type": mime or "application/octet-stream"})
        if url.startswith("data:"):
            # Inline data only: urllib's data: handler decodes it, nothing is opened or fetched.
            from urllib.request import urlopen

            with urlopen(url) as response:  # the scheme is data: (checked just above): nothing is opened
                return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers.get_content_type()})
        raise FetchRefused(url)


def _fetcher_for(files: dict[str, bytes]) -> _Fetcher:
    return _Fetcher(files)


def document_characters(html: str) -> str:
    text = strip_tags(html)
    # Digits, Latin letters and the punctuation of dates and numbers are always included.
    base = "0123456789年月日：:，,。.（）()-—／/ ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz№#%￥"
    # Whitespace and control characters need no glyph and would defeat the common-base cache.
    return "".join(sorted({ch for ch in text if ch.isprintable() and not ch.isspace()} | set(base)))


@lru_cache(maxsize=1)
def native_subsetting() -> bool:
    """Whether WeasyPrint can subset fonts with hb-subset (fast) rather than fontTools."""
    if settings.PDF_FONT_SUBSETTING == "fonttools":
        return False
    try:
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except ImportError:
        return False
    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def render_html_to_pdf(html: str, *, compact: bool = False) -> bytes:
    """`compact` (certificates, checked for size): the fontTools path whatever is installed, so the
    embedded fonts hold only the glyphs used, renumbered (retain_gids off), not hb-subset's output
    that keeps the collection's full glyph numbering (~65,000 slots for ~100 glyphs)."""
    from weasyprint import CSS, HTML

    files: dict[str, bytes]
    if native_subsetting() and not compact:
        css, files = "", {}
        families = ", ".join(f"'{name}'" for name in settings.PDF_SYSTEM_FONT_FAMILIES)
        family = f"html {{ font-family: {families}, sans-serif; }}"
    else:
        css, files = _fonts_for(document_characters(html))
        family = f"html {{ font-family: '{FONT_FAMILY}', '{FALLBACK_FAMILY}', sans-serif; }}"
    from weasyprint.text.fonts import FontConfiguration

    # @font-face rules are read only with a FontConfiguration, and their font files are fetched by
    # the stylesheet's own fetcher: without both, WeasyPrint quietly uses the full system fonts.
    fetcher, font_config = _fetcher_for(files), FontConfiguration()
    stylesheets = [CSS(string=css + "\n" + family, base_url="static:/", url_fetcher=fetcher, font_config=font_config)]
    return HTML(string=html, base_url="static:/", url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, font_config=font_config, **({"optimize_images": True} if compact else {})
    )


def render_pdf(template_name: str, context: dict, *, compact: bool = False) -> bytes:
    """Render a Django template (under templates/pdf/) to PDF bytes."""
    return render_html_to_pdf(render_to_string(template_name, context), compact=compact)

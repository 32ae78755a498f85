"""PDF rendering of a one-page CJK receipt, three ways:

- native: our renderer on its normal path, WeasyPrint subsetting the system fonts with hb-subset
  (libharfbuzz-subset0 installed);
- pre-subset: our renderer's fallback for machines without hb-subset (fontTools, from a cached base);
- out of the box without hb-subset: WeasyPrint left to subset the 26 MB collection with fontTools —
  the cost the product must not pay.

Needs no database. Each document carries a different company name (a different character set), so
no per-document cache helps; the medians are per document once warm.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string

from awards import pdf

NAMES = ["绍兴柯桥华纺印染", "浙江精工机械", "滨江云栖软件", "鹿城鞋革制造", "诸暨珍珠饰品", "大庆石化装备", "钱塘智能装备"]


def _receipt_html(name: str) -> str:
    return render_to_string("pdf/base.html").replace(
        "</body>", f"<h1>受 理 回 执</h1><p>{name}有限公司 统一社会信用代码 91330621MA2B000X1Q</p></body>"
    )


def _time(render: Callable[[str], bytes], names: list[str]) -> tuple[float, int]:
    times, size = [], 0
    for name in names:
        start = time.perf_counter()
        size = len(render(_receipt_html(name)))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def _mode(mode: str) -> None:
    settings.PDF_FONT_SUBSETTING = mode
    pdf.native_subsetting.cache_clear()


def _without_hb_subset(html: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.pdf import fonts

    saved = fonts.harfbuzz_subset
    fonts.harfbuzz_subset = None  # what WeasyPrint does on a machine without libharfbuzz-subset
    try:
        return HTML(string=html).write_pdf(stylesheets=[CSS(string="html { font-family: 'Noto Sans CJK SC'; }")])
    finally:
        fonts.harfbuzz_subset = saved


def run(out: Callable[[str], None]) -> None:
    original = settings.PDF_FONT_SUBSETTING
    rows = []
    try:
        _mode("auto")
        native_available = pdf.native_subsetting()
        pdf.render_html_to_pdf(_receipt_html("预热"))
        rows.append(("native (hb-subset)" if native_available else "auto (no hb-subset here)",
                     *_time(pdf.render_html_to_pdf, NAMES)))
        _mode("fonttools")
        pdf.warm_font_cache()
        pdf.render_html_to_pdf(_receipt_html("预热"))
        rows.append(("pre-subset (fontTools, cached base)", *_time(pdf.render_html_to_pdf, NAMES)))
        rows.append(("out of the box without hb-subset", *_time(_without_hb_subset, NAMES[:2])))
    finally:
        _mode(original)
    out("")
    out("one-page CJK receipt                    ms per document (median)   PDF bytes")
    for label, ms, size in rows:
        out(f"{label:<40}{ms:>12.0f}               {size:>9}")
    slowest = rows[-1][1]
    for label, ms, _size in rows[:-1]:
        out(f"{label:<40}{slowest / ms:>11.1f}x faster than out of the box")

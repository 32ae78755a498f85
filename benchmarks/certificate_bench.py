"""A winner's certificate: median seconds per document and bytes per file, against a floor.

- certificate: the real template (templates/pdf/certificate.html) with its QR code, rendered by our
  renderer on the certificate's path (`compact`: fontTools subsets of Noto CJK, glyphs renumbered),
  then PAdES-signed as issued (honours.signing, the demo signing certificate where none is configured);
- floor: the same page with Latin text in DejaVu Sans, rendered by WeasyPrint directly (no CJK font
  at all), then signed the same way.

Needs no database. Each document carries a different organisation name (a different character set),
so no per-document font cache helps; the first document of each kind warms the caches and is not
counted. The issue's target is ≤ 0.3 s median and ≤ 60 KB per signed certificate.
"""

from __future__ import annotations

import io
import re
import statistics
import time
from collections.abc import Callable

from django.template.loader import render_to_string

NAMES = ["绍兴柯桥华纺印染有限公司", "浙江精工机械股份有限公司", "滨江云栖软件有限公司", "鹿城鞋革制造有限公司",
         "诸暨珍珠饰品有限公司", "大庆石化装备有限公司", "钱塘智能装备有限公司", "杭州龘鑫精密制造有限公司"]
LATIN = ["Keqiao Textile Printing Co., Ltd.", "Zhejiang Precision Machinery Co., Ltd.", "Binjiang Cloud Software Ltd.",
         "Lucheng Footwear Manufacturing Ltd.", "Zhuji Pearl Jewellery Co., Ltd.", "Daqing Petrochemical Equipment",
         "Qiantang Intelligent Equipment", "Hangzhou Precision Manufacturing"]
SERIAL = "KE2026-{n:05d}-7QX4M2PA"


def _context(name: str, n: int) -> dict:
    from honours.certificates import qr_svg

    serial = SERIAL.format(n=n)
    url = f"https://award.example.cn/verify/{serial}/"
    return {"jurisdiction_award_name": "柯桥区政府质量奖", "organization": name, "award_name": "柯桥区政府质量奖",
            "year": 2026, "approving_body": "区政府", "document_number": "柯政〔2026〕8号", "serial": serial,
            "verify_url": url, "qr": qr_svg(url), "issuer": "绍兴市柯桥区人民政府", "issued_on": "2026年12月1日"}


def _latin_html(name: str, n: int) -> str:
    """The same page, every Chinese run replaced by Latin text of similar length, in DejaVu Sans."""
    html: str = str(render_to_string("pdf/certificate.html", _context(name, n)))
    html = re.sub(r"[\u2e80-\u9fff\uff00-\uffef\U00020000-\U0003ffff]+", lambda m: "Award" * max(1, len(m.group()) // 3),
                  html)
    return html.replace("<style>", "<style>html { font-family: 'DejaVu Sans'; }", 1)


def _sign(pdf: bytes, n: int) -> bytes:
    from honours import signing

    return signing.sign(pdf, reason=f"certificate {SERIAL.format(n=n)}", location="Keqiao", name="Keqiao")


def _certificate(name: str, n: int) -> bytes:
    from awards.pdf import render_html_to_pdf

    return _sign(render_html_to_pdf(render_to_string("pdf/certificate.html", _context(name, n)), compact=True), n)


def _floor(name: str, n: int) -> bytes:
    from weasyprint import HTML

    return _sign(HTML(string=_latin_html(name, n)).write_pdf(), n)


def _time(make: Callable[[str, int], bytes], names: list[str]) -> tuple[float, int, bytes]:
    make(names[0], 0)  # warm: font bases, the signer, WeasyPrint's own caches
    times, sizes, last = [], [], b""
    for n, name in enumerate(names[1:], start=1):
        start = time.perf_counter()
        last = make(name, n)
        times.append(time.perf_counter() - start)
        sizes.append(len(last))
    return statistics.median(times), int(statistics.median(sizes)), last


def _glyphs_present(pdf: bytes, name: str) -> bool:
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "").replace("\n", "")
    return name in text and "荣誉证书" in text


def run(out: Callable[[str], None]) -> dict:
    out("certificate: rendering and signing one certificate per organisation name …")
    cert_s, cert_bytes, last = _time(_certificate, NAMES)
    floor_s, floor_bytes, _ = _time(_floor, LATIN)
    result = {"certificate_s": cert_s, "certificate_bytes": cert_bytes, "floor_s": floor_s, "floor_bytes": floor_bytes,
              "glyphs_present": _glyphs_present(last, NAMES[-1])}
    report(result, out)
    return result


def report(result: dict, out: Callable[[str], None]) -> None:
    out("")
    out(f"{'signed certificate':<34}{'median s':>10}{'bytes':>10}")
    out(f"{'CJK (subset Noto, QR, signed)':<34}{result['certificate_s']:>10.3f}{result['certificate_bytes']:>10,}")
    out(f"{'floor: same page, Latin font':<34}{result['floor_s']:>10.3f}{result['floor_bytes']:>10,}")
    ratio = result["certificate_s"] / result["floor_s"] if result["floor_s"] else float("nan")
    out(f"ratio to the floor: {ratio:.1f}×; all glyphs present (pypdf text): {result['glyphs_present']}")
    out("target: ≤ 0.3 s median and ≤ 60 KB per signed certificate")

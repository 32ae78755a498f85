"""Letters follow the layout of Chinese official documents (GB/T 9704 as the model): issuer in red,
the letter's number, title, addressee, body, issuer and date with space for the seal. The
ineligibility letter says whom to contact and how and by when to ask again (profile, cited); the
receipt's closing is never left alone on a page of its own.

Each PDF is also written as PNG pages to the screens folder ($SCREENS_DIR or the run's tmp) to be
looked at."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from awards import documents, services
from awards.models import Application, ApplicationFile
from awards.states import AppState
from jurisdictions.workcalendar import add_working_days
from tests.awards.test_applicant_pages import applicant, keqiao_cycle, ready  # noqa: F401

pytestmark = pytest.mark.django_db


def pages_of(pdf: bytes, tmp_path: Path, name: str) -> list[str]:
    """The text of each page; the pages are also saved as PNGs for a person to look at."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    count = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(source)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    screens = Path(os.environ.get("SCREENS_DIR", tmp_path / "screens"))
    screens.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(screens / name)], check=True)
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(source), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


def test_the_ineligibility_letter_is_an_official_letter_with_the_way_to_ask_again(ready, cast, tmp_path):  # noqa: F811
    app = services.submit(ready, ready.organization.users.get())
    app = services.decide_eligibility(app, cast["office"], AppState.INELIGIBLE, reason="未通过 ISO 9001 认证。")
    letter = documents.build_ineligible_letter(Application.objects.get(pk=app.pk))
    (page,) = pages_of(bytes(letter.pdf), tmp_path, "letter-ineligible")
    flat = " ".join(page.split())
    assert "柯桥区政府质量奖评审委员会办公室（评审办）" in flat
    assert "柯质奖评办资审〔2026〕1号" in flat
    assert "资格审查结果的告知书" in flat
    assert "未通过 ISO 9001 认证。" in flat
    decided = timezone.localtime(app.decided_at).date()
    until = add_working_days(app.jurisdiction, decided, 10)
    assert f"可自本告知书落款之日起10个工作日内（即 {until.year}年{until.month}月{until.day}日 前）" in flat
    assert "向评审办书面提出复核申请，写明理由并附证明材料（评审办设定）" in flat
    assert "联系方式：柯桥区政府质量奖评审委员会办公室（设在区市场监管局）" in flat
    assert "（印章）" in flat
    assert f"{decided.year}年{decided.month}月{decided.day}日" in flat
    # The letter states the article it rests on (第十五条: 书面告知理由).
    assert "第十五条" in flat


def test_the_receipts_closing_never_stands_alone_on_a_page(ready, tmp_path):  # noqa: F811
    app = services.submit(ready, ready.organization.users.get())
    signed = timezone.localtime(app.submitted_at).date()
    # However many files the receipt lists, the signature and date keep the paragraphs before them.
    for n in range(4, 22):
        ApplicationFile.objects.create(application=app, kind="evidence", original_name=f"证实性材料-{n:02d}.pdf",
                                       size=1000 + n, sha256=f"{n:02d}" * 32, content_type="application/pdf")
        receipt = documents.build_receipt(Application.objects.get(pk=app.pk))
        pages = pages_of(bytes(receipt.pdf), tmp_path, f"letter-receipt-{n:02d}-files")
        last = " ".join(pages[-1].split())
        assert f"{signed.year}年{signed.month}月{signed.day}日" in last, n
        assert "本回执仅证明申报材料已按时提交并锁定" in last and "申报内容指纹" in last, n
        # Eleven files stay on one page; beyond, the last files go over with the closing.
        listed = ApplicationFile.objects.filter(application=app).count()
        assert len(pages) == 1 or listed > 11, (listed, len(pages))
        assert len(pages) == 1 or last.count(".pdf") >= 2, n

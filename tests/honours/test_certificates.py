"""Certificates: the text equals the data (a rare character too), user text is escaped, the signature
validates and a changed byte fails, serials verify (valid, unknown, revoked), one serial and one file
however often and however concurrently the task runs."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled
from pypdf import PdfReader

from honours import certificates, signing
from honours.models import Certificate
from honours.tasks import issue_certificate_task
from tests.honours.builders import approve, awaiting_approval

pytestmark = pytest.mark.django_db

RARE = "𠀾"  # U+2003E, outside GB 2312 and the BMP


def awarded(loaded, slug="binjiang", n=1, name=None):
    cycle, office, apps, _notice = awaiting_approval(loaded[slug], n)
    if name:
        org = apps[0].organization
        org.name = name
        org.save(update_fields=["name"])
    approve(cycle, office)
    for app in apps:
        app.refresh_from_db()
    return cycle, office, apps


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_certificate_text_equals_the_data_with_a_rare_character_and_is_signed(loaded):
    cycle, _office, apps = awarded(loaded, name=f"杭州{RARE}龘科技有限公司")
    cert = certificates.issue(apps[0].pk)
    pdf = bytes(cert.pdf)
    text = text_of(pdf).replace(" ", "").replace("\n", "")
    for expected in (f"杭州{RARE}龘科技有限公司", "杭州高新区（滨江）政府质量奖", str(cycle.year), "区政府",
                     "区政〔2026〕8号", cert.serial, "荣誉证书", "杭州市滨江区人民政府"):
        assert expected in text, expected
    assert certificates.verify_url(cert.serial) in text_of(pdf).replace("\n", "")
    check = signing.check_signature(pdf)
    assert check.valid and "Signing" in check.signer
    assert cert.size == len(pdf)
    # The embedded fonts are our renumbered subsets (not the system collection), so a signed
    # certificate stays small.
    assert cert.size <= 60_000, cert.size


def test_a_changed_byte_fails_the_signature_and_the_hash(loaded):
    _cycle, _office, apps = awarded(loaded, "keqiao")
    cert = certificates.issue(apps[0].pk)
    pdf = bytearray(cert.pdf)
    # A byte inside the signed range (the page content near the start), not the signature itself.
    index = pdf.index(b"stream") + 20
    pdf[index] ^= 0x01
    assert not signing.check_signature(bytes(pdf)).valid
    assert certificates.matching(bytes(pdf)) is None
    assert certificates.matching(bytes(cert.pdf)).pk == cert.pk


def test_an_html_injection_in_the_organisation_name_renders_as_text(loaded):
    name = '<img src="file:///etc/passwd"><a href="https://evil.example/">恶意</a>有限公司'
    _cycle, _office, apps = awarded(loaded, "zhuji", name=name)
    cert = certificates.issue(apps[0].pk)
    text = text_of(bytes(cert.pdf)).replace("\n", "")
    assert '<img src="file:///etc/passwd">' in text and "evil.example" in text
    assert b"/URI" not in bytes(cert.pdf)


def test_verification_of_valid_unknown_and_revoked_serials(loaded):
    _cycle, _office, apps = awarded(loaded, "daqing")
    cert = certificates.issue(apps[0].pk)
    client = Client()
    page = client.get(f"/verify/{cert.serial}/")
    assert page.status_code == 200 and "此证书真实有效" in page.content.decode()
    assert cert.organization_name in page.content.decode()
    unknown = client.get("/verify/DA2026-99999-ZZZZZZZZ/")
    assert unknown.status_code == 404 and "没有编号为" in unknown.content.decode()
    Certificate.objects.filter(pk=cert.pk).update(revoked_on="2027-03-01", revoked_reason="弄虚作假（第三十一条）")
    revoked = client.get(f"/verify/{cert.serial}/").content.decode()
    assert "此证书已于 2027-03-01 撤销" in revoked and "弄虚作假" in revoked


def test_upload_verification_exact_file_changed_file_and_bad_upload(loaded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _cycle, _office, apps = awarded(loaded, "lucheng")
    cert = certificates.issue(apps[0].pk)
    client = Client()
    url = f"/verify/{cert.serial}/"
    ok = client.post(url, {"file": SimpleUploadedFile("证书.pdf", bytes(cert.pdf), "application/pdf")}).content.decode()
    assert "完全一致" in ok and "数字签名有效" in ok
    changed = bytearray(cert.pdf)
    changed[changed.index(b"stream") + 20] ^= 0x01
    bad = client.post(url, {"file": SimpleUploadedFile("证书.pdf", bytes(changed), "application/pdf")}).content.decode()
    assert "不是本平台颁发的任何证书原件" in bad and "数字签名无效" in bad
    text = client.post(url, {"file": SimpleUploadedFile("证书.txt", b"hello", "text/plain")})
    assert text.status_code == 200 and "has-error" in text.content.decode() and "类型不在允许范围内" in text.content.decode()


def test_the_task_twice_yields_one_serial_and_one_file(loaded):
    _cycle, _office, apps = awarded(loaded, "binjiang")
    assert issue_certificate_task.delay(apps[0].pk).get() is True
    first = Certificate.objects.get(application=apps[0])
    assert issue_certificate_task.delay(apps[0].pk).get() is True
    again = Certificate.objects.get(application=apps[0])
    assert (again.serial, again.sha256, again.issued_at) == (first.serial, first.sha256, first.issued_at)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_yield_one_serial_and_one_file(loaded):
    _cycle, _office, apps = awarded(loaded, "keqiao")
    pk = apps[0].pk
    barrier, results, errors = threading.Barrier(2), [], []

    def worker():
        try:
            barrier.wait()
            with scopes_disabled():
                results.append(certificates.issue(pk).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = list(Certificate.objects.filter(application_id=pk))
    assert len(rows) == 1 and results == [rows[0].pk, rows[0].pk]
    assert rows[0].state == Certificate.State.READY and signing.check_signature(bytes(rows[0].pdf)).valid


def test_a_failure_is_recorded_for_the_office_and_regenerated(loaded, settings):
    _cycle, _office, apps = awarded(loaded, "zhuji")
    settings.HONOURS_DEMO_SIGNING = False
    assert issue_certificate_task.apply(args=(apps[0].pk,)).get() is False
    failed = Certificate.objects.get(application=apps[0])
    assert failed.state == Certificate.State.FAILED and "签名证书" in failed.error
    settings.HONOURS_DEMO_SIGNING = True
    certificates.reset_for_regeneration(failed)
    assert issue_certificate_task.apply(args=(apps[0].pk,)).get() is True
    again = Certificate.objects.get(application=apps[0])
    assert again.state == Certificate.State.READY and again.serial == failed.serial

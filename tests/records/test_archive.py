"""The cycle archive: the office asks, the task builds one zip (safe to run twice), the page links it;
the zip holds the applications, the tallies without any voter, the documents and the history, and
never the objector's identity; another tenant gets 404."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client

from jurisdictions.models import Role
from records import exports
from records.models import ArchiveExport
from records.tasks import export_archive_task
from tests.conftest import make_user
from tests.honours.builders import approve, awaiting_approval
from tests.publicity.builders import VALID_ID, filed, published

pytestmark = pytest.mark.django_db


def _zip(export: ArchiveExport) -> zipfile.ZipFile:
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _json(zf: zipfile.ZipFile, name: str):
    return json.loads(zf.read(name))


def test_a_closed_cycles_archive_holds_its_whole_record_and_no_vote(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle, office, apps, _notice = awaiting_approval(loaded["binjiang"], 2)
    approve(cycle, office)
    from honours import certificates
    cert = certificates.issue(apps[0].pk)

    export = exports.request_export(cycle, office)
    assert exports.request_export(cycle, office).pk == export.pk  # a double click asks once
    assert export_archive_task(export.pk) is True
    assert export_archive_task(export.pk) is False  # already built: left as it is
    zf = _zip(export)
    names = set(zf.namelist())

    manifest = _json(zf, "manifest.json")
    assert manifest["cycle"]["year"] == cycle.year and manifest["jurisdiction"]["slug"] == "binjiang"
    assert manifest["profile"]["version"] == cycle.profile.version
    assert manifest["profile"]["document"]["records"]["retention_years"]["value"] == 10
    assert manifest["exported_by"]["id"] == office.pk

    applications = _json(zf, "applications.json")
    assert {a["id"] for a in applications} == {a.pk for a in apps}
    assert {a["state"] for a in applications} == {"awarded"}
    assert {o["name"] for o in _json(zf, "organizations.json")} == {a.organization.name for a in apps}
    assert any(e["to_state"] == "eligible" for e in _json(zf, "eligibility.json"))

    tallies = _json(zf, "committee/tallies.json")
    assert {t["application_id"] for t in tallies} == {a.pk for a in apps}
    assert all("member_id" not in t for t in tallies)
    assert not any("ballot" in n or "receipt" in n for n in names)
    assert _json(zf, "reviews/stage_results.json")

    assert any(n.startswith("documents/applications/") for n in names)
    assert f"documents/certificates/{cert.serial}.pdf" in names
    assert zf.read(f"documents/certificates/{cert.serial}.pdf") == bytes(cert.pdf)
    assert any(n.startswith("documents/approval/") for n in names)

    events = _json(zf, "history/application_events.json")
    assert {"submitted", "eligible", "awarded"} <= {e["to_state"] for e in events}
    assert "closed" in {e["to_state"] for e in _json(zf, "history/cycle_events.json")}
    assert _json(zf, "history/applications.json")

    # The page: status and a download for the office; another tenant's office gets 404.
    client = Client()
    client.force_login(office)
    page = client.get("/binjiang/office/records/").content.decode()
    assert "保存至" in page and "下载档案" in page and cycle.title in page
    download = client.get(f"/binjiang/office/records/exports/{export.pk}/archive.zip")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content)[:2] == b"PK"
    other = make_user("kq-office-archive", loaded["keqiao"], Role.OFFICE)
    client.force_login(other)
    assert client.get(f"/keqiao/office/records/exports/{export.pk}/archive.zip").status_code == 404
    assert client.get(f"/binjiang/office/records/exports/{export.pk}/archive.zip").status_code == 404
    assert client.post(f"/keqiao/office/records/cycles/{cycle.pk}/export/").status_code == 404


def test_the_archive_leaves_out_the_objectors_identity(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice, office, apps = published(loaded["daqing"], 1)
    filed(notice, apps[0])
    export = exports.request_export(notice.cycle, office)
    assert export_archive_task(export.pk) is True
    zf = _zip(export)
    objections = _json(zf, "publicity/objections.json")
    assert len(objections) == 1 and "name" not in objections[0] and "id_number_masked" not in objections[0]
    assert objections[0]["text"]
    everything = b"".join(zf.read(n) for n in zf.namelist())
    assert "张三".encode() not in everything and VALID_ID.encode() not in everything
    assert b"13800000000" not in everything
    files = _json(zf, "publicity/objection_files.json")
    assert files and all(f.get("omitted") == "objector" and not f["file"] for f in files)

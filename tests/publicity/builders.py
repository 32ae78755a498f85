"""Builders for publicity tests: a cycle whose winners the committee proposed, a running notice, objections."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.states import AppState, CycleState
from awards.workflow import cycle_transition
from committee import rounds
from publicity import notices, objections
from publicity.models import Objection, ObjectionFile
from tests.awards.builders import pdf_upload
from tests.committee.builders import candidates, meeting_with, roster, run_round

VALID_ID = "11010519491231002X"
CONTACT = "评审办 0459-1234567，大庆市萨尔图区某路1号"


def proposed_cycle(jurisdiction, n: int = 2, *, office=None):
    """A cycle in review whose n candidates the committee (or Daqing's joint meeting) proposed."""
    cycle, office, apps = candidates(jurisdiction, [(900 - 10 * i, 900 - 10 * i) for i in range(n)], office=office,
                                     quotas={"quality": n} if jurisdiction.slug != "zhuji" else {"quality": min(n, 5)})
    members = roster(jurisdiction, 5)
    meeting = meeting_with(cycle, members, 5, office)
    if jurisdiction.slug == "daqing":
        rounds.record_deliberation(meeting, "quality", {a.pk for a in apps}, "成员单位一致同意", office)
    else:
        run_round(meeting, "quality", members, [dict.fromkeys(apps, "yes")] * 5, office)
    for app in apps:
        app.refresh_from_db()
    assert all(a.state == AppState.PROPOSED for a in apps), [a.state for a in apps]
    cycle_transition(cycle, CycleState.REVIEW, actor=office, reason="申报截止",
                     now=cycle.applications_close_at + dt.timedelta(minutes=1))
    cycle.refresh_from_db()
    return cycle, office, apps


def published(jurisdiction, n: int = 2, *, now=None, office=None):
    cycle, office, apps = proposed_cycle(jurisdiction, n, office=office)
    notice = notices.publish_notice(cycle, office, contact=CONTACT, now=now or timezone.now())
    return notice, office, apps


def person(**extra) -> objections.Filing:
    data = {"kind": "person", "name": "张三", "id_number": VALID_ID, "contact": "13800000000",
            "email": "zhangsan@example.cn", "text": "该企业去年发生过重大质量事故，有当地报道为证。",
            "files": [(ObjectionFile.Kind.EVIDENCE, pdf_upload("报道.pdf"))]}
    data.update(extra)
    return objections.Filing(**data)


def organization(**extra) -> objections.Filing:
    data = {"kind": "organization", "name": "某某行业协会", "address": "某市某路2号", "contact": "0459-7654321",
            "text": "该企业申报材料中的认证证书已过期。",
            "files": [(ObjectionFile.Kind.EVIDENCE, pdf_upload("证书.pdf")),
                      (ObjectionFile.Kind.SEAL_LETTER, pdf_upload("盖章异议书.pdf"))]}
    data.update(extra)
    return objections.Filing(**data)


def filed(notice, app, filing=None, *, now=None) -> tuple[Objection, str]:
    entry = notice.entries.get(application=app)
    return objections.file_objection(notice, entry, filing or person(), now=now)


def text_file(name: str = "说明.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"plain text", content_type="text/plain")

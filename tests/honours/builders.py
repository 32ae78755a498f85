"""Builders for honours tests: a cycle whose publicity has ended, awaiting approval."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.states import CycleState
from awards.system_actor import system_actor
from awards.workflow import cycle_transition
from honours import approval
from tests.awards.builders import pdf_upload
from tests.publicity.builders import published


def awaiting_approval(jurisdiction, n: int = 2):
    notice, office, apps = published(jurisdiction, n)
    cycle = notice.cycle
    cycle_transition(cycle, CycleState.APPROVAL, actor=system_actor(), reason="公示期满",
                     now=notice.ends_at + dt.timedelta(minutes=1))
    cycle.refresh_from_db()
    return cycle, office, apps, notice


def after_publicity(cycle) -> dt.datetime:
    """A moment just after the cycle's notice ended (the approval comes then)."""
    return cycle.notices.get().ends_at + dt.timedelta(hours=10)


def approve(cycle, office, *, number: str = "区政〔2026〕8号", document=None, now=None):
    now = now or after_publicity(cycle)
    return approval.record_approval(cycle, office, approving_body="区政府", document_number=number,
                                    approved_on=timezone.localdate(now), document=document or pdf_upload("批复.pdf"),
                                    now=now)


def text_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("批复.txt", b"plain", content_type="text/plain")

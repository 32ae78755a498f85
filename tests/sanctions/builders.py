"""Builders for after-award tests: a winner with its prize and signed certificate, and a revocation."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from honours import certificates
from honours.models import Approval
from sanctions import revocation
from tests.awards.builders import pdf_upload
from tests.honours.builders import approve, awaiting_approval


def winner(jurisdiction, *, approved_on: dt.date | None = None):
    """An awarded application with its certificate issued; `approved_on` dates the award's approval."""
    cycle, office, apps, _notice = awaiting_approval(jurisdiction, 1)
    approve(cycle, office)
    app = apps[0]
    certificates.issue(app.pk)
    # The builders approve at the end of a notice published today (days ahead); the award here was
    # approved today or, for a window, years ago: a fact of the record, set as the office entered it.
    Approval.objects.filter(cycle=cycle).update(approved_on=approved_on or timezone.localdate())
    app.refresh_from_db()
    return app, office


def revoked(app, office, ground: str = "fraud", *, serious: bool | None = None, on: dt.date | None = None):
    on = on or timezone.localdate()
    proposal = revocation.propose(app, office, ground_code=ground, proposed_by="", proposed_on=on,
                                  facts="申报材料中的检测报告系伪造。", occurred_on=on)
    return revocation.approve(proposal, office, approving_body="区政府", document_number="政〔2026〕9号",
                              approved_on=on, document=pdf_upload("撤销批复.pdf"), serious=serious)

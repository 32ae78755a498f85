"""The printable notice (公示通知) and the objector's letters (acceptance, refusal, outcome) as PDFs,
stored on their rows and regenerated idempotently. The letters never show the ID card number."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from awards.pdf import render_pdf

from .models import Notice, Objection, ObjectionLetter
from .notices import last_day_label

LETTER_KINDS = {"acceptance": Objection.State.ACCEPTED, "refusal": Objection.State.REFUSED}


def build_notice_pdf(notice: Notice) -> bytes:
    rules = notice.cycle.profile.typed
    pdf = render_pdf("pdf/publicity_notice.html", {
        "notice": notice, "entries": list(notice.entries.all()), "rules": rules, "jurisdiction": notice.jurisdiction,
        "starts_at": timezone.localtime(notice.starts_at), "ends_label": last_day_label(notice.ends_at),
    })
    Notice.objects.filter(pk=notice.pk).update(pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest())
    return pdf


def notice_pdf(notice: Notice) -> bytes:
    """The stored notice; built now if the worker has not got to it yet."""
    stored = Notice.objects.filter(pk=notice.pk).values_list("pdf", flat=True).first()
    return bytes(stored) if stored else build_notice_pdf(notice)


def letter_kind(objection: Objection) -> str | None:
    if objection.state == Objection.State.REFUSED:
        return "refusal"
    if objection.state in (Objection.State.UPHELD, Objection.State.DISMISSED, Objection.State.WITHDRAWN):
        return "outcome"
    if objection.state == Objection.State.ACCEPTED:
        return "acceptance"
    return None


def build_letter(objection: Objection, kind: str) -> ObjectionLetter | None:
    if kind == "outcome" and objection.is_open:
        return None
    if kind in LETTER_KINDS and objection.decided_at is None:
        return None
    rules = objection.notice.cycle.profile.typed
    pdf = render_pdf("pdf/objection_letter.html", {
        "objection": objection, "kind": kind, "rules": rules, "jurisdiction": objection.jurisdiction,
        "entry": objection.entry, "decided_at": timezone.localtime(objection.concluded_at or objection.decided_at),
        "candidate_due": last_day_label(objection.candidate_due_at) if objection.candidate_due_at else "",
    })
    with transaction.atomic():
        letter, _created = ObjectionLetter.objects.update_or_create(
            objection=objection, kind=kind, defaults={"pdf": pdf, "sha256": hashlib.sha256(pdf).hexdigest()})
    return letter


def letter_pdf(objection: Objection, kind: str) -> bytes | None:
    stored = ObjectionLetter.objects.filter(objection=objection, kind=kind).first()
    if stored is not None:
        return bytes(stored.pdf)
    built = build_letter(objection, kind)
    return bytes(built.pdf) if built else None

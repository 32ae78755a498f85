"""PDF documents issued for an application, stored on it and regenerated idempotently."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from .models import Application, GeneratedDocument
from .pdf import render_pdf
from .states import AppState

Kind = GeneratedDocument.Kind


def _store(app: Application, kind: str, pdf: bytes) -> GeneratedDocument:
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        doc, _created = GeneratedDocument.objects.update_or_create(
            application=app, kind=kind, defaults={"pdf": pdf, "sha256": digest}
        )
    return doc


def _context(app: Application) -> dict:
    rules = app.cycle.profile.typed
    try:
        award_name = rules.award(app.category).name_zh
    except KeyError:
        award_name = app.category
    return {"app": app, "jurisdiction": app.jurisdiction, "rules": rules, "award_name": award_name}


def build_receipt(app: Application) -> GeneratedDocument | None:
    if not app.number or app.submitted_at is None:
        return None
    context = _context(app) | {
        "files": list(app.files.all()),
        "submitted_at": timezone.localtime(app.submitted_at),
    }
    return _store(app, Kind.RECEIPT, render_pdf("pdf/receipt.html", context))


def build_ineligible_letter(app: Application) -> GeneratedDocument | None:
    if app.state != AppState.INELIGIBLE:
        return None
    event = app.events.filter(to_state=AppState.INELIGIBLE).order_by("-at").first()
    failed = [r for r in (event.details.get("precheck", []) if event else []) if r.get("passed") is False]
    context = _context(app) | {
        "event": event,
        "failed": failed,
        "decided_at": timezone.localtime(app.decided_at or timezone.now()),
    }
    return _store(app, Kind.INELIGIBLE_LETTER, render_pdf("pdf/ineligible_letter.html", context))


BUILDERS = {Kind.RECEIPT: build_receipt, Kind.INELIGIBLE_LETTER: build_ineligible_letter}


def get_or_build(app: Application, kind: str) -> GeneratedDocument | None:
    """The stored document; built now if the worker has not got to it yet."""
    doc = GeneratedDocument.objects.filter(application=app, kind=kind).first()
    if doc is not None and kind == Kind.RECEIPT and app.submitted_at and doc.created_at < app.submitted_at:
        doc = None  # resubmitted after a return: the old receipt no longer describes what was filed
    return doc or BUILDERS[kind](app)

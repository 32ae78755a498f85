"""PDF documents issued for an application, stored on it and regenerated idempotently."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.db import models, transaction
from django.utils import timezone

from .models import Application, GeneratedDocument
from .pdf import render_pdf
from .states import AppState

StoredPdf = TypeVar("StoredPdf", bound=models.Model)

Kind = GeneratedDocument.Kind


def store_pdf(model: type[StoredPdf], app: Application, kind: str, pdf: bytes) -> StoredPdf:
    """Keep one PDF per application and kind (receipts, letters, review reports), with its digest."""
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        doc, _created = model._default_manager.update_or_create(
            application=app, kind=kind, defaults={"pdf": pdf, "sha256": digest}
        )
    return doc


def award_name(rules, code: str) -> str:
    """The award's Chinese name as the profile has it, or the code of an award it no longer lists."""
    try:
        return rules.award(code).name_zh
    except KeyError:
        return code


def _context(app: Application) -> dict:
    rules = app.cycle.profile.typed
    return {"app": app, "jurisdiction": app.jurisdiction, "rules": rules,
            "award_name": award_name(rules, app.category)}


def build_receipt(app: Application) -> GeneratedDocument | None:
    if not app.number or app.submitted_at is None:
        return None
    context = _context(app) | {
        "files": list(app.files.all()),
        "submitted_at": timezone.localtime(app.submitted_at),
    }
    return store_pdf(GeneratedDocument, app, Kind.RECEIPT, render_pdf("pdf/receipt.html", context))


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
    return store_pdf(GeneratedDocument, app, Kind.INELIGIBLE_LETTER, render_pdf("pdf/ineligible_letter.html", context))


BUILDERS: dict[str, Callable[[Application], GeneratedDocument | None]] = {Kind.RECEIPT: build_receipt, Kind.INELIGIBLE_LETTER: build_ineligible_letter}


def get_or_build(app: Application, kind: str) -> GeneratedDocument | None:
    """The stored document; built now if the worker has not got to it yet."""
    doc = GeneratedDocument.objects.filter(application=app, kind=kind).first()
    if doc is not None and kind == Kind.RECEIPT and app.submitted_at and doc.created_at < app.submitted_at:
        doc = None  # resubmitted after a return: the old receipt no longer describes what was filed
    return doc or BUILDERS[kind](app)

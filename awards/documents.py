"""PDF documents issued for an application, stored on it and regenerated idempotently."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.db import models, transaction
from django.utils import timezone

from jurisdictions.workcalendar import add_working_days

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
    decided_at = timezone.localtime(app.decided_at or timezone.now())
    rules = app.cycle.profile.typed
    basis = rules.eligibility.written_reason_on_failure
    context = _context(app) | {
        "event": event,
        "failed": failed,
        "decided_at": decided_at,
        "document_number": letter_number(app, "资审"),
        "basis_cite": "" if basis.is_office_setting else basis.cite,
        "reconsideration": _reconsideration(app, decided_at.date()),
        "contact": rules.bodies.contact_zh.value if rules.bodies.contact_zh else "",
    }
    return store_pdf(GeneratedDocument, app, Kind.INELIGIBLE_LETTER, render_pdf("pdf/ineligible_letter.html", context))


def letter_number(app: Application, kind_zh: str) -> str:
    """The letter's number (发文字号, GB/T 9704): the issuer's code from the profile and the kind of
    letter, the year in 〔〕, then the application's serial: 柯质奖评办资审〔2026〕3号."""
    bodies = app.cycle.profile.typed.bodies
    prefix = bodies.letter_prefix_zh.value if bodies.letter_prefix_zh else bodies.office_short_zh.value
    serial = int(app.number.rsplit("-", 1)[-1]) if app.number and app.number.rsplit("-", 1)[-1].isdigit() else app.pk
    return f"{prefix}{kind_zh}〔{app.cycle.year}〕{serial}号"


def _reconsideration(app: Application, dated: dt.date) -> dict | None:
    """How and by when the applicant may ask again (profile `eligibility.reconsideration`)."""
    cited = app.cycle.profile.typed.eligibility.reconsideration
    if cited is None:
        return None
    rule = cited.value
    amount, unit = rule.within.amount, rule.within.unit
    until: dt.date | None = None
    if unit == "working_days":
        until, period = add_working_days(app.jurisdiction, dated, amount), f"{amount}个工作日"
    elif unit == "calendar_days":
        until, period = dated + dt.timedelta(days=amount), f"{amount}日"
    else:
        period = f"{amount}个月" if unit == "months" else f"{amount}年"
    cite = f"{app.cycle.profile.typed.bodies.office_short_zh.value}设定" if cited.is_office_setting else cited.cite
    return {"to": rule.to_zh, "how": rule.how_zh, "period": period, "until": until, "cite": cite}


BUILDERS: dict[str, Callable[[Application], GeneratedDocument | None]] = {Kind.RECEIPT: build_receipt, Kind.INELIGIBLE_LETTER: build_ineligible_letter}


def get_or_build(app: Application, kind: str) -> GeneratedDocument | None:
    """The stored document; built now if the worker has not got to it yet."""
    doc = GeneratedDocument.objects.filter(application=app, kind=kind).first()
    if doc is not None and kind == Kind.RECEIPT and app.submitted_at and doc.created_at < app.submitted_at:
        doc = None  # resubmitted after a return: the old receipt no longer describes what was filed
    return doc or BUILDERS[kind](app)

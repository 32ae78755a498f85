"""Each winner's certificate: a unique serial, a PDF with a QR code of its public verification page,
signed by the office; made once however often (or however concurrently) it is asked for.

The serial is claimed first, in its own transaction, under the one-certificate-per-application
constraint (a second worker finds the row and waits on its lock); the PDF is then made and stored on
that row unless another worker stored it meanwhile. A failure is recorded on the row for the office.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from awards.models import Application
from awards.pdf import render_html_to_pdf
from awards.record_language import in_record_language
from awards.states import AppState

from . import signing
from .models import Approval, Certificate, Prize

# Crockford's base32 without look-alikes: a serial read out over the phone is not misheard.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_serial(app: Application) -> str:
    token = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{app.jurisdiction.slug[:2].upper()}{app.cycle.year}-{app.pk:05d}-{token}"


def verify_url(serial: str) -> str:
    return settings.HONOURS_PUBLIC_BASE_URL.rstrip("/") + reverse("verify-certificate", kwargs={"serial": serial})


def qr_svg(url: str) -> str:
    """The QR code as inline SVG markup (drawn by WeasyPrint itself: no URL to fetch). segno writes
    only path data from the encoded modules, so the markup holds no user text."""
    import segno

    qr = segno.make(url, error="m", micro=False)
    return mark_safe(qr.svg_inline(scale=4, border=0, dark="#2b1a0f", svgclass="qr", lineclass=None,
                                   omitsize=False))


def claim(app: Application) -> Certificate:
    """The certificate row of a winner, made with its serial on first call (one per application)."""
    existing = Certificate.objects.filter(application=app).first()
    if existing is not None:
        return existing
    prize = Prize.objects.filter(application=app).first()
    award_name = prize.award_name if prize else app.category
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(jurisdiction=app.jurisdiction, application=app, serial=new_serial(app),
                                                  organization_name=app.organization.name, award_name=award_name,
                                                  year=app.cycle.year)
        except IntegrityError:
            existing = Certificate.objects.filter(application=app).first()
            if existing is not None:
                return existing  # another worker claimed it first: one serial
    raise RuntimeError("no free serial")


@in_record_language
def render(cert: Certificate, approval: Approval) -> bytes:
    """The certificate's PDF, unsigned."""
    app = cert.application
    rules = app.cycle.profile.typed
    issuer = rules.approval.certificate_issuer_zh.value if rules.approval.certificate_issuer_zh else approval.approving_body
    url = verify_url(cert.serial)
    html = render_to_string("pdf/certificate.html", {
        "jurisdiction_award_name": app.jurisdiction.award_name_zh, "organization": cert.organization_name,
        "award_name": cert.award_name, "year": cert.year, "approving_body": approval.approving_body,
        "document_number": approval.document_number, "serial": cert.serial, "verify_url": url, "qr": qr_svg(url),
        "issuer": issuer, "issued_on": f"{approval.approved_on.year}年{approval.approved_on.month}月{approval.approved_on.day}日"})
    return render_html_to_pdf(html, compact=True)


def sign(pdf: bytes, cert: Certificate) -> bytes:
    j = cert.application.jurisdiction
    return signing.sign(pdf, reason=_("%(award)s证书 %(serial)s") % {"award": cert.award_name, "serial": cert.serial},
                        location=j.name_zh, name=j.issuing_body_zh)


def issue(application_id: int) -> Certificate | None:
    """Make (or find) the winner's signed certificate; None if it is not a winner. Raises on failure."""
    app = (Application.objects.select_related("cycle__profile", "jurisdiction", "organization")
           .filter(pk=application_id).first())
    if app is None or app.state != AppState.AWARDED:
        return None
    approval = Approval.objects.filter(cycle=app.cycle).first()
    if approval is None:
        return None
    cert = claim(app)
    if cert.state == Certificate.State.READY:
        return cert
    Certificate.objects.filter(pk=cert.pk).update(attempts=cert.attempts + 1)
    pdf = sign(render(cert, approval), cert)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=cert.pk)
        if locked.state == Certificate.State.READY:
            return locked  # another worker finished first: its file stands, one file
        locked.pdf, locked.sha256, locked.size = pdf, hashlib.sha256(pdf).hexdigest(), len(pdf)
        locked.state, locked.error, locked.issued_at = Certificate.State.READY, "", timezone.now()
        locked.save(update_fields=["pdf", "sha256", "size", "state", "error", "issued_at"])
    return locked


def record_failure(application_id: int, error: str) -> None:
    app = Application.objects.select_related("cycle", "jurisdiction", "organization").filter(pk=application_id).first()
    if app is None:
        return
    cert = claim(app)
    Certificate.objects.filter(pk=cert.pk).exclude(state=Certificate.State.READY).update(
        state=Certificate.State.FAILED, error=error[:2000])


def revoke(cert: Certificate, actor, *, reason: str, now=None) -> Certificate:
    """Revoke an issued certificate (the award was revoked): its verification page says so, when and
    why from then on. Refused with a ServiceError if already revoked or the reason is empty."""
    from awards.refusals import ServiceError

    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请填写撤销理由。"), "reason")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=cert.pk)
        if locked.revoked_on is not None:
            raise ServiceError(_("此证书已于%(on)s撤销。") % {"on": locked.revoked_on.isoformat()})
        locked.revoked_on = timezone.localdate(now or timezone.now())
        locked.revoked_reason, locked.revoked_by = reason, actor
        locked.save(update_fields=["revoked_on", "revoked_reason", "revoked_by"])
    return locked


def reset_for_regeneration(cert: Certificate) -> None:
    """The office asks again after a failure: the row goes back to pending (the serial is kept)."""
    Certificate.objects.filter(pk=cert.pk, state=Certificate.State.FAILED).update(state=Certificate.State.PENDING,
                                                                                 error="")


def progress(cycle) -> dict:
    """How far the cycle's certificates are: winners, made, failed, percent."""
    winners = cycle.applications.filter(state=AppState.AWARDED).count()
    rows = Certificate.objects.filter(application__cycle=cycle)
    ready = rows.filter(state=Certificate.State.READY).count()
    failed = rows.filter(state=Certificate.State.FAILED).count()
    return {"winners": winners, "ready": ready, "failed": failed,
            "percent": 100 if not winners else round(100 * ready / winners), "done": ready >= winners}


def lookup(serial: str) -> Certificate | None:
    return (Certificate.objects.select_related("application__cycle", "application__jurisdiction", "jurisdiction")
            .filter(serial=serial.strip().upper()).first())


def matching(pdf: bytes) -> Certificate | None:
    """The certificate whose issued file is exactly these bytes."""
    digest = hashlib.sha256(pdf).hexdigest()
    return Certificate.objects.select_related("jurisdiction").filter(sha256=digest, state=Certificate.State.READY).first()

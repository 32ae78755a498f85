"""Confidential downloads: uploaded files, the receipt and the feedback letter.

Uploaded files live under MEDIA_ROOT, which no URL serves; they leave only through these checked
views. Anyone who may not see a file gets 404, whether or not it exists.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBase

from jurisdictions.access import has_role, role_required
from jurisdictions.confidential import attachment_disposition, confidential, confidential_file
from jurisdictions.models import Role
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest

from . import documents
from .models import Application, ApplicationFile, GeneratedDocument
from .views_applicant import own_application


@role_required(Role.APPLICANT, Role.OFFICE)
def application_file(request: SignedInRequest, pk: int, file_id: int) -> HttpResponseBase:
    """The applicant's own file, or any of this jurisdiction's for its office (reviewers download
    through reviews.views_reviewer_files, which applies their per-application grant)."""
    records = scoped(request, ApplicationFile).filter(pk=file_id, application_id=pk)
    if not has_role(request.user, request.jurisdiction, Role.OFFICE):
        records = records.filter(application__organization__users=request.user)
    record = records.first()
    if record is None:
        raise Http404
    return confidential_file(record.file, record.original_name, record.content_type)


def _pdf(doc: GeneratedDocument, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(doc.pdf), content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(filename)
    return confidential(response)


def _readable_application(request: SignedInRequest, pk: int) -> Application:
    """The applicant's own application, or any of this jurisdiction's for its office."""
    if has_role(request.user, request.jurisdiction, Role.OFFICE):
        return get_scoped_or_404(request, Application, pk=pk)
    return own_application(request, pk)


@role_required(Role.APPLICANT, Role.OFFICE)
def application_receipt(request: SignedInRequest, pk: int) -> HttpResponse:
    app = _readable_application(request, pk)
    doc = documents.get_or_build(app, documents.Kind.RECEIPT) if app.number and app.submitted_at else None
    if doc is None:
        raise Http404
    return _pdf(doc, f"受理回执-{app.number}.pdf")


@role_required(Role.APPLICANT, Role.OFFICE)
def application_letter(request: SignedInRequest, pk: int) -> HttpResponse:
    app = _readable_application(request, pk)
    doc = documents.get_or_build(app, documents.Kind.INELIGIBLE_LETTER)
    if doc is None:
        raise Http404
    return _pdf(doc, f"资格审查反馈函-{app.number or app.pk}.pdf")

"""Responses that carry confidential files (uploads, reports, workbooks): never sniffed, never stored."""

from __future__ import annotations

from typing import TypeVar

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseBase
from django.utils.http import content_disposition_header

_Response = TypeVar("_Response", bound=HttpResponseBase)


def confidential(response: _Response) -> _Response:
    # Served as the checked content type only, and kept out of shared proxies and the browser cache
    # even where a download is fetched without a session cookie the middleware could see.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_disposition(filename: str) -> str:
    """The Content-Disposition header of a download saved as `filename`."""
    header = content_disposition_header(as_attachment=True, filename=filename)
    assert header is not None  # None only for an inline response without a filename
    return header


def confidential_file(stored: FieldFile, filename: str, content_type: str) -> FileResponse:
    """A stored upload as a confidential download; a file missing from storage answers 404."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return confidential(FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type))

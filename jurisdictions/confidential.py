"""Responses that carry confidential files (uploads, reports, workbooks): never sniffed, never stored."""

from __future__ import annotations

from django.http import HttpResponse


def confidential(response: HttpResponse) -> HttpResponse:
    # Served as the checked content type only, and kept out of shared proxies and the browser cache
    # even where a download is fetched without a session cookie the middleware could see.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

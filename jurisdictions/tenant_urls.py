"""URLs inside the current request's jurisdiction: the one place that puts the tenant into reverse()."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse


def tenant_url(request: HttpRequest, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": request.jurisdiction.slug, **kwargs})

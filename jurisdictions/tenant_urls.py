"""URLs inside the current request's jurisdiction: the one place that puts the tenant into reverse()."""

from __future__ import annotations

from django.urls import reverse

from .tenant_request import TenantRequest


def tenant_url(request: TenantRequest, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": request.jurisdiction.slug, **kwargs})

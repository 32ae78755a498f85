"""The one place that builds tenant-scoped querysets.

Every tenant-owned model names the path to its jurisdiction in ``tenant_field`` ("jurisdiction",
or e.g. "cycle__jurisdiction") and uses it for its django-scopes manager
(``objects = ScopedManager(jurisdiction=tenant_field)``). The scope is what enforces tenancy: under
/<jurisdiction>/ TenantMiddleware runs the view inside ``scope(jurisdiction=...)``, so every query of
a tenant-owned model returns this tenant's rows only, and a query with no scope open raises
``django_scopes.ScopeError``. These helpers name the tenant explicitly on top of that, so they give
the same rows inside a tenant's request and in code that runs with scopes disabled (a task or a
command handling one jurisdiction).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from .models import Jurisdiction

M = TypeVar("M", bound=Model)


def tenant_of(request_or_jurisdiction: HttpRequest | Jurisdiction) -> Jurisdiction:
    if isinstance(request_or_jurisdiction, Jurisdiction):
        return request_or_jurisdiction
    jurisdiction = getattr(request_or_jurisdiction, "jurisdiction", None)
    if jurisdiction is None:
        raise Http404
    return jurisdiction


def scoped(request_or_jurisdiction: HttpRequest | Jurisdiction, model: type[M]) -> QuerySet[M]:
    field = getattr(model, "tenant_field", None)
    if field is None:
        raise TypeError(f"{model.__name__} declares no tenant_field")
    return model._default_manager.filter(**{field: tenant_of(request_or_jurisdiction)})


def get_scoped_or_404(request_or_jurisdiction: HttpRequest | Jurisdiction, model: type[M], **lookup) -> M:
    obj = scoped(request_or_jurisdiction, model).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj

"""The one place that builds tenant-scoped querysets.

Every tenant-owned model names the path to its jurisdiction in ``tenant_field`` ("jurisdiction",
or e.g. "cycle__jurisdiction"); views ask for ``scoped(request, Model)`` and never query an
unscoped manager.
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

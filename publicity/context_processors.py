"""The notices now running, for the site home and a jurisdiction's home (templates include
publicity/_running.html), without the lower apps importing this one. Read only when a page uses it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .notices import running_notices as running


def running_notices(request: HttpRequest) -> dict:
    jurisdiction = getattr(request, "jurisdiction", None)
    return {"running_notices": SimpleLazyObject(lambda: running(jurisdiction))}

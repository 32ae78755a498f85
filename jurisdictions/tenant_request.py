"""The request a tenant's view receives, as the type checker sees it.

Typing only: TenantMiddleware sets `jurisdiction` on every request (None outside a /<jurisdiction>/
URL, the tenant inside one), and the views under /<jurisdiction>/ annotate `request` with these
classes so `request.jurisdiction` reads as the Jurisdiction it is. No request is ever built from them.
"""

from __future__ import annotations

from typing import TypeGuard

from django.contrib.auth.models import User
from django.http import HttpRequest

from .models import Jurisdiction


class TenantRequest(HttpRequest):
    """A request inside a jurisdiction's URLs; the user may still be anonymous."""

    jurisdiction: Jurisdiction


class SignedInRequest(TenantRequest):
    """A tenant request behind role_required (or a signed-in check): the user is a real account."""

    user: User


def is_signed_in(request: TenantRequest) -> TypeGuard[SignedInRequest]:
    """`request.user.is_authenticated`, telling the type checker the request is a SignedInRequest."""
    return request.user.is_authenticated

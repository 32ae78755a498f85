"""Who may open a tenant's pages. Anything a user may not see answers 404, never 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from .models import Jurisdiction, Membership

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])

# A user's roles by jurisdiction slug, kept on the user object for the rest of the request.
_ROLES_CACHE = "_roles_cache"


def roles_in(user: User | AnonymousUser, jurisdiction: Jurisdiction) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache: dict[str, set[str]] | None = getattr(user, _ROLES_CACHE, None)
    if cache is None:
        cache = {}
        for slug, role in Membership.objects.filter(user=user).values_list("jurisdiction__slug", "role"):
            cache.setdefault(slug, set()).add(role)
        setattr(user, _ROLES_CACHE, cache)
    return cache.get(jurisdiction.slug, set())


def has_role(user: User | AnonymousUser, jurisdiction: Jurisdiction, *roles: str) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return bool(roles_in(user, jurisdiction) & set(roles))


def role_required(*roles: str) -> Callable[[_View], _View]:
    """Anonymous users go to the tenant's login; users without the role get 404."""

    def decorator(view: _View) -> _View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            # TenantMiddleware sets the attribute on every request: None outside a tenant's URLs.
            jurisdiction: Jurisdiction | None = getattr(request, "jurisdiction", None)
            if jurisdiction is None:
                raise Http404
            if not request.user.is_authenticated:
                login_url = reverse("login", kwargs={"jurisdiction": jurisdiction.slug})
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            if not has_role(request.user, jurisdiction, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        return cast(_View, wrapper)  # wraps() keeps the view's name and signature

    return decorator

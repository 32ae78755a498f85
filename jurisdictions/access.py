"""Who may open a tenant's pages. Anything a user may not see answers 404, never 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from .models import Jurisdiction, Membership


def roles_in(user: AbstractBaseUser | AnonymousUser, jurisdiction: Jurisdiction) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = {}
        for slug, role in Membership.objects.filter(user=user).values_list("jurisdiction__slug", "role"):
            cache.setdefault(slug, set()).add(role)
        user._roles_cache = cache
    return cache.get(jurisdiction.slug, set())


def has_role(user, jurisdiction: Jurisdiction, *roles: str) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return bool(roles_in(user, jurisdiction) & set(roles))


def role_required(*roles: str) -> Callable:
    """Anonymous users go to the tenant's login; users without the role get 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            jurisdiction = request.jurisdiction
            if jurisdiction is None:
                raise Http404
            if not request.user.is_authenticated:
                login_url = reverse("login", kwargs={"jurisdiction": jurisdiction.slug})
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            if not has_role(request.user, jurisdiction, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

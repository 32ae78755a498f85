"""The public pages (the site home, a jurisdiction's home, its rules) served from the cache.

They are the same for every visitor who is not signed in, and they change only when a rule profile
version is loaded or edited, a jurisdiction's or a criteria set's row changes, or the day changes
(a version taking effect). So the rendered page is kept in the cache (Redis in production) under a
key made of the path, the language, the day and a fingerprint of the profile versions (their
number, newest id and latest load time, read in one small query); a change to any of them makes a
new key, so the old page is never served again. Saving a jurisdiction or a criteria set (which the
fingerprint does not see) bumps a generation number that is part of the key too.

Each page carries a weak ETag and a Last-Modified date and is answered with 304 Not Modified to a
conditional request that still matches. The CSRF token is the visitor's own: the cached page holds
a placeholder that is replaced with the visitor's token on every response, and a 304 is answered
only to a visitor who has the CSRF cookie its copy's token was made from. Signed-in visitors, and a
visitor with a message waiting, get the page rendered for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__public_page_csrf_token__"
GENERATION_KEY = "public-pages:generation"
TIMEOUT_SECONDS = 24 * 3600
_RENDER_FOR_CACHE = "_public_page_for_cache"


def _profile_fingerprint() -> str:
    from .models import RuleProfile

    found = RuleProfile.objects.aggregate(n=Count("pk"), newest=Max("pk"), loaded=Max("loaded_at"))
    loaded = found["loaded"].timestamp() if found["loaded"] else 0
    return f"{found['n']}.{found['newest']}.{loaded}"


def _key(request: HttpRequest) -> str:
    generation = cache.get(GENERATION_KEY, 0)
    jurisdiction = getattr(request, "jurisdiction", None)
    tenant = f"{jurisdiction.pk}.{jurisdiction.name_zh}.{jurisdiction.name_en}" if jurisdiction else "-"
    raw = "|".join([
        str(generation), _profile_fingerprint(), tenant, dt.date.today().isoformat(), get_language() or "",
        request.get_full_path(),
    ])
    return "public-page:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not len(get_messages(request))


def public_render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """render(), except that a page made for the cache carries the CSRF placeholder, not a token."""
    if getattr(request, _RENDER_FOR_CACHE, False):
        context = {**context, "csrf_token": CSRF_PLACEHOLDER}
    return render(request, template, context)


def _served(request: HttpRequest, entry: dict) -> HttpResponse:
    if settings.CSRF_COOKIE_NAME in request.COOKIES:
        not_modified = get_conditional_response(request, etag=entry["etag"], last_modified=entry["last_modified"])
        if not_modified is not None:
            patch_vary_headers(not_modified, ["Cookie"])
            return not_modified
    response = HttpResponse(entry["content"].replace(CSRF_PLACEHOLDER, get_token(request)),
                            content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    # Anyone may keep it, but must ask again before showing it: the answer is usually a 304.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view`'s page from the cache to visitors who are not signed in (see the module's doc)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        entry = cache.get(key)
        if entry is None:
            setattr(request, _RENDER_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDER_FOR_CACHE, False)
            if response.status_code != 200 or response.streaming:
                return response
            content = response.content.decode(response.charset)
            entry = {
                "content": content,
                "content_type": response["Content-Type"],
                "etag": 'W/"' + hashlib.sha256(content.encode("utf-8")).hexdigest()[:32] + '"',
                "last_modified": int(dt.datetime.now(tz=dt.UTC).timestamp()),
            }
            cache.set(key, entry, TIMEOUT_SECONDS)
        return _served(request, entry)

    return wrapper


def forget_public_pages(**_kwargs) -> None:
    """Signal receiver: a jurisdiction or criteria set changed, so no cached public page is used again."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)

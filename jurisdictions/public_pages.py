"""The public pages (the site home, a jurisdiction's home, its rules) served from the cache.

They are the same for every visitor who is not signed in, and they change only when a rule profile
version is loaded or edited, a jurisdiction's or a criteria set's row changes, a notice or an
objection's outcome changes (publicity/page_cache.py), or the day changes (a version taking effect,
a notice ending at 24:00). Each of those saves bumps a generation number kept in the shared cache;
the rendered page is kept in the cache (Redis in production) under a key made of the generation,
the day, the language and the path, so a change makes a new key and the old page is never served
again.

When a notice is published the pages are hit hard, so each server process also keeps the pages it
served in its own memory, keyed by path, language and day, and serves them before the tenant is
even looked up (PublicPageMiddleware): no query and no round trip to Redis. A copy in memory is
trusted for LOCAL_SECONDS; after that one read of the generation says whether it is still current.
A change made in this process forgets the copies at once; a change made in another process reaches
this one within LOCAL_SECONDS.

Each page carries a weak ETag and a Last-Modified date and is answered with 304 Not Modified to a
conditional request that still matches. The public pages carry no CSRF token (the language switch
is a GET, jurisdictions/views_language.py), so one copy serves everyone and sets no cookie. A
cached page that does hold a form gets the visitor's own token in place of a placeholder on every
response, and a 304 only to a visitor who has the CSRF cookie its copy's token was made from. Signed-in visitors, and a
visitor with a message waiting, get the page rendered for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
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


LOCAL_SECONDS = 2.0
LOCAL_MAX_PAGES = 256


@dataclass
class _Copy:
    generation: int
    checked: float
    entry: dict


# This process's copies: (path, language, day) -> the page and the generation it was made under.
_local: OrderedDict[tuple[str, str, str], _Copy] = OrderedDict()
_local_lock = threading.Lock()


def _generation() -> int:
    return int(cache.get(GENERATION_KEY, 0))


def _local_key(request: HttpRequest) -> tuple[str, str, str]:
    return request.get_full_path(), get_language() or "", dt.date.today().isoformat()


def _key(generation: int, local_key: tuple[str, str, str]) -> str:
    raw = "|".join([str(generation), *local_key])
    return "public-page:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _remember(local_key: tuple[str, str, str], generation: int, entry: dict) -> None:
    with _local_lock:
        _local[local_key] = _Copy(generation, time.monotonic(), {**entry, "parts": _parts(entry["content"])})
        _local.move_to_end(local_key)
        while len(_local) > LOCAL_MAX_PAGES:
            _local.popitem(last=False)


def _local_copy(request: HttpRequest) -> dict | None:
    """This process's copy of the page, if it is still current (see the module's doc)."""
    local_key = _local_key(request)
    copy = _local.get(local_key)
    if copy is None:
        return None
    now = time.monotonic()
    if now - copy.checked >= LOCAL_SECONDS:
        if _generation() != copy.generation:
            with _local_lock:
                _local.pop(local_key, None)
            return None
        copy.checked = now
    return copy.entry


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
        # The page made for everyone carries no CSRF token of its own (base.html leaves out the htmx
        # header; the language switch is a GET); a form on it still gets the visitor's token in
        # place of the placeholder.
        context = {**context, "csrf_token": CSRF_PLACEHOLDER, "public_page": True}
    return render(request, template, context)


def _parts(content: str) -> list[bytes]:
    return content.encode("utf-8").split(CSRF_PLACEHOLDER.encode("ascii"))


def _served(request: HttpRequest, entry: dict) -> HttpResponse:
    parts = entry.get("parts") or _parts(entry["content"])
    # A page with no token in it is the same for everyone: any visitor's copy may be confirmed.
    tokenless = len(parts) == 1
    if tokenless or settings.CSRF_COOKIE_NAME in request.COOKIES:
        not_modified = get_conditional_response(request, etag=entry["etag"], last_modified=entry["last_modified"])
        if not_modified is not None:
            patch_vary_headers(not_modified, ["Cookie"])
            return not_modified
    # The page split at the token's places and encoded once (see _parts): joining bytes is cheap.
    body = parts[0] if tokenless else get_token(request).encode("ascii").join(parts)
    response = HttpResponse(body, content_type=entry["content_type"])
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
        generation, local_key = _generation(), _local_key(request)
        key = _key(generation, local_key)
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
        _remember(local_key, generation, entry)
        return _served(request, entry)

    wrapper.public_page = True  # type: ignore[attr-defined]
    return wrapper


class PublicPageMiddleware:
    """Serves this process's copy of a cached public page before the tenant is looked up.

    Placed before TenantMiddleware: its process_view sees the view the URL resolved to, and for a
    page made with cached_public_page and a visitor who is not signed in it answers from memory,
    so such a request makes no query at all. Anything else goes on down the chain untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict):
        if not getattr(view_func, "public_page", False) or not _cacheable(request):
            return None
        entry = _local_copy(request)
        return _served(request, entry) if entry is not None else None


def forget_local_copies() -> None:
    """Drop this process's copies (the shared cache keeps its own): for a cleared cache in tests."""
    with _local_lock:
        _local.clear()


def forget_public_pages(**_kwargs) -> None:
    """Signal receiver: a jurisdiction or criteria set changed, so no cached public page is used again."""
    forget_local_copies()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)

"""Failed-login throttling, counted per username and per client address in the shared cache.

A counter starts at the first failure and expires LOGIN_FAILURE_WINDOW_SECONDS later; reaching
LOGIN_FAILURE_LIMIT inside that window locks the username (or the address) until it expires. The
counters live in the Django cache (Redis in production) so every web worker sees the same count,
and ``incr`` is atomic there, so parallel guesses cannot slip past the limit.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

KEY_PREFIX = "login-failures"


def _digest(value: str) -> str:
    # Hashed so that any username is a safe cache key and no username sits in the cache in clear.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def username_key(username: str) -> str:
    return f"{KEY_PREFIX}:user:{_digest(username.strip().lower())}"


def address_key(address: str) -> str:
    return f"{KEY_PREFIX}:ip:{_digest(address)}"


def client_address(request: HttpRequest | None) -> str:
    """The peer address. X-Forwarded-For is not trusted: any client can forge it to dodge the limit."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""


def _keys(username: str, address: str) -> list[str]:
    keys = [username_key(username)]
    if address:
        keys.append(address_key(address))
    return keys


def failures(username: str, address: str = "") -> int:
    """The larger of the two counts: the one that decides whether the login is locked."""
    counts = cache.get_many(_keys(username, address))
    return max((int(v) for v in counts.values()), default=0)


def is_locked(username: str, address: str = "") -> bool:
    # One address may stand for a whole office behind a proxy, so it gets a larger allowance.
    counts = cache.get_many(_keys(username, address))
    if int(counts.get(username_key(username), 0)) >= settings.LOGIN_FAILURE_LIMIT:
        return True
    return bool(address) and int(counts.get(address_key(address), 0)) >= settings.LOGIN_FAILURE_ADDRESS_LIMIT


def record_failure(username: str, address: str = "") -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(username, address):
        # add() sets the expiry only when the window opens; incr() keeps it (Redis INCR keeps the TTL).
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            # The key expired between add() and incr(): open a fresh window with this failure.
            cache.add(key, 1, timeout=window)


def clear_username(username: str) -> None:
    """After a successful login. The address counter stays: one good account must not reset the
    count of guesses made against others from the same address."""
    cache.delete(username_key(username))


def lockout_message() -> str:
    minutes = math.ceil(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60)
    return _("登录失败次数过多，请%(minutes)d分钟后再试。") % {"minutes": minutes}

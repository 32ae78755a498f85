"""How many password-reset mails one account, and one client address, may ask for in a window.

Without a limit anyone could flood a user's mailbox, or the office's mail server, by pressing
"找回密码" over and over. The counters live in the shared cache (Redis in production) so every web
worker sees the same count; a request over the limit gets the same page as any other (whether an
address is known stays unsaid) and no mail.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

KEY_PREFIX = "reset-mails"


def _key(kind: str, value: str) -> str:
    # Hashed: any value is a safe cache key, and no address or user id sits in the cache in clear.
    return f"{KEY_PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _count(key: str) -> int:
    # add() opens the window with its expiry; incr() keeps it (Redis INCR keeps the TTL).
    cache.add(key, 0, timeout=settings.RESET_MAIL_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=settings.RESET_MAIL_WINDOW_SECONDS)
        return 1


def allow(jurisdiction_slug: str, user_id: int, address: str | None) -> bool:
    """Count one more reset mail for the account and the address; False when either is over."""
    per_account = _count(_key("user", f"{jurisdiction_slug}:{user_id}"))
    per_address = _count(_key("ip", address)) if address else 0
    return (per_account <= settings.RESET_MAIL_PER_ACCOUNT_LIMIT
            and per_address <= settings.RESET_MAIL_PER_ADDRESS_LIMIT)

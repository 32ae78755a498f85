"""Keeping the public objection form and the status lookup usable under abuse, with no outside service.

- Rate limits per client address, counted in the shared cache (Redis in production) so every web
  worker sees the same count, the same way as accounts/reset_mail_limits.py.
- A challenge on the form: a small sum to work out, issued in a signed token with the time the form
  was shown; a submission faster than a person can type, a wrong sum, a stale or reused token, or
  the hidden field a bot fills in is refused — and the form comes back with everything typed kept,
  so a genuine objector only answers a new sum and sends again.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

SALT = "publicity.objection-challenge"
MAX_AGE_SECONDS = 3 * 3600
KEY_PREFIX = "objection-limits"


def _key(kind: str, address: str) -> str:
    # Hashed: no client address sits in the cache in clear.
    return f"{KEY_PREFIX}:{kind}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def _count(key: str) -> int:
    window = settings.OBJECTION_LIMIT_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=window)
        return 1


def allow(kind: str, address: str | None) -> bool:
    """Count one more filing (or lookup) from the address; False once over its limit in the window."""
    if not address:
        return True
    limit = (settings.OBJECTION_FILINGS_PER_ADDRESS_LIMIT if kind == "filing"
             else settings.OBJECTION_LOOKUPS_PER_ADDRESS_LIMIT)
    return _count(_key(kind, address)) <= limit


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{nonce}:{answer}".encode()).hexdigest()[:24]


def issue() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, a + b), "t": int(time.time())}, salt=SALT)
    return Challenge(_("%(a)s 加 %(b)s 等于几？") % {"a": a, "b": b}, token)


def problem(token: str, answer: str, honeypot: str, *, now: float | None = None) -> str | None:
    """Why the submission is refused as likely spam (None: it passes). Spends the token on success."""
    now = time.time() if now is None else now
    if honeypot.strip():
        return _("提交未能完成，请核对后重新提交。")
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return _("验证已过期，请计算新的算式后重新提交（已填写的内容已保留）。")
    if now - data["t"] < settings.OBJECTION_MIN_FILL_SECONDS:
        return _("提交过快，请核对所填内容后重新提交。")
    try:
        given = int(answer.strip())
    except ValueError:
        return _("请填写算式的结果（数字）。")
    if _digest(data["n"], given) != data["d"]:
        return _("算式结果不正确，请重新计算（已填写的内容已保留）。")
    if not cache.add(f"{KEY_PREFIX}:spent:{data['n']}", 1, timeout=MAX_AGE_SECONDS):
        return _("这份表单已经提交过。")
    return None

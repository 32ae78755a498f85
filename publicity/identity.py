"""The objector's ID card number: checked, stored encrypted, shown masked.

An ID number is sensitive personal information (个人信息保护法 第二十八条). It is encrypted with
Fernet under the keys in settings.OBJECTION_ID_KEYS (the first encrypts; every key decrypts, so a
key can be rotated), and only its masked form is ever shown to anyone but the member of staff
handling the objection. It is never written to a log: callers pass it to these functions only.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from stdnum.cn import ric
from stdnum.exceptions import ValidationError


@cache
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    # No key configured (a local trial): one derived from the secret key, never shared with anything.
    derived = base64.urlsafe_b64encode(hashlib.sha256(("objection-id:" + secret).encode()).digest())
    return MultiFernet([Fernet(derived)])


def _box() -> MultiFernet:
    return _fernet(tuple(settings.OBJECTION_ID_KEYS), settings.SECRET_KEY)


def valid_id_number(value: str) -> str | None:
    """The compact ID number if its checksum, birth date and region code are right, else None."""
    try:
        return ric.validate(value.strip().upper())
    except ValidationError:
        return None


def encrypt(id_number: str) -> str:
    return _box().encrypt(id_number.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _box().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def mask(id_number: str) -> str:
    """The first three and last four characters, the rest hidden: 110***********002X."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]

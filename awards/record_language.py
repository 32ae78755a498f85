"""Records (reasons, events, reports) are written in the official language, whoever clicks.

An office user browsing in English must not turn the jurisdiction's record of a decision English.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.utils import translation

F = TypeVar("F", bound=Callable)


def in_record_language(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def record_text(message: str) -> str:
    """`message` (already marked for translation) in the record language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(translation.gettext(message))

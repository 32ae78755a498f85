"""Pick the English or Chinese field of a schema object for the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def bi(obj: object, field: str) -> str:
    """``{{ item|bi:"name" }}`` → ``item.name_en`` on the English site, else ``item.name_zh``.

    Falls back to the Chinese value where the English one is empty: a page in English with a
    Chinese name is better than a blank.
    """
    zh = getattr(obj, f"{field}_zh", "") or ""
    if (get_language() or "").startswith("en"):
        return getattr(obj, f"{field}_en", "") or zh
    return zh

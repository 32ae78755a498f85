"""Links to pages that another part of the site may not provide (yet): absent means no link, not a crash."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args, **kwargs) -> str:
    """``{% optional_url 'login' jurisdiction=jurisdiction.slug as login_url %}``; '' if it does not resolve."""
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""

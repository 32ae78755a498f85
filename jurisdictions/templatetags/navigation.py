"""``{% breadcrumbs %}``: the trail of the page being served (see jurisdictions/navigation.py)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from jurisdictions.navigation import trail

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumbs(context: template.Context) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return ""
    kwargs = dict(match.kwargs)
    jurisdiction = getattr(request, "jurisdiction", None)
    if jurisdiction is not None:
        # TenantMiddleware takes the tenant out of the view's arguments: put it back for reverse().
        kwargs["jurisdiction"] = jurisdiction.slug
    flat: dict = context.flatten()
    steps = trail(match.url_name, kwargs, flat)
    if not steps:
        return ""
    return render_to_string("_breadcrumbs.html", {"steps": steps[:-1], "here": steps[-1]})

"""``{% open_call jurisdiction as call %}``: the jurisdiction's call for applications now open (or
about to open), for the public homes' "申报" button.

All jurisdictions' calls are read in one query per page, however many cards the page shows. The
public homes are cached (jurisdictions/public_pages.py); a cycle saved (published, its dates moved,
closed) retires the cached copies on commit (awards/apps.py), and the call page itself checks the
clock, so a copy made before the deadline never lets anyone file after it.
"""

from __future__ import annotations

from django import template
from django.utils import timezone
from django_scopes import scopes_disabled

from awards.models import AwardCycle
from awards.states import CycleState

register = template.Library()

_KEY = "awards.open_calls"


@register.simple_tag(takes_context=True)
def open_call(context: template.Context, jurisdiction) -> AwardCycle | None:
    calls: dict[int, AwardCycle] | None = context.render_context.get(_KEY)
    if calls is None:
        now = timezone.now()
        calls = {}
        # The site home lists every jurisdiction, so the query names them itself.
        with scopes_disabled():
            rows = AwardCycle.objects.filter(state=CycleState.PUBLISHED, applications_close_at__gt=now) \
                .order_by("applications_close_at")
            for row in rows:
                calls.setdefault(row.jurisdiction_id, row)
        context.render_context[_KEY] = calls
    cycle = calls.get(getattr(jurisdiction, "pk", 0))
    if cycle is not None:
        # Read by the template: the call is published but applications open later.
        setattr(cycle, "is_upcoming", timezone.now() < cycle.applications_open_at)  # noqa: B010
    return cycle

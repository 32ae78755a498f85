"""The committee's answer to the workflow: has a closed round or deliberation decided this move?"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Round, RoundCandidate


def decided_by_committee(apps: list, to_state: str) -> dict[int, str]:
    """{application id: why not} for those with no closed round deciding `to_state` (one query)."""
    ids = [app.pk for app in apps]
    decided = set(
        RoundCandidate.objects.filter(application_id__in=ids, round__state=Round.State.CLOSED,
                                      decided_move=to_state).values_list("application_id", flat=True)
    )
    message = _("须先有评委会表决（或联席会议审议）的结果，才能作出这一决定。")
    return {pk: message for pk in ids if pk not in decided}

"""Checks on a review agency chosen for a cycle's review that come from records above the reviews
layer (Daqing 第三十四条: an agency on the credit blacklist is not engaged). Reviews imports none
of them: an app above registers its check here; a check answers why the agency may not serve, or None."""

from __future__ import annotations

from collections.abc import Callable

from awards.models import AwardCycle

from .models import ReviewAgency

AgencyCheck = Callable[[AwardCycle, ReviewAgency], str | None]
AGENCY_CHECKS: list[AgencyCheck] = []


def register_agency_check(check: AgencyCheck) -> None:
    if check not in AGENCY_CHECKS:
        AGENCY_CHECKS.append(check)


def agency_refusal(cycle: AwardCycle, agency: ReviewAgency) -> str | None:
    return next((problem for check in AGENCY_CHECKS if (problem := check(cycle, agency))), None)

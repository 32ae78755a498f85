"""A cycle's number of awards: the quotas per award and a jurisdiction's cap on their total.

Zhuji 第四条 caps the winners of a year at 10 across both awards; the quotas of a cycle are checked
against that cap when they are set (services.create_cycle), and the tally of winners and the
shortlist ("获奖总数", Binjiang 四（四）) read the effective number from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from jurisdictions.profile_schema import RuleProfileDoc

from .models import AwardCycle


@dataclass(frozen=True)
class TotalCap:
    """The most winners a year in all, with the article that says so."""

    places: int
    cite: str
    note_zh: str = ""


@dataclass(frozen=True)
class TotalAwards:
    """How many awards a cycle can give in all: the sum of its quotas, or the total cap if lower."""

    places: int
    quota_sum: int
    cap: TotalCap | None

    @property
    def capped_by_total(self) -> bool:
        return self.cap is not None and self.cap.places < self.quota_sum

    @property
    def cite(self) -> str:
        return self.cap.cite if self.cap is not None else ""


def total_cap(rules: RuleProfileDoc) -> TotalCap | None:
    cited = rules.quota_rules.total_cap
    if cited is None:
        return None
    return TotalCap(places=cited.value, cite=cited.cite, note_zh=cited.note_zh or "")


def quota_total_problem(rules: RuleProfileDoc, quotas: dict[str, int]) -> TotalCap | None:
    """The total cap the quotas exceed, or None when they respect it."""
    cap = total_cap(rules)
    if cap is not None and sum(quotas.values()) > cap.places:
        return cap
    return None


def default_quotas(rules: RuleProfileDoc, given: dict[str, int | None]) -> dict[str, int]:
    """The quotas with every award left unset filled in: its own ceiling, but no more than the
    total cap leaves after the quotas given (in the profile's award order). Zhuji's defaults are
    then 5 + 5, not 5 + 10 (第四条: 10 in all)."""
    quotas = {code: value for code, value in given.items() if value is not None}
    cap = total_cap(rules)
    room = cap.places - sum(quotas.values()) if cap is not None else None
    for award in rules.awards:
        if award.code in quotas:
            continue
        value = award.quota.value if room is None else max(min(award.quota.value, room), 0)
        quotas[award.code] = value
        if room is not None:
            room -= value
    return quotas


def total_awards(cycle: AwardCycle) -> TotalAwards:
    quota_sum = sum(q.quota for q in cycle.quotas.all())
    cap = total_cap(cycle.profile.typed)
    places = min(quota_sum, cap.places) if cap is not None else quota_sum
    return TotalAwards(places=places, quota_sum=quota_sum, cap=cap)

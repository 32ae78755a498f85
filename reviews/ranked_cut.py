"""Cutting a ranked list at a cap ("不超过 N") when scores may tie.

Used for the shortlist for site review and meant for every later ranked cut (vote quotas). Pure:
no database, no translation. Equal scores share a rank (1, 2, 2, 4): filing order, receipt
numbers or the order of the input never decide between equal scores. Where the last places are
contested by a group of equal scores that the cap cannot take whole, that group is reported as
tied and nobody in it is placed: "不超过" forbids taking them all, and only a rule of the text or a
recorded choice by the office may pick among them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cut(Generic[K]):
    ranks: dict[K, int]
    inside: list[K]
    tied: list[K] = field(default_factory=list)
    outside: list[K] = field(default_factory=list)
    # Places the tied group competes for (fewer than its size), its score and shared rank.
    places_left: int = 0
    tie_score: Decimal | None = None
    tie_rank: int | None = None

    @property
    def has_tie(self) -> bool:
        return bool(self.tied)


def ranked_score(score: Decimal | None) -> Decimal:
    """A score known to be there (a ranked row's, a total checked before): None is a programming error."""
    if score is None:
        raise ValueError("a ranked row has no score")
    return score


def decimal_places(value: Decimal) -> int:
    """How many places after the point a finite Decimal needs (1.50 needs one)."""
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{value} is not a finite number")
    return -exponent


def shared_ranks(scored: Sequence[tuple[K, Decimal]]) -> dict[K, int]:
    """Competition ranking, highest score first: equal scores share the better rank (1, 2, 2, 4)."""
    ordered = sorted(scored, key=lambda pair: pair[1], reverse=True)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if previous is None or score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


def cut_at_cap(scored: Sequence[tuple[K, Decimal]], cap: int | None) -> Cut[K]:
    """Split (key, score) pairs into those clearly inside the cap, a tied group straddling it, and
    those clearly outside. With no cap everyone is inside. Keys keep their input order within each
    part (the caller chooses a display order; it carries no meaning)."""
    if cap is not None and cap < 0:
        raise ValueError("cap must not be negative")
    ranks = shared_ranks(scored)
    keys = sorted((key for key, _score in scored), key=lambda key: ranks[key])
    if cap is None or len(keys) <= cap:
        return Cut(ranks=ranks, inside=keys)
    score_of = dict(scored)
    # The score of the first place beyond the cap decides: its whole group is in, out or tied.
    boundary = score_of[keys[cap]]
    above = [k for k in keys if score_of[k] > boundary]
    level = [k for k in keys if score_of[k] == boundary]
    below = [k for k in keys if score_of[k] < boundary]
    places = cap - len(above)
    if places == 0:
        return Cut(ranks=ranks, inside=above, outside=level + below)
    return Cut(ranks=ranks, inside=above, tied=level, outside=below, places_left=places,
               tie_score=boundary, tie_rank=ranks[level[0]])

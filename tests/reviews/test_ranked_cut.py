"""The one rule for cutting a ranked list at a cap: ties share a rank, and a tie straddling the cap
is never broken by the order of the input."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reviews.ranked_cut import cut_at_cap, shared_ranks


def test_equal_scores_share_the_better_rank_and_the_next_rank_skips():
    assert shared_ranks([("a", D(700)), ("b", D(650)), ("c", D(650)), ("d", D(600))]) == {
        "a": 1, "b": 2, "c": 2, "d": 4}


def test_ranks_compare_exact_values_not_rounded_ones():
    assert shared_ranks([("a", D("599.995")), ("b", D("600")), ("c", D("599.9950"))]) == {"b": 1, "a": 2, "c": 2}


def test_no_cap_or_enough_room_takes_everyone():
    pairs = [("a", D(1)), ("b", D(1))]
    assert cut_at_cap(pairs, None).inside == ["a", "b"]
    assert cut_at_cap(pairs, 2).inside == ["a", "b"]
    assert cut_at_cap(pairs, 2).has_tie is False


def test_a_tie_inside_the_cap_is_taken_whole():
    cut = cut_at_cap([("a", D(700)), ("b", D(650)), ("c", D(650)), ("d", D(600))], 3)
    assert (cut.inside, cut.tied, cut.outside) == (["a", "b", "c"], [], ["d"])


def test_a_tie_straddling_the_cap_is_reported_and_nobody_in_it_placed():
    pairs = [("d", D(600)), ("c", D(650)), ("a", D(700)), ("b", D(650)), ("e", D(650))]
    cut = cut_at_cap(pairs, 2)
    assert cut.inside == ["a"]
    assert cut.tied == ["c", "b", "e"]
    assert cut.outside == ["d"]
    assert (cut.places_left, cut.tie_score, cut.tie_rank) == (1, D(650), 2)


def test_the_input_order_of_tied_keys_never_changes_who_is_in():
    forward = cut_at_cap([("x", D(500)), ("y", D(500))], 1)
    backward = cut_at_cap([("y", D(500)), ("x", D(500))], 1)
    assert (forward.inside, set(forward.tied)) == (backward.inside, set(backward.tied)) == ([], {"x", "y"})


def test_a_tie_just_below_a_full_cap_is_simply_outside():
    cut = cut_at_cap([("a", D(9)), ("b", D(8)), ("c", D(7)), ("d", D(7))], 2)
    assert (cut.inside, cut.tied, cut.outside) == (["a", "b"], [], ["c", "d"])


def test_a_cap_of_zero_places_nobody_and_a_negative_cap_is_refused():
    assert cut_at_cap([("a", D(1))], 0).outside == ["a"]
    with pytest.raises(ValueError):
        cut_at_cap([("a", D(1))], -1)

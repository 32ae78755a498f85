"""Each jurisdiction's prize rules with the winner's history: repeat, cap, difference, bonus."""

from __future__ import annotations

import pytest

from honours.prizes import Claim, PastAward, decide
from jurisdictions.models import RuleProfile

pytestmark = pytest.mark.django_db


def rules(slug):
    return RuleProfile.objects.filter(jurisdiction__slug=slug).order_by("-effective_from").first().typed


def test_binjiang_first_awards_repeat_and_nomination_after_quality(loaded):
    r = rules("binjiang")
    assert decide(r, "quality", []).prize_cny == 200000
    assert decide(r, "nomination", []).prize_cny == 100000
    repeat = decide(r, "quality", [PastAward(2019, "quality", 200000)])
    assert (repeat.prize_cny, repeat.counts_in_quota) == (0, False)
    assert any(x["cite"] == "五（四）" for x in repeat.reasons)
    after = decide(r, "nomination", [PastAward(2018, "quality", 200000)])
    assert after.prize_cny == 0 and any(x["rule"] == "awards.nomination.no_prize_after" for x in after.reasons)
    again = decide(r, "nomination", [PastAward(2020, "nomination", 100000)])
    assert (again.prize_cny, again.counts_in_quota, again.honours) == (0, True, ["certificate", "title"])


def test_binjiang_higher_honour_bonus_is_the_highest_only_less_what_was_paid(loaded):
    r = rules("binjiang")
    both = decide(r, "quality", [], claims=[Claim("杭州市政府质量奖", False, 2025), Claim("浙江省政府质量奖", True, 2026)])
    assert (both.prize_cny, both.bonus_cny, both.claim_amounts) == (200000, 500000, [500000, 500000])
    national = decide(r, "quality", [], claims=[Claim("中国质量奖", False, 2026)], earlier_bonus_cny=500000)
    assert national.bonus_cny == 1500000
    assert any(x["rule"] == "higher_honours.highest_only" and x["cite"] == "五（五）" for x in national.reasons)


def test_lucheng_certificate_and_plaque_only(loaded):
    d = decide(rules("lucheng"), "quality", [])
    assert (d.prize_cny, d.honours) == (0, ["certificate", "plaque"])
    assert d.reasons[0]["cite"] == "office setting"


def test_keqiao_total_capped_and_same_award_never_paid_twice(loaded):
    r = rules("keqiao")
    assert decide(r, "quality", []).prize_cny == 200000
    upgraded = decide(r, "quality", [PastAward(2021, "nomination", 100000)])
    assert upgraded.prize_cny == 100000
    assert any(x["rule"] == "quota_rules.prize_cumulative_cap_cny" and x["cite"] == "第二十四条" for x in upgraded.reasons)
    twice = decide(r, "nomination", [PastAward(2021, "nomination", 100000)])
    assert twice.prize_cny == 0 and any(x["cite"] == "第二十四条" for x in twice.reasons)
    assert decide(r, "nomination", [PastAward(2020, "quality", 200000)]).prize_cny == 0


def test_zhuji_same_award_once_and_upgrade_pays_the_difference(loaded):
    r = rules("zhuji")
    assert decide(r, "innovation", []).prize_cny == 100000
    upgrade = decide(r, "quality", [PastAward(2024, "innovation", 100000)])
    assert upgrade.prize_cny == 100000
    assert any(x["rule"] == "quota_rules.upgrade_pays_difference" and x["cite"] == "第十四条" for x in upgrade.reasons)
    repeat = decide(r, "quality", [PastAward(2023, "quality", 200000)])
    assert (repeat.prize_cny, repeat.counts_in_quota) == (0, False)


def test_daqing_first_quality_award_only(loaded):
    r = rules("daqing")
    assert decide(r, "quality", []).prize_cny == 800000
    assert decide(r, "nomination", []).prize_cny == 0
    repeat = decide(r, "quality", [PastAward(2020, "quality", 800000)])
    assert repeat.prize_cny == 0 and all(x["cite"] == "第二十五条" for x in repeat.reasons)
    assert decide(r, "quality", [PastAward(2020, "nomination", 0)]).prize_cny == 800000


def test_no_higher_honours_in_a_profile_without_them(loaded):
    d = decide(rules("daqing"), "quality", [], claims=[Claim("中国质量奖", False, 2026)])
    assert d.bonus_cny == 0 and d.reasons[-1]["cite"] == "office setting"

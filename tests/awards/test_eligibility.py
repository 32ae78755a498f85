"""The eligibility engine against all five real profiles (no database: pure rule code)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from awards.eligibility import Facts, HistoryEntry, add_years, evaluate, failures, full_years_between
from jurisdictions.profile_schema import RuleProfileDoc

PROFILES = {
    path.parent.name: RuleProfileDoc.model_validate(json.loads(path.read_text(encoding="utf-8")))
    for path in Path(__file__).resolve().parents[2].glob("fixtures/rule_profiles/*/*.json")
}
CLOSE = dt.date(2026, 5, 31)


def perfect_facts(profile: RuleProfileDoc) -> Facts:
    values = {}
    for cond in profile.eligibility.conditions:
        test = cond.test.value
        if test.kind == "fact_true":
            values[test.fact] = True
        elif test.kind == "fact_false":
            values[test.fact] = False
        elif test.kind == "min_years":
            values[test.fact] = "2010-01-01"
        elif test.kind == "one_of":
            values[test.fact] = test.values[0]
    return Facts(values=values, recommenders=list(profile.eligibility.recommendation.value.recommenders))


def failed_rules(profile, facts, history=(), close=CLOSE, year=2026):
    return [r.rule for r in failures(evaluate(profile, facts, list(history), close, year))]


def test_all_five_profiles_are_present():
    assert sorted(PROFILES) == ["binjiang", "daqing", "keqiao", "lucheng", "zhuji"]


@pytest.mark.parametrize("slug", sorted(PROFILES))
def test_a_complete_applicant_passes_every_automatic_check(slug):
    profile = PROFILES[slug]
    results = evaluate(profile, perfect_facts(profile), [], CLOSE, 2026)
    assert failures(results) == []
    assert all(r.cite for r in results)
    # Manual conditions are left to staff, never passed silently.
    manual = [c.code for c in profile.eligibility.conditions if c.test.value.kind == "manual"]
    assert [r.rule.rsplit(".", 1)[1] for r in results if r.passed is None] == manual


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        (slug, cond.code)
        for slug, profile in sorted(PROFILES.items())
        for cond in profile.eligibility.conditions
        if cond.test.value.kind != "manual"
    ],
)
def test_each_automatic_condition_fails_alone(slug, code):
    profile = PROFILES[slug]
    facts = perfect_facts(profile)
    cond = next(c for c in profile.eligibility.conditions if c.code == code)
    test = cond.test.value
    if test.kind == "fact_true":
        facts.values[test.fact] = False
    elif test.kind == "fact_false":
        facts.values[test.fact] = True
    elif test.kind == "min_years":
        facts.values[test.fact] = "2026-06-01"  # after the close date
    elif test.kind == "one_of":
        facts.values[test.fact] = "quaternary"
    results = evaluate(profile, facts, [], CLOSE, 2026)
    bad = failures(results)
    # The same fact may feed two conditions (e.g. Daqing's spot checks); every failure names this fact.
    assert f"eligibility.conditions.{code}" in [r.rule for r in bad]
    assert all(r.cite == cond.test.cite for r in bad if r.rule.endswith(code))


@pytest.mark.parametrize(("slug", "years"), [("binjiang", 3), ("lucheng", 3), ("keqiao", 3), ("daqing", 3), ("zhuji", 2)])
def test_years_operating_counts_the_number_itself(slug, years):
    profile = PROFILES[slug]
    facts = perfect_facts(profile)
    facts.values["established"] = add_years(CLOSE, -years).isoformat()  # exactly N years at the close
    assert "eligibility.conditions.years_operating" not in failed_rules(profile, facts)
    facts.values["established"] = (add_years(CLOSE, -years) + dt.timedelta(days=1)).isoformat()
    assert failed_rules(profile, facts) == ["eligibility.conditions.years_operating"]
    text = failures(evaluate(profile, facts, [], CLOSE, 2026))[0].text
    assert f"满 {years - 1} 年" in text and f"{years}年以上（含本数）" in text


def test_binjiang_excellence_model_needs_a_full_year():
    profile = PROFILES["binjiang"]
    facts = perfect_facts(profile)
    facts.values["excellence_model_since"] = "2025-05-31"
    assert failed_rules(profile, facts) == []
    facts.values["excellence_model_since"] = "2025-06-01"
    assert failed_rules(profile, facts) == ["eligibility.conditions.excellence_model"]


def test_missing_facts_fail_with_a_clear_sentence():
    profile = PROFILES["keqiao"]
    facts = perfect_facts(profile)
    del facts.values["established"]
    facts.values["major_accidents_last_3_years"] = None
    bad = failures(evaluate(profile, facts, [], CLOSE, 2026))
    assert [r.rule for r in bad] == [
        "eligibility.conditions.years_operating",
        "eligibility.conditions.no_major_accidents",
    ]
    assert bad[0].text.startswith("未填写成立日期")
    assert bad[1].text.startswith("未声明")


@pytest.mark.parametrize(
    ("slug", "revoked_on", "close", "banned"),
    [
        ("binjiang", "2021-06-01", "2026-05-31", True),
        ("binjiang", "2021-06-01", "2026-06-01", False),
        ("lucheng", "2021-06-01", "2026-05-31", True),
        ("keqiao", "2021-06-01", "2026-05-31", True),
        ("zhuji", "2021-06-01", "2026-06-01", False),
        ("daqing", "2022-06-01", "2026-05-31", True),
        ("daqing", "2022-06-01", "2026-06-01", False),
    ],
)
def test_fraud_bans_run_from_the_revocation_date(slug, revoked_on, close, banned):
    profile = PROFILES[slug]
    history = [HistoryEntry(year=2019, award="quality", revoked="fraud", revoked_on=dt.date.fromisoformat(revoked_on))]
    rules = failed_rules(profile, perfect_facts(profile), history, dt.date.fromisoformat(close))
    assert rules == (["bans.fraud"] if banned else [])


def test_fraud_ban_lengths_are_read_from_each_profile():
    lengths = {slug: next(b for b in p.bans if b.trigger == "fraud_revocation").period.value.amount
               for slug, p in PROFILES.items()}
    assert lengths == {"binjiang": 5, "lucheng": 5, "keqiao": 5, "zhuji": 5, "daqing": 4}


def test_keqiao_incident_revocation_bars_three_years():
    profile = PROFILES["keqiao"]
    history = [HistoryEntry(year=2020, award="quality", revoked="incident", revoked_on=dt.date(2023, 6, 1))]
    assert failed_rules(profile, perfect_facts(profile), history) == ["bans.incident"]
    history = [HistoryEntry(year=2020, award="quality", revoked="incident", revoked_on=dt.date(2023, 5, 31))]
    assert failed_rules(profile, perfect_facts(profile), history) == []
    # Other profiles have no incident ban: the same history does not bar a Lucheng applicant.
    assert failed_rules(PROFILES["lucheng"], perfect_facts(PROFILES["lucheng"]), history) == []


@pytest.mark.parametrize(("award_year", "cycle_year", "banned"), [(2021, 2025, True), (2021, 2026, False), (2022, 2026, True)])
def test_binjiang_quality_winner_waits_five_years(award_year, cycle_year, banned):
    profile = PROFILES["binjiang"]
    history = [HistoryEntry(year=award_year, award="quality")]
    rules = failed_rules(profile, perfect_facts(profile), history, dt.date(cycle_year, 5, 31), cycle_year)
    assert rules == (["bans.after_quality_award"] if banned else [])


def test_binjiang_nomination_winner_need_not_wait():
    profile = PROFILES["binjiang"]
    history = [HistoryEntry(year=2025, award="nomination")]
    assert failed_rules(profile, perfect_facts(profile), history) == []


def test_recommendations_follow_each_profile():
    kq = PROFILES["keqiao"]
    assert failed_rules(kq, Facts(perfect_facts(kq).values, ["industry_association"])) == []
    assert failed_rules(kq, Facts(perfect_facts(kq).values, [])) == ["eligibility.recommendation"]
    zj = PROFILES["zhuji"]
    assert failed_rules(zj, Facts(perfect_facts(zj).values, ["town"])) == []  # industry authority only 如有
    assert failed_rules(zj, Facts(perfect_facts(zj).values, ["industry_authority"])) == ["eligibility.recommendation"]
    dq = PROFILES["daqing"]
    assert failed_rules(dq, Facts(perfect_facts(dq).values, ["town"])) == ["eligibility.recommendation"]
    lc = PROFILES["lucheng"]
    assert failed_rules(lc, Facts(perfect_facts(lc).values, [])) == []
    bj = PROFILES["binjiang"]
    assert failed_rules(bj, Facts(perfect_facts(bj).values, ["town"])) == ["eligibility.recommendation"]


def test_daqing_sector_and_export_notices():
    profile = PROFILES["daqing"]
    facts = perfect_facts(profile)
    facts.values["export_quality_notices_last_3_years"] = True
    facts.values["sector"] = None
    assert failed_rules(profile, facts) == [
        "eligibility.conditions.no_export_notices",
        "eligibility.conditions.sector",
    ]


def test_leap_day_anniversaries():
    assert add_years(dt.date(2020, 2, 29), 3) == dt.date(2023, 2, 28)
    assert full_years_between(dt.date(2020, 2, 29), dt.date(2023, 2, 28)) == 3
    assert full_years_between(dt.date(2020, 3, 1), dt.date(2023, 2, 28)) == 2

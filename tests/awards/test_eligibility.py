"""The eligibility engine against all five real profiles (no database: pure rule code)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from awards.eligibility import (
    Facts,
    HistoryEntry,
    add_years,
    evaluate,
    failed,
    failures,
    full_years_between,
    gaps,
)
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


def test_missing_facts_are_missing_not_failed():
    profile = PROFILES["keqiao"]
    facts = perfect_facts(profile)
    del facts.values["established"]
    facts.values["major_accidents_last_3_years"] = None
    facts.values["iso9001_certified"] = False
    results = evaluate(profile, facts, [], CLOSE, 2026)
    # Both still stand in the way of eligibility (passed is False), but as gaps, not as failures.
    assert [(r.rule, r.status) for r in failures(results)] == [
        ("eligibility.conditions.years_operating", "missing"),
        ("eligibility.conditions.iso9001", "failed"),
        ("eligibility.conditions.no_major_accidents", "missing"),
    ]
    assert [r.rule for r in gaps(results)] == [
        "eligibility.conditions.years_operating",
        "eligibility.conditions.no_major_accidents",
    ]
    assert [r.rule for r in failed(results)] == ["eligibility.conditions.iso9001"]
    assert gaps(results)[0].text == "未填写成立日期，无法判断“合法从事生产经营和服务业3年以上（含3年）”"
    assert gaps(results)[1].text == "未申报：近三年无重大质量、安全、环境污染、公共卫生等事故"
    assert gaps(results)[0].as_dict()["status"] == "missing" and gaps(results)[0].as_dict()["passed"] is False


@pytest.mark.parametrize("slug", sorted(PROFILES))
def test_every_profile_tells_missing_from_failed(slug):
    profile = PROFILES[slug]
    facts = perfect_facts(profile)
    facts.values["registered_in_jurisdiction"] = None
    results = {r.rule: r.status for r in evaluate(profile, facts, [], CLOSE, 2026)}
    assert results["eligibility.conditions.registered_in_jurisdiction"] == "missing"
    facts.values["registered_in_jurisdiction"] = False
    results = {r.rule: r.status for r in evaluate(profile, facts, [], CLOSE, 2026)}
    assert results["eligibility.conditions.registered_in_jurisdiction"] == "failed"


def test_a_recommendation_not_yet_obtained_is_a_gap():
    profile = PROFILES["daqing"]
    results = evaluate(profile, Facts(perfect_facts(profile).values, []), [], CLOSE, 2026)
    assert [(r.rule, r.status, r.text) for r in gaps(results)] == [
        ("eligibility.recommendation", "missing", "缺少推荐意见：县区政府（经县区市场监管部门）")
    ]


@pytest.mark.parametrize(
    ("slug", "close", "banned"),
    [
        # Revoked on 2021-05-31: the period starts 2021-06-01 and its last day is 2026-05-31 (民法典 第二百零一、二百零二条).
        ("binjiang", "2026-05-31", True),
        ("binjiang", "2026-06-01", False),
        ("lucheng", "2026-05-31", True),
        ("lucheng", "2026-06-01", False),
        ("keqiao", "2026-05-31", True),
        ("keqiao", "2026-06-01", False),
        ("zhuji", "2026-05-31", True),
        ("zhuji", "2026-06-01", False),
    ],
)
def test_fraud_bans_last_through_the_corresponding_date(slug, close, banned):
    profile = PROFILES[slug]
    history = [HistoryEntry(year=2019, award="quality", revoked="fraud", revoked_on=dt.date(2021, 5, 31))]
    results = evaluate(profile, perfect_facts(profile), history, dt.date.fromisoformat(close), 2026)
    ban = next(r for r in results if r.rule == "bans.fraud")
    assert ban.status == ("failed" if banned else "passed")
    if banned:
        assert ban.text.endswith("禁止申报至 2026-05-31（含）")
        assert ban.text.startswith("2021-05-31 被撤销2019年度奖项，")
    else:
        assert ban.text.startswith("2021-05-31 被撤销2019年度奖项，禁止申报至 2026-05-31（含），至截止日 2026-06-01 已届满：")


def test_keqiao_incident_ban_ends_on_its_last_day():
    profile = PROFILES["keqiao"]
    history = [HistoryEntry(year=2020, award="quality", revoked="incident", revoked_on=dt.date(2023, 5, 31))]
    assert failed_rules(profile, perfect_facts(profile), history) == ["bans.incident"]
    assert failed_rules(profile, perfect_facts(profile), history, dt.date(2026, 6, 1)) == []
    history = [HistoryEntry(year=2020, award="quality", revoked="incident", revoked_on=dt.date(2023, 5, 30))]
    assert failed_rules(profile, perfect_facts(profile), history) == []
    # Other profiles have no incident ban: the same history does not bar a Lucheng applicant.
    history = [HistoryEntry(year=2020, award="quality", revoked="incident", revoked_on=dt.date(2023, 6, 1))]
    assert failed_rules(PROFILES["lucheng"], perfect_facts(PROFILES["lucheng"]), history) == []


def test_a_ban_from_a_leap_day_ends_on_the_last_day_of_february():
    profile = PROFILES["lucheng"]
    history = [HistoryEntry(year=2018, award="quality", revoked="fraud", revoked_on=dt.date(2020, 2, 29))]
    assert failed_rules(profile, perfect_facts(profile), history, dt.date(2025, 2, 28), 2025) == ["bans.fraud"]
    assert failed_rules(profile, perfect_facts(profile), history, dt.date(2025, 3, 1), 2025) == []


def test_founded_three_years_before_the_close_is_three_years_old():
    profile = PROFILES["lucheng"]
    facts = perfect_facts(profile)
    facts.values["established"] = "2023-05-31"
    assert failed_rules(profile, facts) == []
    facts.values["established"] = "2023-06-01"
    assert failed_rules(profile, facts) == ["eligibility.conditions.years_operating"]


@pytest.mark.parametrize(
    ("serious", "banned", "text"),
    [
        (True, True, "2023-03-01 被撤销2020年度奖项，认定情节严重，弄虚作假或采取其他不正当手段谋取政府质量奖，情节严重的，"
                     "取消其今后四年内申报资格：禁止申报至 2027-03-01（含）"),
        (False, False, "2023-03-01 被撤销2020年度奖项，认定情节不严重：弄虚作假或采取其他不正当手段谋取政府质量奖，情节严重的，"
                       "取消其今后四年内申报资格，本次不受该限制（第三十一条）"),
        (None, False, "2023-03-01 被撤销2020年度奖项，未认定情节严重：弄虚作假或采取其他不正当手段谋取政府质量奖，情节严重的，"
                      "取消其今后四年内申报资格，本次不受该限制（第三十一条）"),
    ],
)
def test_daqing_bans_only_cases_found_serious(serious, banned, text):
    profile = PROFILES["daqing"]
    history = [HistoryEntry(year=2020, award="quality", revoked="fraud", revoked_on=dt.date(2023, 3, 1), serious=serious)]
    ban = next(r for r in evaluate(profile, perfect_facts(profile), history, CLOSE, 2026) if r.rule == "bans.fraud")
    assert (ban.status, ban.cite, ban.text) == ("failed" if banned else "passed", "第三十一条", text)


def test_daqing_fraud_found_before_an_award_bars_when_serious():
    profile = PROFILES["daqing"]
    entry = HistoryEntry(year=2024, award=None, disqualified="fraud", disqualified_on=dt.date(2024, 10, 1), serious=True)
    ban = next(r for r in evaluate(profile, perfect_facts(profile), [entry], CLOSE, 2026) if r.rule == "bans.fraud")
    assert (ban.status, ban.text) == (
        "failed",
        "2024-10-01 因弄虚作假被取消2024年度评选资格（尚未授奖），认定情节严重，弄虚作假或采取其他不正当手段谋取政府质量奖，"
        "情节严重的，取消其今后四年内申报资格：禁止申报至 2028-10-01（含）",
    )
    assert failed_rules(profile, perfect_facts(profile), [entry], dt.date(2028, 10, 2), 2028) == []


@pytest.mark.parametrize("slug", ["binjiang", "lucheng", "keqiao", "zhuji"])
def test_fraud_found_before_an_award_does_not_trigger_bans_on_revoked_winners(slug):
    profile = PROFILES[slug]
    entry = HistoryEntry(year=2025, award=None, disqualified="fraud", disqualified_on=dt.date(2025, 10, 1), serious=True)
    ban = next(r for r in evaluate(profile, perfect_facts(profile), [entry], CLOSE, 2026) if r.rule == "bans.fraud")
    fraud_ban = next(b for b in profile.bans if b.code == "fraud")
    assert fraud_ban.triggered_by.value == ["revocation"]
    assert ban.status == "passed"
    assert ban.text.startswith("2025-10-01 被取消2025年度评选资格（尚未授奖）：")
    assert ban.text.endswith(f"该条只限制被撤销奖项的组织，本次不受该限制（{fraud_ban.triggered_by.cite}）")


@pytest.mark.parametrize(("slug", "years"), [("binjiang", 5), ("lucheng", 5), ("keqiao", 5), ("zhuji", 5), ("daqing", 4)])
def test_fraud_ban_lengths_are_read_from_each_profile(slug, years):
    # The engine bars for the profile's own number of years: through the corresponding day, not after.
    profile = PROFILES[slug]
    revoked = dt.date(2021, 9, 15)
    history = [HistoryEntry(year=2020, award="quality", revoked="fraud", revoked_on=revoked, serious=True)]
    last_day = add_years(revoked, years)
    for close, status in ((last_day, "failed"), (last_day + dt.timedelta(days=1), "passed")):
        results = evaluate(profile, perfect_facts(profile), history, close, close.year + 1)
        ban = next(r for r in results if r.rule == "bans.fraud")
        assert (ban.status, ban.cite) == (status, next(b for b in profile.bans if b.code == "fraud").period.cite)
        assert f"禁止申报至 {last_day.isoformat()}（含）" in ban.text


@pytest.mark.parametrize(("award_year", "cycle_year", "banned"), [(2021, 2025, True), (2021, 2026, False), (2022, 2026, True)])
def test_binjiang_quality_winner_waits_five_years(award_year, cycle_year, banned):
    profile = PROFILES["binjiang"]
    history = [HistoryEntry(year=award_year, award="quality")]
    rules = failed_rules(profile, perfect_facts(profile), history, dt.date(cycle_year, 5, 31), cycle_year)
    assert rules == (["bans.after_quality_award"] if banned else [])


def test_binjiang_winner_wait_names_the_last_barred_year():
    profile = PROFILES["binjiang"]
    history = [HistoryEntry(year=2021, award="quality")]
    ban = failures(evaluate(profile, perfect_facts(profile), history, dt.date(2025, 5, 31), 2025))[0]
    assert ban.text == ("2021年已获该奖，获得区政府质量奖的组织，自获奖年度起5年后方可再次申请："
                        "禁止申报至 2025 年度（含），2026年起方可再次申请")


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

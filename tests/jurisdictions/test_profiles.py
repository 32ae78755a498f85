"""Rule profiles: every fixture validates, broken ones are refused with the path of the bad value,
the database never holds a malformed profile, edits keep history, and the key rules are exact."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from jurisdictions.loading import load_jurisdictions, load_profile_file
from jurisdictions.models import RuleProfile
from jurisdictions.profile_schema import OFFICE_SETTING, RuleProfileDoc, Threshold
from jurisdictions.profile_validation import (
    ProfileInvalid,
    criteria_codes_in,
    parse_profile,
    validate_criteria_document,
    validate_profile_document,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PROFILE_FILES = sorted((FIXTURES / "rule_profiles").glob("*/*.json"))
CRITERIA_FILE = FIXTURES / "criteria" / "gbt19580_2012.json"
KNOWN_CRITERIA = criteria_codes_in(FIXTURES / "criteria")
SLUGS = ["binjiang", "lucheng", "keqiao", "zhuji", "daqing"]


def raw(slug: str) -> dict[str, Any]:
    (path,) = (FIXTURES / "rule_profiles" / slug).glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def typed(slug: str) -> RuleProfileDoc:
    return parse_profile(raw(slug), known_criteria=KNOWN_CRITERIA)


def paths_of(doc: Any) -> list[str]:
    profile, problems = validate_profile_document(doc, known_criteria=KNOWN_CRITERIA)
    assert profile is None or not problems
    return [p.path for p in problems]


# --- every fixture is valid ------------------------------------------------------------------
def test_there_is_one_profile_per_jurisdiction():
    assert sorted(p.parent.name for p in PROFILE_FILES) == sorted(SLUGS)
    assert sorted(KNOWN_CRITERIA) == ["gbt19580_2012"]


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.parent.name)
def test_fixture_profile_validates(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    profile, problems = validate_profile_document(doc, known_criteria=KNOWN_CRITERIA)
    assert problems == []
    assert profile is not None
    assert profile.jurisdiction == path.parent.name
    assert profile.version == path.stem


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.parent.name)
def test_fixture_profile_has_every_section(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    required = {name for name, field in RuleProfileDoc.model_fields.items() if field.is_required()}
    assert required <= set(doc)
    assert set(doc) <= set(RuleProfileDoc.model_fields)
    profile = parse_profile(doc, known_criteria=KNOWN_CRITERIA)
    assert [s.code for s in profile.stages][:5] == [
        "call", "application", "eligibility", "document_review", "site_review",
    ]
    assert [s.code for s in profile.stages][-3:] == ["committee", "publicity", "approval"]
    assert any(b.trigger == "fraud_revocation" for b in profile.bans)
    assert profile.post_award.fraud_consequences_zh.value


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.parent.name)
def test_every_office_setting_explains_itself(path):
    def walk(node: Any, where: str) -> list[str]:
        found = []
        if isinstance(node, dict):
            if node.get("cite") == "office setting" and not node.get("note_zh", "").strip():
                found.append(where)
            for key, child in node.items():
                found += walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                found += walk(child, f"{where}[{i}]")
        return found

    assert walk(json.loads(path.read_text(encoding="utf-8")), "$") == []


def test_criteria_validate():
    criteria, problems = validate_criteria_document(json.loads(CRITERIA_FILE.read_text(encoding="utf-8")))
    assert problems == []
    assert criteria.total_points == 1000
    assert [c.points for c in criteria.categories] == [110, 90, 90, 130, 100, 80, 400]
    assert len(criteria.items()) == 23


# --- broken profiles are refused with the path of the bad value ------------------------------
def _set(path: list, value: Any) -> Callable[[dict], None]:
    def mutate(doc: dict) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path: list) -> Callable[[dict], None]:
    def mutate(doc: dict) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def _rename(path: list, new: str) -> Callable[[dict], None]:
    def mutate(doc: dict) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[new] = node.pop(path[-1])

    return mutate


BROKEN = [
    # (id, base profile, mutation, the path that must be reported)
    ("wrong_type", "keqiao", _set(["awards", 0, "quota", "value"], "三"), "awards[0].quota.value"),
    ("bool_as_text", "keqiao", _set(["cycle", "fees", "value"], "no"), "cycle.fees.value"),
    ("missing_citation", "keqiao", _delete(["awards", 0, "prize_cny", "cite"]), "awards[0].prize_cny.cite"),
    ("empty_citation", "daqing", _set(["records", "retention_years", "cite"], " "), "records.retention_years.cite"),
    ("negative_quota", "keqiao", _set(["awards", 1, "quota", "value"], -1), "awards[1].quota.value"),
    ("negative_prize", "binjiang", _set(["awards", 0, "prize_cny", "value"], -200000), "awards[0].prize_cny.value"),
    ("unknown_lower_tier", "keqiao", _set(["awards", 1, "lower_tier_of"], "qualty"), "awards[1].lower_tier_of"),
    ("unknown_ban_award", "binjiang", _set(["bans", 0, "award"], "gold"), "bans[0].award"),
    ("unknown_upgrade_award", "zhuji", _set(["quota_rules", "upgrade_pays_difference", "value"], ["innovation", "gold"]),
     "quota_rules.upgrade_pays_difference.value[1]"),
    ("weights_not_one", "keqiao", _set(["scoring", "weights", "value", "document"], 0.3), "scoring.weights.value"),
    ("weight_above_one", "zhuji", _set(["scoring", "weights", "value", "site"], 1.7), "scoring.weights.value.site"),
    ("articleless_cite", "keqiao", _set(["vote", "quorum", "cite"], "见办法"), "vote.quorum.cite"),
    ("articleless_cite_binjiang", "binjiang", _set(["shortlist", "ratio", "cite"], "第四章"), "shortlist.ratio.cite"),
    ("office_setting_without_note", "lucheng", _delete(["vote", "quorum", "note_zh"]), "vote.quorum.note_zh"),
    ("unknown_condition_kind", "keqiao", _set(["eligibility", "conditions", 0, "test", "value", "kind"], "fact_maybe"),
     "eligibility.conditions[0].test.value"),
    ("unknown_fact", "daqing", _set(["eligibility", "conditions", 0, "test", "value", "fact"], "has_website"),
     "eligibility.conditions[0].test.value.fact"),
    ("misspelt_key", "keqiao", _rename(["publicity", "period"], "peroid"), "publicity.peroid"),
    ("extra_top_level_key", "lucheng", _set(["comment"], "draft"), "comment"),
    ("missing_section", "keqiao", _delete(["records"]), "records"),
    ("missing_vote_section", "daqing", _delete(["vote"]), "vote"),
    ("shortlist_cap_without_ratio", "keqiao", _set(["shortlist", "rule", "value"], "cap_ratio_of_total_quota"),
     "shortlist.ratio"),
    ("shortlist_ratio_zero", "binjiang", _set(["shortlist", "ratio", "value"], 0), "shortlist.ratio.value"),
    ("duplicate_award_code", "keqiao", _set(["awards", 1, "code"], "quality"), "awards[1].code"),
    ("duplicate_condition_code", "zhuji", _set(["eligibility", "conditions", 1, "code"], "registered_in_jurisdiction"),
     "eligibility.conditions[1].code"),
    ("bad_counting_word", "zhuji", _set(["vote", "majority", "value", "counting"], "more_or_less"),
     "vote.majority.value.counting"),
    ("quorum_above_one", "keqiao", _set(["vote", "quorum", "value", "numerator"], 4), "vote.quorum.value"),
    ("secret_ballot_without_majority", "binjiang", _delete(["vote", "majority"]), "vote.majority"),
    ("total_cap_above_quotas", "zhuji", _set(["quota_rules", "total_cap", "value"], 20), "quota_rules.total_cap.value"),
    ("floor_above_total", "keqiao", _set(["awards", 0, "floors", "total", "value"], 1200), "awards[0].floors.total.value"),
    ("unknown_criteria", "keqiao", _set(["scoring", "criteria", "value"], "gbt19580_2099"), "scoring.criteria.value"),
    ("recommendation_without_recommenders", "zhuji",
     _set(["eligibility", "recommendation", "value", "recommenders"], []), "eligibility.recommendation.value.recommenders"),
    ("bad_date", "daqing", _set(["effective_from"], "2018-13-01"), "effective_from"),
    ("version_not_effective_year", "daqing", _set(["version"], "2019-11-01"), "version"),
    ("unknown_period_unit", "daqing", _set(["publicity", "period", "value", "unit"], "weeks"), "publicity.period.value.unit"),
    ("no_awards", "lucheng", _set(["awards"], []), "awards"),
]


@pytest.mark.parametrize(("base", "mutate", "path"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_profile_is_refused_with_its_path(base, mutate, path):
    doc = copy.deepcopy(raw(base))
    assert paths_of(doc) == []
    mutate(doc)
    profile, problems = validate_profile_document(doc, known_criteria=KNOWN_CRITERIA)
    assert profile is None
    assert path in [p.path for p in problems]
    assert all(p.message for p in problems)


def test_a_document_that_is_not_an_object_is_refused():
    assert paths_of([raw("keqiao")]) == ["$"]


def test_missing_citation_message_is_chinese_and_explains():
    doc = copy.deepcopy(raw("keqiao"))
    del doc["awards"][0]["prize_cny"]["cite"]
    with pytest.raises(ProfileInvalid) as exc:
        parse_profile(doc)
    (problem,) = exc.value.problems
    assert str(problem).startswith("awards[0].prize_cny.cite: 缺少引用条款（cite）")


# --- criteria ----------------------------------------------------------------------------------
def test_criteria_items_must_sum_to_their_category():
    doc = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    doc["categories"][0]["items"][0]["points"] += 5
    criteria, problems = validate_criteria_document(doc)
    assert criteria is None
    assert [p.path for p in problems] == ["categories[0].points"]
    assert "各评分项之和为 115，与类目分值 110 不符" in problems[0].message


def test_criteria_categories_must_sum_to_the_total():
    doc = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    doc["total_points"] = 999
    criteria, problems = validate_criteria_document(doc)
    assert criteria is None
    assert [p.path for p in problems] == ["total_points"]
    assert problems[0].message == "各类目之和为 1000，与总分 999 不符"


# --- the validate_profile command ------------------------------------------------------------
def _run(*files: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("validate_profile", *[str(f) for f in files], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_ok_for_one_file():
    out, err = _run(FIXTURES / "rule_profiles" / "daqing" / "2018-11-01.json")
    assert out == "ok\n"
    assert err == ""


def test_command_prints_ok_per_file_for_several():
    out, _err = _run(*PROFILE_FILES, CRITERIA_FILE)
    assert out.splitlines() == [f"ok {p}" for p in [*PROFILE_FILES, CRITERIA_FILE]]


def test_command_expands_a_folder():
    out, _err = _run(FIXTURES / "rule_profiles")
    assert len(out.splitlines()) == len(PROFILE_FILES)


def _write(tmp_path: Path, folder: str, name: str, text: str) -> Path:
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _refused(*files: Path) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("validate_profile", *[str(f) for f in files], stdout=out, stderr=err)
    assert exc.value.returncode == 1
    assert out.getvalue() == ""
    return err.getvalue().splitlines()


def test_command_reports_problems_as_path_and_message(tmp_path):
    doc = raw("keqiao")
    doc["awards"][0]["quota"]["value"] = -1
    path = _write(tmp_path, "keqiao", "2020-05-10.json", json.dumps(doc, ensure_ascii=False))
    assert _refused(path) == [
        "awards[0].quota.value: 数值过小（Input should be greater than or equal to 0）",
    ]


def test_command_reports_bad_json_syntax_clearly(tmp_path):
    path = _write(tmp_path, "keqiao", "2020-05-10.json", '{"schema_version": 1,\n  "jurisdiction": keqiao}')
    assert _refused(path) == ["$: JSON 语法错误：第 2 行第 19 列：Expecting value"]


def test_command_refuses_duplicate_json_keys(tmp_path):
    path = _write(tmp_path, "keqiao", "2020-05-10.json", '{"version": "2020-05-10", "version": "2021-01-01"}')
    assert _refused(path) == ["$: JSON 中键“version”重复出现"]


def test_command_checks_folder_against_jurisdiction(tmp_path):
    path = _write(tmp_path, "binjiang", "2020-05-10.json", json.dumps(raw("keqiao"), ensure_ascii=False))
    assert _refused(path) == ["jurisdiction: 文件位于文件夹“binjiang”，与 jurisdiction“keqiao”不符"]


def test_command_checks_file_name_against_version(tmp_path):
    path = _write(tmp_path, "keqiao", "2020.json", json.dumps(raw("keqiao"), ensure_ascii=False))
    assert _refused(path) == ["version: 文件名为“2020.json”，与 version“2020-05-10”不符（应为 2020-05-10.json）"]


def test_command_reports_a_missing_file(tmp_path):
    assert _refused(tmp_path / "keqiao" / "2030-01-01.json") == [f"$: 找不到文件 {tmp_path / 'keqiao' / '2030-01-01.json'}"]


def test_command_names_the_failing_file_among_several(tmp_path):
    bad = _write(tmp_path, "keqiao", "2020-05-10.json", "[]")
    good = FIXTURES / "rule_profiles" / "zhuji" / "2025-01-01.json"
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("validate_profile", str(good), str(bad), stdout=out, stderr=err)
    assert out.getvalue() == f"ok {good}\n"
    assert err.getvalue().splitlines() == [f"FAIL {bad}", "$: 规则配置应为 JSON 对象"]


def test_command_exits_non_zero_without_traceback(tmp_path):
    path = _write(tmp_path, "keqiao", "2020-05-10.json", "{not json")
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "validate_profile", str(path)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "$: JSON 语法错误：第 1 行第 2 列" in result.stderr
    assert result.stdout == ""


# --- the database never holds a malformed profile; edits keep history ------------------------
@pytest.mark.django_db
def test_all_profiles_load(loaded):
    assert {p.jurisdiction.slug: p.version for p in RuleProfile.objects.select_related("jurisdiction")} == {
        "binjiang": "2020-08-10",
        "lucheng": "2023-09-01",
        "keqiao": "2020-05-10",
        "zhuji": "2025-01-01",
        "daqing": "2018-11-01",
    }
    statuses = dict(RuleProfile.objects.values_list("jurisdiction__slug", "status"))
    assert statuses == {"binjiang": "in_force", "lucheng": "draft", "keqiao": "in_force", "zhuji": "draft",
                        "daqing": "in_force"}
    for profile in RuleProfile.objects.all():
        assert profile.criteria.code == "gbt19580_2012"
        assert profile.typed.jurisdiction == profile.jurisdiction.slug


@pytest.mark.django_db
def test_malformed_profile_never_reaches_the_database(loaded):
    keqiao = loaded["keqiao"]
    doc = raw("keqiao")
    doc["version"] = "2020-06-01"
    doc["awards"][0]["quota"] = {"value": -3, "cite": "第三条"}
    with pytest.raises(ProfileInvalid) as exc:
        RuleProfile(jurisdiction=keqiao, document=doc).save()
    assert [p.path for p in exc.value.problems] == ["awards[0].quota.value"]
    assert list(RuleProfile.objects.filter(jurisdiction=keqiao).values_list("version", flat=True)) == ["2020-05-10"]


@pytest.mark.django_db
def test_editing_with_a_malformed_document_keeps_the_stored_one(loaded):
    profile = loaded["keqiao"].profile_in_force(dt.date(2024, 1, 1))
    before = profile.history.count()
    profile.document = {**profile.document, "records": {"retention_years": {"value": 0, "cite": "第五条"}}}
    with pytest.raises(ProfileInvalid):
        profile.save()
    profile.refresh_from_db()
    assert profile.document["records"]["retention_years"]["value"] == 10
    assert profile.history.count() == before


@pytest.mark.django_db
def test_a_profile_of_another_jurisdiction_is_refused(loaded):
    with pytest.raises(ProfileInvalid) as exc:
        RuleProfile(jurisdiction=loaded["binjiang"], document={**raw("keqiao"), "version": "2020-05-11"}).save()
    assert [p.path for p in exc.value.problems] == ["jurisdiction"]
    assert RuleProfile.objects.filter(jurisdiction=loaded["binjiang"]).count() == 1


@pytest.mark.django_db
def test_editing_a_profile_keeps_history(loaded):
    profile = loaded["zhuji"].profile_in_force(dt.date(2025, 6, 1))
    doc = copy.deepcopy(profile.document)
    doc["publicity"]["period"] = {
        "value": {"amount": 10, "unit": "calendar_days"},
        "cite": "office setting",
        "note_zh": "实施细则规定公示10天",
    }
    profile.document = doc
    profile.save()
    records = list(profile.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[0].document["publicity"]["period"]["value"]["amount"] == 7
    assert records[1].document["publicity"]["period"]["value"]["amount"] == 10
    fresh = RuleProfile.objects.get(pk=profile.pk)
    assert fresh.typed.publicity.period.value.amount == 10


@pytest.mark.django_db
def test_profile_in_force_picks_by_effective_date(loaded):
    keqiao = loaded["keqiao"]
    doc = raw("keqiao")
    doc["version"] = doc["effective_from"] = "2026-01-01"
    doc["awards"][0]["quota"]["value"] = 4
    RuleProfile(jurisdiction=keqiao, document=doc).save()
    assert keqiao.profile_in_force(dt.date(2020, 5, 9)) is None
    assert keqiao.profile_in_force(dt.date(2020, 5, 10)).version == "2020-05-10"
    assert keqiao.profile_in_force(dt.date(2025, 12, 31)).version == "2020-05-10"
    assert keqiao.profile_in_force(dt.date(2026, 1, 1)).version == "2026-01-01"
    assert keqiao.profile_in_force(dt.date(2026, 1, 1)).typed.award("quality").quota.value == 4
    # The older version is untouched, so a cycle pinned to it keeps its rules.
    assert RuleProfile.objects.get(jurisdiction=keqiao, version="2020-05-10").typed.award("quality").quota.value == 3
    assert loaded["lucheng"].profile_in_force(dt.date(2023, 8, 31)) is None
    assert loaded["lucheng"].profile_in_force(dt.date(2023, 9, 1)).version == "2023-09-01"


# --- the key rules of each jurisdiction, exactly ----------------------------------------------
def test_binjiang_rules():
    p = typed("binjiang")
    assert p.effective_from == dt.date(2020, 8, 10)
    assert p.regulation.document_number == "区办〔2020〕4号"
    assert [(a.code, a.quota.value, a.prize_cny.value, a.lower_tier_of) for a in p.awards] == [
        ("quality", 5, 200000, None),
        ("nomination", 3, 100000, "quality"),
    ]
    assert p.awards[0].quota.cite == "一（三）"
    assert p.cycle.interval_years.value == 1
    assert (p.shortlist.rule.value, p.shortlist.rule.cite) == ("cap_ratio_of_total_quota", "四（四）")
    assert (p.shortlist.ratio.value, p.shortlist.ratio.cite) == (1.5, "四（四）")
    rec = p.eligibility.recommendation
    assert (rec.value.rule, rec.value.recommenders, rec.cite) == ("one_of", ["supervising_department"], "四（二）")
    wait = next(b for b in p.bans if b.trigger == "award_won")
    assert (wait.award, wait.period.value.amount, wait.period.value.unit, wait.counted_from, wait.period.cite) == (
        "quality", 5, "years", "award_year", "五（四）",
    )
    fraud = next(b for b in p.bans if b.trigger == "fraud_revocation")
    assert (fraud.period.value.amount, fraud.counted_from, fraud.period.cite) == (5, "revocation_date", "七（二）")
    quality, nomination = p.awards
    assert (quality.repeat_win.prize_cny.value, quality.repeat_win.counts_in_quota.value) == (0, False)
    assert (nomination.repeat_win.prize_cny.value, nomination.repeat_win.counts_in_quota.value) == (0, True)
    assert nomination.repeat_win.honours.value == ["certificate", "title"]
    assert [(b.level_zh, b.award_amount_cny, b.nomination_amount_cny) for b in p.higher_honours.bonuses.value] == [
        ("中国质量奖", 2000000, 1000000),
        ("浙江省政府质量奖", 1000000, 500000),
        ("杭州市政府质量奖", 500000, 250000),
    ]
    assert (p.higher_honours.highest_only.value, p.higher_honours.bonuses.cite) == (True, "五（五）")
    assert (p.post_award.annual_self_assessment_years.value, p.post_award.annual_self_assessment_years.cite) == (5, "七（三）")
    assert "3月前" in p.post_award.annual_self_assessment_due_zh.value
    assert (p.review.dismissed_reviewer_ban_years.value, p.review.dismissed_reviewer_ban_years.cite) == (5, "七（六）")
    assert (p.vote.method.value, p.vote.method.cite) == ("secret_ballot", "四（六）")
    assert p.vote.quorum.value is None and p.vote.quorum.is_office_setting
    assert p.vote.majority_basis.is_office_setting and p.vote.majority.is_office_setting
    assert p.vote.majority.value == Threshold(numerator=1, denominator=2, counting="more_than")
    assert (p.publicity.period.value.amount, p.publicity.period.value.unit, p.publicity.period.cite) == (
        7, "calendar_days", "四（七）",
    )
    assert p.scoring.weights.is_office_setting
    assert p.facts_needed >= {"registered_in_jurisdiction", "legal_person", "established", "excellence_model_since"}


def test_lucheng_rules():
    p = typed("lucheng")
    assert p.regulation.status == "draft"
    assert p.effective_from == dt.date(2023, 9, 1)
    assert [(a.code, a.quota.value, a.prize_cny.value, a.lower_tier_of) for a in p.awards] == [
        ("quality", 5, 0, None),
        ("innovation", 5, 0, None),
    ]
    # 第十五条 gives certificates and plaques and is silent on money: no prize is the office's reading.
    assert all(a.prize_cny.is_office_setting and "办法未规定奖金" in a.prize_cny.note_zh for a in p.awards)
    # The draft names no issuer (the district government is only a guess from the old 温鹿政发 number).
    assert p.regulation.issued_by_zh == ""
    assert [a.code for a in p.top_awards] == ["quality", "innovation"]
    rec = p.eligibility.recommendation
    assert (rec.value.rule, rec.value.recommenders, rec.cite) == ("none", [], "第十三条")
    assert {"local_tax", "qms_certified", "legal_person"} <= p.facts_needed
    qms = next(c for c in p.eligibility.conditions if c.code == "qms_certified")
    assert qms.test.cite == "第十一条（三）"
    assert (p.publicity.period.value.amount, p.publicity.period.cite) == (7, "第十四条（五）")
    (fraud,) = p.bans
    assert (fraud.period.value.amount, fraud.period.cite) == (5, "第十七条")
    assert (p.vote.method.value, p.vote.method.cite) == ("secret_ballot", "第十四条（四）")
    assert p.vote.quorum.value is None and p.vote.quorum.is_office_setting
    # 第十四条（二） says 反馈, not in writing; the written form is the office's.
    assert p.eligibility.written_reason_on_failure.is_office_setting
    assert p.publicity.confirmed_violation_disqualifies.is_office_setting
    assert p.objections.decided_by_zh.cite == "第十四条（五）"


def test_keqiao_rules():
    p = typed("keqiao")
    assert [(a.code, a.quota.value, a.prize_cny.value) for a in p.awards] == [
        ("quality", 3, 200000), ("nomination", 10, 100000),
    ]
    assert (p.scoring.weights.value.document, p.scoring.weights.value.site) == (0.2, 0.8)
    assert p.scoring.weights.cite == "第十八条"
    assert (p.award("quality").floors.total.value, p.award("quality").floors.site.value) == (600, 600)
    assert p.vote.quorum.value == Threshold(numerator=2, denominator=3, counting="at_least")
    assert (p.vote.majority_basis.value, p.vote.majority.value.counting) == ("present", "at_least")
    assert p.vote.cascade_to_lower_tier.value is True
    assert p.quota_rules.prize_cumulative_cap_cny.value == 200000
    assert p.review.site_report_deadline.value.unit == "working_days"
    assert p.publicity.period.is_office_setting
    # 第二十七条 asks for integrity and secrecy, 第二十六条 is about fraud, 第十九条 says 投票表决 only.
    assert p.review.recusal.is_office_setting and "第二十七条只要求" in p.review.recusal.note_zh
    assert p.publicity.confirmed_violation_disqualifies.is_office_setting
    assert "第二十六条针对的是骗取奖项" in p.publicity.confirmed_violation_disqualifies.note_zh
    assert (p.vote.method.value, p.vote.method.cite) == ("secret_ballot", OFFICE_SETTING)
    assert p.eligibility.return_for_completion.is_office_setting


def test_zhuji_rules():
    p = typed("zhuji")
    assert p.regulation.status == "draft"
    assert p.effective_from == dt.date(2025, 1, 1)
    assert "自印发之日起施行" in p.regulation.note_zh
    assert [(a.code, a.quota.value, a.prize_cny.value, a.lower_tier_of) for a in p.awards] == [
        ("quality", 5, 200000, None),
        ("innovation", 10, 100000, None),
    ]
    assert (p.quota_rules.total_cap.value, p.quota_rules.total_cap.cite) == (10, "第四条")
    assert [a.floors.total.value for a in p.awards] == [600, 550]
    assert {a.floors.total.cite for a in p.awards} == {"第十三条（六）"}
    assert p.quota_rules.upgrade_pays_difference.value == ["innovation", "quality"]
    assert p.quota_rules.same_award_paid_once.value is True
    assert [(a.repeat_win.prize_cny.value, a.repeat_win.counts_in_quota.value) for a in p.awards] == [
        (0, False), (0, False),
    ]
    years = next(c for c in p.eligibility.conditions if c.code == "years_operating").test.value
    assert (years.years, years.counting) == (2, "at_least")
    assert "export_quality_notices_last_3_years" in p.facts_needed
    rec = p.eligibility.recommendation
    assert (rec.value.rule, rec.value.recommenders, rec.value.optional_recommenders, rec.cite) == (
        "all_of", ["town", "industry_authority"], ["industry_authority"], "第十三条（二）",
    )
    assert (p.scoring.weights.value.document, p.scoring.weights.value.site) == (0.3, 0.7)
    assert p.scoring.weights.is_office_setting
    assert p.vote.quorum.value == Threshold(numerator=2, denominator=3, counting="at_least")
    assert (p.vote.majority_basis.value, p.vote.majority_basis.cite) == ("valid_votes", "第十三条（七）")
    assert p.vote.majority.value == Threshold(numerator=1, denominator=2, counting="at_least")
    assert (p.vote.tie_break.value, p.vote.tie_break.cite) == ("comprehensive_score", "第十三条（七）")
    assert (p.publicity.period.value.amount, p.publicity.period.is_office_setting) == (7, True)
    assert p.publicity.investigation_report_to_zh.value == "审委会主任"
    (fraud,) = p.bans
    assert (fraud.period.value.amount, fraud.period.cite) == (5, "第十八条")
    assert (p.post_award.revocation_window.value.amount, p.post_award.revocation_window.cite) == (2, "第十八条")


def test_zhuji_cites_only_what_its_text_says():
    p = typed("zhuji")
    # 第十三条（七）: 以投票表决方式 — whether the ballot is secret is the office's choice.
    assert (p.vote.method.value, p.vote.method.cite) == ("secret_ballot", OFFICE_SETTING)
    assert "未规定记名或无记名" in p.vote.method.note_zh
    # 第十六条 forbids acts that harm impartiality; it says nothing of recusal.
    assert p.review.recusal.is_office_setting and "办法未规定回避" in p.review.recusal.note_zh
    # 第十四条 pays each award once and the difference on an upgrade; it sets no per-organisation cap.
    assert p.quota_rules.prize_cumulative_cap_cny is None
    # The draft names no issuer; the recommender is named in 第十三条（二）'s own words.
    assert p.regulation.issued_by_zh == ""
    assert p.eligibility.recommendation.value.names_zh == {"town": "所在地镇乡（街道）人民政府"}
    assert p.eligibility.recommendation.value.names_en == {"town": "the local town or township (street) government"}
    assert all(a.honours.is_office_setting for a in p.awards)
    assert p.approval.announced_by_zh.is_office_setting


def test_daqing_rules():
    p = typed("daqing")
    assert p.effective_from == dt.date(2018, 11, 1)
    assert (p.cycle.interval_years.value, p.cycle.interval_years.cite) == (2, "第五条")
    assert [(a.code, a.quota.value, a.prize_cny.value, a.lower_tier_of) for a in p.awards] == [
        ("quality", 5, 800000, None),
        ("nomination", 7, 0, "quality"),
    ]
    assert (p.award("quality").repeat_win.prize_cny.value, p.award("quality").repeat_win.prize_cny.cite) == (
        0, "第二十五条",
    )
    assert (p.review.reviewers.value, p.review.reviewers.cite) == ("third_party_agency", "第八条（三）")
    rec = p.eligibility.recommendation
    assert (rec.value.rule, rec.value.recommenders, rec.cite) == ("all_of", ["county_government"], "第十二条")
    assert "县区市场监管部门" in rec.value.via_zh
    assert (p.eligibility.return_for_completion.value, p.eligibility.return_for_completion.cite) == (True, "第十三条")
    sector = next(c for c in p.eligibility.conditions if c.code == "sector").test
    assert (sector.value.kind, sector.value.values, sector.cite) == ("one_of", ["primary", "secondary", "tertiary"], "第十条（九）")
    assert {"administrative_penalties_last_3_years", "export_quality_notices_last_3_years"} <= p.facts_needed
    assert (p.vote.method.value, p.vote.method.cite) == ("deliberation", "第十七条")
    assert p.vote.quorum.value is None and p.vote.majority is None and p.vote.majority_basis is None
    assert (p.publicity.period.value.amount, p.publicity.period.value.unit, p.publicity.period.cite) == (
        7, "calendar_days", "第十八条",
    )
    o = p.objections
    assert (o.real_name_required.value, o.anonymous_accepted.value, o.real_name_required.cite) == (True, False, "第二十一条")
    assert o.person_requires.value == ["name", "id_number", "contact"]
    assert o.organization_requires.value == ["address", "contact", "seal"]
    assert (o.acceptance_decision_within.value.amount, o.acceptance_decision_within.value.unit) == (5, "working_days")
    assert (o.acceptance_decision_within.cite, o.written_receipt.value) == ("第二十二条", True)
    assert (o.candidate_silence_admits.value, o.objector_silence_withdraws.value, o.candidate_silence_admits.cite) == (
        True, True, "第二十三条",
    )
    (fraud,) = p.bans
    assert (fraud.period.value.amount, fraud.period.cite, fraud.discretionary.value) == (4, "第三十一条", True)
    assert (p.post_award.revocation_window.value.amount, p.post_award.revocation_window.cite) == (2, "第三十二条")
    assert (p.records.retention_years.value, p.records.retention_years.cite) == (10, "第三十六条")


def test_daqing_cites_only_what_its_text_says():
    p = typed("daqing")
    # 第三十二条 is mandatory and covers any accident or violation within two years: 撤销奖励, no 可以, no 情节严重.
    consequence = p.post_award.incident_consequences_zh
    assert consequence.cite == "第三十二条"
    assert consequence.value == "获奖两年内发生质量、安全、环保事故，以及违法、违纪、违规行为的，撤销奖励并公开通报"
    assert "可" not in consequence.value and "严重" not in consequence.value
    assert "不以情节严重为条件" in p.post_award.revocation_window.note_zh
    # 第二十条 takes objections on the award from anyone, with no publicity window.
    assert p.objections.accepted_from_zh.cite == "第二十条"
    assert "未将异议限定在公示期内" in p.objections.accepted_from_zh.note_zh
    # 第十六条 has the agency propose a list; neither it nor 第十七条 ranks by score or breaks ties.
    assert p.vote.ranking.is_office_setting and p.vote.tie_break.is_office_setting and p.vote.quorum.is_office_setting
    # 第三十一条 disqualifies for fraud only; other findings are the joint meeting's (第二十四条).
    assert p.publicity.confirmed_violation_disqualifies.is_office_setting


@pytest.mark.django_db
def test_a_sixth_jurisdiction_is_data_only(loaded, tmp_path):
    row = {
        "slug": "shangyu", "sort_order": 6, "name_zh": "绍兴市上虞区", "name_en": "Shangyu District, Shaoxing",
        "short_name_zh": "上虞", "award_name_zh": "上虞区政府质量奖", "award_name_en": "Shangyu Government Quality Award",
        "issuing_body_zh": "上虞区政府质量奖评审委员会办公室", "issuing_body_en": "Evaluation Office",
        "office_short_zh": "评审办",
    }
    rows = _write(tmp_path, "fixtures", "jurisdictions.json", json.dumps([row], ensure_ascii=False))
    doc = {**raw("keqiao"), "jurisdiction": "shangyu", "version": "2024-03-01", "effective_from": "2024-03-01"}
    path = _write(tmp_path, "shangyu", "2024-03-01.json", json.dumps(doc, ensure_ascii=False))
    assert _run(path) == ("ok\n", "")
    (shangyu,) = load_jurisdictions(rows)
    load_profile_file(path)
    assert shangyu.profile_in_force(dt.date(2024, 3, 1)).typed.award("quality").quota.value == 3
    assert shangyu.profile_in_force(dt.date(2024, 2, 29)) is None

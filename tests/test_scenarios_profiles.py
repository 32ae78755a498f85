"""run_scenario --profile: a scenario runs under the rule-profile version it is told to use."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError

from jurisdictions.models import RuleProfile
from tests.test_scenarios import run_file

SCENARIOS = Path(__file__).parent / "scenarios"

# One scenario per jurisdiction, with the version of that jurisdiction's profile in force today.
CURRENT = [
    ("binjiang_years_operating", "binjiang", "2020-08-10"),
    ("lucheng_direct_filing", "lucheng", "2023-09-01"),
    ("keqiao_iso9001", "keqiao", "2020-05-10"),
    ("zhuji_recommendation", "zhuji", "2025-01-01"),
    ("daqing_sector", "daqing", "2018-11-01"),
]


def expected(name: str) -> dict:
    return json.loads((SCENARIOS / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "slug", "version"), CURRENT, ids=[c[0] for c in CURRENT])
def test_explicit_current_version_gives_the_same_result_as_the_default(loaded, name, slug, version):
    close = dt.date.fromisoformat(json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))
                                  ["cycle"]["applications_close"])
    assert loaded[slug].profile_in_force(close).version == version
    result = run_file(SCENARIOS / f"{name}.json", "--profile", version)
    assert result["rule_profile"] == f"{slug}@{version}"
    assert result == expected(name)


def three_years(document: dict, version: str = "2030-01-01") -> dict:
    """A Zhuji revision that asks for 3 years of operation instead of 2."""
    doc = copy.deepcopy(document)
    doc["version"] = doc["effective_from"] = version
    cond = next(c for c in doc["eligibility"]["conditions"] if c["code"] == "years_operating")
    cond["text_zh"] = "正常运行3年以上（含3年）"
    cond["test"]["value"]["years"] = 3
    return doc


@pytest.fixture
def zhuji_three_years(loaded) -> RuleProfile:
    """A future Zhuji revision, loaded."""
    doc = three_years(loaded["zhuji"].rule_profiles.get(version="2025-01-01").document)
    profile = RuleProfile(jurisdiction=loaded["zhuji"], document=doc)
    profile.save()
    return profile


@pytest.mark.django_db
def test_profile_option_runs_under_another_version(zhuji_three_years, tmp_path):
    path = SCENARIOS / "zhuji_years_operating.json"
    # Without the option the version in force on the close date still decides.
    assert run_file(path) == expected("zhuji_years_operating")

    revised = run_file(path, "--profile", "2030-01-01")
    assert revised["rule_profile"] == "zhuji@2030-01-01"
    z1 = revised["applicants"]["Z1"]
    assert (z1["final_state"], z1["reasons"]) == ("ineligible", [{
        "rule": "eligibility.conditions.years_operating",
        "cite": "第十二条（一）",
        "text": "成立日期 2024-05-31，至截止日 2026-05-31 满 2 年，不满足“3年以上（含本数）”的要求",
    }])
    assert {ref: a["final_state"] for ref, a in revised["applicants"].items()} == {
        "Z1": "ineligible", "Z2": "ineligible", "Z3": "ineligible",
    }

    # The file's own "profile" key does the same, and the option overrides it.
    data = json.loads(path.read_text(encoding="utf-8"))
    data["profile"] = "2030-01-01"
    pinned = tmp_path / "pinned.json"
    pinned.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run_file(pinned)["rule_profile"] == "zhuji@2030-01-01"
    assert run_file(pinned, "--profile", "2025-01-01") == expected("zhuji_years_operating")


def profile_rows() -> list[tuple]:
    return list(RuleProfile.objects.order_by("pk").values_list("jurisdiction__slug", "version", "document"))


def write_json(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_profile_file_not_yet_loaded_runs_and_is_never_saved(loaded, tmp_path):
    """An office tries a new version from its file before loading it."""
    current = loaded["zhuji"].rule_profiles.get(version="2025-01-01")
    new_file = write_json(tmp_path / "zhuji-2030-01-01.json", three_years(current.document))
    before = profile_rows()

    revised = run_file(SCENARIOS / "zhuji_years_operating.json", "--profile", str(new_file))

    assert (revised["rule_profile"], revised["rule_profile_details"]) == ("zhuji@2030-01-01", {
        "version": "2030-01-01", "effective_from": "2030-01-01", "status": "draft", "loaded": False,
    })
    assert {ref: a["final_state"] for ref, a in revised["applicants"].items()} == {
        "Z1": "ineligible", "Z2": "ineligible", "Z3": "ineligible",
    }
    assert revised["applicants"]["Z1"]["reasons"][0]["text"] == (
        "成立日期 2024-05-31，至截止日 2026-05-31 满 2 年，不满足“3年以上（含本数）”的要求"
    )
    assert profile_rows() == before


@pytest.mark.django_db
def test_profile_file_with_a_loaded_version_stands_in_for_it_for_one_run(loaded, tmp_path):
    current = loaded["zhuji"].rule_profiles.get(version="2025-01-01")
    edited = write_json(tmp_path / "edited.json", three_years(current.document, version="2025-01-01"))
    before = profile_rows()

    revised = run_file(SCENARIOS / "zhuji_years_operating.json", "--profile", str(edited))

    assert (revised["rule_profile"], revised["rule_profile_details"]["loaded"]) == ("zhuji@2025-01-01", False)
    assert revised["applicants"]["Z1"]["final_state"] == "ineligible"
    assert profile_rows() == before
    assert run_file(SCENARIOS / "zhuji_years_operating.json") == expected("zhuji_years_operating")


@pytest.mark.django_db
def test_bad_profile_file_exits_with_a_message(loaded, tmp_path):
    scenario = SCENARIOS / "zhuji_years_operating.json"
    with pytest.raises(CommandError, match=r"missing.json: \$: 找不到文件"):
        run_file(scenario, "--profile", str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.json: \$: JSON 语法错误：第 1 行第 2 列"):
        run_file(scenario, "--profile", str(broken))
    doc = copy.deepcopy(loaded["zhuji"].rule_profiles.get(version="2025-01-01").document)
    del doc["awards"]
    with pytest.raises(CommandError, match=r"no-awards.json: awards: 缺少此项"):
        run_file(scenario, "--profile", str(write_json(tmp_path / "no-awards.json", doc)))
    keqiao = loaded["keqiao"].profile_in_force().document
    with pytest.raises(CommandError, match="the profile file is for 'keqiao', the scenario for 'zhuji'"):
        run_file(scenario, "--profile", str(write_json(tmp_path / "keqiao.json", keqiao)))
    assert RuleProfile.objects.count() == 5

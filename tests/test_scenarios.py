"""Every scenario under tests/scenarios/ runs through run_scenario and gives its expected output.

Expected outputs live beside each scenario as <name>.expected.json and are compared exactly; an
expected output of only {"error": message} is a run that must exit non-zero with that message.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from awards.models import Application, AwardCycle, Organization

SCENARIOS = sorted(p for p in (Path(__file__).parent / "scenarios").glob("*.json") if not p.name.endswith(".expected.json"))


def run_file(path: Path, *args: str) -> dict:
    out = io.StringIO()
    call_command("run_scenario", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def outcome_of(path: Path) -> dict:
    """What a run of the file gives: its output, or {"error": message} where the rules refuse it."""
    try:
        return run_file(path)
    except CommandError as refused:
        return {"error": str(refused)}


def test_there_are_at_least_three_scenarios_per_jurisdiction():
    per = {}
    for path in SCENARIOS:
        per.setdefault(json.loads(path.read_text(encoding="utf-8"))["jurisdiction"], []).append(path.name)
    assert {slug: len(names) >= 3 for slug, names in per.items()} == dict.fromkeys(
        ["binjiang", "daqing", "keqiao", "lucheng", "zhuji"], True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_gives_its_expected_output(loaded, path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    if set(expected) == {"error"}:
        # A scenario the rules refuse (no quorum, ...) exits non-zero with this message.
        with pytest.raises(CommandError) as refused:
            run_file(path)
        assert str(refused.value) == expected["error"]
    else:
        assert run_file(path) == expected
    # A what-if run leaves nothing behind.
    assert (AwardCycle.objects.count(), Application.objects.count(), Organization.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_unknown_jurisdiction_and_profile_version_exit_with_a_message(loaded, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"jurisdiction": "atlantis", "cycle": {"year": 2026, "applications_close": "2026-05-31"},
                               "applicants": [{"ref": "A1"}]}), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown jurisdiction 'atlantis'"):
        run_file(bad)
    with pytest.raises(CommandError, match="profile version '1999-01-01' not found"):
        run_file(SCENARIOS[0], "--profile", "1999-01-01")
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="invalid JSON"):
        run_file(bad)


@pytest.mark.django_db
def test_quotas_above_the_total_cap_exit_naming_the_article(loaded, tmp_path):
    """Zhuji 第四条: 10 winners a year in all, so quotas of 5 + 10 cannot be run."""
    scenario = json.loads((Path(__file__).parent / "scenarios" / "zhuji_review_floors.json").read_text(encoding="utf-8"))
    scenario["cycle"]["quotas"] = {"quality": 5, "innovation": 10}
    bad = tmp_path / "zhuji_quotas_5_10.json"
    bad.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"各奖项名额合计15家，超过获奖组织总数上限10家（第四条）"):
        run_file(bad)
    assert AwardCycle.objects.count() == 0


@pytest.mark.django_db
def test_a_malformed_committee_block_exits_naming_the_key(loaded, tmp_path):
    """More ballots than members present, a ballot naming someone not on the round's list, and
    ballots under a profile that decides by deliberation (Daqing 第十七条) are each refused."""
    base = Path(__file__).parent / "scenarios"
    keqiao = json.loads((base / "keqiao_committee_cascade.json").read_text(encoding="utf-8"))
    bad = tmp_path / "bad_committee.json"
    for change, message in (
        ({"present": 2, "rounds": {"quality": [{"K1": "yes"}] * 3}},
         r"committee\.present: .*不能表决（第十九条）"),
        ({"present": 12, "rounds": {"quality": [{"K1": "yes"}] * 13}},
         r"committee\.rounds\.quality: 13 ballots but 12 members present"),
        ({"present": 12, "rounds": {"quality": [{"K9": "yes"}]}},
         r"committee\.rounds\.quality\[0\]: K9 not on this round's list"),
        ({"present": 12, "rounds": {"quality": ["torn"]}},
         r"committee\.rounds\.quality\[0\]: a ballot is an object of marks"),
    ):
        scenario = {**keqiao, "committee": {**keqiao["committee"], **change}}
        bad.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(CommandError, match=message):
            run_file(bad)
    daqing = json.loads((base / "daqing_committee_deliberation.json").read_text(encoding="utf-8"))
    daqing["committee"] = {**daqing["committee"], "rounds": {"quality": [{"D1": "yes"}]}}
    bad.write_text(json.dumps(daqing, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"committee\.rounds: this profile decides by deliberation \(vote\.method, 第十七条\)"):
        run_file(bad)
    assert AwardCycle.objects.count() == 0

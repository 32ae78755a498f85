"""The eligibility parts of the profile schema: questions, materials, completion period, ban triggers,
and the one fact vocabulary everything else derives from."""

from __future__ import annotations

import copy
import json
import typing
from pathlib import Path

import pytest

from awards import forms_applicant
from awards.models import DECLARATION_FACTS, Organization
from jurisdictions.fact_vocabulary import FACT_NAMES, FACTS
from jurisdictions.profile_schema import FactName
from jurisdictions.profile_validation import validate_profile_document
from orchestration import scenario

ROOT = Path(__file__).resolve().parents[2]
DOCS = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in ROOT.glob("fixtures/rule_profiles/*/*.json")}


def problems(doc) -> list[str]:
    _profile, found = validate_profile_document(doc)
    return [str(p) for p in found]


def test_the_five_profiles_are_valid():
    assert {slug: problems(doc) for slug, doc in DOCS.items()} == {slug: [] for slug in DOCS}


def test_a_yes_no_condition_without_its_question_is_refused():
    doc = copy.deepcopy(DOCS["lucheng"])
    cond = next(c for c in doc["eligibility"]["conditions"] if c["code"] == "no_major_accidents")
    index = doc["eligibility"]["conditions"].index(cond)
    del cond["question_zh"]
    assert problems(doc) == [
        f"eligibility.conditions[{index}].question_zh: 须写明向申报组织提出的问题（按本办法原文的措辞）"
    ]


def test_materials_must_include_the_recommendation_exactly_when_one_is_needed():
    doc = copy.deepcopy(DOCS["lucheng"])  # files directly: no recommendation
    doc["eligibility"]["required_materials"]["value"].append("recommendation")
    assert problems(doc) == [
        "eligibility.required_materials.value: 需要推荐的，申报材料须包括推荐意见（recommendation）；无需推荐的，不得列出"
    ]
    doc = copy.deepcopy(DOCS["daqing"])
    doc["eligibility"]["required_materials"]["value"].remove("recommendation")
    assert len(problems(doc)) == 1


def test_returning_for_completion_needs_a_period():
    doc = copy.deepcopy(DOCS["daqing"])
    del doc["eligibility"]["completion_period"]
    assert problems(doc) == ["eligibility.completion_period: 退回补正时必须规定补正期限"]


@pytest.mark.parametrize(
    ("slug", "change", "expected"),
    [
        ("lucheng", lambda ban: ban.pop("triggered_by"),
         "bans[0].triggered_by: 须写明由哪些记录触发（revocation / disqualification）及条款"),
        ("keqiao", lambda ban: ban["triggered_by"]["value"].append("disqualification"), None),
        ("binjiang", lambda ban: ban.update(triggered_by={"value": ["revocation"], "cite": "五（四）"}),
         "bans[0].triggered_by: 获奖后的限制不由撤销或取消资格触发，不应填写"),
    ],
)
def test_ban_triggers_are_checked(slug, change, expected):
    doc = copy.deepcopy(DOCS[slug])
    if slug == "keqiao":
        ban = next(b for b in doc["bans"] if b["code"] == "incident")
        expected = f"bans[{doc['bans'].index(ban)}].triggered_by.value: 取消评选资格只记录弄虚作假，不能触发事故撤销的限制"
    else:
        ban = doc["bans"][0]
    change(ban)
    assert problems(doc) == [expected]


def test_only_daqings_profile_lists_a_disqualification_among_the_fraud_ban_triggers():
    # The data, with its articles; what the engine makes of it is in tests/awards/test_eligibility.py.
    triggers = {slug: next(b for b in doc["bans"] if b["trigger"] == "fraud_revocation")["triggered_by"]
                for slug, doc in DOCS.items()}
    assert {slug: (t["value"], t["cite"]) for slug, t in triggers.items()} == {
        "binjiang": (["revocation"], "七（二）"),
        "lucheng": (["revocation"], "第十七条"),
        "keqiao": (["revocation"], "第二十六条"),
        "zhuji": (["revocation"], "第十八条"),
        "daqing": (["revocation", "disqualification"], "第三十一条"),
    }


def test_required_materials_follow_each_article():
    assert {slug: (doc["eligibility"]["required_materials"]["value"], doc["eligibility"]["required_materials"]["cite"])
            for slug, doc in DOCS.items()} == {
        "binjiang": (["self_assessment", "recommendation", "evidence"], "四（二）"),
        "lucheng": (["self_assessment", "evidence"], "第十三条"),
        "keqiao": (["self_assessment", "recommendation", "evidence"], "第十四条"),
        "zhuji": (["self_assessment", "recommendation", "evidence"], "第十三条（二）"),
        "daqing": (["recommendation", "evidence"], "第十二条"),
    }
    assert DOCS["keqiao"]["eligibility"]["paper_copies"]["value"] == 2


def test_daqing_export_question_sets_no_period():
    cond = next(c for c in DOCS["daqing"]["eligibility"]["conditions"] if c["code"] == "no_export_notices")
    assert "3年" not in cond["question_zh"] and "3年" not in cond["test"].get("note_zh", "").replace("不限于近3年", "")


def test_the_fact_vocabulary_is_the_one_definition():
    # The schema's names, the record's fields and every derived map come from fact_vocabulary.py.
    assert typing.get_args(FactName) == FACT_NAMES
    fields = {f.name for f in Organization._meta.get_fields()}
    for fact in FACTS:
        for name in filter(None, (fact.record_field, *fact.extra_fields)):
            assert name in fields, (fact.name, name)
    assert tuple(f.name for f in FACTS if f.declaration) == DECLARATION_FACTS
    assert set(forms_applicant.FACT_FIELDS) == {f.name for f in FACTS if f.record_field}
    assert set(scenario.FACT_FIELDS) == {f.name for f in FACTS if f.kind in ("yes_no", "sector")}

"""Profile versions compared: the diff, the diff_profiles command and the public changes page."""

from __future__ import annotations

import copy
import io
import json
import typing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from pydantic import BaseModel

from jurisdictions.models import RuleProfile
from jurisdictions.profile_diff import diff_profiles
from jurisdictions.profile_diff_labels import FIELDS, SECTIONS, UNLABELLED
from jurisdictions.profile_schema import RuleProfileDoc

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rule_profiles"


def keqiao_doc() -> dict:
    return json.loads((FIXTURES / "keqiao" / "2020-05-10.json").read_text(encoding="utf-8"))


def revised(doc: dict) -> dict:
    """A new Keqiao version: quota 3 → 4, a condition added, the recusal rule's citation changed."""
    new = copy.deepcopy(doc)
    new["version"] = new["effective_from"] = "2027-01-01"
    next(a for a in new["awards"] if a["code"] == "quality")["quota"]["value"] = 4
    new["eligibility"]["conditions"].insert(1, {
        "code": "no_tax_arrears", "text_zh": "无欠缴税款", "text_en": "No tax arrears",
        "test": {"value": {"kind": "manual"}, "cite": "第十二条（二）"},
    })
    new["review"]["recusal"] = {"value": True, "cite": "第二十七条"}
    return new


def rows(changes) -> list[tuple]:
    return [(c.kind, c.path_text, c.old, c.new, c.old_cite, c.new_cite) for c in changes]


def schema_fields(model: type[BaseModel], seen: set) -> set[str]:
    """Every field name of the schema's models, however deeply nested."""
    if model in seen:
        return set()
    seen.add(model)
    names = set()
    for name, info in model.model_fields.items():
        names.add(name)
        stack = [info.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                names |= schema_fields(tp, seen)
            stack.extend(typing.get_args(tp))
    return names


def test_every_field_of_the_schema_has_a_label():
    unlabelled = schema_fields(RuleProfileDoc, set()) - set(FIELDS) - set(SECTIONS) - UNLABELLED
    assert unlabelled == set()


def test_a_revision_lists_exactly_its_changes_with_labels_values_and_citations():
    doc = keqiao_doc()
    old, new = RuleProfileDoc.model_validate(doc), RuleProfileDoc.model_validate(revised(doc))
    recusal_note = doc["review"]["recusal"]["note_zh"]
    assert rows(diff_profiles(old, new)) == [
        ("changed", "版本", "2020-05-10", "2027-01-01", "", ""),
        ("changed", "生效日期", "2020年5月10日", "2027年1月1日", "", ""),
        ("changed", "奖项与名额 › 柯桥区政府质量奖 › 名额上限", "3", "4", "第三条", "第三条"),
        ("added", "申报条件 › 条件 › 无欠缴税款", "", "判断方法：（判断方式：由工作人员审查认定）", "", "第十二条（二）"),
        ("changed", "评审组与回避 › 回避", "是", "是", "评审办设定", "第二十七条"),
        ("changed", "评审组与回避 › 回避 › 说明", recusal_note, "—", "评审办设定", "第二十七条"),
    ]


def test_same_rules_in_another_order_are_no_change_and_removals_are_listed():
    doc = keqiao_doc()
    reordered = copy.deepcopy(doc)
    reordered["eligibility"]["conditions"].reverse()
    assert diff_profiles(RuleProfileDoc.model_validate(doc), RuleProfileDoc.model_validate(reordered)) == []

    fewer = copy.deepcopy(doc)
    fewer["eligibility"]["conditions"] = [c for c in fewer["eligibility"]["conditions"] if c["code"] != "iso9001"]
    fewer["eligibility"]["conditions"][2]["test"]["value"]["years"] = 5  # years_operating
    assert [(c.kind, c.path_text, c.old, c.new) for c in diff_profiles(
        RuleProfileDoc.model_validate(doc), RuleProfileDoc.model_validate(fewer))] == [
        ("changed", "申报条件 › 条件 › 合法从事生产经营和服务业3年以上（含3年） › 判断方法 › 年数", "3", "5"),
        ("removed", "申报条件 › 条件 › 通过 ISO 9001 质量体系认证",
         "判断方法：（判断方式：须为“是”；依据的情况：持有有效的 ISO 9001 质量管理体系认证证书）", ""),
    ]


@pytest.fixture
def keqiao_2027(loaded) -> RuleProfile:
    current = loaded["keqiao"].rule_profiles.get(version="2020-05-10")
    profile = RuleProfile(jurisdiction=loaded["keqiao"], document=revised(current.document))
    profile.save()
    return profile


def diff_command(*args: str) -> str:
    out = io.StringIO()
    call_command("diff_profiles", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_compares_loaded_versions_and_a_file_not_yet_loaded(loaded, keqiao_2027, tmp_path):
    assert diff_command("keqiao@2020-05-10", "keqiao@2027-01-01").splitlines()[:4] == [
        "keqiao@2020-05-10 → keqiao@2027-01-01: 6 change(s)",
        "~ 版本: 2020-05-10 → 2027-01-01 [—]",
        "~ 生效日期: 2020年5月10日 → 2027年1月1日 [—]",
        "~ 奖项与名额 › 柯桥区政府质量奖 › 名额上限: 3 → 4 [第三条]",
    ]
    file = tmp_path / "keqiao-2027.json"
    document = copy.deepcopy(keqiao_2027.document)
    document["version"] = document["effective_from"] = "2028-01-01"
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    lines = diff_command("keqiao@2027-01-01", str(file)).splitlines()
    assert lines == [
        f"keqiao@2027-01-01 → keqiao@2028-01-01 ({file}): 2 change(s)",
        "~ 版本: 2027-01-01 → 2028-01-01 [—]",
        "~ 生效日期: 2027年1月1日 → 2028年1月1日 [—]",
    ]
    assert RuleProfile.objects.filter(version="2028-01-01").exists() is False
    as_json = json.loads(diff_command("keqiao@2020-05-10", "keqiao@2027-01-01", "--json"))
    assert (as_json["old"], as_json["new"], len(as_json["changes"])) == ("keqiao@2020-05-10", "keqiao@2027-01-01", 6)
    assert as_json["changes"][3]["label"] == ["申报条件", "条件", "无欠缴税款"]


@pytest.mark.django_db
def test_command_refuses_bad_input_with_a_message(loaded, tmp_path):
    with pytest.raises(CommandError, match="no version '1999-01-01' of keqiao is loaded"):
        diff_command("keqiao@1999-01-01", "keqiao@2020-05-10")
    with pytest.raises(CommandError, match="unknown jurisdiction 'atlantis'"):
        diff_command("atlantis@2020-05-10", "keqiao@2020-05-10")
    with pytest.raises(CommandError, match="give a loaded version as jurisdiction@version"):
        diff_command("keqiao", "keqiao@2020-05-10")
    with pytest.raises(CommandError, match="rules of two jurisdictions"):
        diff_command("keqiao@2020-05-10", "zhuji@2025-01-01")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"schema_version": 1}), encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.json: jurisdiction: 缺少此项"):
        diff_command("keqiao@2020-05-10", str(broken))
    with pytest.raises(CommandError, match=r"missing.json: \$: 找不到文件"):
        diff_command("keqiao@2020-05-10", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_changes_page_lists_the_changes_by_section(client, keqiao_2027):
    response = client.get("/keqiao/rules/changes/?from=2020-05-10&to=2027-01-01")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("柯桥区政府质量奖评审规则修订对照", "名额上限", "无欠缴税款", "第二十七条", "评审办设定",
                 "<h2 id=\"ch-awards\">奖项与名额</h2>", "共 6 处变化。"):
        assert text in html
    # The page speaks in the rules' own names, never in the profile's codes or paths.
    for code in ("review.recusal", "no_tax_arrears", "eligibility.conditions", "quota_rules"):
        assert code not in html
    # Without parameters: the latest version against the one before it.
    assert client.get("/keqiao/rules/changes/").content.decode().count("<tr class=\"change-") == 6
    # English through the language switch: the award's English name, the section's English title.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/keqiao/rules/changes/?from=2020-05-10&to=2027-01-01").content.decode()
    assert ("Keqiao District Government Quality Award" in english, "Awards and quotas" in english) == (True, True)


@pytest.mark.django_db
def test_changes_page_answers_404_for_unknown_versions_and_other_jurisdictions(client, loaded, keqiao_2027):
    assert client.get("/keqiao/rules/changes/?from=1999-01-01&to=2027-01-01").status_code == 404
    assert client.get("/keqiao/rules/changes/?from=2020-05-10&to=2099-01-01").status_code == 404
    # Zhuji's version is not one of Keqiao's, and Keqiao's new version is not Zhuji's.
    assert client.get("/keqiao/rules/changes/?from=2025-01-01&to=2027-01-01").status_code == 404
    assert client.get("/zhuji/rules/changes/?from=2025-01-01&to=2027-01-01").status_code == 404


@pytest.mark.django_db
def test_rules_page_links_to_the_changes_only_with_more_than_one_version(client, loaded):
    link = "/keqiao/rules/changes/"
    assert link not in client.get("/keqiao/rules/").content.decode()
    single = client.get(link)
    assert single.status_code == 200
    assert "本辖区目前只有一个版本的评审规则" in single.content.decode()
    RuleProfile(jurisdiction=loaded["keqiao"], document=revised(loaded["keqiao"].profile_in_force().document)).save()
    assert link in client.get("/keqiao/rules/").content.decode()

"""Validation of rule-profile and criteria documents, with the JSON path of every problem.

The typed schema (profile_schema.py) catches wrong types, missing citations and negative quotas;
the checks here catch what a type cannot: references to unknown award codes, weights that do not
sum to 1, citations that do not look like an article, office settings without an explanation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .criteria_schema import CriteriaDoc
from .fact_vocabulary import QUESTION_FACTS
from .profile_schema import OFFICE_SETTING, RuleProfileDoc

# An article of a 管理办法: 第十八条, 第十四条（三）, 第十五～十六条, or Binjiang's chapter/paragraph 四（四）.
_NUM = "一二三四五六七八九十百零"
CITE_PATTERN = re.compile(
    rf"^(?:{re.escape(OFFICE_SETTING)}|第[{_NUM}]+(?:[～~至、][第]?[{_NUM}]+)?条.*|[{_NUM}]+（[{_NUM}]+）.*|[{_NUM}]+、.*)$"
)

_ZH_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不允许的字段（拼写错误？）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_type": "应为日期 YYYY-MM-DD",
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
    "literal_error": "不是允许的取值",
    "union_tag_invalid": "未知的条件类型",
    "string_pattern_mismatch": "格式不正确",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "model_type": "应为对象",
    "dict_type": "应为对象",
}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProfileInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:10]))


def format_path(loc: tuple[Any, ...] | list[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "$"


def _pydantic_problems(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = list(err["loc"])
        # Discriminated unions insert the tag into the location ("...value.min_years.years"); drop it.
        if err["type"] != "union_tag_invalid":
            loc = [p for i, p in enumerate(loc) if not (i > 0 and loc[i - 1] == "value" and p in _TEST_KINDS)]
        zh = _ZH_MESSAGES.get(err["type"], "取值无效")
        if err["type"] == "missing" and loc and loc[-1] == "cite":
            zh = "缺少引用条款（cite）：每个规则取值都必须注明条款，或标注 office setting"
        problems.append(Problem(format_path(loc), f"{zh}（{err['msg']}）"))
    return problems


_TEST_KINDS = {"fact_true", "fact_false", "min_years", "one_of", "manual"}


def _walk_cites(node: Any, loc: tuple) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, dict):
        cite = node.get("cite") if "value" in node else None
        if isinstance(cite, str) and not CITE_PATTERN.match(cite.strip()):
            problems.append(
                Problem(format_path((*loc, "cite")), f"引用“{cite}”不是条款（如 第五条、四（四））或 office setting")
            )
        # An office choice must say what was decided and why, or users see a bare unexplained value.
        if cite == OFFICE_SETTING and not str(node.get("note_zh") or "").strip():
            problems.append(
                Problem(format_path((*loc, "note_zh")), "标注 office setting 的取值须在 note_zh 中说明本办的设定及理由")
            )
        for key, child in node.items():
            problems += _walk_cites(child, (*loc, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            problems += _walk_cites(child, (*loc, i))
    return problems


def _semantic_problems(p: RuleProfileDoc, known_criteria: set[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    codes = [a.code for a in p.awards]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            problems.append(Problem(f"awards[{i}].code", f"奖项代码“{code}”重复"))
    for i, award in enumerate(p.awards):
        if award.lower_tier_of is not None and award.lower_tier_of not in codes:
            problems.append(Problem(f"awards[{i}].lower_tier_of", f"未知的奖项代码“{award.lower_tier_of}”"))
        if award.lower_tier_of == award.code:
            problems.append(Problem(f"awards[{i}].lower_tier_of", "奖项不能是自身的下一档"))
        for j, code in enumerate(award.outside_quota_after.value if award.outside_quota_after else []):
            if code not in codes:
                problems.append(Problem(f"awards[{i}].outside_quota_after.value[{j}]", f"未知的奖项代码“{code}”"))
    named = p.vote.government_named_outside_quota
    for j, code in enumerate(named.value if named else []):
        if code not in codes:
            problems.append(Problem(f"vote.government_named_outside_quota.value[{j}]", f"未知的奖项代码“{code}”"))
    for i, ban in enumerate(p.bans):
        if ban.award is not None and ban.award not in codes:
            problems.append(Problem(f"bans[{i}].award", f"未知的奖项代码“{ban.award}”"))
    upgrade = p.quota_rules.upgrade_pays_difference
    if upgrade is not None:
        if len(upgrade.value) != 2:
            problems.append(Problem("quota_rules.upgrade_pays_difference.value", "应为 [原奖项, 新奖项] 两个代码"))
        for j, code in enumerate(upgrade.value):
            if code not in codes:
                problems.append(
                    Problem(f"quota_rules.upgrade_pays_difference.value[{j}]", f"未知的奖项代码“{code}”")
                )
    cap = p.quota_rules.total_cap
    if cap is not None and cap.value > sum(a.quota.value for a in p.awards):
        problems.append(Problem("quota_rules.total_cap.value", "总名额上限大于各奖项名额之和"))

    w = p.scoring.weights.value
    if abs(w.document + w.site - 1.0) > 1e-9:
        problems.append(
            Problem("scoring.weights.value", f"资料评审与现场评审权重之和应为 1，现为 {w.document + w.site:g}")
        )
    if known_criteria is not None and p.scoring.criteria.value not in known_criteria:
        problems.append(Problem("scoring.criteria.value", f"未知的评价准则“{p.scoring.criteria.value}”"))
    total = p.scoring.total_points.value
    for i, award in enumerate(p.awards):
        for name in ("total", "site"):
            floor = getattr(award.floors, name)
            if floor is not None and not 0 <= floor.value <= total:
                problems.append(Problem(f"awards[{i}].floors.{name}.value", f"分数线应在 0 到 {total} 之间"))

    sl = p.shortlist
    if sl.rule.value == "cap_ratio_of_total_quota":
        if sl.ratio is None:
            problems.append(Problem("shortlist.ratio", "按名额倍数入围时必须给出倍数"))
        elif sl.ratio.value <= 0:
            problems.append(Problem("shortlist.ratio.value", "倍数必须大于 0"))

    v = p.vote
    if v.method.value == "secret_ballot" and (v.majority is None or v.majority_basis is None):
        problems.append(Problem("vote.majority", "无记名投票必须规定多数（majority 与 majority_basis）"))
    for name in ("quorum", "majority"):
        cited = getattr(v, name)
        t = cited.value if cited is not None else None
        if t is not None and t.numerator > t.denominator:
            problems.append(Problem(f"vote.{name}.value", "比例不能大于 1"))

    stage_codes = [s.code for s in p.stages]
    for i, code in enumerate(stage_codes):
        if code in stage_codes[:i]:
            problems.append(Problem(f"stages[{i}].code", f"阶段“{code}”重复"))
    cond_codes = [c.code for c in p.eligibility.conditions]
    for i, code in enumerate(cond_codes):
        if code in cond_codes[:i]:
            problems.append(Problem(f"eligibility.conditions[{i}].code", f"条件代码“{code}”重复"))
    rec = p.eligibility.recommendation.value
    if rec.rule != "none" and not rec.recommenders:
        problems.append(Problem("eligibility.recommendation.value.recommenders", "需要推荐时必须列出推荐单位"))
    problems += _eligibility_problems(p)
    for i, ban in enumerate(p.bans):
        problems += _ban_problems(i, ban)
    problems += _post_award_problems(p)
    if not p.version.startswith(p.effective_from.isoformat()[:4]):
        problems.append(Problem("version", "版本号应以生效日期开头（如 2020-05-10）"))
    return problems


def _eligibility_problems(p: RuleProfileDoc) -> list[Problem]:
    problems: list[Problem] = []
    elig = p.eligibility
    for i, cond in enumerate(elig.conditions):
        test = cond.test.value
        fact = getattr(test, "fact", None)
        if test.kind in ("fact_true", "fact_false") and fact in QUESTION_FACTS and not cond.question_zh.strip():
            problems.append(Problem(f"eligibility.conditions[{i}].question_zh",
                                    "须写明向申报组织提出的问题（按本办法原文的措辞）"))
    materials = elig.required_materials.value
    if len(set(materials)) != len(materials):
        problems.append(Problem("eligibility.required_materials.value", "申报材料重复列出"))
    needs_recommendation = elig.recommendation.value.rule != "none"
    if needs_recommendation != ("recommendation" in materials):
        problems.append(Problem(
            "eligibility.required_materials.value",
            "需要推荐的，申报材料须包括推荐意见（recommendation）；无需推荐的，不得列出",
        ))
    period = elig.completion_period
    if elig.return_for_completion.value and period is None:
        problems.append(Problem("eligibility.completion_period", "退回补正时必须规定补正期限"))
    if period is not None and period.value.unit not in ("calendar_days", "working_days"):
        problems.append(Problem("eligibility.completion_period.value.unit", "补正期限应以日或工作日计"))
    return problems


def _post_award_problems(p: RuleProfileDoc) -> list[Problem]:
    pa, problems = p.post_award, []
    if (pa.annual_self_assessment_years is None) != (pa.annual_self_assessment_due is None):
        problems.append(Problem("post_award.annual_self_assessment_due", "年度自评年限与报送日期须同时填写"))
    if (pa.incident_report_within is None) != (pa.incident_triggers is None):
        problems.append(Problem("post_award.incident_triggers", "事故报告期限与须报告的情形须同时填写"))
    ladder = pa.sanction_ladder.value
    if not ladder or ladder[-1] != "revocation" or len(set(ladder)) != len(ladder):
        problems.append(Problem("post_award.sanction_ladder.value", "处理措施须由轻到重排列、不重复，并以撤销荣誉结束"))
    codes = [g.value.code for g in pa.revocation_grounds]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            problems.append(Problem(f"post_award.revocation_grounds[{i}].value.code", f"撤销事由“{code}”重复"))
    for i, ground in enumerate(pa.revocation_grounds):
        g = ground.value
        if g.blacklist and pa.blacklist is None:
            problems.append(Problem(f"post_award.revocation_grounds[{i}].value.blacklist", "记入黑名单须设置 post_award.blacklist"))
        if g.serious_finding and not any(b.discretionary and b.discretionary.value for b in p.bans):
            problems.append(Problem(f"post_award.revocation_grounds[{i}].value.serious_finding",
                                    "认定情节严重只对以情节严重为条件的限制申报有意义"))
    if (pa.reviewer_rehire_ban is not None) and not (pa.reviewer_sanctions and "disqualification" in pa.reviewer_sanctions.value):
        problems.append(Problem("post_award.reviewer_rehire_ban", "不得再聘用的期限须配合“取消评审资格”"))
    return problems


def _ban_problems(i: int, ban) -> list[Problem]:
    if ban.trigger == "award_won":
        if ban.triggered_by is not None:
            return [Problem(f"bans[{i}].triggered_by", "获奖后的限制不由撤销或取消资格触发，不应填写")]
        return []
    if ban.triggered_by is None:
        return [Problem(f"bans[{i}].triggered_by", "须写明由哪些记录触发（revocation / disqualification）及条款")]
    kinds = ban.triggered_by.value
    if not kinds:
        return [Problem(f"bans[{i}].triggered_by.value", "不能为空")]
    if ban.trigger == "incident_revocation" and "disqualification" in kinds:
        return [Problem(f"bans[{i}].triggered_by.value", "取消评选资格只记录弄虚作假，不能触发事故撤销的限制")]
    return []


def validate_profile_document(
    doc: Any, known_criteria: set[str] | None = None
) -> tuple[RuleProfileDoc | None, list[Problem]]:
    if not isinstance(doc, dict):
        return None, [Problem("$", "规则配置应为 JSON 对象")]
    try:
        profile = RuleProfileDoc.model_validate(doc)
    except ValidationError as exc:
        return None, _pydantic_problems(exc) + _walk_cites(doc, ())
    problems = _walk_cites(doc, ()) + _semantic_problems(profile, known_criteria)
    return (None if problems else profile), problems


def parse_profile(doc: Any, known_criteria: set[str] | None = None) -> RuleProfileDoc:
    profile, problems = validate_profile_document(doc, known_criteria)
    if problems or profile is None:
        raise ProfileInvalid(problems)
    return profile


def validate_criteria_document(doc: Any) -> tuple[CriteriaDoc | None, list[Problem]]:
    if not isinstance(doc, dict):
        return None, [Problem("$", "评价准则应为 JSON 对象")]
    try:
        criteria = CriteriaDoc.model_validate(doc)
    except ValidationError as exc:
        return None, _pydantic_problems(exc)
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, cat in enumerate(criteria.categories):
        item_sum = sum(item.points for item in cat.items)
        if item_sum != cat.points:
            problems.append(
                Problem(f"categories[{i}].points", f"“{cat.name_zh}”各评分项之和为 {item_sum}，与类目分值 {cat.points} 不符")
            )
        for j, item in enumerate(cat.items):
            if item.code in seen or cat.code in seen:
                problems.append(Problem(f"categories[{i}].items[{j}].code", f"代码“{item.code}”重复"))
            seen.add(item.code)
        seen.add(cat.code)
    cat_sum = sum(c.points for c in criteria.categories)
    if cat_sum != criteria.total_points:
        problems.append(Problem("total_points", f"各类目之和为 {cat_sum}，与总分 {criteria.total_points} 不符"))
    return (None if problems else criteria), problems


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys silently; a profile with two "quota" entries is a mistake.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ProfileInvalid([Problem("$", f"JSON 中键“{key}”重复出现")])
        out[key] = value
    return out


def load_json_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProfileInvalid([Problem("$", f"找不到文件 {path}")]) from exc
    except UnicodeDecodeError as exc:
        raise ProfileInvalid([Problem("$", "文件不是 UTF-8 编码")]) from exc
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ProfileInvalid([Problem("$", f"JSON 语法错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}")]) from exc


def criteria_codes_in(directory: Path) -> set[str]:
    """The codes of the criteria documents in a folder, so a profile can be checked without a database."""
    codes = set()
    for path in sorted(directory.glob("*.json")):
        try:
            doc = load_json_file(path)
        except ProfileInvalid:
            continue
        if isinstance(doc, dict) and isinstance(doc.get("code"), str):
            codes.add(doc["code"])
    return codes


def validate_profile_file(path: Path, known_criteria: set[str] | None = None) -> list[Problem]:
    """Every problem of a profile file, including where it sits: rule_profiles/<jurisdiction>/<version>.json."""
    try:
        doc = load_json_file(path)
    except ProfileInvalid as exc:
        return exc.problems
    _profile, problems = validate_profile_document(doc, known_criteria)
    if isinstance(doc, dict):
        slug, version = doc.get("jurisdiction"), doc.get("version")
        if isinstance(slug, str) and slug != path.parent.name:
            problems.append(Problem("jurisdiction", f"文件位于文件夹“{path.parent.name}”，与 jurisdiction“{slug}”不符"))
        if isinstance(version, str) and version != path.stem:
            problems.append(Problem("version", f"文件名为“{path.name}”，与 version“{version}”不符（应为 {version}.json）"))
    return problems


def validate_criteria_file(path: Path) -> list[Problem]:
    try:
        doc = load_json_file(path)
    except ProfileInvalid as exc:
        return exc.problems
    _criteria, problems = validate_criteria_document(doc)
    if isinstance(doc, dict) and isinstance(doc.get("code"), str) and doc["code"] != path.stem:
        problems.append(Problem("code", f"文件名为“{path.name}”，与 code“{doc['code']}”不符"))
    return problems

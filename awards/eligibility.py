"""The eligibility engine: a profile's conditions and bans against an organisation's facts.

Pure functions over plain values, so the web pages, the pre-check and run_scenario share it.
Each result carries its rule path, its citation and a Chinese sentence.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from jurisdictions.profile_schema import Ban, Condition, MinYears, RuleProfileDoc

RECOMMENDER_ZH = {
    "supervising_department": "主管部门",
    "town": "镇（街道、开发区）",
    "industry_association": "行业协会",
    "industry_authority": "行业主管部门",
    "county_government": "县区政府（经县区市场监管部门）",
}
SECTOR_ZH = {"primary": "第一产业", "secondary": "第二产业", "tertiary": "第三产业"}


@dataclass(frozen=True)
class HistoryEntry:
    year: int
    award: str
    revoked: str | None = None  # "fraud" | "incident"
    revoked_on: dt.date | None = None
    prize_cny: int = 0


@dataclass(frozen=True)
class Reason:
    rule: str
    cite: str
    text: str
    passed: bool | None = None  # None: judged by staff, not automatically

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Facts:
    values: dict[str, Any] = field(default_factory=dict)
    recommenders: list[str] = field(default_factory=list)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes the month's last day."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def full_years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    return years


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def _min_years(cond: Condition, test: MinYears, facts: Facts, close: dt.date) -> tuple[bool, str]:
    since = _parse_date(facts.values.get(test.fact))
    label = "成立日期" if test.fact == "established" else "实施卓越绩效管理起始日期"
    if since is None:
        return False, f"未填写{label}，无法判断“{cond.text_zh}”"
    if test.years == 0:
        ok = since <= close
        return ok, (
            f"{label}为 {since}，截至 {close} 已实施" if ok else f"{label} {since} 晚于截止日 {close}"
        )
    due = add_years(since, test.years)
    ok = due <= close if test.counting == "at_least" else due < close
    years = full_years_between(since, close)
    word = "以上（含本数）" if test.counting == "at_least" else "（不含本数）"
    verdict = "满足" if ok else "不满足"
    return ok, f"{label} {since}，至截止日 {close} 满 {years} 年，{verdict}“{test.years}年{word}”的要求"


def _condition(cond: Condition, facts: Facts, close: dt.date) -> Reason:
    test = cond.test.value
    rule = f"eligibility.conditions.{cond.code}"
    cite = cond.test.cite
    if test.kind == "manual":
        return Reason(rule, cite, f"{cond.text_zh}：由工作人员根据证实性材料审查", None)
    if test.kind == "min_years":
        ok, text = _min_years(cond, test, facts, close)
        return Reason(rule, cite, text, ok)
    value = facts.values.get(test.fact)
    if test.kind == "fact_true":
        if value is None:
            return Reason(rule, cite, f"未填写：{cond.text_zh}", False)
        return Reason(rule, cite, f"{'符合' if value else '不符合'}：{cond.text_zh}", bool(value))
    if test.kind == "fact_false":
        if value is None:
            return Reason(rule, cite, f"未声明：{cond.text_zh}", False)
        return Reason(rule, cite, f"{'不符合' if value else '符合'}：{cond.text_zh}", not value)
    if test.kind == "one_of":
        ok = value in test.values
        shown = SECTOR_ZH.get(str(value), str(value or "未填写"))
        return Reason(rule, cite, f"{'符合' if ok else '不符合'}：{cond.text_zh}（申报为{shown}）", ok)
    raise ValueError(f"unknown condition kind {test.kind}")


def _recommendation(profile: RuleProfileDoc, facts: Facts) -> Reason:
    cited = profile.eligibility.recommendation
    rec = cited.value
    rule = "eligibility.recommendation"
    if rec.rule == "none":
        office = profile.bodies.office_short_zh.value
        return Reason(rule, cited.cite, f"无需推荐，由申报组织直接向{office}申报", True)
    given = set(facts.recommenders)
    if rec.rule == "one_of":
        ok = bool(given & set(rec.recommenders))
        names = "、".join(RECOMMENDER_ZH[r] for r in rec.recommenders)
        # "之一" only makes sense with a choice: Binjiang names the supervising department alone.
        which = f"{names}之一" if len(rec.recommenders) > 1 else names
        return Reason(rule, cited.cite, f"{'已' if ok else '未'}取得推荐意见（须经{which}推荐）", ok)
    required = [r for r in rec.recommenders if r not in rec.optional_recommenders]
    missing = [r for r in required if r not in given]
    if missing:
        text = "缺少推荐意见：" + "、".join(RECOMMENDER_ZH[r] for r in missing)
        return Reason(rule, cited.cite, text, False)
    needed = f"须经{'、'.join(RECOMMENDER_ZH[r] for r in required)}推荐"
    if rec.optional_recommenders:
        # Zhuji's industry authority signs only where there is one (如有): say so, never imply it is always needed.
        optional = "、".join(RECOMMENDER_ZH[r] for r in rec.optional_recommenders)
        needed += f"；设有{optional}的，还须经其推荐"
    return Reason(rule, cited.cite, f"已取得推荐意见（{needed}）", True)


def _ban(ban: Ban, history: list[HistoryEntry], close: dt.date, cycle_year: int) -> Reason:
    rule = f"bans.{ban.code}"
    period = ban.period.value
    cite = ban.period.cite
    if ban.trigger == "award_won":
        hits = [h for h in history if h.award == ban.award and not h.revoked]
        for h in sorted(hits, key=lambda h: -h.year):
            if cycle_year - h.year < period.amount:
                return Reason(
                    rule, cite,
                    f"{h.year}年已获该奖，{ban.text_zh}：{h.year + period.amount}年起方可再次申请",
                    False,
                )
        return Reason(rule, cite, f"无限制情形：{ban.text_zh}", True)
    kind = "fraud" if ban.trigger == "fraud_revocation" else "incident"
    for h in history:
        if h.revoked == kind and h.revoked_on is not None:
            until = add_years(h.revoked_on, period.amount)
            if close < until:
                return Reason(
                    rule, cite,
                    f"{h.revoked_on} 被撤销{h.year}年度奖项，{ban.text_zh}，至 {until} 前不得申报",
                    False,
                )
    return Reason(rule, cite, f"无限制情形：{ban.text_zh}", True)


def evaluate(
    profile: RuleProfileDoc,
    facts: Facts,
    history: list[HistoryEntry],
    close_date: dt.date,
    cycle_year: int,
) -> list[Reason]:
    results = [_condition(c, facts, close_date) for c in profile.eligibility.conditions]
    results.append(_recommendation(profile, facts))
    results += [_ban(b, history, close_date, cycle_year) for b in profile.bans]
    return results


def failures(results: list[Reason]) -> list[Reason]:
    return [r for r in results if r.passed is False]

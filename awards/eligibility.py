"""The eligibility engine: a profile's conditions and bans against an organisation's facts.

Pure functions over plain values, so the web pages, the pre-check and run_scenario share it.
Each result carries its rule path, its citation and a Chinese sentence.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from jurisdictions.profile_schema import Ban, Condition, MinYears, Period, RuleProfileDoc

RECOMMENDER_ZH = {
    "supervising_department": "主管部门",
    "town": "镇（街道、开发区）",
    "industry_association": "行业协会",
    "industry_authority": "行业主管部门",
    "county_government": "县区政府（经县区市场监管部门）",
}


def _recommenders_zh(codes, rec) -> str:
    """Recommenders in the regulation's own words where the profile gives them (Zhuji 第十三条（二）:
    所在地镇乡（街道）人民政府), else the shared label. Records are in Chinese, whoever reads them."""
    return "、".join(rec.names_zh.get(code) or RECOMMENDER_ZH[code] for code in codes)


SECTOR_ZH = {"primary": "第一产业", "secondary": "第二产业", "tertiary": "第三产业"}


@dataclass(frozen=True)
class HistoryEntry:
    """An earlier outcome: an award (possibly revoked), or a disqualification before any award."""

    year: int
    award: str | None
    revoked: str | None = None  # "fraud" | "incident"
    revoked_on: dt.date | None = None
    prize_cny: int = 0
    disqualified: str | None = None  # "fraud": found before an award (尚未授奖), out of that cycle
    disqualified_on: dt.date | None = None
    # The deciding body's finding that the case is serious (情节严重); None: no finding recorded.
    serious: bool | None = None


Status = Literal["passed", "failed", "missing", "manual"]
# `passed` as callers read it: missing data does not meet a condition either, until it is supplied.
_PASSED: dict[str, bool | None] = {"passed": True, "failed": False, "missing": False, "manual": None}


@dataclass(frozen=True)
class Reason:
    """One rule's result. `status` tells a condition not met ("failed") from data not given
    ("missing": to be completed), and from a condition left to staff judgement ("manual")."""

    rule: str
    cite: str
    text: str
    status: Status
    # What the English interface shows for the rule (the profile's English wording); the record
    # itself, `text`, stays in Chinese and is what is stored.
    text_en: str = field(default="", compare=False)

    @property
    def passed(self) -> bool | None:
        return _PASSED[self.status]

    @property
    def missing(self) -> bool:
        return self.status == "missing"

    def as_dict(self) -> dict[str, Any]:
        stored = asdict(self) | {"passed": self.passed}
        stored.pop("text_en")
        return stored


def _verdict(ok: bool) -> Status:
    return "passed" if ok else "failed"


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


def last_day_of(start_event: dt.date, period: Period) -> dt.date:
    """The last day of a period counted in years from an event (民法典 第二百零一、二百零二条).

    The period starts the day after the event and its last day is the corresponding date, so the
    event's own day N years on is still inside it: a 5-year ban from 2021-05-31 lasts through
    2026-05-31. A corresponding date that does not exist (29 February) is the month's last day.
    """
    if period.unit != "years":
        raise ValueError(f"bans are counted in years, not {period.unit}")
    return add_years(start_event, period.amount)


def _min_years(cond: Condition, test: MinYears, facts: Facts, close: dt.date) -> tuple[Status, str]:
    since = _parse_date(facts.values.get(test.fact))
    label = "成立日期" if test.fact == "established" else "实施卓越绩效管理起始日期"
    if since is None:
        return "missing", f"未填写{label}，无法判断“{cond.text_zh}”"
    if test.years == 0:
        ok = since <= close
        return _verdict(ok), (
            f"{label}为 {since}，截至 {close} 已实施" if ok else f"{label} {since} 晚于截止日 {close}"
        )
    # N years from `since` are complete at the end of the corresponding date (the same rule as bans).
    due = add_years(since, test.years)
    ok = due <= close if test.counting == "at_least" else due < close
    years = full_years_between(since, close)
    word = "以上（含本数）" if test.counting == "at_least" else "（不含本数）"
    verdict = "满足" if ok else "不满足"
    return _verdict(ok), f"{label} {since}，至截止日 {close} 满 {years} 年，{verdict}“{test.years}年{word}”的要求"


def _condition(cond: Condition, facts: Facts, close: dt.date) -> Reason:
    test = cond.test.value
    rule = f"eligibility.conditions.{cond.code}"
    cite = cond.test.cite
    if test.kind == "manual":
        return Reason(rule, cite, f"{cond.text_zh}：由工作人员根据证实性材料审查", "manual")
    if test.kind == "min_years":
        status, text = _min_years(cond, test, facts, close)
        return Reason(rule, cite, text, status)
    value = facts.values.get(test.fact)
    if test.kind == "fact_true":
        if value is None:
            return Reason(rule, cite, f"未填写：{cond.text_zh}", "missing")
        return Reason(rule, cite, f"{'符合' if value else '不符合'}：{cond.text_zh}", _verdict(bool(value)))
    if test.kind == "fact_false":
        if value is None:
            return Reason(rule, cite, f"未申报：{cond.text_zh}", "missing")
        return Reason(rule, cite, f"{'不符合' if value else '符合'}：{cond.text_zh}", _verdict(not value))
    if test.kind == "one_of":
        if value in (None, ""):
            return Reason(rule, cite, f"未填写：{cond.text_zh}", "missing")
        ok = value in test.values
        shown = SECTOR_ZH.get(str(value), str(value))
        return Reason(rule, cite, f"{'符合' if ok else '不符合'}：{cond.text_zh}（申报为{shown}）", _verdict(ok))
    raise ValueError(f"unknown condition kind {test.kind}")


def _recommendation(profile: RuleProfileDoc, facts: Facts) -> Reason:
    """A recommendation not (yet) obtained is a gap in the file, not a failed condition."""
    cited = profile.eligibility.recommendation
    rec = cited.value
    rule = "eligibility.recommendation"
    if rec.rule == "none":
        office = profile.bodies.office_short_zh.value
        return Reason(rule, cited.cite, f"无需推荐，由申报组织直接向{office}申报", "passed")
    given = set(facts.recommenders)
    if rec.rule == "one_of":
        ok = bool(given & set(rec.recommenders))
        names = _recommenders_zh(rec.recommenders, rec)
        # "之一" only makes sense with a choice: Binjiang names the supervising department alone.
        which = f"{names}之一" if len(rec.recommenders) > 1 else names
        return Reason(rule, cited.cite, f"{'已' if ok else '未'}取得推荐意见（须经{which}推荐）",
                      "passed" if ok else "missing")
    required = [r for r in rec.recommenders if r not in rec.optional_recommenders]
    missing = [r for r in required if r not in given]
    if missing:
        text = "缺少推荐意见：" + _recommenders_zh(missing, rec)
        return Reason(rule, cited.cite, text, "missing")
    needed = f"须经{_recommenders_zh(required, rec)}推荐"
    if rec.optional_recommenders:
        # Zhuji's industry authority signs only where there is one (如有): say so, never imply it is always needed.
        optional = _recommenders_zh(rec.optional_recommenders, rec)
        needed += f"；设有{optional}的，还须经其推荐"
    return Reason(rule, cited.cite, f"已取得推荐意见（{needed}）", "passed")


def _award_won_ban(ban: Ban, history: list[HistoryEntry], cycle_year: int) -> Reason:
    """Binjiang 五（四）: 自获奖年度起5年后方可再次申请 — a 2021 winner may apply from 2026 on."""
    rule, cite, period = f"bans.{ban.code}", ban.period.cite, ban.period.value
    hits = [h for h in history if h.award == ban.award and not h.revoked]
    for h in sorted(hits, key=lambda h: -h.year):
        first_free = h.year + period.amount
        if cycle_year < first_free:
            return Reason(
                rule, cite,
                f"{h.year}年已获该奖，{ban.text_zh}：禁止申报至 {first_free - 1} 年度（含），{first_free}年起方可再次申请",
                "failed",
            )
    return Reason(rule, cite, f"无限制情形：{ban.text_zh}", "passed")


def _ban_events(ban: Ban, history: list[HistoryEntry]) -> list[tuple[HistoryEntry, dt.date, str]]:
    """The recorded outcomes this ban's text covers, each with its decision date and a description."""
    kind = "fraud" if ban.trigger == "fraud_revocation" else "incident"
    kinds = ban.triggered_by.value if ban.triggered_by is not None else ["revocation"]
    events = []
    for h in history:
        if "revocation" in kinds and h.revoked == kind and h.revoked_on is not None:
            events.append((h, h.revoked_on, f"{h.revoked_on} 被撤销{h.year}年度奖项"))
        if "disqualification" in kinds and h.disqualified == kind and h.disqualified_on is not None:
            events.append((h, h.disqualified_on, f"{h.disqualified_on} 因弄虚作假被取消{h.year}年度评选资格（尚未授奖）"))
    return events


def _counted_from(ban: Ban, h: HistoryEntry, decided_on: dt.date) -> dt.date:
    """The event a ban's period runs from, as the profile says: the revocation (or disqualification)
    decision, or the award year, whose period then starts once that year is over."""
    if ban.counted_from == "award_year":
        return dt.date(h.year, 12, 31)
    return decided_on


def _ban(ban: Ban, history: list[HistoryEntry], close: dt.date, cycle_year: int) -> Reason:
    if ban.trigger == "award_won":
        return _award_won_ban(ban, history, cycle_year)
    rule, cite, period = f"bans.{ban.code}", ban.period.cite, ban.period.value
    discretionary = ban.discretionary is not None and ban.discretionary.value
    not_serious: list[str] = []
    expired: list[str] = []
    for h, decided_on, what in sorted(_ban_events(ban, history), key=lambda e: e[1], reverse=True):
        last = last_day_of(_counted_from(ban, h, decided_on), period)
        if close > last:
            expired.append(f"{what}，禁止申报至 {last}（含）")  # ran out before this cycle's close
            continue
        if discretionary and h.serious is not True:
            finding = "认定情节不严重" if h.serious is False else "未认定情节严重"
            not_serious.append(f"{what}，{finding}")
            continue
        serious = "，认定情节严重" if discretionary else ""
        return Reason(rule, cite, f"{what}{serious}，{ban.text_zh}：禁止申报至 {last}（含）", "failed")
    if not_serious:
        assert ban.discretionary is not None  # only a discretionary ban finds a record not serious
        # Daqing 第三十一条 bars only serious cases: say why this record does not bar the applicant.
        return Reason(
            rule, cite,
            f"{'；'.join(not_serious)}：{ban.text_zh}，本次不受该限制（{ban.discretionary.cite}）",
            "passed",
        )
    if expired:
        return Reason(rule, cite, f"{expired[0]}，至截止日 {close} 已届满：{ban.text_zh}", "passed")
    kinds = ban.triggered_by.value if ban.triggered_by is not None else ["revocation"]
    uncovered = [h for h in history if h.disqualified and h.disqualified_on and "disqualification" not in kinds]
    if ban.trigger == "fraud_revocation" and uncovered:
        h = uncovered[0]
        where = ban.triggered_by.cite if ban.triggered_by is not None else cite
        return Reason(
            rule, cite,
            f"{h.disqualified_on} 被取消{h.year}年度评选资格（尚未授奖）：{ban.text_zh}，"
            f"该条只限制被撤销奖项的组织，本次不受该限制（{where}）",
            "passed",
        )
    return Reason(rule, cite, f"无限制情形：{ban.text_zh}", "passed")


def evaluate(
    profile: RuleProfileDoc,
    facts: Facts,
    history: list[HistoryEntry],
    close_date: dt.date,
    cycle_year: int,
) -> list[Reason]:
    results = [replace(_condition(c, facts, close_date), text_en=c.text_en) for c in profile.eligibility.conditions]
    rec = profile.eligibility.recommendation.value
    results.append(replace(_recommendation(profile, facts), text_en=(
        f"Recommendation: {rec.via_en}" if getattr(rec, "via_en", "") else "Recommendation")))
    results += [replace(_ban(b, history, close_date, cycle_year), text_en=b.text_en) for b in profile.bans]
    return results


def failures(results: list[Reason]) -> list[Reason]:
    """Every result that stands in the way of eligibility: failed, or missing data."""
    return [r for r in results if r.passed is False]


def failed(results: list[Reason]) -> list[Reason]:
    return [r for r in results if r.status == "failed"]


def gaps(results: list[Reason]) -> list[Reason]:
    """Data not given: what an application returned for completion must supply."""
    return [r for r in results if r.status == "missing"]


Proposal = Literal["eligible", "ineligible", "returned"]


def proposal(profile: RuleProfileDoc, results: list[Reason]) -> Proposal:
    """The decision the results advise. A condition failed is ineligible whatever else is missing;
    data missing returns the application for completion where the profile provides for it (Daqing
    第十三条) and otherwise counts as not met."""
    if failed(results):
        return "ineligible"
    if gaps(results):
        return "returned" if profile.eligibility.return_for_completion.value else "ineligible"
    return "eligible"

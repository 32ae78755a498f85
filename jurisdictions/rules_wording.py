"""How rule values read in a sentence: money, periods, counting words, labels of codes, and the
cited sentence (Rule) every section of the rules page is made of.

Everything here answers in the active language; the rules presenter calls it inside
``translation.override``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from .profile_schema import (
    OFFICE_SETTING,
    Award,
    Cited,
    Period,
    Recommendation,
    Recommender,
    RuleProfileDoc,
    Threshold,
)


def status_label(status: str) -> str:
    labels = {"in_force": _("现行有效"), "draft": _("征求意见稿"), "superseded": _("已废止")}
    return labels.get(status, status)


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def join(items: Iterable[str]) -> str:
    return (", " if english() else "、").join(items)


def clause(text: str) -> str:
    """A value quoted inside a sentence loses its own closing punctuation."""
    return text.strip().rstrip("。．.；;，,")


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def percent(fraction: float) -> str:
    return f"{round(fraction * 100, 2):g}%"


def money(amount: int) -> str:
    if english():
        return f"CNY {amount:,}"
    if amount and amount % 10000 == 0:
        return _("%(amount)s万元") % {"amount": amount // 10000}
    return _("%(amount)s元") % {"amount": amount}


def date(day: dt.date) -> str:
    if english():
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日"


def period(value: Period) -> str:
    n = value.amount
    if value.unit == "calendar_days":
        return ngettext("%(n)s天（自然日）", "%(n)s天（自然日）", n) % {"n": n}
    if value.unit == "working_days":
        return ngettext("%(n)s个工作日", "%(n)s个工作日", n) % {"n": n}
    if value.unit == "months":
        return ngettext("%(n)s个月", "%(n)s个月", n) % {"n": n}
    return ngettext("%(n)s年", "%(n)s年", n) % {"n": n}


def years(n: int) -> str:
    return ngettext("%(n)s年", "%(n)s年", n) % {"n": n}


def threshold(value: Threshold) -> str:
    """A fraction with its counting word: 以上 includes the number itself, 超过 does not."""
    inclusive = value.counting == "at_least"
    if value.numerator * 2 == value.denominator:
        return _("半数以上（含半数）") if inclusive else _("超过半数（不含半数）")
    fraction = f"{value.numerator}/{value.denominator}"
    if inclusive:
        return _("%(fraction)s以上（含本数）") % {"fraction": fraction}
    return _("超过%(fraction)s（不含本数）") % {"fraction": fraction}


HONOURS = {
    "plaque": gettext_noop("奖牌"),
    "certificate": gettext_noop("证书"),
    "title": gettext_noop("称号"),
    "trophy": gettext_noop("奖杯"),
}
RECOMMENDERS = {
    "supervising_department": gettext_noop("主管部门"),
    "town": gettext_noop("镇（街道、开发区）"),
    "industry_association": gettext_noop("行业协会"),
    "industry_authority": gettext_noop("行业主管部门"),
    "county_government": gettext_noop("县（区）人民政府"),
}
PERSON_FIELDS = {
    "name": gettext_noop("姓名"),
    "id_number": gettext_noop("身份证号码"),
    "contact": gettext_noop("联系方式"),
}
ORGANIZATION_FIELDS = {
    "name": gettext_noop("单位名称"),
    "address": gettext_noop("住所"),
    "contact": gettext_noop("联系方式"),
    "seal": gettext_noop("加盖单位公章"),
}


def labels(codes: Iterable[str], names: dict[str, str]) -> str:
    """Translated names of schema codes; an unknown code shows as itself rather than vanishing."""
    return join(_(names[c]) if c in names else c for c in codes)


def recommender_name(code: Recommender, recommendation: Recommendation) -> str:
    """A recommender as the regulation names it (Recommendation.names_zh / names_en), else the shared label."""
    own = recommendation.names_en if english() else recommendation.names_zh
    if own.get(code):
        return own[code]
    return _(RECOMMENDERS[code]) if code in RECOMMENDERS else code


def recommender_names(codes: Iterable[Recommender], recommendation: Recommendation) -> str:
    return join(recommender_name(c, recommendation) for c in codes)


@dataclass(frozen=True)
class Rule:
    text: str
    # The article (第十八条), or for an office setting the badge text (评审办设定).
    cite: str
    is_office_setting: bool = False
    note: str = ""


def cite_label(cite: str) -> str:
    """A citation string as shown: the article (in English "Art. 12 (第十二条)"), or the office badge
    for an office setting."""
    if cite == OFFICE_SETTING:
        return _("评审办设定")
    return cite_in_english(cite) if english() else cite


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = "一二三四五六七八九十零〇两百"


def _numeral(text: str) -> int | None:
    """一 … 一百九十九, as the texts number their articles, items and chapters."""
    if not text or any(ch not in _NUM for ch in text):
        return None
    hundreds, _sep, rest = text.rpartition("百")
    total = (_DIGITS.get(hundreds, 1) * 100) if _sep else 0
    if "十" in rest:
        tens, _t, units = rest.partition("十")
        total += (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)
    elif rest:
        total += _DIGITS.get(rest.lstrip("零〇"), 0) if rest.strip("零〇") else 0
    return total


def _items(text: str) -> str:
    """（三）（二） → (3)(2); anything else is left out."""
    found = re.findall(r"（([" + _NUM + r"]+)）", text)
    return "".join(f"({_numeral(n)})" for n in found if _numeral(n) is not None)


def cite_in_english(cite: str) -> str:
    """第十二条 → "Art. 12 (第十二条)", 第十四条（三） → "Art. 14(3) (第十四条（三）)", 第十五～十六条 →
    "Arts. 15–16 (…)"; Binjiang's chapter-and-paragraph 四（四） → "Ch. 4(4) (四（四）)". A citation of
    another shape is shown as written."""
    article = re.fullmatch(r"第([" + _NUM + r"]+)(?:([、～~至])第?([" + _NUM + r"]+))?条((?:（[" + _NUM + r"]+）)*)(.*)",
                           cite)
    if article:
        first, last = _numeral(article.group(1)), _numeral(article.group(3) or "")
        if first is None:
            return cite
        if last is not None:
            joiner = " and " if article.group(2) == "、" else "–"
            return f"Arts. {first}{joiner}{last}{_items(article.group(4))} ({cite})"
        return f"Art. {first}{_items(article.group(4))} ({cite})"
    chapter = re.fullmatch(r"([" + _NUM + r"]+)((?:（[" + _NUM + r"]+）)*)", cite)
    if chapter and _numeral(chapter.group(1)) is not None:
        return f"Ch. {_numeral(chapter.group(1))}{_items(chapter.group(2))} ({cite})"
    return cite


def cite_text(profile: RuleProfileDoc, cited: Cited) -> str:
    """A citation as a reader sees it: the article, or for an office setting the office's own badge
    (审定办设定), never the schema's marker "office setting"."""
    if cited.is_office_setting:
        office = _("评审办") if english() else profile.bodies.office_short_zh.value
        return _("%(office)s设定") % {"office": office}
    return cite_in_english(cited.cite) if english() else cited.cite


class Sentences:
    """Builds sentences about one profile in the active language; the presenter's sections extend it."""

    def __init__(self, profile: RuleProfileDoc):
        self.p = profile
        self.en = english()
        bodies = profile.bodies
        self.office = _("评审办") if self.en else bodies.office_short_zh.value
        self.committee = bodies.committee_en.value if self.en else bodies.committee_zh.value
        self.badge = _("%(office)s设定") % {"office": self.office}

    def rule(self, text: str, cited: Cited | None = None) -> Rule:
        if cited is None:
            return Rule(text=text, cite="")
        note = (cited.note_en or cited.note_zh) if self.en else cited.note_zh
        if cited.is_office_setting:
            return Rule(text=text, cite=self.badge, is_office_setting=True, note=note)
        return Rule(text=text, cite=cite_in_english(cited.cite) if self.en else cited.cite, note=note)

    def award_name(self, award: Award) -> str:
        return award.name_en if self.en else award.name_zh

    def prize(self, award: Award) -> str:
        honours = labels(award.honours.value, HONOURS)
        if award.prize_cny.value:
            return _("%(honours)s，奖金%(money)s") % {"honours": honours, "money": money(award.prize_cny.value)}
        return _("%(honours)s，不设奖金") % {"honours": honours}

    def lower_tier_names(self) -> str:
        return join(self.award_name(a) for a in self.p.awards if a.lower_tier_of)

    def document_review_name(self) -> str:
        """The document-review stage as the text names it (Daqing 第十四条 材料评审, elsewhere 资料评审)."""
        stage = self.p.stage("document_review")
        if stage is None:
            return _("资料评审")
        return stage.name_en if self.en else stage.name_zh.value

    def cycle(self) -> Rule:
        interval = self.p.cycle.interval_years
        if interval.value == 1:
            return self.rule(_("每年评审一届。"), interval)
        return self.rule(_("每%(n)s年评审一届。") % {"n": interval.value}, interval)


# What a recorded rule path (ApplicationEvent.rule, a reason's "rule") reads as on a page: the most
# specific known prefix wins, down to the profile section; a path of none of these reads as nothing.
_RULE_LABELS = {
    "application.submit": gettext_noop("提交申报"),
    "application.withdraw": gettext_noop("撤回申报"),
    "eligibility": gettext_noop("资格审查"),
    "eligibility.conditions": gettext_noop("申报条件"),
    "eligibility.recommendation": gettext_noop("推荐意见"),
    "eligibility.return_for_completion": gettext_noop("退回补正"),
    "bans": gettext_noop("限制申报"),
    "review": gettext_noop("评审"),
    "review.reopen.document": gettext_noop("重新开放资料评审得分"),
    "review.reopen.site": gettext_noop("重新开放现场评审得分"),
    "shortlist": gettext_noop("入围现场评审"),
    "shortlist.ratio": gettext_noop("入围名额上限"),
    "shortlist.rule": gettext_noop("入围规则"),
    "shortlist.tie": gettext_noop("入围并列"),
    "scoring": gettext_noop("评分与分数线"),
    "scoring.weights": gettext_noop("综合得分权重"),
    "awards": gettext_noop("奖项设置"),
    "quota_rules": gettext_noop("名额规则"),
    "quota_rules.total_cap": gettext_noop("获奖总数上限"),
    "vote": gettext_noop("评委会表决"),
    "vote.majority": gettext_noop("表决通过票数"),
    "vote.ranking": gettext_noop("表决排序"),
    "vote.tie_break": gettext_noop("票数相同的处理"),
    "vote.cascade_to_lower_tier": gettext_noop("转入下一层级奖项"),
    "vote.method": gettext_noop("表决方式"),
    "publicity": gettext_noop("公示"),
    "publicity.period": gettext_noop("公示期"),
    "publicity.confirmed_violation_disqualifies": gettext_noop("异议查实取消资格"),
    "objections": gettext_noop("异议处理"),
    "approval": gettext_noop("审批与发布"),
    "post_award": gettext_noop("获奖后管理"),
    "calendar": gettext_noop("工作日历"),
}
# awards.<code>.floors.total → the award's floors; awards.<code>.quota → its quota.
_AWARD_PARTS = {
    "floors": gettext_noop("分数线"),
    "quota": gettext_noop("奖项名额"),
    "outside_quota": gettext_noop("不占名额"),
}


def rule_label(path: str) -> str:
    """A recorded rule path in words (`shortlist.rule` → 入围规则), never the path itself."""
    if not path:
        return ""
    parts = path.split(".")
    if parts[0] == "awards" and len(parts) >= 3 and parts[2] in _AWARD_PARTS:
        return _(_AWARD_PARTS[parts[2]])
    for n in range(len(parts), 0, -1):
        label = _RULE_LABELS.get(".".join(parts[:n]))
        if label:
            return _(label)
    return ""

"""How rule values read in a sentence: money, periods, counting words, labels of codes, and the
cited sentence (Rule) every section of the rules page is made of.

Everything here answers in the active language; the rules presenter calls it inside
``translation.override``.
"""

from __future__ import annotations

import datetime as dt
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
    """A citation string as shown: the article, or the office badge for an office setting."""
    return _("评审办设定") if cite == OFFICE_SETTING else cite


def cite_text(profile: RuleProfileDoc, cited: Cited) -> str:
    """A citation as a reader sees it: the article, or for an office setting the office's own badge
    (审定办设定), never the schema's marker "office setting"."""
    if cited.is_office_setting:
        office = _("评审办") if english() else profile.bodies.office_short_zh.value
        return _("%(office)s设定") % {"office": office}
    return cited.cite


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
        return Rule(text=text, cite=cited.cite, note=note)

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

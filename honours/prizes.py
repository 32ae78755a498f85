"""Each winner's prize under its profile and its own history, every step with its article.

Pure: `decide` takes the profile, the award won, what the organisation won and was paid before, and
the higher honours it claims; it returns the money and the reasons. The profile says everything:

- the award's money (`awards[].prize_cny`), or the repeat's (`repeat_win.prize_cny`: Binjiang 五（四）,
  Keqiao 第二十四条, Zhuji 第十四条, Daqing 第二十五条) when the organisation won this award before;
- no money after an earlier award named in `no_prize_after` (Binjiang 五（四）: a past quality winner
  winning the nomination award);
- the same award paid once (`quota_rules.same_award_paid_once`);
- an upgrade paying the difference (`quota_rules.upgrade_pays_difference`, Zhuji 第十四条: an
  innovation winner later winning quality is paid quality's money less what innovation paid);
- one organisation's total capped (`quota_rules.prize_cumulative_cap_cny`, Keqiao 第二十四条);
- higher-honour bonuses (`higher_honours`, Binjiang 五（五）): the highest claimed, not added up, and
  less any bonus already paid to the organisation for another honour (就高不重复).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jurisdictions.profile_schema import OFFICE_SETTING


@dataclass(frozen=True)
class PastAward:
    """An earlier award of the organisation in this jurisdiction (PastOutcome, not revoked)."""

    year: int
    award_code: str
    prize_cny: int


@dataclass(frozen=True)
class Claim:
    """A higher honour the winner claims a bonus for."""

    level_zh: str
    nomination: bool
    year: int


@dataclass
class Decision:
    award_code: str
    award_name: str
    prize_cny: int
    bonus_cny: int
    counts_in_quota: bool
    honours: list[str]
    reasons: list[dict] = field(default_factory=list)
    # The amount each claim is worth under the profile (claim index → CNY), the bonus being the highest.
    claim_amounts: list[int] = field(default_factory=list)

    @property
    def total_cny(self) -> int:
        return self.prize_cny + self.bonus_cny


def yuan(amount: int) -> str:
    return f"{amount:,}"


def _name(rules, code: str) -> str:
    try:
        return rules.award(code).name_zh
    except KeyError:
        return code


def decide(rules, award_code: str, past: list[PastAward], *, counts_in_quota: bool = True,
           claims: list[Claim] | None = None, earlier_bonus_cny: int = 0) -> Decision:
    """The prize of a winner of `award_code`, given its earlier awards `past` and higher-honour `claims`.

    `counts_in_quota` is the committee's finding (a winner elected outside the quota takes no place);
    `earlier_bonus_cny` is what the organisation was already paid in higher-honour bonuses."""
    award = rules.award(award_code)
    reasons: list[dict] = []

    def say(rule: str, cite: str, text: str) -> None:
        reasons.append({"rule": rule, "cite": cite, "text": text})

    prize = award.prize_cny.value
    honours = list(award.honours.value)
    if prize:
        say(f"awards.{award_code}.prize_cny", award.prize_cny.cite,
            _("获%(award)s，奖金%(amount)s元。") % {"award": award.name_zh, "amount": yuan(prize)})
    else:
        say(f"awards.{award_code}.prize_cny", award.prize_cny.cite,
            award.prize_cny.note_zh or _("%(award)s不发奖金。") % {"award": award.name_zh})
    same = [p for p in past if p.award_code == award_code]
    if same and award.repeat_win:
        repeat = award.repeat_win
        prize = min(prize, repeat.prize_cny.value)
        if repeat.honours:
            honours = list(repeat.honours.value)
        say(f"awards.{award_code}.repeat_win.prize_cny", repeat.prize_cny.cite,
            _("曾于%(year)s年获%(award)s，再次获得：奖金%(amount)s元。%(note)s") % {
                "year": same[0].year, "award": award.name_zh, "amount": yuan(repeat.prize_cny.value),
                "note": repeat.prize_cny.note_zh})
        if not repeat.counts_in_quota.value:
            counts_in_quota = False
    if award.no_prize_after:
        earlier = [p for p in past if p.award_code in award.no_prize_after.value]
        if earlier and prize:
            prize = 0
            say(f"awards.{award_code}.no_prize_after", award.no_prize_after.cite,
                _("曾于%(year)s年获%(past)s，本次获%(award)s不发奖金。%(note)s") % {
                    "year": earlier[0].year, "past": _name(rules, earlier[0].award_code), "award": award.name_zh,
                    "note": award.no_prize_after.note_zh})
    q = rules.quota_rules
    if q.same_award_paid_once and q.same_award_paid_once.value and prize:
        paid_before = [p for p in same if p.prize_cny > 0]
        if paid_before:
            prize = 0
            say("quota_rules.same_award_paid_once", q.same_award_paid_once.cite,
                _("%(award)s已于%(year)s年发放奖金%(amount)s元，同一奖项不重复奖励。") % {
                    "award": award.name_zh, "year": paid_before[0].year, "amount": yuan(paid_before[0].prize_cny)})
    if q.upgrade_pays_difference and prize:
        order = q.upgrade_pays_difference.value
        if award_code in order:
            lower = order[: order.index(award_code)]
            paid_lower = [p for p in past if p.award_code in lower and p.prize_cny > 0]
            if paid_lower:
                deducted = max(p.prize_cny for p in paid_lower)
                prize = max(0, prize - deducted)
                say("quota_rules.upgrade_pays_difference", q.upgrade_pays_difference.cite,
                    _("曾于%(year)s年获%(lower)s并获奖金%(paid)s元，本次获%(award)s奖励差额%(amount)s元。") % {
                        "year": paid_lower[0].year, "lower": _name(rules, paid_lower[0].award_code),
                        "paid": yuan(deducted), "award": award.name_zh, "amount": yuan(prize)})
    if q.prize_cumulative_cap_cny and prize:
        cap = q.prize_cumulative_cap_cny.value
        paid = sum(p.prize_cny for p in past)
        if paid + prize > cap:
            prize = max(0, cap - paid)
            say("quota_rules.prize_cumulative_cap_cny", q.prize_cumulative_cap_cny.cite,
                _("同一组织累计奖金不超过%(cap)s元；此前已获%(paid)s元，本次发放%(amount)s元。") % {
                    "cap": yuan(cap), "paid": yuan(paid), "amount": yuan(prize)})
    bonus, amounts = 0, list[int]()
    if claims:
        bonus, amounts = _bonus(rules, claims, earlier_bonus_cny, say)
    if not counts_in_quota:
        say(f"awards.{award_code}.counts_in_quota",
            award.repeat_win.counts_in_quota.cite if award.repeat_win and same else
            (award.outside_quota_after.cite if award.outside_quota_after else ""),
            _("不占当年奖项名额。"))
    return Decision(award_code, award.name_zh, prize, bonus, counts_in_quota, honours, reasons, amounts)


def _bonus(rules, claims: list[Claim], earlier_bonus_cny: int, say) -> tuple[int, list[int]]:
    h = rules.higher_honours
    if h is None:
        say("higher_honours", OFFICE_SETTING, _("本办法未规定获得上级质量荣誉的奖励，登记的上级荣誉不发奖励。"))
        return 0, [0] * len(claims)
    levels = {b.level_zh: b for b in h.bonuses.value}
    amounts = []
    for claim in claims:
        level = levels.get(claim.level_zh)
        amount = 0 if level is None else (level.nomination_amount_cny if claim.nomination else level.award_amount_cny)
        amounts.append(amount)
        say("higher_honours.bonuses", h.bonuses.cite,
            _("%(year)s年获%(level)s%(kind)s，奖励标准%(amount)s元。") % {
                "year": claim.year, "level": claim.level_zh, "kind": _("提名奖") if claim.nomination else "",
                "amount": yuan(amount)})
    if not amounts:
        return 0, amounts
    bonus = max(amounts) if h.highest_only.value else sum(amounts)
    if h.highest_only.value and len(amounts) > 1:
        say("higher_honours.highest_only", h.highest_only.cite,
            _("各级政府质量奖奖励就高不重复：按最高一项%(amount)s元奖励。") % {"amount": yuan(bonus)})
    if earlier_bonus_cny and h.highest_only.value:
        bonus = max(0, bonus - earlier_bonus_cny)
        say("higher_honours.highest_only", h.highest_only.cite,
            _("此前已获上级荣誉奖励%(paid)s元，就高不重复，本次补足差额%(amount)s元。") % {
                "paid": yuan(earlier_bonus_cny), "amount": yuan(bonus)})
    return bonus, amounts

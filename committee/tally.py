"""Counting one round: pure, no database. The profile's rules come in as `TallyRules`.

Majority on the profile's basis (members present, valid votes, or all members), with the counting
word as written (半数以上 includes exactly half); blank and spoiled ballots; ranking by yes votes;
quota places through reviews.ranked_cut.cut_at_cap, so equal votes share a rank and a tie across
the last place is never broken by filing order: the profile's tie rule breaks it (Zhuji: the
comprehensive score), or it is left to the committee (a revote or a recorded decision). Winners
outside the quota take no place, so the place goes to the next candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from jurisdictions.profile_schema import Threshold
from reviews.ranked_cut import cut_at_cap, shared_ranks
from reviews.score_display import show_score

YES, NO, ABSTAIN = "yes", "no", "abstain"
CHOICES = (YES, NO, ABSTAIN)
MARKED, BLANK, SPOILED = "marked", "blank", "spoiled"


@dataclass(frozen=True)
class TallyRules:
    majority_basis: str            # present | valid_votes | members
    majority: Threshold
    majority_cite: str
    basis_cite: str
    ranking_cite: str
    tie_break: str                 # comprehensive_score | revote | committee_decides
    tie_cite: str
    blank_valid: bool = True
    blank_cite: str = ""
    award_name: str = ""


@dataclass(frozen=True)
class BallotIn:
    kind: str                      # marked | blank | spoiled
    choices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CandidateIn:
    key: int
    score: Decimal | None = None
    # Why this candidate, if elected, takes no place: {"rule", "cite", "text"}.
    outside_quota: dict | None = None


@dataclass
class CandidateResult:
    key: int
    yes: int = 0
    no: int = 0
    abstain: int = 0
    passed: bool = False
    rank: int | None = None
    outcome: str = ""              # elected | elected_outside_quota | tied | not_elected
    reasons: list[dict] = field(default_factory=list)


@dataclass
class TallyResult:
    present: int
    members: int
    ballots: int
    spoiled: int
    blank: int
    valid: int
    basis: int
    needed: int
    places: int
    results: dict[int, CandidateResult]
    tie_places: int = 0

    @property
    def tied(self) -> list[int]:
        return [k for k, r in self.results.items() if r.outcome == "tied"]


def fraction_label(t: Threshold) -> str:
    word = _("以上（含本数）") if t.counting == "at_least" else _("（超过，不含本数）")
    if (t.numerator, t.denominator) == (1, 2):
        return _("半数") + word
    return f"{t.numerator}/{t.denominator}" + word


def least_meeting(t: Threshold, base: int) -> int:
    """The smallest count that meets the threshold of `base` (integers only)."""
    need = -(-t.numerator * base // t.denominator)   # ceil
    if t.counting == "more_than" and need * t.denominator == t.numerator * base:
        need += 1
    return need


def basis_label(basis: str) -> str:
    return {"present": _("到会委员"), "valid_votes": _("有效票"), "members": _("全体委员")}[basis]


def count(rules: TallyRules, *, present: int, members: int, ballots: Sequence[BallotIn],
          candidates: Sequence[CandidateIn], places: int) -> TallyResult:
    results = {c.key: CandidateResult(c.key) for c in candidates}
    spoiled = blank = valid = 0
    for ballot in ballots:
        if ballot.kind == SPOILED or (ballot.kind == BLANK and not rules.blank_valid):
            spoiled += 1
            continue
        valid += 1
        if ballot.kind == BLANK:
            blank += 1
        for key, result in results.items():
            choice = ballot.choices.get(str(key), ABSTAIN) if ballot.kind == MARKED else ABSTAIN
            setattr(result, choice if choice in CHOICES else ABSTAIN,
                    getattr(result, choice if choice in CHOICES else ABSTAIN) + 1)
    basis = {"present": present, "valid_votes": valid, "members": members}[rules.majority_basis]
    needed = least_meeting(rules.majority, basis)
    by_key = {c.key: c for c in candidates}
    ranks = shared_ranks([(k, Decimal(r.yes)) for k, r in results.items()])
    for key, result in results.items():
        result.rank = ranks[key]
        result.passed = basis > 0 and rules.majority.met(result.yes, basis)
        values = {"yes": result.yes, "no": result.no, "abstain": result.abstain, "label": basis_label(rules.majority_basis),
                  "basis": basis, "fraction": fraction_label(rules.majority), "need": needed}
        text = _("赞成%(yes)s票、不赞成%(no)s票、弃权%(abstain)s票；%(label)s%(basis)s，须获%(fraction)s赞成票"
                 "（至少%(need)s票），") % values
        text += _("达到。") if result.passed else _("未达到，未当选。")
        result.reasons.append({"rule": "vote.majority", "cite": rules.majority_cite, "text": text})
        if not result.passed:
            result.outcome = "not_elected"
    passing = [k for k, r in results.items() if r.passed]
    for key in passing:
        exemption = by_key[key].outside_quota
        if exemption:
            results[key].outcome = "elected_outside_quota"
            results[key].reasons.append({
                "rule": exemption["rule"], "cite": exemption["cite"],
                "text": _("%(why)s：当选，不占名额，名额顺延给其后的候选组织。") % {"why": exemption["text"]}})
    competing = [(k, Decimal(results[k].yes)) for k in passing if not by_key[k].outside_quota]
    cut = cut_at_cap(competing, places)
    for key in cut.inside:
        results[key].outcome = "elected"
        results[key].reasons.append({"rule": "vote.ranking", "cite": rules.ranking_cite, "text": _(
            "按得票多少排序，在%(award)s名额%(places)s个之内，当选。") % {"award": rules.award_name, "places": places}})
    for key in cut.outside:
        results[key].outcome = "not_elected"
        results[key].reasons.append({"rule": "vote.ranking", "cite": rules.ranking_cite, "text": _(
            "按得票多少排序，在%(award)s名额%(places)s个之外，未当选。") % {"award": rules.award_name, "places": places}})
    tie_places = cut.places_left
    if cut.tied:
        tie_text = {"n": len(cut.tied), "votes": int(cut.tie_score or 0), "places": cut.places_left}
        if rules.tie_break == "comprehensive_score" and all(by_key[k].score is not None for k in cut.tied):
            scores = {k: by_key[k].score for k in cut.tied}
            second = cut_at_cap([(k, s) for k, s in scores.items() if s is not None], cut.places_left)
            for key in second.inside:
                results[key].outcome = "elected"
                results[key].reasons.append({"rule": "vote.tie_break", "cite": rules.tie_cite, "text": _(
                    "%(n)s家得票同为%(votes)s票，争%(places)s个名额；按综合评价总评分（%(score)s分）确定，当选。")
                    % {**tie_text, "score": show_score(by_key[key].score)}})
            for key in second.outside:
                results[key].outcome = "not_elected"
                results[key].reasons.append({"rule": "vote.tie_break", "cite": rules.tie_cite, "text": _(
                    "%(n)s家得票同为%(votes)s票，争%(places)s个名额；按综合评价总评分（%(score)s分）确定，未当选。")
                    % {**tie_text, "score": show_score(by_key[key].score)}})
            tie_places = second.places_left
            still = second.tied
        else:
            still = cut.tied
        for key in still:
            results[key].outcome = "tied"
            results[key].reasons.append({"rule": "vote.tie_break", "cite": rules.tie_cite, "text": _(
                "%(n)s家得票相同，争%(places)s个名额：不按申报先后取舍，须由评委会重新投票或作出决定。")
                % {"n": len(still), "places": tie_places}})
    return TallyResult(present=present, members=members, ballots=len(ballots), spoiled=spoiled, blank=blank,
                       valid=valid, basis=basis, needed=needed, places=places, results=results,
                       tie_places=tie_places if cut.tied else 0)

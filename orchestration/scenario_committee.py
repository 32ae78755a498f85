"""A scenario's `committee` block (docs/scenario-format.md) driven through the committee's own code.

The run seats the file's `members`, records the first `present` of them as present, and lets the
quorum rule decide whether the meeting may vote (committee.meetings). Each award's round is opened,
voted ballot by ballot and closed by committee.rounds and committee.ballot, in the order the profile
gives (a lower tier after its parent, so Keqiao's cascade reaches the nomination round); a tie the
text leaves to the committee is settled as the file's `ties` says, or stays open. Daqing's joint
meeting records its `deliberation` instead. Nothing is counted here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from awards.models import Application, AwardCycle
from awards.refusals import ServiceError
from awards.states import AppState
from awards.workflow import TransitionError
from committee import ballot, meetings, rounds
from committee.models import Attendance, CommitteeMember, Meeting, Round, RoundCandidate
from jurisdictions.rules_wording import cite_label

SPOILED_WORDS = ("spoiled", "invalid")
# The run's meeting is held this long after applications close, its members seated from that day.
MEETING_AFTER_CLOSE = dt.timedelta(days=150)
PRE_REVIEW = "有关部门审议确定候选组织建议名单（情景运行）。"
DELIBERATION_NOTE = "联席会议各成员单位讨论审议（情景运行）。"


class CommitteeScenarioError(ValueError):
    """The committee block cannot be run: malformed, or refused by a rule (the message names it)."""


def _count(value: Any, where: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        top = f" to {high}" if high is not None else " or more"
        raise CommitteeScenarioError(f"{where} must be a whole number from {low}{top}, not {value!r}")
    return value


def _ballots(spec: Any, where: str, refs: dict[str, int]) -> list[tuple[str, dict[str, str]]]:
    """A round's ballots as (kind, choices by application id); `{"repeat": n, "ballot": b}` is n copies."""
    if not isinstance(spec, list):
        raise CommitteeScenarioError(f"{where} must be a list of ballots")
    out: list[tuple[str, dict[str, str]]] = []
    for i, item in enumerate(spec):
        here = f"{where}[{i}]"
        copies = 1
        if isinstance(item, dict) and "repeat" in item:
            copies = _count(item.get("repeat"), f"{here}.repeat", 1)
            item, here = item.get("ballot"), f"{here}.ballot"
        if item == "blank":
            one: tuple[str, dict[str, str]] = ("blank", {})
        elif item in SPOILED_WORDS:
            one = ("spoiled", {})
        elif isinstance(item, dict):
            unknown = sorted(set(item) - set(refs))
            if unknown:
                raise CommitteeScenarioError(
                    f"{here}: {', '.join(unknown)} not on this round's list (candidates: {', '.join(refs) or 'none'})")
            bad = {ref: mark for ref, mark in item.items() if mark not in ("yes", "no", "abstain")}
            if bad:
                raise CommitteeScenarioError(f"{here}: each mark is yes, no or abstain, not {bad}")
            # A candidate the ballot leaves unmarked counts as an abstention.
            one = ("marked", {str(pk): item.get(ref, "abstain") for ref, pk in refs.items()})
        else:
            raise CommitteeScenarioError(f"{here}: a ballot is an object of marks, \"blank\" or \"spoiled\"")
        out.extend([one] * copies)
    return out


def _refs_of(round_or_apps, ref_by_pk: dict[int, str]) -> dict[str, int]:
    return {ref_by_pk[pk]: pk for pk in round_or_apps}


def run(cycle: AwardCycle, office: User, spec: Any, apps: dict[str, Application]) -> dict[str, Any]:
    """Drive the committee stage; returns the output's `committee` object. Applications move through
    the workflow as the rounds decide; the caller reads their states and `entries_of` back."""
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise CommitteeScenarioError("committee must be an object")
    rules = cycle.profile.typed
    members_n = _count(spec.get("members"), "committee.members", 1, 200)
    present_n = _count(spec.get("present"), "committee.present", 0, members_n)
    deliberates = rules.vote.method.value == "deliberation"
    if deliberates and spec.get("rounds"):
        raise CommitteeScenarioError(
            f"committee.rounds: this profile decides by deliberation (vote.method, {rules.vote.method.cite}); "
            "give committee.deliberation instead")
    if not deliberates and spec.get("deliberation"):
        raise CommitteeScenarioError(
            f"committee.deliberation: this profile decides by secret ballot (vote.method, {rules.vote.method.cite}); "
            "give committee.rounds instead")
    held_on = cycle.close_date + MEETING_AFTER_CLOSE
    seats = [CommitteeMember.objects.create(jurisdiction=cycle.jurisdiction, name=f"委员{i + 1}", position="委员",
                                            is_chair=i == 0, serves_from=held_on) for i in range(members_n)]
    try:
        meeting = meetings.create_meeting(cycle, held_on=held_on, chair=seats[0], actor=office)
        # The scenario's committee is the file's: a live roster of the same jurisdiction has no seat in it.
        Attendance.objects.filter(meeting=meeting).exclude(member__in=seats).delete()
        meetings.record_attendance(meeting, {m.pk for m in seats[:present_n]}, office)
        if rules.vote.pre_meeting_review_zh is not None:
            meetings.record_pre_review(meeting, PRE_REVIEW, office)
    except ServiceError as exc:
        raise CommitteeScenarioError(f"committee: {exc.message}") from exc
    q = meetings.quorum(meeting)
    out: dict[str, Any] = {
        "quorum_met": q.met,
        "quorum": {"members": q.members, "present": q.present, "needed": q.needed, "rule": "vote.quorum",
                   "cite": q.cite, "text": q.text},
        "rounds": [],
    }
    if not q.met:
        rule = f"vote.quorum, {q.cite}" if cite_label(q.cite) not in q.text else "vote.quorum"
        raise CommitteeScenarioError(f"committee.present: {q.text} ({rule})")
    ref_by_pk = {app.pk: ref for ref, app in apps.items()}
    try:
        if deliberates:
            _deliberate(meeting, office, spec.get("deliberation") or {}, ref_by_pk, out)
        else:
            named = _government_named(spec.get("government_named") or {}, apps)
            _vote(meeting, office, spec.get("rounds") or {}, spec.get("ties") or {}, seats[:present_n], ref_by_pk,
                  out, named)
    except ServiceError as exc:
        raise CommitteeScenarioError(f"committee: {exc.message}") from exc
    except TransitionError as exc:
        raise CommitteeScenarioError(f"committee: {exc}") from exc
    return out


def _round_row(round_: Round, ref_by_pk: dict[int, str]) -> dict[str, Any]:
    entries = list(round_.candidates.order_by("position"))
    Outcome = RoundCandidate.Outcome
    row: dict[str, Any] = {
        "number": round_.number, "award": round_.award_code, "method": round_.method,
        "places": round_.places, "places_reasons": round_.places_reasons,
        "candidates": [ref_by_pk[e.application_id] for e in entries],
        "elected": [ref_by_pk[e.application_id] for e in entries if e.outcome in rounds.ELECTED],
        "tied": [ref_by_pk[e.application_id] for e in entries if e.outcome == Outcome.TIED],
    }
    if round_.is_ballot:
        row |= {"ballots": round_.ballots_count, "blank": round_.blank_count, "spoiled": round_.spoiled_count}
    if round_.revote_of_id:
        row["revote_of"] = round_.revote_of.number if round_.revote_of else None
    return row


def _government_named(spec: Any, apps: dict[str, Application]) -> dict[int, tuple[str, dt.date]]:
    """Keqiao 第二十二条: `{"A3": {"document": "柯政发〔2026〕12号", "decided_on": "2026-10-15"}}`."""
    if not isinstance(spec, dict):
        raise CommitteeScenarioError("committee.government_named must be an object: ref → {document, decided_on}")
    named: dict[int, tuple[str, dt.date]] = {}
    for ref, item in spec.items():
        where = f"committee.government_named.{ref}"
        if ref not in apps:
            raise CommitteeScenarioError(f"{where}: not a candidate")
        if not isinstance(item, dict):
            raise CommitteeScenarioError(f"{where} must be an object with document and decided_on")
        try:
            day = dt.date.fromisoformat(str(item.get("decided_on")))
        except ValueError as exc:
            raise CommitteeScenarioError(f"{where}.decided_on: not a date (YYYY-MM-DD)") from exc
        named[apps[ref].pk] = (str(item.get("document") or ""), day)
    return named


def _vote(meeting: Meeting, office: User, spec: Any, ties: Any, present: list[CommitteeMember],
          ref_by_pk: dict[int, str], out: dict[str, Any], named: dict[int, tuple[str, dt.date]]) -> None:
    rules = meeting.cycle.profile.typed
    if not isinstance(spec, dict) or not isinstance(ties, dict):
        raise CommitteeScenarioError("committee.rounds and committee.ties must be objects keyed by award code")
    unknown = sorted(set(spec) - set(rules.award_codes)) or sorted(set(ties) - set(rules.award_codes))
    if unknown:
        raise CommitteeScenarioError(f"committee: unknown award {unknown[0]!r} (awards: {', '.join(rules.award_codes)})")
    for award in rules.awards:
        if not rounds.candidates_for(meeting, award.code):
            continue
        if award.code not in spec:
            continue  # not voted in this file: the award stays undecided (a lower tier then cannot open)
        round_ = rounds.open_round(meeting, award.code, Round.Method.ONLINE, office)
        if rounds.government_naming_rule(rules, award.code):
            # Recorded by the office before the close, as on the round page.
            for entry in round_.candidates.filter(application_id__in=list(named)):
                document, day = named[entry.application_id]
                rounds.record_government_naming(entry, document=document, decided_on=day, actor=office,
                                                today=meeting.held_on)
        closed = _cast_and_close(round_, spec[award.code], f"committee.rounds.{award.code}", present, office,
                                 ref_by_pk)
        out["rounds"].append(_round_row(closed, ref_by_pk))
        while closed.candidates.filter(outcome=RoundCandidate.Outcome.TIED).exists() and not closed.tie_settled_at:
            settle = ties.get(award.code)
            if not isinstance(settle, dict):
                return  # a tie the file does not settle stops the vote: no later round may open
            where = f"committee.ties.{award.code}"
            if "revote" in settle:
                revote = rounds.open_revote(closed, office)
                closed = _cast_and_close(revote, settle["revote"], f"{where}.revote", present, office, ref_by_pk)
                out["rounds"].append(_round_row(closed, ref_by_pk))
                ties = {**ties, award.code: None}
            else:
                picks = settle.get("decide")
                tied = {ref_by_pk[e.application_id]: e.application_id
                        for e in closed.candidates.filter(outcome=RoundCandidate.Outcome.TIED)}
                if not isinstance(picks, list) or set(picks) - set(tied):
                    raise CommitteeScenarioError(f"{where}.decide must list some of the tied: {', '.join(tied)}")
                rounds.settle_tie(closed, {tied[r] for r in picks}, str(settle.get("reason") or ""), office)
                closed.refresh_from_db()
                out["rounds"][-1] = _round_row(closed, ref_by_pk) | {"settled": closed.tie_reason}


def _cast_and_close(round_: Round, spec: Any, where: str, present: list[CommitteeMember], office: User,
                    ref_by_pk: dict[int, str]) -> Round:
    refs = _refs_of(round_.candidates.order_by("position").values_list("application_id", flat=True), ref_by_pk)
    ballots = _ballots(spec, where, refs)
    if len(ballots) > len(present):
        raise CommitteeScenarioError(
            f"{where}: {len(ballots)} ballots but {len(present)} members present (one ballot each)")
    for member, (kind, choices) in zip(present, ballots, strict=False):
        ballot.cast(round_, member, kind, choices)
    return rounds.close_round(round_, office)


def _deliberate(meeting: Meeting, office: User, spec: Any, ref_by_pk: dict[int, str], out: dict[str, Any]) -> None:
    rules = meeting.cycle.profile.typed
    if not isinstance(spec, dict):
        raise CommitteeScenarioError("committee.deliberation must be an object: award code → list of refs")
    pk_by_ref = {ref: pk for pk, ref in ref_by_pk.items()}
    for award in rules.awards:
        listed = rounds.candidates_for(meeting, award.code)
        if not listed:
            continue
        if award.code not in spec:
            continue
        chosen = spec[award.code]
        names = {ref_by_pk[a.pk] for a in listed}
        if not isinstance(chosen, list) or set(chosen) - names:
            raise CommitteeScenarioError(
                f"committee.deliberation.{award.code} must list some of the recommended: {', '.join(sorted(names))}")
        round_ = rounds.record_deliberation(meeting, award.code, {pk_by_ref[r] for r in chosen}, DELIBERATION_NOTE,
                                            office)
        out["rounds"].append(_round_row(round_, ref_by_pk))


def outcomes(cycle: AwardCycle, apps: dict[str, Application]) -> dict[str, dict[str, Any]]:
    """Per applicant on a closed round: its state, award, whether it counts in the quota, the votes
    per award and the rounds' reasons (in round order)."""
    entries = (RoundCandidate.objects.filter(round__meeting__cycle=cycle, round__state=Round.State.CLOSED)
               .select_related("round").order_by("round__number"))
    ref_by_pk = {app.pk: ref for ref, app in apps.items()}
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        ref = ref_by_pk[entry.application_id]
        row = found.setdefault(ref, {"award": None, "counts_in_quota": None, "votes": {}, "reasons": []})
        if entry.round.is_ballot:
            row["votes"][entry.round.award_code] = {"yes": entry.yes, "no": entry.no, "abstain": entry.abstain}
        row["reasons"].extend({"rule": r["rule"], "cite": r["cite"], "text": r["text"]} for r in entry.reasons)
        if entry.decided_move == AppState.PROPOSED:
            row["award"] = entry.round.award_code
            row["counts_in_quota"] = entry.outcome == RoundCandidate.Outcome.ELECTED
    for ref, row in found.items():
        apps[ref].refresh_from_db(fields=["state"])
        row["final_state"] = apps[ref].state
    return found

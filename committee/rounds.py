"""Rounds: which candidates go on which round, how many places it fills, opening and closing it,
settling a tie the text leaves to the committee, the joint meeting's deliberation (Daqing 第十七条),
and moving every candidate through the workflow (proposed / not selected) with its reasons.

The order of rounds follows the profile's awards: an award with a lower tier (Keqiao, Binjiang:
nomination under quality) is voted first, and where `vote.cascade_to_lower_tier` says so those not
elected go on to the lower tier's round (Keqiao 第十九条); awards filed for directly (Lucheng,
Zhuji innovation) are voted each on their own candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, PastOutcome
from awards.quotas import total_cap
from awards.record_language import in_record_language
from awards.refusals import ServiceError
from awards.states import AppState
from awards.workflow import Move, transition_many
from jurisdictions.rules_wording import cite_label

from . import ballot, tally
from .meetings import may_vote
from .models import Meeting, Round, RoundCandidate

Outcome = RoundCandidate.Outcome
ELECTED = {Outcome.ELECTED, Outcome.ELECTED_OUTSIDE_QUOTA}


def _rules(meeting: Meeting):
    return meeting.cycle.profile.typed


def award_name(rules, code: str) -> str:
    return rules.award(code).name_zh


def cascades_from(rules, code: str) -> bool:
    return rules.vote.cascade_to_lower_tier.value and any(a.lower_tier_of == code for a in rules.awards)


def _cycle_entries(meeting: Meeting):
    return RoundCandidate.objects.filter(round__meeting__cycle=meeting.cycle, round__state=Round.State.CLOSED)


def pending_ties(meeting: Meeting) -> list[Round]:
    return list(Round.objects.filter(meeting__cycle=meeting.cycle, state=Round.State.CLOSED, tie_settled_at=None,
                                     candidates__outcome=Outcome.TIED).distinct())


def candidates_for(meeting: Meeting, award_code: str) -> list[Application]:
    """The cycle's candidates still to be voted on for this award, best comprehensive score first."""
    rules = _rules(meeting)
    award = rules.award(award_code)
    closed = _cycle_entries(meeting)
    already = set(closed.filter(round__award_code=award_code).values_list("application_id", flat=True))
    direct = Application.objects.filter(cycle=meeting.cycle, state=AppState.CANDIDATE,
                                        evaluation__candidate_for=award_code)
    ids = set(direct.values_list("pk", flat=True))
    if award.lower_tier_of and cascades_from(rules, award.lower_tier_of):
        ids |= set(closed.filter(round__award_code=award.lower_tier_of, outcome=Outcome.NOT_ELECTED, decided_move="",
                                 application__state=AppState.CANDIDATE).values_list("application_id", flat=True))
    ids -= already
    return list(Application.objects.filter(pk__in=ids).select_related("organization", "evaluation")
                .order_by("-evaluation__comprehensive_score", "number"))


@dataclass(frozen=True)
class Places:
    places: int
    reasons: list[dict]


@in_record_language
def places_for(meeting: Meeting, award_code: str) -> Places:
    """The quota less the winners already counted in it, within the total cap (Zhuji 第四条)."""
    rules = _rules(meeting)
    award = rules.award(award_code)
    counted = _cycle_entries(meeting).filter(outcome=Outcome.ELECTED)
    in_award = counted.filter(round__award_code=award_code).count()
    quota = meeting.cycle.quota_for(award_code)
    places = max(quota - in_award, 0)
    reasons = [{"rule": f"awards.{award_code}.quota", "cite": award.quota.cite, "text": _(
        "%(award)s本届名额%(quota)s个，已当选并占名额%(n)s个，本轮可当选%(left)s个。") % {
        "award": award.name_zh, "quota": quota, "n": in_award, "left": places}}]
    cap = total_cap(rules)
    if cap is not None:
        total = counted.count()
        room = max(cap.places - total, 0)
        reasons.append({"rule": "quota_rules.total_cap", "cite": cap.cite, "text": _(
            "全年获奖组织合计不超过%(cap)s家，已当选并占名额%(n)s家，尚余%(room)s个。") % {
            "cap": cap.places, "n": total, "room": room}})
        if room < places:
            places = room
            reasons.append({"rule": "quota_rules.total_cap", "cite": cap.cite, "text": _(
                "受全年合计上限限制，本轮可当选%(left)s个。") % {"left": places}})
    return Places(places, reasons)


def next_award(meeting: Meeting) -> str | None:
    """The first award, in the profile's order, that still has candidates to vote on."""
    for award in _rules(meeting).awards:
        if candidates_for(meeting, award.code):
            return award.code
    return None


def open_refusal(meeting: Meeting, award_code: str, method: str) -> str | None:
    rules = _rules(meeting)
    vote = rules.vote
    if method == Round.Method.DELIBERATION:
        if vote.method.value != "deliberation":
            return _("本辖区以无记名投票表决（%(cite)s），不以会议审议代替。") % {"cite": cite_label(vote.method.cite)}
    else:
        if vote.method.value != "secret_ballot":
            return _("本辖区由会议审议决定（%(cite)s），不进行投票。") % {"cite": cite_label(vote.method.cite)}
        if method == Round.Method.PAPER and not (vote.paper_ballots and vote.paper_ballots.value):
            return _("本辖区未设定纸质选票。")
        problem = may_vote(meeting)
        if problem:
            return problem
    if award_code not in rules.award_codes:
        return _("未知的奖项。")
    if meeting.rounds.filter(state=Round.State.OPEN).exists():
        return _("还有一轮投票尚未结束，请先结束该轮。")
    if pending_ties(meeting):
        return _("上一轮有得票相同的候选组织待决定，请先重新投票或记录决定。")
    award = rules.award(award_code)
    if award.lower_tier_of and candidates_for(meeting, award.lower_tier_of):
        return _("须先完成%(parent)s的表决，再进行%(award)s的表决。") % {
            "parent": award_name(rules, award.lower_tier_of), "award": award.name_zh}
    if not candidates_for(meeting, award_code):
        return _("%(award)s没有待表决的候选组织。") % {"award": award.name_zh}
    return None


def _next_number(meeting: Meeting) -> int:
    last = meeting.rounds.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def open_round(meeting: Meeting, award_code: str, method: str, actor, *, scrutineer: str = "") -> Round:
    if method == Round.Method.PAPER and not scrutineer.strip():
        raise ServiceError(_("纸质投票须写明监票人姓名。"), "scrutineer")
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        problem = open_refusal(meeting, award_code, method)
        if problem:
            raise ServiceError(problem)
        places = places_for(meeting, award_code)
        present = meeting.attendance.filter(present=True).count()
        round_ = Round.objects.create(meeting=meeting, award_code=award_code, number=_next_number(meeting),
                                      method=method, places=places.places, places_reasons=places.reasons,
                                      scrutineer=scrutineer.strip(), present_count=present, opened_by=actor)
        RoundCandidate.objects.bulk_create([RoundCandidate(round=round_, application=app, position=i)
                                            for i, app in enumerate(candidates_for(meeting, award_code))])
    return round_


def open_revote(tied_round: Round, actor, *, method: str = Round.Method.ONLINE, scrutineer: str = "") -> Round:
    """A new round among the tied of a closed round, for the places they contest (an office choice
    where the text sets no tie rule)."""
    meeting = tied_round.meeting
    tied = list(tied_round.candidates.filter(outcome=Outcome.TIED).select_related("application"))
    if not tied or tied_round.tie_settled_at:
        raise ServiceError(_("这一轮没有待决定的得票相同者。"))
    if method == Round.Method.PAPER and not scrutineer.strip():
        raise ServiceError(_("纸质投票须写明监票人姓名。"), "scrutineer")
    problem = may_vote(meeting)
    if problem:
        raise ServiceError(problem)
    with transaction.atomic():
        places = tied_round.places - tied_round.candidates.filter(outcome=Outcome.ELECTED).count()
        now = timezone.now()
        round_ = Round.objects.create(
            meeting=meeting, award_code=tied_round.award_code, number=_next_number(meeting), method=method,
            places=places, revote_of=tied_round, scrutineer=scrutineer.strip(), opened_by=actor,
            present_count=meeting.attendance.filter(present=True).count(),
            places_reasons=[{"rule": "vote.tie_break", "cite": _rules(meeting).vote.tie_break.cite,
                             "text": _("第%(n)s轮得票相同者重新投票，争%(places)s个名额。") % {
                                 "n": tied_round.number, "places": places}}])
        RoundCandidate.objects.bulk_create([RoundCandidate(round=round_, application=e.application, position=i)
                                            for i, e in enumerate(tied)])
        tied_round.tie_settled_at = now
        tied_round.tie_reason = _("重新投票（第%(n)s轮）") % {"n": round_.number}
        tied_round.save(update_fields=["tie_settled_at", "tie_reason"])
        # The tied entries are decided by the revote, not by the round they tied in.
        RoundCandidate.objects.filter(pk__in=[e.pk for e in tied]).update(outcome=Outcome.NOT_ELECTED,
                                                                           decided_move="revote")
    return round_


def _exemptions(rules, award_code: str, entries: list[RoundCandidate]) -> dict[int, dict]:
    """Candidates who, if elected, take no place: repeat winners (one query) and government-named."""
    award = rules.award(award_code)
    after: dict[str, str] = {}
    if award.outside_quota_after:
        for code in award.outside_quota_after.value:
            after[code] = award.outside_quota_after.cite
    if award.repeat_win and not award.repeat_win.counts_in_quota.value:
        after[award_code] = award.repeat_win.counts_in_quota.cite
    found: dict[int, dict] = {}
    orgs = {e.application.organization_id: e.application_id for e in entries}
    if after:
        past = (PastOutcome.objects.filter(organization_id__in=list(orgs), award_code__in=list(after), revoked="")
                .order_by("year").values_list("organization_id", "award_code", "year"))
        for org_id, code, year in past:
            found[orgs[org_id]] = {"rule": f"awards.{award_code}.outside_quota", "cite": after[code], "text": _(
                "曾于%(year)s年获%(past)s，本次获%(award)s不占名额") % {
                "year": year, "past": award_name(rules, code), "award": award.name_zh}}
    return found


def _moves(rules, round_: Round, entries: list[RoundCandidate]) -> dict[int, Move]:
    """Set each decided entry's move and return the workflow moves (one batch)."""
    goes_on = cascades_from(rules, round_.award_code)
    lower = next((a for a in rules.awards if a.lower_tier_of == round_.award_code), None)
    moves: dict[int, Move] = {}
    for entry in entries:
        if entry.outcome in ELECTED:
            entry.decided_move = AppState.PROPOSED
        elif entry.outcome == Outcome.NOT_ELECTED:
            if goes_on and lower is not None:
                entry.decided_move = ""
                entry.reasons = [*entry.reasons, {"rule": "vote.cascade_to_lower_tier",
                                                  "cite": rules.vote.cascade_to_lower_tier.cite,
                                                  "text": (_("转入%(award)s表决。") if round_.is_ballot else
                                                           _("转入%(award)s审议。")) % {"award": lower.name_zh}}]
            else:
                entry.decided_move = AppState.NOT_SELECTED
        else:
            entry.decided_move = ""
        if entry.decided_move in (AppState.PROPOSED, AppState.NOT_SELECTED):
            last = entry.reasons[-1]
            moves[entry.application_id] = Move(
                entry.decided_move, reason=last["text"], rule=last["rule"], cite=last["cite"],
                details={"award": round_.award_code if entry.decided_move == AppState.PROPOSED else "",
                         "round": round_.number, "outside_quota": entry.outcome == Outcome.ELECTED_OUTSIDE_QUOTA,
                         "votes": {"yes": entry.yes, "no": entry.no, "abstain": entry.abstain},
                         "reasons": entry.reasons})
    return moves


FIELDS = ["yes", "no", "abstain", "rank", "outcome", "decided_move", "reasons"]


def tally_rules(rules, award_code: str) -> tally.TallyRules:
    v = rules.vote
    return tally.TallyRules(
        majority_basis=v.majority_basis.value, majority=v.majority.value, majority_cite=v.majority.cite,
        basis_cite=v.majority_basis.cite, ranking_cite=v.ranking.cite, tie_break=v.tie_break.value,
        tie_cite=v.tie_break.cite, blank_valid=v.blank_ballot_valid.value if v.blank_ballot_valid else True,
        blank_cite=v.blank_ballot_valid.cite if v.blank_ballot_valid else "", award_name=award_name(rules, award_code))


@in_record_language
def close_round(round_: Round, actor, *, scrutineer_confirmed: bool = False) -> Round:
    """Close the round: make its ballots unlinkable, count them, and move every decided candidate.
    A fixed number of queries whatever the number of candidates and members."""
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).select_related("meeting__cycle__profile").get(
            pk=round_.pk)
        if locked.state != Round.State.OPEN:
            raise ServiceError(_("本轮已经结束。"))
        if locked.method == Round.Method.PAPER and not scrutineer_confirmed:
            raise ServiceError(_("请由监票人%(name)s确认录入的选票与纸质选票一致。") % {"name": locked.scrutineer},
                                 "scrutineer_confirmed")
        meeting = locked.meeting
        rules = meeting.cycle.profile.typed
        ballots = ballot.rewrite_round(locked)
        members = meeting.attendance.count()
        entries = list(locked.candidates.select_related("application__evaluation", "application__organization"))
        exempt = _exemptions(rules, locked.award_code, entries)
        result = tally.count(
            tally_rules(rules, locked.award_code), present=locked.present_count or 0, members=members,
            ballots=ballots, places=locked.places,
            candidates=[tally.CandidateIn(e.application_id, getattr(getattr(e.application, "evaluation", None),
                                                                    "comprehensive_score", None),
                                          exempt.get(e.application_id) or _named(rules, e)) for e in entries])
        for entry in entries:
            r = result.results[entry.application_id]
            entry.yes, entry.no, entry.abstain, entry.rank, entry.outcome = r.yes, r.no, r.abstain, r.rank, r.outcome
            entry.reasons = r.reasons
        moves = _moves(rules, locked, entries)
        RoundCandidate.objects.bulk_update(entries, FIELDS)
        locked.state = Round.State.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.ballots_count, locked.spoiled_count, locked.blank_count = result.ballots, result.spoiled, result.blank
        locked.save()
        if moves:
            transition_many(moves, actor=actor)
    return locked


def _named(rules, entry: RoundCandidate) -> dict | None:
    named = rules.vote.government_named_outside_quota
    if entry.government_named and named:
        return {"rule": "vote.government_named_outside_quota", "cite": named.cite,
                "text": _("经区政府常务会议确定（%(note)s）") % {"note": entry.government_note}}
    return None


def government_naming_rule(rules, award_code: str):
    """The profile's rule letting a government body name a winner outside the quota for this award
    (Keqiao 第二十二条: the district government's executive meeting, for the nomination award), or None."""
    named = rules.vote.government_named_outside_quota
    return named if named and award_code in named.value else None


@in_record_language
def record_government_naming(entry: RoundCandidate, *, document: str, decided_on, actor, today=None) -> RoundCandidate:
    """Record, before the round closes, that the district government's executive meeting named this
    candidate for the award (Keqiao 第二十二条): elected, it then takes no place and the place goes to
    the next candidate."""
    today = today or timezone.localdate()
    document = document.strip()
    if not document:
        raise ServiceError(_("请填写区政府常务会议决定的文号。"), "document")
    if decided_on is None:
        raise ServiceError(_("请填写区政府常务会议的日期。"), "decided_on")
    if decided_on > today:
        raise ServiceError(_("常务会议日期不能晚于今天。"), "decided_on")
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).select_related("meeting__cycle__profile").get(
            pk=entry.round_id)
        rules = locked.meeting.cycle.profile.typed
        rule = government_naming_rule(rules, locked.award_code)
        if rule is None:
            raise ServiceError(_("%(award)s没有由区政府常务会议确定、不占名额的规定。") % {
                "award": award_name(rules, locked.award_code)})
        if locked.state != Round.State.OPEN:
            raise ServiceError(_("本轮已经结束，不能再记录。"))
        entry = RoundCandidate.objects.select_for_update().get(pk=entry.pk)
        entry.government_named = True
        entry.government_document = document
        entry.government_decided_on = decided_on
        entry.government_note = _("%(day)s区政府常务会议，%(document)s") % {
            "day": f"{decided_on.year}年{decided_on.month}月{decided_on.day}日", "document": document}
        entry.government_recorded_by = actor
        entry.government_recorded_at = timezone.now()
        entry.save(update_fields=["government_named", "government_document", "government_decided_on",
                                  "government_note", "government_recorded_by", "government_recorded_at"])
    return entry


@in_record_language
def settle_tie(round_: Round, picked_ids: set[int], reason: str, actor) -> Round:
    """The committee's recorded decision among those tied (where the text sets no tie rule)."""
    if not reason.strip():
        raise ServiceError(_("请写明评委会的决定及理由。"), "reason")
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).select_related("meeting__cycle__profile").get(
            pk=round_.pk)
        if locked.tie_settled_at or locked.state != Round.State.CLOSED:
            raise ServiceError(_("这一轮没有待决定的得票相同者。"))
        rules = locked.meeting.cycle.profile.typed
        tied = list(locked.candidates.filter(outcome=Outcome.TIED).select_related("application"))
        places = locked.places - locked.candidates.filter(outcome=Outcome.ELECTED).count()
        tied_ids = {e.application_id for e in tied}
        if picked_ids - tied_ids:
            raise ServiceError(_("只能在得票相同的组织中决定。"), "picks")
        if len(picked_ids) > places:
            raise ServiceError(_("得票相同者争%(n)s个名额，最多只能确定%(n)s家。") % {"n": places}, "picks")
        cite = rules.vote.tie_break.cite
        for entry in tied:
            chosen = entry.application_id in picked_ids
            entry.outcome = Outcome.ELECTED if chosen else Outcome.NOT_ELECTED
            entry.reasons = [*entry.reasons, {"rule": "vote.tie_break", "cite": cite, "text": (
                _("评委会决定当选：%(reason)s") if chosen else _("评委会决定不当选：%(reason)s")) % {
                "reason": reason.strip()}}]
        moves = _moves(rules, locked, tied)
        RoundCandidate.objects.bulk_update(tied, FIELDS)
        locked.tie_settled_at = timezone.now()
        locked.tie_reason = reason.strip()
        locked.save(update_fields=["tie_settled_at", "tie_reason"])
        if moves:
            transition_many(moves, actor=actor)
    return locked


@in_record_language
def record_deliberation(meeting: Meeting, award_code: str, selected_ids: set[int], note: str, actor) -> Round:
    """The joint meeting's decision on each recommended organisation for one award (Daqing 第十七条)."""
    if not note.strip():
        raise ServiceError(_("请写明会议审议的意见。"), "note")
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        problem = open_refusal(meeting, award_code, Round.Method.DELIBERATION)
        if problem:
            raise ServiceError(problem)
        if not meeting.attendance.filter(present=True).exists():
            raise ServiceError(_("请先记录出席会议的成员。"))
        rules = meeting.cycle.profile.typed
        apps = candidates_for(meeting, award_code)
        if selected_ids - {a.pk for a in apps}:
            raise ServiceError(_("只能在推荐名单中选择。"), "selected")
        places = places_for(meeting, award_code)
        if len(selected_ids) > places.places:
            raise ServiceError(_("%(award)s最多%(n)s家（%(cite)s），本次选了%(k)s家。") % {
                "award": award_name(rules, award_code), "n": places.places,
                "cite": cite_label(rules.award(award_code).quota.cite), "k": len(selected_ids)}, "selected")
        round_ = Round.objects.create(
            meeting=meeting, award_code=award_code, number=_next_number(meeting), method=Round.Method.DELIBERATION,
            state=Round.State.CLOSED, places=places.places, places_reasons=places.reasons, opened_by=actor,
            closed_by=actor, closed_at=timezone.now(), present_count=meeting.attendance.filter(present=True).count())
        cite = rules.vote.method.cite
        entries = []
        for i, app in enumerate(apps):
            chosen = app.pk in selected_ids
            text = (_("%(body)s审议决定列入%(award)s拟获奖名单：%(note)s") if chosen else
                    _("%(body)s审议未列入%(award)s拟获奖名单：%(note)s")) % {
                "body": rules.bodies.committee_zh.value, "award": award_name(rules, award_code), "note": note.strip()}
            entry = RoundCandidate(round=round_, application=app, position=i,
                                   outcome=Outcome.ELECTED if chosen else Outcome.NOT_ELECTED,
                                   reasons=[{"rule": "vote.method", "cite": cite, "text": text}])
            entries.append(entry)
        moves = _moves(rules, round_, entries)
        RoundCandidate.objects.bulk_create(entries)
        if moves:
            transition_many(moves, actor=actor)
    return round_


def rounds_of(meeting: Meeting) -> list[Round]:
    return list(meeting.rounds.prefetch_related("candidates__application__organization").order_by("number"))

"""The committee's count under each profile: quorum, majority basis and counting word, blank and
spoiled ballots, ranking, ties, quotas, the total cap, winners outside the quota and the cascade."""

from __future__ import annotations

import pytest

from awards.refusals import ServiceError
from awards.states import AppState
from awards.workflow import TransitionError, transition
from committee import rounds
from committee.meetings import quorum
from committee.models import Round, RoundCandidate
from tests.committee.builders import candidates, entry, fresh, meeting_with, past_win, roster, run_round

pytestmark = pytest.mark.django_db
Y, N, A = "yes", "no", "abstain"
Outcome = RoundCandidate.Outcome


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- quorum -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("slug, cite", [("keqiao", "第十九条"), ("zhuji", "第十三条（七）")])
def test_quorum_two_thirds_10_of_15_passes_and_9_of_15_fails_naming_the_article(loaded, slug, cite):
    cycle, office, (_app,) = candidates(loaded[slug], [(800, 800)])
    members = roster(loaded[slug], 15)
    meeting = meeting_with(cycle, members, 9, office)
    q = quorum(meeting)
    assert (q.met, q.present, q.members, q.needed) == (False, 9, 15, 10)
    with pytest.raises(ServiceError) as refused:
        rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    assert cite in refused.value.message and "不足委员15人的2/3以上" in refused.value.message
    assert not Round.objects.exists()
    from committee.meetings import record_attendance
    record_attendance(meeting, {m.pk for m in members[:10]}, office)
    assert quorum(meeting).met
    assert rounds.open_round(meeting, "quality", Round.Method.ONLINE, office).present_count == 10


def test_the_roster_in_force_on_the_meeting_day_is_the_quorums_base(loaded):
    import datetime as dt
    cycle, office, _apps = candidates(loaded["keqiao"], [(800, 800)])
    members = roster(loaded["keqiao"], 15)
    for gone in members[12:]:
        gone.serves_until = dt.date(2026, 6, 30)
        gone.save()
    meeting = meeting_with(cycle, members[:12], 8, office)
    assert (quorum(meeting).members, quorum(meeting).met) == (12, True)   # 8 of 12 is 2/3


# --- majority basis and counting word ---------------------------------------------------------------
def test_keqiao_exactly_half_of_those_present_passes(loaded):
    cycle, office, (a, b) = candidates(loaded["keqiao"], [(800, 800), (790, 790)])
    members = roster(loaded["keqiao"], 15)
    meeting = meeting_with(cycle, members, 12, office)
    # a: 6 of 12 present = exactly half → passes (半数以上 includes half); b: 5 → fails.
    ballots = [{a: Y, b: Y}] * 5 + [{a: Y, b: N}] + [{a: N, b: N}] * 4 + [{a: A, b: A}] * 2
    round_ = run_round(meeting, "quality", members, ballots, office)
    assert (entry(round_, a).yes, entry(round_, a).outcome) == (6, Outcome.ELECTED)
    assert entry(round_, b).outcome == Outcome.NOT_ELECTED
    assert "至少6票" in entry(round_, a).reasons[0]["text"] and entry(round_, a).reasons[0]["cite"] == "第十九条"
    assert fresh(a).state == AppState.PROPOSED
    # b goes on to the nomination round (第十九条), still a candidate.
    assert fresh(b).state == AppState.CANDIDATE and entry(round_, b).decided_move == ""


def test_zhuji_exactly_half_of_the_valid_votes_passes_and_a_spoiled_ballot_is_not_a_valid_vote(loaded):
    cycle, office, (a, b) = candidates(loaded["zhuji"], [(800, 800), (790, 790)])
    members = roster(loaded["zhuji"], 15)
    meeting = meeting_with(cycle, members, 11, office)
    # 11 present, 1 spoiled → 10 valid votes. a: 5 of 10 = exactly half → passes; b: 4 → fails.
    # On a "present" basis a would need 6 of 11 and fail: the basis is the valid votes (第十三条（七）).
    ballots = [{a: Y, b: Y}] * 4 + [{a: Y, b: N}] + [{a: N, b: N}] * 5 + ["spoiled"]
    round_ = run_round(meeting, "quality", members, ballots, office)
    assert (round_.ballots_count, round_.spoiled_count) == (11, 1)
    assert (entry(round_, a).yes, entry(round_, a).outcome) == (5, Outcome.ELECTED)
    assert "有效票10" in entry(round_, a).reasons[0]["text"]
    assert entry(round_, a).reasons[0]["cite"] == "第十三条（七）"
    assert entry(round_, b).outcome == Outcome.NOT_ELECTED
    # No lower tier in Zhuji: not elected is final.
    assert fresh(b).state == AppState.NOT_SELECTED


def test_a_blank_ballot_is_valid_and_abstains_on_every_candidate(loaded):
    cycle, office, (a,) = candidates(loaded["zhuji"], [(800, 800)])
    members = roster(loaded["zhuji"], 10)
    meeting = meeting_with(cycle, members, 10, office)
    round_ = run_round(meeting, "quality", members, [{a: Y}] * 5 + ["blank"] * 5, office)
    assert (entry(round_, a).yes, entry(round_, a).abstain, round_.blank_count) == (5, 5, 5)
    assert entry(round_, a).outcome == Outcome.ELECTED   # 5 of 10 valid


# --- ties -------------------------------------------------------------------------------------------
def test_zhuji_a_tie_across_the_last_place_goes_to_the_higher_comprehensive_score(loaded):
    cycle, office, (hi, lo, top) = candidates(loaded["zhuji"], [(800, 800), (700, 700), (900, 900)],
                                              quotas={"quality": 2, "innovation": 5})
    members = roster(loaded["zhuji"], 9)
    meeting = meeting_with(cycle, members, 9, office)
    ballots = [{top: Y, hi: Y, lo: Y}] * 7 + [{top: Y, hi: N, lo: N}] * 2
    round_ = run_round(meeting, "quality", members, ballots, office)
    assert entry(round_, top).outcome == Outcome.ELECTED
    assert (entry(round_, hi).yes, entry(round_, lo).yes) == (7, 7)
    assert entry(round_, hi).outcome == Outcome.ELECTED and entry(round_, lo).outcome == Outcome.NOT_ELECTED
    assert entry(round_, hi).reasons[-1]["cite"] == "第十三条（七）" and "综合评价总评分" in entry(round_, hi).reasons[-1]["text"]
    assert fresh(lo).state == AppState.NOT_SELECTED


@pytest.mark.parametrize("first_filed", ["a", "b"])
def test_keqiao_a_tie_across_the_last_place_is_left_to_the_committee_never_to_filing_order(loaded, first_filed):
    specs = [(800, 800), (700, 700), (900, 900)]
    cycle, office, apps = candidates(loaded["keqiao"], specs if first_filed == "a" else [specs[1], specs[0], specs[2]],
                                     quotas={"quality": 2, "nomination": 10})
    a, b, top = (apps[0], apps[1], apps[2]) if first_filed == "a" else (apps[1], apps[0], apps[2])
    members = roster(loaded["keqiao"], 9)
    meeting = meeting_with(cycle, members, 9, office)
    ballots = [{top: Y, a: Y, b: Y}] * 7 + [{top: Y, a: N, b: N}] * 2
    round_ = run_round(meeting, "quality", members, ballots, office)
    assert entry(round_, a).outcome == entry(round_, b).outcome == Outcome.TIED
    assert "不按申报先后" in entry(round_, a).reasons[-1]["text"]
    assert fresh(a).state == fresh(b).state == AppState.CANDIDATE
    # No further round opens until the tie is settled.
    with pytest.raises(ServiceError, match="得票相同"):
        rounds.open_round(meeting, "nomination", Round.Method.ONLINE, office)
    with pytest.raises(ServiceError, match="最多只能确定1家"):
        rounds.settle_tie(round_, {a.pk, b.pk}, "两家都要", office)
    rounds.settle_tie(round_, {b.pk}, "评委会经讨论，认为该组织质量创新成果更突出", office)
    assert fresh(b).state == AppState.PROPOSED
    assert fresh(a).state == AppState.CANDIDATE        # goes on to the nomination round
    assert entry(round_, a).decided_move == ""


def test_a_revote_among_the_tied_decides_the_place(loaded):
    cycle, office, (a, b, top) = candidates(loaded["lucheng"], [(800, 800), (700, 700), (900, 900)],
                                            quotas={"quality": 2, "innovation": 5})
    members = roster(loaded["lucheng"], 9)
    meeting = meeting_with(cycle, members, 9, office)
    first = run_round(meeting, "quality", members, [{top: Y, a: Y, b: Y}] * 7 + [{top: Y, a: N, b: N}] * 2, office)
    assert entry(first, a).outcome == Outcome.TIED
    revote = rounds.open_revote(first, office)
    assert (revote.places, revote.candidates.count()) == (1, 2)
    from tests.committee.builders import vote
    vote(revote, members, [{a: N, b: Y}] * 6 + [{a: Y, b: N}] * 3)
    rounds.close_round(revote, office)
    assert fresh(b).state == AppState.PROPOSED and fresh(a).state == AppState.NOT_SELECTED


# --- cascade, quota, cap, outside the quota ---------------------------------------------------------
def test_keqiao_those_not_elected_to_quality_go_on_to_the_nomination_round(loaded):
    cycle, office, apps = candidates(loaded["keqiao"], [(900, 900), (850, 850), (800, 800), (750, 750)],
                                     quotas={"quality": 1, "nomination": 2})
    q1, q2, q3, q4 = apps
    members = roster(loaded["keqiao"], 6)
    meeting = meeting_with(cycle, members, 6, office)
    with pytest.raises(ServiceError, match="须先完成柯桥区政府质量奖的表决"):
        rounds.open_round(meeting, "nomination", Round.Method.ONLINE, office)
    quality = run_round(meeting, "quality", members, [{q1: Y, q2: Y, q3: Y, q4: N}] * 5 + [{q1: Y, q2: N, q3: N, q4: N}],
                        office)
    assert entry(quality, q1).outcome == Outcome.ELECTED
    assert {entry(quality, a).outcome for a in (q2, q3)} == {Outcome.NOT_ELECTED}   # quota 1
    assert "名额1个之外" in entry(quality, q2).reasons[1]["text"]
    assert entry(quality, q2).reasons[-1]["rule"] == "vote.cascade_to_lower_tier"
    assert [a.pk for a in rounds.candidates_for(meeting, "nomination")] == [q2.pk, q3.pk, q4.pk]
    nomination = run_round(meeting, "nomination", members,
                           [{q2: Y, q3: Y, q4: Y}] * 4 + [{q2: Y, q3: Y, q4: N}] + [{q2: Y, q3: N, q4: N}], office)
    assert [entry(nomination, a).yes for a in (q2, q3, q4)] == [6, 5, 4]
    assert [fresh(a).state for a in (q2, q3, q4)] == [AppState.PROPOSED, AppState.PROPOSED, AppState.NOT_SELECTED]
    assert fresh(q2).events.last().details["award"] == "nomination"
    assert not rounds.candidates_for(meeting, "nomination")


def test_quota_cut_takes_the_most_votes(loaded):
    cycle, office, apps = candidates(loaded["lucheng"], [(900, 900), (850, 850), (800, 800)],
                                     quotas={"quality": 2, "innovation": 5})
    a, b, c = apps
    members = roster(loaded["lucheng"], 7)
    meeting = meeting_with(cycle, members, 7, office)
    ballots = [{a: Y, b: Y, c: Y}] * 4 + [{a: Y, b: Y, c: N}] * 2 + [{a: Y, b: N, c: N}]
    round_ = run_round(meeting, "quality", members, ballots, office)
    assert [entry(round_, x).yes for x in apps] == [7, 6, 4]
    assert [entry(round_, x).outcome for x in apps] == [Outcome.ELECTED, Outcome.ELECTED, Outcome.NOT_ELECTED]
    assert entry(round_, c).reasons[0]["text"].endswith("达到。")        # passed the majority, 4 of 7
    assert "名额2个之外" in entry(round_, c).reasons[1]["text"]
    assert fresh(c).state == AppState.NOT_SELECTED


def test_zhuji_total_cap_of_ten_limits_the_second_award(loaded):
    cycle, office, apps = candidates(
        loaded["zhuji"], [(900 - i, 900 - i) for i in range(5)] + [(800 - i, 800 - i, "innovation") for i in range(6)])
    quality, innovation = apps[:5], apps[5:]
    assert (cycle.quota_for("quality"), cycle.quota_for("innovation")) == (5, 5)
    members = roster(loaded["zhuji"], 5)
    meeting = meeting_with(cycle, members, 5, office)
    run_round(meeting, "quality", members, [dict.fromkeys(quality, Y)] * 5, office)
    places = rounds.places_for(meeting, "innovation")
    assert places.places == 5
    assert any(r["cite"] == "第四条" and "不超过10家" in r["text"] for r in places.reasons)
    yes = [dict(zip(innovation, [Y] * 5 + [N], strict=True))] * 3 + [dict.fromkeys(innovation, Y)] * 2
    round_ = run_round(meeting, "innovation", members, yes, office)
    assert sum(entry(round_, a).outcome == Outcome.ELECTED for a in innovation) == 5
    assert entry(round_, innovation[5]).outcome == Outcome.NOT_ELECTED


def test_total_cap_binds_where_the_quotas_add_up_to_more(loaded):
    """The pure count: 10 in all, 5 already elected, innovation's own quota 10 → 5 places."""
    from committee import tally
    cycle, _office, _ = candidates(loaded["zhuji"], [(900, 900)])
    rules = tally.TallyRules("valid_votes", cycle.profile.typed.vote.majority.value, "第十三条（七）", "", "", "comprehensive_score", "")
    result = tally.count(rules, present=3, members=3, places=min(10, 10 - 5),
                         ballots=[tally.BallotIn("marked", {str(k): "yes" for k in range(7)})] * 3,
                         candidates=[tally.CandidateIn(k, score=None) for k in range(7)])
    assert sorted(k for k, r in result.results.items() if r.outcome == "tied") == list(range(7))
    assert result.tie_places == 5


@pytest.mark.parametrize("slug, past, cite", [("binjiang", "quality", "五（四）"), ("keqiao", "nomination", "第二十二条"),
                                             ("zhuji", "quality", "第十四条")])
def test_repeat_winners_take_no_place_and_the_place_goes_to_the_next(loaded, slug, past, cite):
    other = {"binjiang": {"quality": 1, "nomination": 3}, "keqiao": {"quality": 1, "nomination": 10},
             "zhuji": {"quality": 1, "innovation": 5}}[slug]
    cycle, office, (repeat, nxt, third) = candidates(loaded[slug], [(900, 900), (850, 850), (800, 800)], quotas=other)
    past_win(repeat, past)
    members = roster(loaded[slug], 5)
    meeting = meeting_with(cycle, members, 5, office)
    round_ = run_round(meeting, "quality", members,
                       [{repeat: Y, nxt: Y, third: Y}] * 4 + [{repeat: Y, nxt: Y, third: N}], office)
    assert entry(round_, repeat).outcome == Outcome.ELECTED_OUTSIDE_QUOTA
    assert entry(round_, repeat).reasons[1]["cite"] == cite
    assert entry(round_, nxt).outcome == Outcome.ELECTED          # the one quality place
    assert entry(round_, third).outcome == Outcome.NOT_ELECTED
    assert fresh(repeat).state == fresh(nxt).state == AppState.PROPOSED
    assert fresh(repeat).events.last().details["outside_quota"] is True


def test_binjiang_a_past_quality_winner_winning_the_nomination_takes_no_nomination_place(loaded):
    cycle, office, (a, b, c) = candidates(loaded["binjiang"], [(900, 900), (850, 850), (800, 800)],
                                          quotas={"quality": 1, "nomination": 1})
    past_win(b, "quality", 2019)
    members = roster(loaded["binjiang"], 5)
    meeting = meeting_with(cycle, members, 5, office)
    run_round(meeting, "quality", members, [{a: Y, b: N, c: N}] * 5, office)
    round_ = run_round(meeting, "nomination", members, [{b: Y, c: Y}] * 5, office)
    assert entry(round_, b).outcome == Outcome.ELECTED_OUTSIDE_QUOTA and entry(round_, c).outcome == Outcome.ELECTED


def test_binjiang_no_ballot_before_the_departments_review_is_recorded(loaded):
    from committee import meetings
    cycle, office, _ = candidates(loaded["binjiang"], [(900, 900)])
    members = roster(loaded["binjiang"], 5)
    meeting = meetings.create_meeting(cycle, held_on=members[0].serves_from.replace(year=2026), actor=office)
    meetings.record_attendance(meeting, {m.pk for m in members}, office)
    with pytest.raises(ServiceError, match="四（六）"):
        rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)


def test_no_candidate_moves_without_a_committee_result(loaded):
    _cycle, office, (a,) = candidates(loaded["keqiao"], [(900, 900)])
    with pytest.raises(TransitionError, match="评委会"):
        transition(a, AppState.PROPOSED, actor=office)
    with pytest.raises(TransitionError, match="评委会"):
        transition(a, AppState.NOT_SELECTED, actor=office)

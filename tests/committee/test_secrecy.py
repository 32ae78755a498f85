"""The secret ballot against the database itself: after a round closes, PostgreSQL's system
columns (xmin, ctid) link no ballot to a member's receipt and order no ballot by time; fifteen
members voting at once lose no ballot and create none twice; a second ballot is refused; closing
30 candidates × 25 members takes the same number of queries as 3 × 5."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from awards.models import Application, Organization
from awards.refusals import ServiceError
from awards.states import AppState
from committee import ballot, rounds
from committee.models import Ballot, CommitteeMember, Round, VoteReceipt
from reviews.models import Evaluation
from tests.awards.builders import published_cycle, uscc_for
from tests.committee.builders import candidates, meeting_with, roster
from tests.reviews.test_ranking import office_for

try:
    from django_scopes import scopes_disabled
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as scopes_disabled


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def system_columns(table: str, round_id: int, column: str) -> list:
    """(xmin, the row's own identifying value) in physical (ctid) order."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text, {column} FROM {table} WHERE round_id = %s ORDER BY ctid", [round_id])
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_after_close_neither_xmin_nor_ctid_links_a_ballot_to_a_receipt_or_orders_ballots(loaded):
    cycle, office, apps = candidates(loaded["keqiao"], [(900, 900), (850, 850), (800, 800)])
    members = roster(loaded["keqiao"], 10)
    meeting = meeting_with(cycle, members, 10, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    # Ten distinguishable ballots, cast one after another, each in its own transaction.
    patterns = list(itertools.product(["yes", "no", "abstain"], repeat=3))[:10]
    cast_order = []
    for member, pattern in zip(members, patterns, strict=True):
        choices = {str(app.pk): choice for app, choice in zip(apps, pattern, strict=True)}
        ballot.cast(round_, member, "marked", choices)
        cast_order.append(choices)
    before_ballots = system_columns("committee_ballot", round_.pk, "choices::text")
    before_receipts = system_columns("committee_votereceipt", round_.pk, "member_id")
    # While the round is open the link exists: each ballot shares its xmin with one receipt.
    assert len({x for x, _ in before_ballots}) == 10
    assert {x for x, _ in before_ballots} == {x for x, _ in before_receipts}
    rounds.close_round(round_, office)
    after_ballots = [(x, json.loads(c)) for x, c in system_columns("committee_ballot", round_.pk, "choices::text")]
    after_receipts = system_columns("committee_votereceipt", round_.pk, "member_id")
    # One transaction wrote them all: a single xmin, the same for ballots and receipts.
    assert len({x for x, _ in after_ballots}) == 1
    assert {x for x, _ in after_ballots} == {x for x, _ in after_receipts}
    assert not {x for x, _ in after_ballots} & {x for x, _ in before_ballots}
    # Physical order is a fresh random order, not the voting order (chance of a false failure: 1 in 10!).
    assert sorted(json.dumps(c, sort_keys=True) for _, c in after_ballots) == sorted(
        json.dumps(c, sort_keys=True) for c in cast_order)
    assert [c for _, c in after_ballots] != cast_order
    assert [m for _, m in after_receipts] != [m.pk for m in members]
    # The counts survived the rewrite.
    assert round_.candidates.get(application=apps[0]).yes == sum(p[0] == "yes" for p in patterns)


@pytest.mark.django_db
def test_the_ballot_table_has_no_member_no_time_and_no_ordered_key():
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "round", "kind", "choices"}
    assert fields["id"].get_internal_type() == "UUIDField"
    assert VoteReceipt._meta.pk.get_internal_type() == "UUIDField"
    assert not hasattr(Ballot, "history") and not hasattr(VoteReceipt, "history")


@pytest.mark.django_db
def test_a_member_voting_twice_is_refused_with_a_clear_message(loaded):
    cycle, office, (app,) = candidates(loaded["zhuji"], [(900, 900)])
    members = roster(loaded["zhuji"], 3)
    meeting = meeting_with(cycle, members, 3, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    ballot.cast(round_, members[0], "marked", {str(app.pk): "yes"})
    with pytest.raises(ServiceError, match="您已在本轮投过票"):
        ballot.cast(round_, members[0], "marked", {str(app.pk): "no"})
    assert Ballot.objects.filter(round=round_).count() == 1
    absent = roster(loaded["zhuji"], 1, prefix="zj-late")[0]
    with pytest.raises(ServiceError, match="未登记为本次会议的出席委员"):
        ballot.cast(round_, absent, "marked", {str(app.pk): "yes"})


@pytest.mark.django_db(transaction=True)
def test_fifteen_members_voting_at_once_lose_no_ballot_and_create_none_twice(loaded):
    cycle, office, (a, b) = candidates(loaded["keqiao"], [(900, 900), (850, 850)])
    members = roster(loaded["keqiao"], 15)
    meeting = meeting_with(cycle, members, 15, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    # Fifteen members, and the first of them a second time from another device: 16 requests at once.
    voters = [*members, members[0]]
    barrier = threading.Barrier(len(voters))
    outcomes: list[str] = []
    lock = threading.Lock()

    def vote(member):
        try:
            with scopes_disabled():
                barrier.wait()
                ballot.cast(Round.objects.get(pk=round_.pk), member, "marked", {str(a.pk): "yes", str(b.pk): "no"})
            result = "ok"
        except ServiceError as exc:
            result = exc.message
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=vote, args=(m,)) for m in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 15
    assert len(outcomes) == 16 and "您已在本轮投过票" in next(o for o in outcomes if o != "ok")
    assert Ballot.objects.filter(round=round_).count() == 15
    assert VoteReceipt.objects.filter(round=round_).count() == 15
    closed = rounds.close_round(round_, office)
    assert closed.candidates.get(application=a).yes == 15


def _bulk_candidates(jurisdiction, office, n: int):
    cycle = published_cycle(jurisdiction, office, year=2026 + n)
    apps = []
    for i in range(n):
        org = Organization.objects.create(jurisdiction=jurisdiction, name=f"批量组织{n}-{i}", uscc=uscc_for(5000 + n * 100 + i))
        apps.append(Application.objects.create(jurisdiction=jurisdiction, cycle=cycle, organization=org,
                                               category="quality", state=AppState.CANDIDATE, number=f"N{n}-{i:03d}"))
    Evaluation.objects.bulk_create([Evaluation(application=app, document_score=800, site_score=800,
                                               comprehensive_score=800 - i, candidate_for="quality")
                                    for i, app in enumerate(apps)])
    return cycle, apps


def _close_queries(loaded, n_candidates: int, n_members: int, office) -> int:
    keqiao = loaded["keqiao"]
    cycle, apps = _bulk_candidates(keqiao, office, n_candidates)
    # Only this run's members serve on the meeting day.
    CommitteeMember.objects.filter(jurisdiction=keqiao).update(serves_until=dt.date(2025, 6, 30))
    members = roster(keqiao, n_members, prefix=f"kq-q{n_candidates}-")
    meeting = meeting_with(cycle, members, n_members, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    for i, member in enumerate(members):
        ballot.cast(round_, member, "marked",
                    {str(app.pk): "yes" if i < n_members - j else "no" for j, app in enumerate(apps)})
    round_ = Round.objects.get(pk=round_.pk)
    with CaptureQueriesContext(connection) as captured:
        rounds.close_round(round_, office)
    # Both sizes elect the three most voted (quota 3, 第三条) and send the rest on.
    assert round_.candidates.filter(outcome="elected").count() == 3
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_closing_30_candidates_by_25_members_takes_a_constant_number_of_queries(loaded):
    office = office_for(loaded["keqiao"])
    _close_queries(loaded, 4, 5, office)    # first use: the office's roles and the profile are read once
    small = _close_queries(loaded, 3, 5, office)
    large = _close_queries(loaded, 30, 25, office)
    assert large == small
    assert large <= 30

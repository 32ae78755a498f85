"""What the office enters for the committee besides the ballots themselves: a paper round's totals
per candidate from the count sheet (the same count as ballot by ballot), and Keqiao 第二十二条's
nomination named by the district government's executive meeting (elected, it takes no place)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from awards.refusals import ServiceError
from awards.states import AppState
from committee import ballot, rounds
from committee.models import Ballot, Round, RoundCandidate
from jurisdictions.models import Role
from tests.committee.builders import candidates, entry, fresh, meeting_with, roster, run_round, vote
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
Y, N = "yes", "no"
Outcome = RoundCandidate.Outcome


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(slug, name, **kw):
    return reverse(name, kwargs={"jurisdiction": slug, **kw})


def block(html: str, field: str) -> str:
    """The markup of the wrapper (div or table cell) holding one field's input and errors."""
    match = re.search(rf'<(div|td) class="field[^"]*">(?:(?!</\1>).)*?id="id_{field}"(?:(?!<(?:div|td) class="field).)*?</\1>',
                      html, re.S)
    assert match, f"no field {field}"
    return match.group(0)


def paper_round(loaded, slug="zhuji", n_candidates=2, members=5, present=4):
    cycle, office, apps = candidates(loaded[slug], [(900 - 10 * i, 900 - 10 * i) for i in range(n_candidates)])
    seats = roster(loaded[slug], members)
    meeting = meeting_with(cycle, seats, present, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.PAPER, office, scrutineer="王监票")
    return office, apps, round_


def totals_post(round_apps, ballots, spoiled, blank, marks, confirm=True):
    data = {"ballots": ballots, "spoiled": spoiled, "blank": blank}
    for app, (yes, no) in zip(round_apps, marks, strict=True):
        data |= {f"yes_{app.pk}": yes, f"no_{app.pk}": no}
    if confirm:
        data["confirm"] = "on"
    return data


# --- paper totals ---------------------------------------------------------------------------------
def test_totals_beyond_the_ballots_handed_in_are_refused_next_to_the_field_and_nothing_is_stored(client, loaded):
    office, (a, b), round_ = paper_round(loaded)
    client.force_login(office)
    target = url("zhuji", "office-committee-paper-totals", round_id=round_.pk)
    # 4 handed in, 1 spoiled: 3 marked ballots, so a's 3 yes + 1 no cannot be.
    page = client.post(target, totals_post([a, b], 4, 1, 0, [(3, 1), (1, 1)]))
    html = page.content.decode()
    assert page.status_code == 200
    cell = block(html, f"yes_{a.pk}")
    assert "has-error" in cell and "合计4票，超过收回选票4张中有标记的3张" in cell and 'value="3"' in cell
    assert "has-error" not in block(html, f"yes_{b.pk}")
    # More ballots than members present: refused next to the ballots field, the typed numbers kept.
    html = client.post(target, totals_post([a, b], 5, 0, 0, [(1, 1), (1, 1)])).content.decode()
    assert "收回选票5张，超过出席委员4人" in block(html, "ballots") and 'value="5"' in block(html, "ballots")
    html = client.post(target, totals_post([a, b], 4, 3, 2, [(0, 0), (0, 0)])).content.decode()
    assert "合计超过收回的选票4张" in block(html, "spoiled")
    html = client.post(target, totals_post([a, b], 4, 1, 0, [(2, 1), (1, 1)], confirm=False)).content.decode()
    assert "请确认后再提交" in html
    round_.refresh_from_db()
    assert (Ballot.objects.filter(round=round_).count(), round_.totals_entered_at) == (0, None)


def test_totals_are_counted_by_the_same_rules_as_ballots_entered_one_by_one(client, loaded):
    """Zhuji 第十三条（七）: 4 handed in, 1 spoiled → 3 valid votes; a 2 yes ≥ half → elected, b 1 → not."""
    office, (a, b), round_ = paper_round(loaded)
    client.force_login(office)
    target = url("zhuji", "office-committee-paper-totals", round_id=round_.pk)
    response = client.post(target, totals_post([a, b], 4, 1, 0, [(2, 1), (1, 1)]))
    assert response.status_code == 302
    assert Ballot.objects.filter(round=round_).count() == 4
    # Entered again before the close, the new totals replace the old ones.
    client.post(target, totals_post([a, b], 4, 1, 0, [(2, 0), (1, 2)]))
    assert Ballot.objects.filter(round=round_).count() == 4
    # A single ballot cannot be added to totals.
    single = client.post(url("zhuji", "office-committee-paper", round_id=round_.pk),
                         {"kind": "blank", "confirm": "on"}).content.decode()
    assert "已按候选组织得票合计录入" in single and Ballot.objects.filter(round=round_).count() == 4
    close = url("zhuji", "office-committee-close", round_id=round_.pk)
    assert "监票人王监票确认" in client.post(close, {"confirm": "on"}).content.decode()
    client.post(close, {"confirm": "on", "scrutineer_confirmed": "on"})
    round_.refresh_from_db()
    assert (round_.state, round_.ballots_count, round_.spoiled_count, round_.blank_count) == ("closed", 4, 1, 0)
    assert (entry(round_, a).yes, entry(round_, a).no, entry(round_, a).abstain) == (2, 0, 1)
    assert (entry(round_, b).yes, entry(round_, b).no, entry(round_, b).abstain) == (1, 2, 0)
    assert "有效票3" in entry(round_, a).reasons[0]["text"] and entry(round_, a).reasons[0]["cite"] == "第十三条（七）"
    assert fresh(a).state == AppState.PROPOSED and fresh(b).state == AppState.NOT_SELECTED


def test_totals_and_ballot_by_ballot_entry_are_one_or_the_other(loaded):
    office, (a, b), round_ = paper_round(loaded)
    ballot.enter_paper(round_, "marked", {str(a.pk): Y, str(b.pk): N}, office)
    with pytest.raises(ServiceError, match="已逐张录入1张选票，不能再按合计录入") as refused:
        ballot.enter_totals(round_, ballots=4, spoiled=0, blank=0, totals={a.pk: (1, 1), b.pk: (1, 1)}, actor=office)
    assert refused.value.field == "ballots"
    with pytest.raises(ServiceError, match="请为本轮每个候选组织填写得票合计"):
        ballot.enter_totals(round_, ballots=4, spoiled=0, blank=0, totals={a.pk: (1, 1)}, actor=office)


def test_an_online_round_takes_no_totals_and_another_tenants_round_is_404(client, loaded):
    cycle, office, (a,) = candidates(loaded["zhuji"], [(900, 900)])
    seats = roster(loaded["zhuji"], 5)
    meeting = meeting_with(cycle, seats, 4, office)
    online = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    with pytest.raises(ServiceError, match="本轮为网上投票"):
        ballot.enter_totals(online, ballots=1, spoiled=0, blank=0, totals={a.pk: (1, 0)}, actor=office)
    client.force_login(office)
    page = client.get(url("zhuji", "office-committee-round", round_id=online.pk)).content.decode()
    assert 'id="totals-form"' not in page
    other = make_user("kq-office-x", loaded["keqiao"], Role.OFFICE)
    client.force_login(other)
    assert client.post(url("keqiao", "office-committee-paper-totals", round_id=online.pk),
                       {"ballots": 1, f"yes_{a.pk}": 1, f"no_{a.pk}": 0, "confirm": "on"}).status_code == 404
    assert client.post(url("keqiao", "office-committee-government-named", round_id=online.pk),
                       {"application": a.pk, "document": "x", "decided_on": "2026-10-01",
                        "confirm": "on"}).status_code == 404
    assert Ballot.objects.count() == 0


# --- Keqiao 第二十二条 --------------------------------------------------------------------------------
def nomination_round(loaded):
    """Keqiao: quality 1 place to a; b and c go on (第十九条) to the nomination round of 1 place."""
    cycle, office, (a, b, c) = candidates(loaded["keqiao"], [(820, 820), (800, 800), (780, 780)],
                                          quotas={"quality": 1, "nomination": 1})
    members = roster(loaded["keqiao"], 12)
    meeting = meeting_with(cycle, members, 12, office)
    run_round(meeting, "quality", members, [{a: Y, b: Y, c: Y}] * 10 + [{a: Y, b: N, c: N}] * 2, office)
    nomination = rounds.open_round(meeting, "nomination", Round.Method.ONLINE, office)
    return office, members, (a, b, c), nomination


def test_a_nomination_named_by_the_district_government_is_elected_outside_the_quota(client, loaded):
    office, members, (_a, b, c), nomination = nomination_round(loaded)
    day = dt.date.today() - dt.timedelta(days=30)
    note = f"{day.year}年{day.month}月{day.day}日区政府常务会议，柯政发〔2026〕12号"
    client.force_login(office)
    page = client.get(url("keqiao", "office-committee-round", round_id=nomination.pk)).content.decode()
    assert "第二十二条" in page and 'id="government-form"' in page
    response = client.post(url("keqiao", "office-committee-government-named", round_id=nomination.pk),
                           {"application": b.pk, "document": "柯政发〔2026〕12号", "decided_on": day.isoformat(),
                            "confirm": "on"})
    assert response.status_code == 302
    named = entry(nomination, b)
    assert (named.government_named, named.government_document, named.government_decided_on) == (
        True, "柯政发〔2026〕12号", day)
    assert named.government_note == note
    shown = client.get(url("keqiao", "office-committee-round", round_id=nomination.pk)).content.decode()
    assert note in shown
    # b has the most votes but takes no place; the one place goes to c.
    vote(nomination, members, [{b: Y, c: Y}] * 8 + [{b: Y, c: N}] * 2 + [{b: N, c: N}] * 2)
    rounds.close_round(nomination, office)
    b_entry, c_entry = entry(nomination, b), entry(nomination, c)
    assert (b_entry.yes, b_entry.outcome, c_entry.yes, c_entry.outcome) == (10, Outcome.ELECTED_OUTSIDE_QUOTA, 8,
                                                                             Outcome.ELECTED)
    outside = b_entry.reasons[-1]
    assert outside["cite"] == "第二十二条" and f"经区政府常务会议确定（{note}）" in (
        outside["text"]) and "不占名额" in outside["text"]
    assert fresh(b).state == AppState.PROPOSED and fresh(c).state == AppState.PROPOSED


def test_the_government_naming_refuses_bad_input_next_to_the_field_and_records_nothing(client, loaded):
    office, _members, (_a, b, _c), nomination = nomination_round(loaded)
    client.force_login(office)
    target = url("keqiao", "office-committee-government-named", round_id=nomination.pk)
    html = client.post(target, {"application": b.pk, "document": "  ", "decided_on": "2020-10-15",
                                "confirm": "on"}).content.decode()
    assert "has-error" in block(html, "document")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    html = client.post(target, {"application": b.pk, "document": "柯政发〔2026〕12号", "decided_on": future,
                                "confirm": "on"}).content.decode()
    assert "常务会议日期不能晚于今天" in block(html, "decided_on") and "柯政发〔2026〕12号" in block(html, "document")
    html = client.post(target, {"application": b.pk, "document": "柯政发〔2026〕12号",
                                "decided_on": "2020-10-15"}).content.decode()
    assert "请勾选确认" in html
    assert not RoundCandidate.objects.filter(government_named=True).exists()


def test_only_an_award_the_profile_names_takes_a_government_naming(loaded):
    """Keqiao's rule covers the nomination award only; Zhuji has no such rule."""
    cycle, office, (a,) = candidates(loaded["keqiao"], [(800, 800)])
    members = roster(loaded["keqiao"], 12)
    meeting = meeting_with(cycle, members, 12, office)
    quality = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    with pytest.raises(ServiceError, match="没有由区政府常务会议确定、不占名额的规定"):
        rounds.record_government_naming(entry(quality, a), document="柯政发〔2026〕1号",
                                        decided_on=dt.date(2026, 10, 1), actor=office)

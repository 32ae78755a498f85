"""The committee's pages: the office opens, enters paper ballots with a scrutineer, closes and reads
the result; a member votes and a second ballot is refused; Daqing's joint meeting deliberates;
others get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.states import AppState
from committee import rounds
from committee.models import Ballot, Round
from jurisdictions.models import Role
from tests.committee.builders import candidates, fresh, meeting_with, roster
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(slug, name, **kw):
    return reverse(name, kwargs={"jurisdiction": slug, **kw})


def test_paper_ballots_entered_with_a_named_scrutineer_are_counted_by_the_same_rules(client, loaded):
    cycle, office, (a, b) = candidates(loaded["zhuji"], [(900, 900), (850, 850)])
    members = roster(loaded["zhuji"], 5)
    meeting = meeting_with(cycle, members, 4, office)
    client.force_login(office)
    page = client.post(url("zhuji", "office-committee-open-round", meeting_id=meeting.pk),
                       {"award": "quality", "method": "paper", "scrutineer": ""})
    assert "纸质投票须写明监票人姓名" in page.content.decode()
    response = client.post(url("zhuji", "office-committee-open-round", meeting_id=meeting.pk),
                           {"award": "quality", "method": "paper", "scrutineer": "王监票"})
    round_ = Round.objects.get()
    assert response.status_code == 302 and round_.scrutineer == "王监票"
    paper = url("zhuji", "office-committee-paper", round_id=round_.pk)
    for marks in ({"a": "yes", "b": "no"}, {"a": "yes", "b": "yes"}, {"a": "no", "b": "no"}):
        client.post(paper, {"kind": "marked", f"c{a.pk}": marks["a"], f"c{b.pk}": marks["b"], "confirm": "on"})
    client.post(paper, {"kind": "spoiled", "confirm": "on"})
    refused = client.post(paper, {"kind": "blank", "confirm": "on"})
    assert "与出席委员人数相同" in refused.content.decode()
    half = client.post(paper, {"kind": "marked", f"c{a.pk}": "yes", "confirm": "on"})  # b left unmarked
    assert "请选择赞成、不赞成或弃权" in half.content.decode()
    assert Ballot.objects.filter(round=round_).count() == 4
    close = url("zhuji", "office-committee-close", round_id=round_.pk)
    assert "监票人王监票确认" in client.post(close, {"confirm": "on"}).content.decode()
    client.post(close, {"confirm": "on", "scrutineer_confirmed": "on"})
    round_.refresh_from_db()
    assert (round_.state, round_.spoiled_count) == ("closed", 1)
    # 3 valid votes: a 2 yes ≥ 1.5 → elected; b 1 yes → not.
    assert fresh(a).state == AppState.PROPOSED and fresh(b).state == AppState.NOT_SELECTED
    shown = client.get(url("zhuji", "office-committee-round", round_id=round_.pk)).content.decode()
    assert "第十三条（七）" in shown and "收回选票 4 张，其中废票 1 张" in shown
    pdf = client.get(url("zhuji", "office-committee-result-pdf", meeting_id=meeting.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Cache-Control"] == "private, no-store"


def test_a_member_votes_once_and_a_second_ballot_is_refused_in_chinese(client, loaded):
    cycle, office, (a,) = candidates(loaded["keqiao"], [(900, 900)])
    members = roster(loaded["keqiao"], 3)
    meeting = meeting_with(cycle, members, 3, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    client.force_login(members[1].user)
    listing = client.get(url("keqiao", "committee-meetings")).content.decode()
    assert "投票：柯桥区政府质量奖" in listing
    page = url("keqiao", "committee-ballot", round_id=round_.pk)
    unconfirmed = client.post(page, {"kind": "marked", f"c{a.pk}": "yes"})
    assert "请确认后再提交" in unconfirmed.content.decode()
    assert client.post(page, {"kind": "marked", f"c{a.pk}": "yes", "confirm": "on"}).status_code == 302
    again = client.get(page).content.decode()
    assert "您已在本轮投过票" in again
    second = client.post(page, {"kind": "marked", f"c{a.pk}": "no", "confirm": "on"}).content.decode()
    assert "您已在本轮投过票" in second and Ballot.objects.count() == 1
    # The office sees who voted but no count before the close.
    client.force_login(office)
    progress = client.get(url("keqiao", "office-committee-round", round_id=round_.pk)).content.decode()
    assert "已投票 1 人" in progress and "赞成" not in progress.split("投票进度")[1].split("结束投票并计票")[0]


def test_the_dossier_and_ballot_are_404_for_anyone_not_on_the_meeting(client, loaded, cast):
    cycle, office, (a,) = candidates(loaded["keqiao"], [(900, 900)])
    members = roster(loaded["keqiao"], 3)
    meeting = meeting_with(cycle, members, 3, office)
    round_ = rounds.open_round(meeting, "quality", Round.Method.ONLINE, office)
    client.force_login(members[0].user)
    dossier = client.get(url("keqiao", "committee-dossier", meeting_id=meeting.pk))
    assert dossier.status_code == 200 and a.organization.name in dossier.content.decode()
    assert dossier["Cache-Control"] == "private, no-store"
    for user in (cast["committee"], cast["reviewer"], cast["other_office"]):
        client.force_login(user)
        assert client.get(url("keqiao", "committee-dossier", meeting_id=meeting.pk)).status_code == 404
        assert client.get(url("keqiao", "committee-ballot", round_id=round_.pk)).status_code == 404
    client.force_login(cast["other_office"])
    assert client.get(url("zhuji", "office-committee-meeting", meeting_id=meeting.pk)).status_code == 404
    assert client.get(url("zhuji", "office-committee-round", round_id=round_.pk)).status_code == 404


def test_the_meeting_page_refuses_a_ballot_without_quorum_naming_the_article(client, loaded):
    cycle, office, _ = candidates(loaded["keqiao"], [(900, 900)])
    members = roster(loaded["keqiao"], 15)
    meeting = meeting_with(cycle, members, 9, office)
    client.force_login(office)
    page = client.get(url("keqiao", "office-committee-meeting", meeting_id=meeting.pk)).content.decode()
    assert "出席委员9人，不足委员15人的2/3以上（含本数）（至少10人），不能表决（第十九条）" in page
    refused = client.post(url("keqiao", "office-committee-open-round", meeting_id=meeting.pk),
                          {"award": "quality", "method": "online"}).content.decode()
    assert "不能表决（第十九条）" in refused and not Round.objects.exists()


def test_daqing_joint_meeting_deliberates_and_uploads_minutes(client, loaded, settings):
    from tests.awards.builders import pdf_upload
    cycle, office, (a, b, c) = candidates(loaded["daqing"], [(900, 900), (850, 850), (800, 800)],
                                          quotas={"quality": 1, "nomination": 1})
    members = roster(loaded["daqing"], 8)
    meeting = meeting_with(cycle, members, 6, office)
    client.force_login(office)
    page = client.get(url("daqing", "office-committee-meeting", meeting_id=meeting.pk)).content.decode()
    assert "第十七条" in page and "开始一轮无记名投票" not in page
    deliberate = url("daqing", "office-committee-deliberation", meeting_id=meeting.pk)
    too_many = client.post(deliberate, {"award": "quality", "selected": [a.pk, b.pk], "note": "审议", "confirm": "on"})
    assert "最多1家" in too_many.content.decode()
    client.post(deliberate, {"award": "quality", "selected": [a.pk], "note": "成员单位一致同意", "confirm": "on"})
    assert fresh(a).state == AppState.PROPOSED
    assert fresh(b).state == fresh(c).state == AppState.CANDIDATE      # go on to the nomination
    client.post(deliberate, {"award": "nomination", "selected": [c.pk], "note": "列入提名奖", "confirm": "on"})
    assert fresh(c).state == AppState.PROPOSED and fresh(b).state == AppState.NOT_SELECTED
    assert fresh(c).events.last().cite == "第十七条"
    bad = client.post(url("daqing", "office-committee-minutes", meeting_id=meeting.pk),
                      {"signed_by": "李主任", "minutes": pdf_upload("纪要.txt")})
    assert "类型不在允许范围内" in bad.content.decode()
    ok = client.post(url("daqing", "office-committee-minutes", meeting_id=meeting.pk),
                     {"signed_by": "李主任", "minutes": pdf_upload("纪要.pdf")})
    assert ok.status_code == 302
    assert client.get(url("daqing", "office-committee-minutes", meeting_id=meeting.pk))["Content-Type"] == "application/pdf"


def test_roster_page_records_real_names_and_refuses_bad_dates_next_to_the_field(client, loaded):
    office = make_user("lc-office-roster", loaded["lucheng"], Role.OFFICE)
    client.force_login(office)
    page = client.post(url("lucheng", "office-committee-roster"),
                       {"name": "陈主任", "position": "副区长", "is_chair": "on", "serves_from": "2026-01-01",
                        "serves_until": "2025-01-01"}).content.decode()
    assert "任职截止日不能早于起始日" in page and 'value="陈主任"' in page
    client.post(url("lucheng", "office-committee-roster"),
                {"name": "陈主任", "position": "副区长", "is_chair": "on", "serves_from": "2026-01-01"})
    assert "陈主任" in client.get(url("lucheng", "office-committee-roster")).content.decode()

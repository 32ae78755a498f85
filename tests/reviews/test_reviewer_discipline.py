"""Reviewers' discipline: the office records a sanction from the profile's list; a reviewer whose
qualification was withdrawn is refused a group, an agency, the pool and an assignment until the
rehire ban ends (Binjiang 七（六）: 5 years, the last day named), for good where the profile sets no
period (Lucheng 第二十条, Keqiao 第二十七条); another tenant's office gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from awards.refusals import ServiceError
from jurisdictions.models import Role
from records.retention import years_later
from reviews import discipline, groups, pool
from reviews.models import PoolEntry, ReviewerSanction
from tests.awards.builders import published_cycle
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def cast_of(jurisdiction, prefix: str, n: int = 3):
    office = make_user(f"{prefix}-office", jurisdiction, Role.OFFICE, first_name="王主任")
    reviewers = [make_user(f"{prefix}-r{i}", jurisdiction, Role.REVIEWER, first_name=f"评审员{i}") for i in range(n)]
    return office, reviewers


def record_on_page(client: Client, slug: str, reviewer, decided_on: dt.date, level="disqualification"):
    return client.post(f"/{slug}/office/reviewer-sanctions/", {
        "reviewer": reviewer.pk, "level": level, "facts": "评审期间私下接受申报组织宴请", "decided_on": decided_on.isoformat(),
        "confirm": "on"})


def test_binjiang_bars_a_disqualified_reviewer_to_the_last_day_and_allows_the_day_after(loaded):
    jurisdiction = loaded["binjiang"]
    office, reviewers = cast_of(jurisdiction, "bjd")
    client = Client()
    client.force_login(office)
    page = client.get("/binjiang/office/reviewer-sanctions/").content.decode()
    assert "取消评审资格" in page and "七（六）" in page and "5年" in page
    # Decided so that today is the last day of the 5-year ban.
    today = timezone.localdate()
    decided = years_later(today + dt.timedelta(days=1), -5)
    response = record_on_page(client, "binjiang", reviewers[0], decided)
    assert response.status_code == 302
    sanction = ReviewerSanction.objects.get(reviewer=reviewers[0])
    assert sanction.barred_until == today and sanction.ban_cite == "七（六）"
    listing = client.get("/binjiang/office/reviewer-sanctions/").content.decode()
    assert "评审员0" in listing and f"{today.isoformat()}（含当日）前不得聘用" in listing

    cycle = published_cycle(jurisdiction, office)
    with pytest.raises(ServiceError) as caught:
        groups.form_group(cycle, name="第一组", leader=reviewers[0], members=reviewers[1:], actor=office)
    assert caught.value.field == "members"
    assert f"{today.isoformat()}（含当日）前不得聘用（七（六））" in caught.value.message and "评审员0" in caught.value.message

    # The day after the last day the reviewer may be engaged again.
    assert discipline.barring(jurisdiction, [reviewers[0]], today + dt.timedelta(days=1)) == {}
    ReviewerSanction.objects.filter(pk=sanction.pk).update(barred_until=today - dt.timedelta(days=1))
    group = groups.form_group(cycle, name="第一组", leader=reviewers[0], members=reviewers[1:], actor=office)
    assert group.members.count() == 3


def test_a_disqualification_shown_next_to_the_field_when_adding_a_member(loaded):
    jurisdiction = loaded["binjiang"]
    office, reviewers = cast_of(jurisdiction, "bjm", 4)
    cycle = published_cycle(jurisdiction, office)
    group = groups.form_group(cycle, name="第二组", leader=reviewers[0], members=reviewers[1:3], actor=office)
    discipline.record(jurisdiction, reviewers[3], level="disqualification", facts="泄露评审信息",
                      decided_on=timezone.localdate(), actor=office)
    with pytest.raises(ServiceError) as caught:
        groups.add_member(group, reviewers[3])
    assert caught.value.field == "reviewer" and "七（六）" in caught.value.message
    # A group with a disqualified member is given no further assignment either.
    discipline.record(jurisdiction, reviewers[1], level="disqualification", facts="泄露评审信息",
                      decided_on=timezone.localdate(), actor=office)
    from tests.awards.builders import organization, ready_draft
    user = make_user("bjm-applicant", jurisdiction, Role.APPLICANT)
    app = ready_draft(cycle, organization(jurisdiction, user=user), user)
    with pytest.raises(ServiceError) as caught:
        groups.assign(app, group, "document", office)
    assert caught.value.field == "group" and "评审员1" in caught.value.message


@pytest.mark.parametrize(("slug", "cite"), [("lucheng", "第二十条"), ("keqiao", "第二十七条")])
def test_without_a_rehire_period_a_disqualified_reviewer_is_never_engaged_again(loaded, slug, cite):
    jurisdiction = loaded[slug]
    office, reviewers = cast_of(jurisdiction, f"{slug}-d")
    client = Client()
    client.force_login(office)
    long_ago = dt.date(2015, 3, 1)
    assert record_on_page(client, slug, reviewers[0], long_ago).status_code == 302
    sanction = ReviewerSanction.objects.get(reviewer=reviewers[0])
    assert sanction.barred_until is None and sanction.cite == cite
    with pytest.raises(ServiceError) as caught:
        pool.admit(jurisdiction, reviewers[0], organisation="某大学", position="教授", degree=PoolEntry.Degree.DOCTOR,
                   senior_title=True, experience_years=20)
    assert f"本辖区不再聘用（{cite}）" in caught.value.message and caught.value.field == "reviewer"
    # A criticism bars nobody.
    assert record_on_page(client, slug, reviewers[1], long_ago, level="criticism").status_code == 302
    assert pool.admit(jurisdiction, reviewers[1], organisation="某大学", position="教授", degree=PoolEntry.Degree.DOCTOR,
                      senior_title=True, experience_years=20).active


def test_bad_input_is_refused_next_to_the_field_and_nothing_is_lost(loaded):
    jurisdiction = loaded["binjiang"]
    office, reviewers = cast_of(jurisdiction, "bjb")
    client = Client()
    client.force_login(office)
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client.post("/binjiang/office/reviewer-sanctions/", {
        "reviewer": reviewers[0].pk, "level": "warning", "facts": "迟到早退", "decided_on": future.isoformat(),
        "confirm": "on"})
    body = response.content.decode()
    assert response.status_code == 400 and "决定日期不能晚于今天" in body and "迟到早退" in body
    response = client.post("/binjiang/office/reviewer-sanctions/", {
        "reviewer": reviewers[0].pk, "level": "warning", "facts": "迟到早退", "decided_on": timezone.localdate().isoformat()})
    assert "请勾选确认" in response.content.decode() and not ReviewerSanction.objects.exists()


def test_zhuji_lists_no_reviewer_sanctions_and_another_tenant_gets_404(loaded):
    office, reviewers = cast_of(loaded["zhuji"], "zjd")
    client = Client()
    client.force_login(office)
    page = client.get("/zhuji/office/reviewer-sanctions/").content.decode()
    assert "未列出对评审员的处理方式" in page and "sanction-form" not in page
    assert record_on_page(client, "zhuji", reviewers[0], timezone.localdate()).status_code == 400
    assert not ReviewerSanction.objects.exists()
    assert client.get("/binjiang/office/reviewer-sanctions/").status_code == 404

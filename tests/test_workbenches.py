"""Each role's home is a workbench: what is waiting, how many, due when; the public homes show the
open call with its deadline and a 申报 button, and stay correct while cached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.states import AppState
from jurisdictions.models import Role
from reviews import scoring
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user
from tests.reviews.test_reviewer_pages import DOC, attested, build_review, fill_sheet

pytestmark = pytest.mark.django_db


def url(name: str, slug: str = "keqiao", **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- the public homes -------------------------------------------------------------------------------
def test_the_jurisdiction_home_shows_the_open_call_and_follows_publication_while_cached(
        client, loaded, cast, django_capture_on_commit_callbacks):
    cache.clear()
    keqiao = loaded["keqiao"]
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        cycle = services.create_cycle(keqiao, year=2026, actor=cast["office"],
                                      applications_open_at=now - dt.timedelta(days=1),
                                      applications_close_at=now + dt.timedelta(days=30))
    assert 'id="h-call"' not in body(client.get(url("tenant-home")))
    assert 'id="h-call"' not in body(client.get(url("tenant-home")))  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        cycle = services.publish_cycle(cycle, cast["office"])
    after = body(client.get(url("tenant-home")))
    close = timezone.localtime(cycle.applications_close_at)
    assert "正在受理的申报" in after and cycle.title in after
    assert f"{close:%Y年%-m月%-d日 %H:%M}" in after
    assert f'<a class="btn" href="{url("cycle-call", year=2026)}">申报</a>' in after
    # The site home's card says it too, with the button.
    assert f'href="{url("cycle-call", year=2026)}">申报' in body(client.get("/"))
    # Once the call has closed and review begins, the cached copies are retired again.
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(cycle, cast["office"], now=cycle.applications_close_at + dt.timedelta(hours=1))
    assert 'id="h-call"' not in body(client.get(url("tenant-home")))
    assert f'href="{url("cycle-call", year=2026)}">申报' not in body(client.get("/"))


# --- the applicant ----------------------------------------------------------------------------------
def test_the_applicant_home_offers_the_open_call_then_lists_the_application_with_its_deadline(loaded, cast):
    keqiao = loaded["keqiao"]
    cycle = published_cycle(keqiao, cast["office"])
    org = organization(keqiao, name="柯桥工作台测试有限公司")
    applicant = org.users.get()
    client = as_user(applicant)
    html = body(client.get(url("applicant-home")))
    assert "发布申报通知后开放" not in html
    assert f'href="{url("cycle-call", year=2026)}">申报</a>' in html
    assert cycle.title in html

    app = ready_draft(cycle, org, applicant)
    html = body(client.get(url("applicant-home")))
    close = timezone.localtime(cycle.applications_close_at)
    assert "有 <strong>1</strong> 份申报待您填写或补正。" in html
    assert f"最近的截止时间：<strong>{close:%Y年%-m月%-d日 %H:%M}</strong>" in html
    assert "填写申报书并提交" in html and f"截止受理 {close:%Y-%m-%d}" in html
    assert f'href="{url("application-edit", pk=app.pk)}">继续填写</a>' in html
    assert "发布申报通知后开放" not in html

    services.submit(app, applicant)
    html = body(client.get(url("applicant-home")))
    assert '<span class="badge badge-state badge-state-submitted">已提交</span>' in html
    assert "等待" in html and "资格审查" in html
    assert "份申报待您填写或补正" not in html


def test_with_no_call_open_the_applicant_is_told_when_applications_open(loaded, cast):
    html = body(as_user(cast["applicant"]).get(url("applicant-home")))
    assert "目前没有正在受理的申报" in html and "发布申报通知后开放" in html


# --- the office -------------------------------------------------------------------------------------
def test_the_office_home_counts_what_waits_at_each_stage_per_cycle(loaded, cast):
    keqiao = loaded["keqiao"]
    office = cast["office"]
    cycle = published_cycle(keqiao, office)
    for n in range(3):
        org = organization(keqiao)
        app = ready_draft(cycle, org, org.users.get())
        if n:
            app = services.submit(app, org.users.get())
        if n == 2:
            services.decide_eligibility(app, office, AppState.ELIGIBLE)
    response = as_user(office).get(url("office-home"))
    html = body(response)
    [work] = response.context["work"]
    rows = {str(t.label): (t.count, t.url) for t in work.tasks}
    dashboard = url("office-cycle", year=2026)
    assert rows["申报组织填写中（草稿）"] == (1, f"{dashboard}?state=draft")
    assert rows["待资格审查"] == (1, f"{dashboard}?state=submitted")
    assert rows["资料评审中"] == (1, url("office-review-assignments", year=2026))
    assert "其中1份尚未分配评审组" in html
    # Waiting for the office: one to decide, one to assign.
    assert "有 <strong>2</strong> 项待您办理。" in html
    # No logout button inside the page: the header has it.
    main = html.split('<main id="main"', 1)[1]
    assert "退出登录" not in main
    # While the call is open the badge says so; under review it names the earliest stage still
    # being worked, in the profile's own words (Keqiao's eligibility stage).
    assert '<span class="badge badge-cycle">已发布通知</span>' in html
    cycle = services.start_review(cycle, office, now=cycle.applications_close_at + dt.timedelta(minutes=1))
    keqiao_eligibility = cycle.profile.typed.stage("eligibility").name_zh.value
    html = body(as_user(office).get(url("office-home")))
    assert f'<span class="badge badge-cycle">评审中：{keqiao_eligibility}</span>' in html


def test_the_office_home_query_count_does_not_grow_with_applications(loaded, cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    keqiao = loaded["keqiao"]
    cycle = published_cycle(keqiao, cast["office"])
    client = as_user(cast["office"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("office-home")).status_code == 200
        return len(queries)

    org = organization(keqiao)
    services.submit(ready_draft(cycle, org, org.users.get()), org.users.get())
    one = count()
    for _n in range(3):
        org = organization(keqiao)
        services.submit(ready_draft(cycle, org, org.users.get()), org.users.get())
    assert count() == one


# --- reviewers and the leader -----------------------------------------------------------------------
def test_the_reviewer_home_lists_statements_sheets_and_for_the_leader_the_consensus(loaded, cast):
    review = build_review(loaded["keqiao"], cast["office"])
    member = as_user(review.member)
    html = body(member.get(url("reviewer-home")))
    assert "待作利害关系回避声明（1份）" in html
    assert f'{url("reviewer-attest", pk=review.app.pk)}?stage=document' in html

    attested(review, review.member, review.leader)
    html = body(member.get(url("reviewer-home")))
    assert "待评分（1份）" in html and url("reviewer-score", pk=review.app.pk, stage=DOC) in html
    assert "有 <strong>1</strong> 项评审工作待您完成。" in html

    fill_sheet(review, review.leader)
    scoring.submit_sheet(review.app, review.leader, DOC)
    leader = body(as_user(review.leader).get(url("reviewer-home")))
    assert "组长：待形成共识评分（1份）" in leader
    assert url("reviewer-consensus", pk=review.app.pk, stage=DOC) in leader
    # One of the two active members (the third has not attested) has submitted.
    assert "1 / 3" in leader


# --- committee members ------------------------------------------------------------------------------
def test_the_committee_home_counts_the_ballots_waiting(loaded, cast):
    from committee.models import CommitteeMember, Meeting, Round

    keqiao = loaded["keqiao"]
    cycle = published_cycle(keqiao, cast["office"])
    user = make_user("kq-wb-member", keqiao, Role.COMMITTEE, first_name="委员")
    member = CommitteeMember.objects.create(jurisdiction=keqiao, user=user, name="张委员", position="委员",
                                            serves_from=dt.date(2020, 1, 1))
    meeting = Meeting.objects.create(jurisdiction=keqiao, cycle=cycle, held_on=timezone.localdate() + dt.timedelta(days=3),
                                     place="区政府第一会议室")
    meeting.attendance.create(member=member, present=True)
    voting = Round.objects.create(meeting=meeting, award_code="quality", number=1, method=Round.Method.ONLINE,
                                  places=1, present_count=1)
    html = body(as_user(user).get(url("committee-home")))
    assert "有 <strong>1</strong> 张选票待您投票。" in html
    assert url("committee-ballot", round_id=voting.pk) in html
    assert "待召开" in html and "区政府第一会议室" in html

"""Floors compare exact values (Keqiao 第五条, Zhuji 第十三条（六）); equal scores share a rank, and
a tie across Binjiang's 1.5× cap (四（四）) is never broken by filing order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from awards.models import ApplicationEvent
from awards.refusals import ServiceError
from awards.states import AppState
from reviews import ranking, scoring
from reviews.models import Evaluation, Stage, StageResult
from tests.awards.builders import published_cycle
from tests.reviews.test_ranking import eligible_apps, fresh, office_for, shortlisted, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- exact scores -----------------------------------------------------------------------------------
def test_keqiao_599_996_is_below_the_600_floor_and_reads_as_such(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    just_under, exact = shortlisted(cycle, office, [("599.98", 600), (600, 600)])
    ranking.comprehensive_evaluation(cycle, office)

    ev = Evaluation.objects.get(application=just_under)
    assert ev.comprehensive_score == Decimal("599.996")
    assert fresh(just_under).state == AppState.BELOW_THRESHOLD
    assert ev.reasons[0]["text"] == "综合评分 = 资料评审 599.98 × 20% + 现场评审 600 × 80% = 599.996"
    assert "柯桥区政府质量奖要求总评分不低于600分，实得599.996分，未达到" in [r["text"] for r in ev.reasons]
    assert fresh(exact).state == AppState.CANDIDATE

    client.force_login(office)
    html = client.get(url("keqiao", "office-review-evaluation", year=2026)).content.decode()
    assert '<td class="num">599.996</td>' in html
    assert '<td class="num score">600</td>' in html


def test_a_site_score_of_599_995_is_stored_exactly_and_fails_the_site_floor(loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    (app,) = shortlisted(cycle, office, [(700, "599.995")])
    assert StageResult.objects.get(application=app, stage=Stage.SITE).total == Decimal("599.995")
    ranking.comprehensive_evaluation(cycle, office)
    assert fresh(app).state == AppState.BELOW_THRESHOLD
    ev = Evaluation.objects.get(application=app)
    assert (ev.site_score, ev.comprehensive_score) == (Decimal("599.995"), Decimal("619.996"))
    assert "柯桥区政府质量奖要求现场评审得分不低于600分，实得599.995分，未达到" in [r["text"] for r in ev.reasons]


def test_a_total_with_more_decimals_than_kept_is_refused_not_rounded(loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    (app,) = eligible_apps(cycle, office, [None])
    with pytest.raises(ServiceError) as refused:
        scoring.record_group_total(app, Stage.DOCUMENT, Decimal("599.99995"), office)
    assert refused.value.field == "total"
    assert refused.value.message == "评审组得分最多保留4位小数（所填为599.99995），请按评分表原样填写，系统不作四舍五入。"
    assert not StageResult.objects.exists()
    assert scoring.record_group_total(app, Stage.DOCUMENT, Decimal("599.9999"), office).total == Decimal("599.9999")


# --- ties -------------------------------------------------------------------------------------------
def binjiang_cycle(loaded):
    binjiang = loaded["binjiang"]
    office = office_for(binjiang)
    # 2 + 1 awards: at most 1.5 × 3 = 4.5, i.e. 4 places.
    return published_cycle(binjiang, office, quotas={"quality": 2, "nomination": 1}), office


def test_tied_applicants_share_a_rank_and_a_tie_inside_the_cap_goes_whole(loaded):
    cycle, office = binjiang_cycle(loaded)
    apps = eligible_apps(cycle, office, [720, 705, 705, 690, 650])
    assert [r.rank for r in ranking.document_ranking(cycle)] == [1, 2, 2, 4, 5]
    ranking.decide_shortlist(cycle, office)
    assert [fresh(a).state for a in apps] == [AppState.SHORTLISTED] * 4 + [AppState.NOT_SHORTLISTED]
    second = ApplicationEvent.objects.get(application=apps[2], to_state=AppState.SHORTLISTED)
    assert second.reason == "资料评审得分 705，排名第2"


def test_a_tie_across_the_cap_is_left_out_with_the_tie_named_whatever_the_filing_order(loaded):
    cycle, office = binjiang_cycle(loaded)
    # The later filing scores the same as the earlier ones: filing order must not matter.
    apps = eligible_apps(cycle, office, [720, 705, 690, 680, 680, 650])
    ranking.decide_shortlist(cycle, office)
    assert [fresh(a).state for a in apps] == [AppState.SHORTLISTED] * 3 + [AppState.NOT_SHORTLISTED] * 3
    tied = ApplicationEvent.objects.get(application=apps[3], to_state=AppState.NOT_SHORTLISTED)
    tie_text = ("资料评审得分 680，与另外1家并列第4名；入围现场评审不超过4家，并列的2家只余1个名额，不能全部入围；"
                "办法未规定得分相同时如何取舍，评审办未在并列者中作出选择，故并列者均不入围")
    assert (tied.rule, tied.cite) == ("shortlist.tie", "四（四）")
    assert tied.reason == "资料评审得分 680，排名第4；" + tie_text
    assert tied.details["reasons"][0]["text"] == tie_text
    assert tied.details["tie"] == {"score": "680", "rank": 4, "places_left": 1, "picked": [], "reason": "",
                                   "tied": sorted([apps[3].number, apps[4].number])}
    # The one below the tie is left out by the cap itself.
    last = ApplicationEvent.objects.get(application=apps[5], to_state=AppState.NOT_SHORTLISTED)
    assert last.rule == "shortlist.ratio"


def test_the_office_sees_the_tie_and_may_pick_within_the_cap_with_a_recorded_reason(client, loaded):
    cycle, office = binjiang_cycle(loaded)
    apps = eligible_apps(cycle, office, [720, 705, 690, 680, 680, 650])
    client.force_login(office)
    page_url = url("binjiang", "office-review-shortlist", year=2026)
    page = client.get(page_url)
    assert [r["within_cap"] for r in page.context["rows"]] == [True] * 3 + [False] * 3
    assert [r["tied"] for r in page.context["rows"]] == [False] * 3 + [True] * 2 + [False]
    html = page.content.decode()
    assert "资料评审得分 680 的 2 家申报并列第 4 名" in html
    assert html.count('name="tie_picks"') == 2

    too_many = client.post(page_url, {"confirm": "on", "tie_picks": [apps[3].pk, apps[4].pk], "tie_reason": "x"})
    assert too_many.context["form"].errors["tie_picks"] == ["并列者中最多还能选定1家（入围不超过上限），现选了2家。"]
    no_reason = client.post(page_url, {"confirm": "on", "tie_picks": [apps[4].pk], "tie_reason": " "})
    assert no_reason.context["form"].errors["tie_reason"] == ["在并列者中选定入围时，请写明理由。"]
    outside = client.post(page_url, {"confirm": "on", "tie_picks": [apps[5].pk], "tie_reason": "x"})
    assert "tie_picks" in outside.context["form"].errors
    assert all(fresh(a).state == AppState.ELIGIBLE for a in apps)

    response = client.post(page_url, {"confirm": "on", "tie_picks": [apps[4].pk], "tie_reason": "现场评审日程只能安排一家"})
    assert response.status_code == 302
    assert [fresh(a).state for a in apps] == [AppState.SHORTLISTED] * 3 + [
        AppState.NOT_SHORTLISTED, AppState.SHORTLISTED, AppState.NOT_SHORTLISTED]
    picked = ApplicationEvent.objects.get(application=apps[4], to_state=AppState.SHORTLISTED)
    assert picked.rule == "shortlist.tie"
    assert picked.reason == "资料评审得分 680，排名第4；并列者中由评审办选定入围，理由：现场评审日程只能安排一家"
    assert picked.details["tie"]["picked"] == [apps[4].number]
    assert picked.details["tie"]["reason"] == "现场评审日程只能安排一家"
    other = ApplicationEvent.objects.get(application=apps[3], to_state=AppState.NOT_SHORTLISTED)
    assert other.details["reasons"][0]["text"].endswith("评审办在并列者中选定1家入围，理由：现场评审日程只能安排一家")
    # The history shows the reason.
    history = client.get(url("binjiang", "office-application", pk=apps[4].pk)).content.decode()
    assert "并列者中由评审办选定入围，理由：现场评审日程只能安排一家" in history


def test_equal_comprehensive_scores_share_a_rank_on_the_candidate_list(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    shortlisted(cycle, office, [(700, 700), (650, 650), (650, 650)])
    rows = ranking.comprehensive_evaluation(cycle, office)
    assert [r.rank for r in rows] == [1, 2, 2]
    client.force_login(office)
    page = client.get(url("keqiao", "office-review-evaluation", year=2026))
    assert [c["rank"] for c in page.context["candidates"]] == [1, 2, 2]

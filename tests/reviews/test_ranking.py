"""Ranking, shortlist and comprehensive evaluation through the office pages: Binjiang's cap, Keqiao's
weights and floors, Zhuji's floors per award and its weights, and constant queries on both lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.models import Application, ApplicationEvent
from awards.states import AppState
from jurisdictions.models import Role
from reviews import ranking, scoring
from reviews.models import Evaluation, Stage
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user
from tests.reviews.site_reports import confirmed_site_score

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(slug: str, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def office_for(jurisdiction, username: str | None = None):
    return make_user(username or f"{jurisdiction.slug}-office", jurisdiction, Role.OFFICE)


def eligible_apps(cycle, office, scores: list, *, category: str = "quality") -> list[Application]:
    """Filed, found eligible, and given a document-stage group total each (None: not scored yet)."""
    apps = []
    for score in scores:
        org = organization(cycle.jurisdiction)
        user = org.users.get()
        app = services.submit(ready_draft(cycle, org, user, category=category), user)
        app = services.decide_eligibility(app, office, AppState.ELIGIBLE)
        if score is not None:
            scoring.record_group_total(app, Stage.DOCUMENT, Decimal(str(score)), office)
        apps.append(app)
    return apps


def shortlisted(cycle, office, specs: list[tuple]) -> list[Application]:
    """(document, site[, category]) per applicant: all shortlisted, both stage totals recorded."""
    apps = []
    for spec in specs:
        document, _site, *category = spec
        apps += eligible_apps(cycle, office, [document], category=category[0] if category else "quality")
    ranking.decide_shortlist(cycle, office, chosen_ids={a.pk for a in apps})
    for app, (_document, site, *_rest) in zip(apps, specs, strict=True):
        confirmed_site_score(app, site, office)
    return apps


def fresh(app: Application) -> Application:
    app.refresh_from_db()
    return app


# --- Binjiang: the cap -------------------------------------------------------------------------------
def test_binjiang_shortlists_at_most_one_and_a_half_times_the_total_quotas(client, loaded):
    binjiang = loaded["binjiang"]
    office = office_for(binjiang)
    cycle = published_cycle(binjiang, office, quotas={"quality": 5, "nomination": 3})
    apps = eligible_apps(cycle, office, [900 - 10 * i for i in range(15)])
    client.force_login(office)

    page = client.get(url("binjiang", "office-review-shortlist", year=2026))
    assert page.status_code == 200
    assert page.context["cap"] == 12
    html = page.content.decode()
    assert "入围现场评审不超过获奖总数的1.5倍：1.5 × 8 = 12家" in html
    assert '<span class="cite">四（四）</span>' in html
    # No checkboxes: the cap decides, the office confirms.
    assert 'name="chosen"' not in html
    assert [r["within_cap"] for r in page.context["rows"]] == [True] * 12 + [False] * 3

    refused = client.post(url("binjiang", "office-review-shortlist", year=2026), {})
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm"] == ["请勾选确认后再提交。"]
    assert all(fresh(a).state == AppState.ELIGIBLE for a in apps)

    response = client.post(url("binjiang", "office-review-shortlist", year=2026), {"confirm": "on"})
    assert response.status_code == 302
    assert [fresh(a).state for a in apps] == [AppState.SHORTLISTED] * 12 + [AppState.NOT_SHORTLISTED] * 3
    thirteenth = ApplicationEvent.objects.get(application=apps[12], to_state=AppState.NOT_SHORTLISTED)
    assert thirteenth.cite == "四（四）"
    assert thirteenth.rule == "shortlist.ratio"
    assert thirteenth.reason == "资料评审得分 780，排名第13"
    assert thirteenth.details["reasons"][1] == {
        "rule": "shortlist", "cite": "四（四）", "text": "资料评审得分 780，排名第13，未入围现场评审"}
    twelfth = ApplicationEvent.objects.get(application=apps[11], to_state=AppState.SHORTLISTED)
    assert twelfth.reason == "资料评审得分 790，排名第12"


def test_binjiang_decision_needs_every_document_score(client, loaded):
    binjiang = loaded["binjiang"]
    office = office_for(binjiang)
    cycle = published_cycle(binjiang, office)
    apps = eligible_apps(cycle, office, [800, None])
    client.force_login(office)
    page = client.get(url("binjiang", "office-review-shortlist", year=2026))
    assert "还有 1 份申报没有资料评审得分" in page.content.decode()
    response = client.post(url("binjiang", "office-review-shortlist", year=2026), {"confirm": "on"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["还有1份申报没有资料评审得分。"]
    assert [fresh(a).state for a in apps] == [AppState.ELIGIBLE, AppState.ELIGIBLE]


def test_elsewhere_the_office_picks_with_the_ranking_beside_it(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    first, second, third = eligible_apps(cycle, office, [650, 820, 700])
    client.force_login(office)
    page = client.get(url("keqiao", "office-review-shortlist", year=2026))
    assert page.context["cap"] is None
    assert [r["app"].pk for r in page.context["rows"]] == [second.pk, third.pk, first.pk]
    assert [r["row"].rank for r in page.context["rows"]] == [1, 2, 3]
    html = page.content.decode()
    assert html.count('name="chosen"') == 3
    assert '<span class="cite">第十六条</span>' in html

    nothing = client.post(url("keqiao", "office-review-shortlist", year=2026), {"confirm": "on"})
    assert nothing.context["form"].errors["chosen"] == ["请至少选择一家进入现场评审的组织。"]
    # A pick that names no pending application (a garbled id) is refused next to the list, not a 500.
    garbled = client.post(url("keqiao", "office-review-shortlist", year=2026), {"chosen": ["abc"], "confirm": "on"})
    assert garbled.status_code == 200
    assert garbled.context["form"].errors == {"chosen": ["所选申报已不在待定名单中，请刷新页面后重新选择。"]}
    assert "所选申报已不在待定名单中，请刷新页面后重新选择。" in garbled.content.decode()
    assert [fresh(a).state for a in (first, second, third)] == [AppState.ELIGIBLE] * 3
    # The pick survives the refusal.
    kept = client.post(url("keqiao", "office-review-shortlist", year=2026), {"chosen": [second.pk, first.pk]})
    assert kept.context["form"].errors["confirm"] == ["请勾选确认后再提交。"]
    assert [r["checked"] for r in kept.context["rows"]] == [True, False, True]

    # The office may pass over the second-ranked: its choice decides, not the order.
    response = client.post(url("keqiao", "office-review-shortlist", year=2026),
                           {"chosen": [second.pk, first.pk], "confirm": "on"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已确定入围现场评审名单：入围2家，未入围1家。"]
    assert fresh(first).state == AppState.SHORTLISTED
    assert fresh(second).state == AppState.SHORTLISTED
    assert fresh(third).state == AppState.NOT_SHORTLISTED
    again = client.post(url("keqiao", "office-review-shortlist", year=2026), {"confirm": "on"}, follow=True)
    assert [str(m) for m in again.context["messages"]] == ["没有待确定入围的申报，本次提交没有再次执行。"]


# --- Keqiao: 20/80 and both floors ---------------------------------------------------------------------
def test_the_comprehensive_evaluation_asks_for_confirmation_first(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    (first,) = shortlisted(cycle, office, [(712.5, 690)])
    client.force_login(office)
    page = client.get(url("keqiao", "office-review-evaluation", year=2026)).content.decode()
    assert 'id="evaluation-confirm"' in page and "我确认进行综合评价" in page
    refused = client.post(url("keqiao", "office-review-evaluation", year=2026))
    assert refused.status_code == 200
    assert refused.context["confirm_form"].errors["confirm"] == ["请勾选确认后再进行综合评价。"]
    assert 'class="field checkbox-field has-error"' in refused.content.decode()
    assert fresh(first).state == AppState.SHORTLISTED
    assert not Evaluation.objects.exists()


def test_keqiao_weighs_document_twenty_and_site_eighty_with_both_floors(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    passing, low_site, low_total = shortlisted(cycle, office, [(712.5, 690), (750, 590), (500, 610)])
    client.force_login(office)

    response = client.post(url("keqiao", "office-review-evaluation", year=2026), {"confirm": "on"})
    assert response.status_code == 302

    ev = Evaluation.objects.get(application=passing)
    assert (ev.document_score, ev.site_score, ev.comprehensive_score) == (
        Decimal("712.50"), Decimal("690.00"), Decimal("694.50"))
    assert ev.candidate_for == "quality"
    assert ev.reasons[0] == {"rule": "scoring.weights", "cite": "第十八条",
                             "text": "综合评分 = 资料评审 712.5 × 20% + 现场评审 690 × 80% = 694.5"}
    assert fresh(passing).state == AppState.CANDIDATE

    ev = Evaluation.objects.get(application=low_site)
    assert ev.comprehensive_score == Decimal("622.00")
    assert ev.candidate_for == ""
    assert fresh(low_site).state == AppState.BELOW_THRESHOLD
    site_floor = [r for r in ev.reasons if r["rule"] == "awards.quality.floors.site"]
    assert site_floor == [{"rule": "awards.quality.floors.site", "cite": "第五条",
                           "text": "柯桥区政府质量奖要求现场评审得分不低于600分，实得590分，未达到"}]

    ev = Evaluation.objects.get(application=low_total)
    assert ev.comprehensive_score == Decimal("588.00")
    assert fresh(low_total).state == AppState.BELOW_THRESHOLD
    assert "柯桥区政府质量奖要求总评分不低于600分，实得588分，未达到" in [r["text"] for r in ev.reasons]

    page = client.get(url("keqiao", "office-review-evaluation", year=2026))
    assert [c["app"].pk for c in page.context["candidates"]] == [passing.pk]
    assert [c["app"].pk for c in page.context["below"]] == [low_site.pk, low_total.pk]
    html = page.content.decode()
    assert "综合评分 = 资料评审得分 × 20% + 现场评审得分 × 80%" in html
    assert '<span class="cite">第十八条</span>' in html
    assert "柯桥区政府质量奖：现场评审得分不低于600分" in html
    # Scores read as stored, no fixed places: 694.5, not a rounded or padded figure.
    assert '<td class="num score">694.5</td>' in html


def test_evaluation_waits_for_every_site_score(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    apps = eligible_apps(cycle, office, [700, 720])
    ranking.decide_shortlist(cycle, office, chosen_ids={a.pk for a in apps})
    scoring.record_group_total(apps[0], Stage.SITE, Decimal("650"), office)
    client.force_login(office)
    page = client.get(url("keqiao", "office-review-evaluation", year=2026))
    assert page.context["ready"] is False
    response = client.post(url("keqiao", "office-review-evaluation", year=2026), {"confirm": "on"})
    assert response.status_code == 200
    assert response.context["error"] == "还有1份入围申报缺少资料评审或现场评审得分。"
    assert not Evaluation.objects.exists()
    assert [fresh(a).state for a in apps] == [AppState.SHORTLISTED, AppState.SHORTLISTED]


# --- Zhuji: floors per award and weights from the profile ----------------------------------------------
def test_zhuji_innovation_floor_is_550_quality_floor_600(client, loaded):
    zhuji = loaded["zhuji"]
    office = office_for(zhuji)
    cycle = published_cycle(zhuji, office)
    quality, innovation, strong = shortlisted(
        cycle, office, [(560, 560, "quality"), (560, 560, "innovation"), (600, 700, "quality")])
    client.force_login(office)
    assert client.post(url("zhuji", "office-review-evaluation", year=2026), {"confirm": "on"}).status_code == 302

    assert fresh(quality).state == AppState.BELOW_THRESHOLD
    ev = Evaluation.objects.get(application=quality)
    assert ev.comprehensive_score == Decimal("560.00")
    assert {"rule": "awards.quality.floors.total", "cite": "第十三条（六）",
            "text": "诸暨市政府质量奖要求总评分不低于600分，实得560分，未达到"} in ev.reasons

    assert fresh(innovation).state == AppState.CANDIDATE
    ev = Evaluation.objects.get(application=innovation)
    assert (ev.comprehensive_score, ev.candidate_for) == (Decimal("560.00"), "innovation")
    assert ev.reasons[-1]["cite"] == "第十三条（六）"
    assert ev.reasons[-1]["text"].endswith("要求总评分不低于550分，实得560分，达到")

    # The weights are the profile's office setting (30/70), shown as such.
    weights = cycle.profile.typed.scoring.weights
    expected = Decimal(600) * Decimal(str(weights.value.document)) + Decimal(700) * Decimal(str(weights.value.site))
    ev = Evaluation.objects.get(application=strong)
    assert ev.comprehensive_score == expected == Decimal("670.00")
    assert ev.reasons[0] == {"rule": "scoring.weights", "cite": "office setting",
                             "text": "综合评分 = 资料评审 600 × 30% + 现场评审 700 × 70% = 670"}

    page = client.get(url("zhuji", "office-review-evaluation", year=2026))
    assert [c["app"].pk for c in page.context["candidates"]] == [strong.pk, innovation.pk]
    assert [c["rank"] for c in page.context["candidates"]] == [1, 2]
    html = page.content.decode()
    assert '<span class="cite">评审办设定</span>' in html
    assert "诸暨市政府质量创新奖：总评分不低于550分" in html


# --- constant queries ------------------------------------------------------------------------------
def _queries(client, path: str) -> int:
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_ranking_and_candidate_pages_run_the_same_queries_at_1_and_20_rows(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    shortlisted(cycle, office, [(700, 700)])
    ranking.comprehensive_evaluation(cycle, office)
    client.force_login(office)
    pages = [url("keqiao", "office-review-shortlist", year=2026), url("keqiao", "office-review-evaluation", year=2026)]
    client.get(pages[0])  # warm-up: the session and the roles cache
    at_one = [_queries(client, p) for p in pages]

    # 19 more, a mix of candidates and applicants below the floors.
    shortlisted(cycle, office, [(600 + 10 * i, 560 + 10 * i) for i in range(19)])
    ranking.comprehensive_evaluation(cycle, office)
    page = client.get(pages[1])
    assert len(page.context["candidates"]) + len(page.context["below"]) == 20
    assert len(client.get(pages[0]).context["rows"]) == 20
    at_twenty = [_queries(client, p) for p in pages]
    assert at_one == at_twenty

"""Keqiao 第十七条: the site report is confirmed by the applicant (现场评审报告由组织确认). The
comprehensive evaluation waits for that confirmation, or for the office's recorded handling of a
dispute; where the profile asks no confirmation (Zhuji) it does not wait."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from awards.refusals import ServiceError
from awards.states import AppState
from reviews import ranking, scoring, site
from reviews.models import Evaluation, SiteVisit, Stage
from tests.awards.builders import published_cycle
from tests.reviews.test_ranking import eligible_apps, fresh, office_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def site_scored(cycle, office, scores: list[int]):
    apps = eligible_apps(cycle, office, scores)
    ranking.decide_shortlist(cycle, office, chosen_ids={a.pk for a in apps})
    for app in apps:
        scoring.record_group_total(app, Stage.SITE, Decimal(700), office)
        day = cycle.close_date + dt.timedelta(days=20)
        site.record_given_report(app, starts_on=day, ends_on=day, report="现场评审报告", actor=office)
    return apps


def test_the_evaluation_waits_for_the_applicants_confirmation(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    confirmed, pending = site_scored(cycle, office, [700, 690])
    site.respond(confirmed, confirmed.organization.users.get(), confirm=True)

    expected = (f"现场评审报告须经申报组织确认（第十七条），以下1家尚未确认或其异议尚未处理，暂不能进行综合评价："
                f"{pending.number}（{pending.organization.name}）")
    with pytest.raises(ServiceError) as refused:
        ranking.comprehensive_evaluation(cycle, office)
    assert refused.value.message == expected
    client.force_login(office)
    page = client.get(url("keqiao", "office-review-evaluation", year=2026))
    assert page.context["ready"] is False
    assert expected in page.content.decode()
    response = client.post(url("keqiao", "office-review-evaluation", year=2026), {"confirm": "on"})
    assert response.context["error"] == expected
    assert not Evaluation.objects.exists()
    assert [fresh(a).state for a in (confirmed, pending)] == [AppState.SHORTLISTED] * 2

    site.respond(pending, pending.organization.users.get(), confirm=True)
    ranking.comprehensive_evaluation(cycle, office)
    assert [fresh(a).state for a in (confirmed, pending)] == [AppState.CANDIDATE] * 2


def test_a_dispute_holds_the_evaluation_until_the_office_records_its_handling(client, loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    (app,) = site_scored(cycle, office, [700])
    site.respond(app, app.organization.users.get(), confirm=False, comments="报告对质量成本的描述有误")
    with pytest.raises(ServiceError, match="以下1家尚未确认或其异议尚未处理"):
        ranking.comprehensive_evaluation(cycle, office)

    client.force_login(office)
    site_page = client.get(url("keqiao", "office-review-site", year=2026))
    assert "记录异议处理" in site_page.content.decode()
    dispute_url = url("keqiao", "office-review-site-dispute", year=2026, pk=app.pk)
    empty = client.post(dispute_url, {f"d{app.pk}-handling": " "})
    assert empty.status_code == 200
    assert [r["dispute_form"].errors for r in empty.context["rows"]] == [{"handling": ["请写明对异议的处理情况。"]}]
    done = client.post(dispute_url, {f"d{app.pk}-handling": "经核实，评审组已更正报告第三部分"})
    assert done.status_code == 302
    visit = SiteVisit.objects.get(application=app)
    assert (visit.dispute_handling, visit.dispute_handled_by) == ("经核实，评审组已更正报告第三部分", office)
    with pytest.raises(ServiceError, match="对该异议的处理已经记录"):
        site.handle_dispute(app, office, "再次记录")
    # Only the office records it.
    with pytest.raises(ServiceError, match="只有评审办工作人员"):
        site.handle_dispute(app, app.organization.users.get(), "申报组织自己处理")

    ranking.comprehensive_evaluation(cycle, office)
    assert fresh(app).state == AppState.CANDIDATE


def test_without_the_confirmation_rule_the_evaluation_does_not_wait(loaded):
    zhuji = loaded["zhuji"]
    office = office_for(zhuji)
    cycle = published_cycle(zhuji, office)
    (app,) = eligible_apps(cycle, office, [700])
    ranking.decide_shortlist(cycle, office, chosen_ids={app.pk})
    scoring.record_group_total(app, Stage.SITE, Decimal(700), office)
    assert site.awaiting_confirmation(cycle) == []
    ranking.comprehensive_evaluation(cycle, office)
    assert fresh(app).state == AppState.CANDIDATE

"""Integrity of the review stage: the feedback letter is the not-shortlisted state's own side effect,
decided scores stay locked, only the office reopens a stage score (with a reason), and reopening
undoes through the workflow the decisions that used it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from awards.models import Application, ApplicationEvent
from awards.states import AppState
from reviews import ranking, scoring
from reviews.models import ReviewDocument, Stage
from tests.awards.builders import published_cycle
from tests.awards.test_cycles import field_block
from tests.committee import builders as committee_builders
from tests.reviews.test_ranking import eligible_apps, office_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fresh(app: Application) -> Application:
    app.refresh_from_db()
    return app


def test_the_shortlist_decision_itself_queues_the_feedback_reports(loaded, django_capture_on_commit_callbacks):
    """No page involved: the service's state change is what issues the letters (as in run_scenario)."""
    binjiang = loaded["binjiang"]
    office = office_for(binjiang)
    cycle = published_cycle(binjiang, office, quotas={"quality": 1, "nomination": 0})  # 1.5 × 1: one place
    top, second, third = eligible_apps(cycle, office, [900, 800, 700])
    with django_capture_on_commit_callbacks(execute=True):
        ranking.decide_shortlist(cycle, office)
    assert [fresh(a).state for a in (top, second, third)] == [
        AppState.SHORTLISTED, AppState.NOT_SHORTLISTED, AppState.NOT_SHORTLISTED]
    assert set(ReviewDocument.objects.values_list("application_id", "kind")) == {
        (second.pk, ReviewDocument.Kind.FEEDBACK_REPORT), (third.pk, ReviewDocument.Kind.FEEDBACK_REPORT)}


# --- decided scores stay decided -------------------------------------------------------------------
from awards.refusals import ServiceError  # noqa: E402
from awards.system_actor import system_actor  # noqa: E402
from reviews.models import ConsensusItem, Evaluation, ItemScore, StageResult  # noqa: E402
from reviews.reopening import reopen_stage_result  # noqa: E402
from tests.reviews.test_reviewer_pages import (  # noqa: E402
    DOC,
    ITEM_CODES,
    as_user,
    attested,
    autosave,
    build_review,
    fill_sheet,
    text,
    url,
)


def scored(review, pct: int = 60) -> StageResult:
    """Every member scored and submitted, the consensus set and the group score submitted."""
    attested(review, review.leader, review.member, review.third)
    for reviewer in (review.leader, review.member, review.third):
        fill_sheet(review, reviewer)
        scoring.submit_sheet(review.app, reviewer, DOC)
    for code in ITEM_CODES:
        scoring.set_consensus(review.app, review.leader, DOC, code, percentage=pct)
    return scoring.submit_group_score(review.app, review.leader, DOC)


@pytest.fixture
def review(loaded, cast):
    return build_review(loaded["keqiao"], cast["office"])


@pytest.fixture
def zhuji_review(loaded):
    """Zhuji: the comprehensive evaluation does not wait for a site-report confirmation."""
    return build_review(loaded["zhuji"], office_for(loaded["zhuji"]), prefix="zj", org_name="诸暨评审测试有限公司")


LOCKED = "本阶段评审组得分已确定，评分已锁定；如需修改，须由评审办重新开放。"


def test_once_the_stage_score_exists_no_sheet_or_consensus_changes(review):
    attested(review, review.leader, review.member, review.third)
    fill_sheet(review, review.third)  # saved, never submitted
    for reviewer in (review.leader, review.member):
        fill_sheet(review, reviewer)
        scoring.submit_sheet(review.app, reviewer, DOC)
    for code in ITEM_CODES:
        scoring.set_consensus(review.app, review.leader, DOC, code, percentage=50)
    scoring.submit_group_score(review.app, review.leader, DOC)
    refusals = [
        lambda: scoring.save_item(review.app, review.third, DOC, "4.1.1", percentage=10),
        lambda: scoring.submit_sheet(review.app, review.third, DOC),
        lambda: scoring.set_consensus(review.app, review.leader, DOC, "4.1.1", percentage=10),
        lambda: scoring.reopen(review.app, review.leader, DOC, review.member),
    ]
    for attempt in refusals:
        with pytest.raises(ServiceError) as exc:
            attempt()
        assert exc.value.message == LOCKED
    assert ItemScore.objects.get(reviewer=review.third, item_code="4.1.1").percentage == 50
    assert ConsensusItem.objects.get(item_code="4.1.1").percentage == 50
    # The autosave endpoints answer with the refusal, which the page shows in the item's status line.
    answer = text(autosave(as_user(review.third), review, "4.1.1", 10))
    assert f"未能保存：{LOCKED}" in answer
    answer = text(autosave(as_user(review.leader), review, "4.1.1", 10, name="reviewer-consensus-autosave"))
    assert f"未能保存：{LOCKED}" in answer
    assert ItemScore.objects.get(reviewer=review.third, item_code="4.1.1").percentage == 50
    assert ConsensusItem.objects.get(item_code="4.1.1").percentage == 50
    page = text(as_user(review.third).get(url("reviewer-score", pk=review.app.pk, stage=DOC)))
    assert "本阶段评审组得分已确定，评分已锁定。" in page


def test_the_leader_never_reopens_their_own_sheet_nor_the_group_score(review):
    attested(review, review.leader, review.member)
    for reviewer in (review.leader, review.member):
        fill_sheet(review, reviewer)
        scoring.submit_sheet(review.app, reviewer, DOC)
    scoring.members_view(review.app, review.leader, DOC)  # the leader has read every member's scores
    with pytest.raises(ServiceError, match="本人评分表不能再重新开放"):
        scoring.reopen(review.app, review.leader, DOC, review.leader)
    client = as_user(review.leader)
    reopen = url("reviewer-consensus-reopen", pk=review.app.pk, stage=DOC)
    response = client.post(reopen, {"member": review.leader.pk, "confirm": "yes"}, follow=True)
    assert "本人评分表不能再重新开放" in text(response)
    assert scoring.has_submitted(review.app, review.leader, DOC)
    for code in ITEM_CODES:
        scoring.set_consensus(review.app, review.leader, DOC, code, percentage=60)
    scoring.submit_group_score(review.app, review.leader, DOC)
    with pytest.raises(ServiceError, match="评审组得分只能由评审办重新开放"):
        scoring.reopen(review.app, review.leader, DOC, None)
    response = client.post(reopen, {"confirm": "yes"}, follow=True)
    assert "评审组得分只能由评审办重新开放" in text(response)
    assert StageResult.objects.filter(application=review.app, stage=DOC).count() == 1


def test_a_group_total_is_recorded_by_the_office_once(review, cast):
    with pytest.raises(ServiceError, match="只有评审办工作人员可以录入评审组得分"):
        scoring.record_group_total(review.app, DOC, Decimal("800"), review.leader)
    with pytest.raises(ServiceError, match="只有评审办工作人员可以录入评审组得分"):
        scoring.record_group_total(review.app, DOC, Decimal("800"), cast["other_office"])
    scoring.record_group_total(review.app, DOC, Decimal("800"), review.office)
    with pytest.raises(ServiceError) as exc:
        scoring.record_group_total(review.app, DOC, Decimal("100"), review.office)
    assert exc.value.message == LOCKED
    assert StageResult.objects.get(application=review.app, stage=DOC).total == Decimal("800")
    # The system actor records totals too (a what-if run), once.
    other = eligible_apps(review.cycle, review.office, [None])[0]
    assert scoring.record_group_total(other, DOC, Decimal("700"), system_actor()).submitted_by == system_actor()


def test_office_reopening_a_document_score_sends_the_shortlist_decision_back(review):
    scored(review, pct=50)
    ranking.decide_shortlist(review.cycle, review.office, chosen_ids={review.app.pk})
    assert fresh(review.app).state == AppState.SHORTLISTED
    for actor in (review.leader, review.member):
        with pytest.raises(ServiceError, match="只有评审办工作人员可以重新开放评审组得分"):
            reopen_stage_result(review.app, DOC, actor, "复核")
    with pytest.raises(ServiceError) as exc:
        reopen_stage_result(review.app, DOC, review.office, "  ")
    assert (exc.value.message, exc.value.field) == ("请写明重新开放的理由。", "reason")

    app = reopen_stage_result(review.app, DOC, review.office, "组长反映4.1.1共识分录入错误")
    assert app.state == AppState.ELIGIBLE
    event = ApplicationEvent.objects.filter(application=app).last()
    assert (event.from_state, event.to_state, event.actor, event.reason, event.rule) == (
        AppState.SHORTLISTED, AppState.ELIGIBLE, review.office, "组长反映4.1.1共识分录入错误", "review.reopen.document")
    assert event.details == {"stage": "document", "reopened_total": str(StageResult.history.first().total)}
    assert not StageResult.objects.filter(application=app).exists()
    removed = StageResult.history.filter(history_type="-").get()
    assert (removed.history_user, removed.history_change_reason) == (review.office, "组长反映4.1.1共识分录入错误")
    # The group scores again and the shortlist is decided again on the new score.
    for code in ITEM_CODES:
        scoring.set_consensus(app, review.leader, DOC, code, percentage=70)
    assert scoring.submit_group_score(app, review.leader, DOC).total == Decimal("700.00")
    ranking.decide_shortlist(review.cycle, review.office, chosen_ids={app.pk})
    assert fresh(app).state == AppState.SHORTLISTED


def test_reopening_a_not_shortlisted_score_withdraws_its_feedback_letter(review, django_capture_on_commit_callbacks):
    scored(review)
    with django_capture_on_commit_callbacks(execute=True):
        ranking.decide_shortlist(review.cycle, review.office, chosen_ids=set())
    assert ReviewDocument.objects.filter(application=review.app).count() == 1
    app = reopen_stage_result(review.app, DOC, review.office, "复核得分")
    assert app.state == AppState.ELIGIBLE
    assert not ReviewDocument.objects.filter(application=app).exists()


def test_reopening_a_site_score_undoes_the_evaluation_and_only_then_the_document_score(zhuji_review):
    review = zhuji_review
    scored(review)
    ranking.decide_shortlist(review.cycle, review.office, chosen_ids={review.app.pk})
    scoring.record_group_total(review.app, Stage.SITE, Decimal("700"), review.office)
    ranking.comprehensive_evaluation(review.cycle, review.office)
    app = fresh(review.app)
    assert app.state in (AppState.CANDIDATE, AppState.BELOW_THRESHOLD)
    assert Evaluation.objects.filter(application=app).exists()
    with pytest.raises(ServiceError, match="依据资料评审得分作出的后续决定不能由重新开放撤销"):
        reopen_stage_result(app, DOC, review.office, "复核")
    evaluated_state = app.state
    app = reopen_stage_result(app, Stage.SITE, review.office, "现场评审报告有误")
    assert app.state == AppState.SHORTLISTED
    assert app.events.last().from_state == evaluated_state
    assert not Evaluation.objects.filter(application=app).exists()
    assert Evaluation.history.filter(history_type="-").get().history_change_reason == "现场评审报告有误"
    # The site score is gone; the document score may now be reopened too.
    app = reopen_stage_result(app, DOC, review.office, "资料评审复核")
    assert app.state == AppState.ELIGIBLE


def test_no_reopening_once_the_application_has_gone_past_the_evaluation(zhuji_review):
    review = zhuji_review
    scored(review, pct=80)
    ranking.decide_shortlist(review.cycle, review.office, chosen_ids={review.app.pk})
    scoring.record_group_total(review.app, Stage.SITE, Decimal("990"), review.office)
    ranking.comprehensive_evaluation(review.cycle, review.office)
    assert fresh(review.app).state == AppState.CANDIDATE
    # The committee elects it (three members, all yes): only a closed round moves a candidate on.
    members = committee_builders.roster(review.app.jurisdiction, 3)
    meeting = committee_builders.meeting_with(review.cycle, members, 3, review.office)
    committee_builders.run_round(meeting, review.app.category, members, [{review.app: "yes"}] * 3, review.office)
    assert fresh(review.app).state == AppState.PROPOSED
    with pytest.raises(ServiceError, match="申报已处于“拟授奖”"):
        reopen_stage_result(review.app, Stage.SITE, review.office, "复核")
    assert StageResult.objects.filter(application=review.app).count() == 2


def test_the_office_reopens_from_its_page_with_a_reason_next_to_the_field(review, client, cast):
    scored(review)
    ranking.decide_shortlist(review.cycle, review.office, chosen_ids={review.app.pk})
    page = reverse("office-review-stage-reopen", kwargs={"jurisdiction": "keqiao", "year": 2026, "pk": review.app.pk})
    client.force_login(review.office)
    detail = text(client.get(url("office-application", pk=review.app.pk)))
    assert page in detail
    shown = client.get(page)
    assert shown.status_code == 200 and "确认重新开放" in text(shown)
    refused = client.post(page, {"stage": "document", "reason": "", "confirm": "on"})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"reason": ["请写明重新开放的理由。"]}
    # Next to the field in the page itself, with the chosen stage and the confirmation kept.
    html = text(refused)
    reason = field_block(html, "reason")
    assert 'class="field has-error"' in reason and "<li>请写明重新开放的理由。</li>" in reason
    assert refused.context["form"]["stage"].value() == "document"
    assert refused.context["form"]["confirm"].value() is True
    assert fresh(review.app).state == AppState.SHORTLISTED
    done = client.post(page, {"stage": "document", "reason": "共识分录入错误", "confirm": "on"})
    assert done.status_code == 302
    assert fresh(review.app).state == AppState.ELIGIBLE
    history = text(client.get(url("office-application", pk=review.app.pk)))
    assert "共识分录入错误" in history
    # Nothing left to reopen: the page says so and offers no form.
    assert "该申报目前没有可以重新开放的评审组得分。" in text(client.get(page))
    for outsider in (cast["other_office"], review.leader):
        client.force_login(outsider)
        assert client.get(page).status_code == 404

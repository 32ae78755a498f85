"""Submitting, withdrawing and deciding applications through the one workflow function."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from awards import documents, services
from awards.models import Application, ApplicationEvent, AwardCycle, GeneratedDocument
from awards.states import APPLICATION_TRANSITIONS, AppState
from awards.workflow import TransitionError, transition
from tests.awards.builders import organization, published_cycle, ready_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def keqiao_cycle(loaded, cast):
    return published_cycle(loaded["keqiao"], cast["office"])


@pytest.fixture
def filed(keqiao_cycle, cast, loaded):
    user = cast["applicant"]
    org = organization(loaded["keqiao"], user=user)
    return ready_draft(keqiao_cycle, org, user), user


def test_submit_freezes_fingerprints_numbers_and_issues_a_receipt(filed, django_capture_on_commit_callbacks):
    app, user = filed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        app = services.submit(app, user)
    # After the commit: the applicant's notice, the receipt's rendering, and a mail each to the applicant
    # and the office.
    assert [getattr(c, "func", c).__name__ for c in callbacks] == [
        "notify_submitted", "_queue_receipt", "delay", "delay"]
    assert app.state == AppState.SUBMITTED
    assert app.number == "KEQIAO-2026-0001"
    assert len(app.fingerprint) == 64 and app.fingerprint == services.fingerprint(app)
    assert app.facts_snapshot["values"]["iso9001_certified"] is True
    event = app.events.get()
    assert (event.from_state, event.to_state, event.actor) == (AppState.DRAFT, AppState.SUBMITTED, user)
    receipt = GeneratedDocument.objects.get(application=app, kind="receipt")  # eager task on commit
    assert bytes(receipt.pdf).startswith(b"%PDF")
    with pytest.raises(services.ServiceError, match="已提交"):
        services.save_draft(app, actor=user, overview="改动", narratives={}, recommenders=[])


def test_double_submit_makes_one_transition(filed):
    app, user = filed
    services.submit(app, user)
    with pytest.raises(services.ServiceError, match="无需重复提交"):
        services.submit(app, user)
    assert ApplicationEvent.objects.filter(application=app).count() == 1


def test_submission_after_close_is_refused_by_the_clock(filed):
    app, user = filed
    AwardCycle.objects.filter(pk=app.cycle_id).update(applications_close_at=timezone.now() - dt.timedelta(minutes=1))
    app.refresh_from_db()
    with pytest.raises(services.ServiceError, match="截止"):
        services.submit(app, user)
    assert Application.objects.get(pk=app.pk).state == AppState.DRAFT


def test_submission_needs_the_required_documents(keqiao_cycle, cast, loaded):
    user = cast["applicant"]
    org = organization(loaded["keqiao"], user=user)
    app = services.start_application(keqiao_cycle, org, "quality", user)
    with pytest.raises(services.ServiceError) as exc:
        services.submit(app, user)
    assert exc.value.message == "尚缺组织概述、自我评价报告（PDF）、推荐意见扫描件、证实性材料。"


def test_one_application_per_organisation_per_cycle(filed, keqiao_cycle):
    app, user = filed
    with pytest.raises(services.ServiceError, match="每个组织每届只能申报一次"):
        services.start_application(keqiao_cycle, app.organization, "quality", user)


def test_nomination_is_not_filed_directly_where_it_is_a_lower_tier(keqiao_cycle, cast, loaded):
    org = organization(loaded["keqiao"], user=cast["applicant"])
    with pytest.raises(services.ServiceError):
        services.start_application(keqiao_cycle, org, "nomination", cast["applicant"])


def test_withdraw_before_a_decision_only(filed, cast):
    app, user = filed
    app = services.submit(app, user)
    app = services.withdraw(app, user, "不再参评")
    assert app.state == AppState.WITHDRAWN
    assert app.events.last().reason == "不再参评"
    with pytest.raises(services.ServiceError):
        services.withdraw(app, user)


def test_a_stranger_cannot_withdraw(filed, cast):
    app, _user = filed
    with pytest.raises(services.ServiceError, match="只有申报组织本身或评审办"):
        services.withdraw(app, cast["reviewer"])


def test_ineligible_needs_a_reason_and_produces_a_letter(filed, cast):
    app, user = filed
    app = services.submit(app, user)
    with pytest.raises(services.ServiceError) as exc:
        services.decide_eligibility(app, cast["office"], AppState.INELIGIBLE, reason="  ")
    assert exc.value.field == "reason"
    app = services.decide_eligibility(app, cast["office"], AppState.INELIGIBLE, reason="推荐意见未盖章")
    event = app.events.get(to_state=AppState.INELIGIBLE)
    assert (event.actor, event.reason, event.cite) == (cast["office"], "推荐意见未盖章", "第十五条")
    assert event.details["precheck"][0]["rule"] == "eligibility.conditions.registered_in_jurisdiction"
    letter = documents.get_or_build(app, "ineligible_letter")
    assert bytes(letter.pdf).startswith(b"%PDF")


def test_only_office_decides(filed, cast):
    app, user = filed
    app = services.submit(app, user)
    with pytest.raises(services.ServiceError):
        services.decide_eligibility(app, user, AppState.ELIGIBLE)
    with pytest.raises(services.ServiceError):
        services.decide_eligibility(app, cast["other_office"], AppState.ELIGIBLE)
    app = services.decide_eligibility(app, cast["office"], AppState.ELIGIBLE)
    assert app.state == AppState.ELIGIBLE


def test_keqiao_cannot_return_for_completion(filed, cast):
    app, user = filed
    app = services.submit(app, user)
    with pytest.raises(services.ServiceError, match="不允许退回补正"):
        services.decide_eligibility(app, cast["office"], AppState.RETURNED, reason="补材料",
                                    returned_until=timezone.now() + dt.timedelta(days=5))


def test_daqing_returns_for_completion_until_a_set_date(loaded):
    from jurisdictions.models import Role
    from tests.conftest import make_user

    daqing = loaded["daqing"]
    office = make_user("dq-office", daqing, Role.OFFICE)
    cycle = published_cycle(daqing, office)
    user = make_user("dq-applicant")
    org = organization(daqing, user=user)
    app = services.submit(ready_draft(cycle, org, user), user)
    until = timezone.now() + dt.timedelta(days=3)
    app = services.decide_eligibility(app, office, AppState.RETURNED, reason="请补充推荐意见原件", returned_until=until)
    assert app.state == AppState.RETURNED and app.events.last().cite == "第十三条"
    # Editing reopens, even though the call has closed, until the set date...
    AwardCycle.objects.filter(pk=cycle.pk).update(applications_close_at=timezone.now() - dt.timedelta(hours=1))
    app.refresh_from_db()
    services.save_draft(app, actor=user, overview="补正后的概述", narratives={}, recommenders=["county_government"])
    app = services.submit(app, user)
    assert app.state == AppState.SUBMITTED and app.number == "DAQING-2026-0001"
    # ...and not after it.
    app = services.decide_eligibility(app, office, AppState.RETURNED, reason="再补", returned_until=until)
    with pytest.raises(services.ServiceError, match="补正期限已过"):
        services.submit(app, user, now=until + dt.timedelta(seconds=1))


def test_transition_map_refuses_unknown_moves(filed, cast):
    app, _user = filed
    with pytest.raises(TransitionError):
        transition(app, AppState.AWARDED, actor=cast["office"])
    assert AppState.AWARDED not in APPLICATION_TRANSITIONS[AppState.DRAFT]


def test_history_keeps_every_change(filed, cast):
    app, user = filed
    services.submit(app, user)
    states = list(Application.history.filter(id=app.pk).order_by("history_date").values_list("state", flat=True))
    assert states[-1] == AppState.SUBMITTED and AppState.DRAFT in states


def test_a_cycle_enters_review_only_after_the_close(keqiao_cycle, cast):
    with pytest.raises(services.ServiceError, match="尚未截止"):
        services.start_review(keqiao_cycle, cast["office"])
    cycle = services.start_review(keqiao_cycle, cast["office"], now=keqiao_cycle.applications_close_at)
    assert cycle.state == "review"
    with pytest.raises(services.ServiceError):
        services.start_review(cycle, cast["office"], now=keqiao_cycle.applications_close_at)


# --- every move has a guard --------------------------------------------------------------------
def test_every_move_of_both_maps_names_who_may_make_it():
    from awards import workflow
    from awards.states import CYCLE_TRANSITIONS

    unguarded = [(a, b) for a, targets in APPLICATION_TRANSITIONS.items() for b in targets
                 if (a, b) not in workflow.GUARDS]
    assert unguarded == []
    assert set(workflow.GUARDS) == {(a, b) for a, targets in APPLICATION_TRANSITIONS.items() for b in targets}
    assert set(workflow.CYCLE_GUARDS) == {(a, b) for a, targets in CYCLE_TRANSITIONS.items() for b in targets}


def test_a_move_without_a_guard_is_refused(filed, cast, monkeypatch):
    from awards import workflow

    app, user = filed
    app = services.submit(app, user)
    monkeypatch.delitem(workflow.GUARDS, (AppState.SUBMITTED, AppState.ELIGIBLE))
    with pytest.raises(TransitionError, match="没有规定谁可以作出这一状态变更"):
        transition(app, AppState.ELIGIBLE, actor=cast["office"])
    assert Application.objects.get(pk=app.pk).state == AppState.SUBMITTED


@pytest.fixture
def eligible(filed, cast):
    app, user = filed
    app = services.submit(app, user)
    return services.decide_eligibility(app, cast["office"], AppState.ELIGIBLE), user


def test_no_actor_moves_nothing(eligible):
    app, _user = eligible
    with pytest.raises(TransitionError, match="需要登录"):
        transition(app, AppState.WITHDRAWN, actor=None, reason="不参评")
    with pytest.raises(TransitionError, match="只有评审办工作人员"):
        transition(app, AppState.SHORTLISTED, actor=None)
    assert Application.objects.get(pk=app.pk).state == AppState.ELIGIBLE


def test_after_the_decision_the_organisation_withdraws_only_its_own_and_with_a_reason(eligible, loaded, cast):
    app, user = eligible
    stranger = organization(loaded["keqiao"]).users.get()  # another applicant of the same office
    with pytest.raises(services.ServiceError, match="只有申报组织本身或评审办"):
        services.withdraw(app, stranger, "替别人撤回")
    with pytest.raises(services.ServiceError) as exc:
        services.withdraw(app, user, "  ")
    assert (exc.value.message, exc.value.field) == ("资格审查已作出决定，撤回申报须写明理由。", "reason")
    # The workflow itself refuses a reasonless withdrawal, whichever code calls it.
    with pytest.raises(TransitionError, match="须写明理由"):
        transition(app, AppState.WITHDRAWN, actor=user)
    app = services.withdraw(app, user, "企业重组，不再参评")
    event = app.events.last()
    assert (app.state, event.from_state, event.actor, event.reason) == (
        AppState.WITHDRAWN, AppState.ELIGIBLE, user, "企业重组，不再参评")


def test_the_withdraw_page_asks_for_the_reason_after_the_decision(client, eligible):
    from django.urls import reverse

    from tests.awards.test_cycles import field_block

    app, user = eligible
    client.force_login(user)
    page = reverse("application-withdraw", kwargs={"jurisdiction": "keqiao", "pk": app.pk})
    # Said before anything is typed, not only once refused.
    assert '<p class="notice">资格审查已作出决定，撤回申报须写明理由。</p>' in client.get(page).content.decode()
    response = client.post(page, {"reason": "   ", "confirm": "on"})
    # The service's refusal comes back as the same form, the message in the reason field's own block
    # and the confirmation still ticked, not as a redirect or a message at the top of another page.
    assert response.status_code == 200
    html = response.content.decode()
    reason = field_block(html, "reason")
    assert 'class="field has-error"' in reason
    assert "<li>资格审查已作出决定，撤回申报须写明理由。</li>" in reason
    assert re.search(r'<input type="checkbox" name="confirm"[^>]*checked', html)
    assert list(response.context["messages"]) == []
    assert Application.objects.get(pk=app.pk).state == AppState.ELIGIBLE


# --- batch steps -------------------------------------------------------------------------------
def _eligible_many(cycle, office, n: int) -> list[Application]:
    apps = []
    for _ in range(n):
        org = organization(cycle.jurisdiction)
        user = org.users.get()
        app = services.submit(ready_draft(cycle, org, user), user)
        apps.append(services.decide_eligibility(app, office, AppState.ELIGIBLE))
    return apps


def test_a_batch_step_checks_the_actor_of_every_row(keqiao_cycle, cast):
    from awards.workflow import Move, transition_many

    apps = _eligible_many(keqiao_cycle, cast["office"], 2)
    moves = {a.pk: Move(AppState.SHORTLISTED, reason="入围") for a in apps}
    for actor in (cast["reviewer"], cast["committee"], cast["other_office"], None):
        with pytest.raises(TransitionError, match="只有评审办工作人员"):
            transition_many(moves, actor=actor)
    assert set(Application.objects.filter(pk__in=moves).values_list("state", flat=True)) == {AppState.ELIGIBLE}
    # One row the map refuses refuses the whole batch.
    mixed = {apps[0].pk: Move(AppState.SHORTLISTED), apps[1].pk: Move(AppState.AWARDED)}
    with pytest.raises(TransitionError, match="不能变更为"):
        transition_many(mixed, actor=cast["office"])
    assert set(Application.objects.filter(pk__in=moves).values_list("state", flat=True)) == {AppState.ELIGIBLE}
    moved = transition_many(moves, actor=cast["office"])
    assert [a.state for a in moved] == [AppState.SHORTLISTED, AppState.SHORTLISTED]
    events = ApplicationEvent.objects.filter(application__in=apps, to_state=AppState.SHORTLISTED)
    assert [(e.actor, e.reason) for e in events] == [(cast["office"], "入围"), (cast["office"], "入围")]


def test_a_batch_step_runs_the_same_queries_for_2_and_6_rows(keqiao_cycle, cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.workflow import Move, transition_many

    office = cast["office"]
    counts = []
    for n in (2, 6):
        apps = _eligible_many(keqiao_cycle, office, n)
        moves = {a.pk: Move(AppState.SHORTLISTED if i % 2 else AppState.NOT_SHORTLISTED, reason="r")
                 for i, a in enumerate(apps)}
        with CaptureQueriesContext(connection) as ctx:
            transition_many(moves, actor=office)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- the clock's moves -------------------------------------------------------------------------
def test_the_close_moves_the_cycle_into_review_as_the_recorded_system_actor(keqiao_cycle, cast):
    from awards.system_actor import actor_label, system_actor

    now = keqiao_cycle.applications_close_at
    assert services.start_due_reviews(now=now - dt.timedelta(seconds=1)) == 0
    assert services.start_due_reviews(now=now) == 1
    assert services.start_due_reviews(now=now) == 0  # nothing left to move
    cycle = AwardCycle.objects.get(pk=keqiao_cycle.pk)
    assert cycle.state == "review"
    last = cycle.history.order_by("-history_date", "-history_id").first()
    assert (last.state, last.history_user, last.history_change_reason) == (
        "review", system_actor(), "申报截止时间已到，自动进入评审")
    assert actor_label(last.history_user) == "系统（按时限自动处理）"
    assert system_actor().has_usable_password() is False and system_actor().is_active is False


def test_the_system_actor_makes_no_office_decision(eligible):
    from awards.system_actor import system_actor

    app, _user = eligible
    with pytest.raises(TransitionError, match="只有评审办工作人员"):
        transition(app, AppState.SHORTLISTED, actor=system_actor())


def test_a_lapsed_completion_period_may_be_closed_by_the_clock_not_before(loaded):
    from awards.system_actor import system_actor
    from jurisdictions.models import Role
    from tests.conftest import make_user

    daqing = loaded["daqing"]
    office = make_user("dq-office", daqing, Role.OFFICE)
    cycle = published_cycle(daqing, office)
    user = make_user("dq-applicant")
    app = services.submit(ready_draft(cycle, organization(daqing, user=user), user), user)
    until = timezone.now() + dt.timedelta(days=3)
    app = services.decide_eligibility(app, office, AppState.RETURNED, reason="请补充推荐意见原件", returned_until=until)
    with pytest.raises(TransitionError, match="补正期限尚未届满"):
        transition(app, AppState.INELIGIBLE, actor=system_actor(), reason="逾期未补正", now=until - dt.timedelta(seconds=1))
    app = transition(app, AppState.INELIGIBLE, actor=system_actor(), reason="逾期未补正", now=until)
    assert app.events.last().actor == system_actor()


# --- cycle state -------------------------------------------------------------------------------
def test_cycle_state_changes_are_recorded_with_who_and_why(loaded, cast):
    office = cast["office"]
    now = timezone.now()
    cycle = services.create_cycle(loaded["keqiao"], year=2026, actor=office,
                                  applications_open_at=now - dt.timedelta(days=1),
                                  applications_close_at=now + dt.timedelta(days=1))
    with pytest.raises(services.ServiceError, match="只有评审办工作人员"):
        services.publish_cycle(cycle, cast["applicant"])
    with pytest.raises(services.ServiceError, match="只有评审办工作人员"):
        services.publish_cycle(cycle, cast["other_office"])
    cycle = services.publish_cycle(cycle, office)
    last = cycle.history.order_by("-history_date", "-history_id").first()
    assert (last.state, last.history_user, last.history_change_reason) == ("published", office, "发布评审通知")
    assert cycle.call_published_on == timezone.localdate()
    with pytest.raises(services.ServiceError, match="已经发布"):
        services.publish_cycle(cycle, office)


def test_a_call_is_withdrawn_only_before_anyone_applies_and_a_cycle_closes_only_when_all_is_decided(
    keqiao_cycle, cast
):
    from awards.states import CycleState
    from awards.workflow import cycle_transition

    office = cast["office"]
    with pytest.raises(TransitionError, match="不能变更为"):
        cycle_transition(keqiao_cycle, CycleState.CLOSED, actor=office, reason="x")
    with pytest.raises(TransitionError, match="理由不得超过100字"):
        cycle_transition(keqiao_cycle, CycleState.DRAFT, actor=office, reason="长" * 101)
    app = _eligible_many(keqiao_cycle, office, 1)[0]
    with pytest.raises(TransitionError, match="已有组织开始申报"):
        cycle_transition(keqiao_cycle, CycleState.DRAFT, actor=office, reason="通知有误")
    cycle = services.start_review(keqiao_cycle, office, now=keqiao_cycle.applications_close_at)
    with pytest.raises(services.ServiceError, match="还有1份申报尚未作出最终决定"):
        services.close_cycle(cycle, office)
    services.withdraw(app, app.organization.users.get(), "不再参评")
    cycle = services.close_cycle(cycle, office)
    assert cycle.state == CycleState.CLOSED
    assert cycle.history.order_by("-history_date", "-history_id").first().history_change_reason == "本年度评审结束"


def test_the_cycle_page_lists_its_state_changes_and_closes_the_year(client, keqiao_cycle, cast):
    from django.urls import reverse

    services.start_due_reviews(now=keqiao_cycle.applications_close_at)
    client.force_login(cast["office"])
    page = reverse("office-cycle", kwargs={"jurisdiction": "keqiao", "year": 2026})
    html = client.get(page).content.decode()
    assert "筹备中 → 已发布通知 · （未登记姓名） · 发布评审通知" in html
    assert "已发布通知 → 评审中 · 系统（按时限自动处理） · 申报截止时间已到，自动进入评审" in html
    assert "system-clock" not in html
    response = client.post(reverse("office-cycle-close", kwargs={"jurisdiction": "keqiao", "year": 2026}))
    assert response.status_code == 302
    assert AwardCycle.objects.get(pk=keqiao_cycle.pk).state == "closed"
    assert "评审中 → 已结束 · （未登记姓名） · 本年度评审结束" in client.get(page).content.decode()

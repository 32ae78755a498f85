"""Submitting, withdrawing and deciding applications through the one workflow function."""

from __future__ import annotations

import datetime as dt

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
    assert len(callbacks) == 1
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
    assert exc.value.message == "尚缺：组织概述、自我评价报告（PDF）、推荐意见扫描件。"


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

"""Approval: only after publicity with every objection closed; winners awarded through the workflow
with their prizes; everybody told; the guard refuses an award without an approval on record."""

from __future__ import annotations

import pytest

from awards.models import PastOutcome
from awards.refusals import ServiceError
from awards.states import AppState, CycleState
from awards.workflow import TransitionError, transition
from honours.models import Approval, Certificate, Prize
from jurisdictions.models import OutboxMessage
from publicity.models import Objection
from tests.honours.builders import approve, awaiting_approval, text_file
from tests.publicity.builders import filed, published

pytestmark = pytest.mark.django_db


def test_approval_awards_the_proposed_winners_with_prizes_and_closes_the_cycle(loaded, django_capture_on_commit_callbacks):
    cycle, office, apps, _notice = awaiting_approval(loaded["binjiang"], 2)
    with django_capture_on_commit_callbacks(execute=True):
        record = approve(cycle, office)
    for app in apps:
        app.refresh_from_db()
        assert app.state == AppState.AWARDED
        event = app.events.get(to_state=AppState.AWARDED)
        assert (event.rule, event.cite) == ("approval.approver_zh", "四（八）")
        assert "区政〔2026〕8号" in event.reason
    prizes = list(Prize.objects.filter(application__in=apps))
    assert [(p.award_code, p.prize_cny, p.counts_in_quota) for p in prizes] == [("quality", 200000, True)] * 2
    assert prizes[0].reasons[0]["cite"] == "五（一）"
    assert PastOutcome.objects.filter(organization__in=[a.organization for a in apps], year=cycle.year,
                                      award_code="quality", prize_cny=200000).count() == 2
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    assert record.document_sha256 and record.document.name.startswith("approvals/")
    told = OutboxMessage.objects.filter(subject__contains="年度评审结果")
    assert told.count() == 2 and "获奖" in told[0].body and "200,000" in told[0].body
    # The certificates were made on commit (the worker runs eagerly here): signed, one per winner.
    assert sorted(c.state for c in Certificate.objects.filter(application__in=apps)) == ["ready", "ready"]


def test_no_award_without_the_approval_on_record(loaded):
    _cycle, office, apps, _notice = awaiting_approval(loaded["keqiao"], 1)
    with pytest.raises(TransitionError, match="审定批准"):
        transition(apps[0], AppState.AWARDED, actor=office)


def test_approval_refused_while_publicity_runs(loaded):
    notice, office, _apps = published(loaded["lucheng"], 1)
    with pytest.raises(ServiceError, match="公示期尚未结束"):
        approve(notice.cycle, office, now=notice.starts_at)
    assert not Approval.objects.exists()


def test_approval_refused_while_an_objection_is_open(loaded):
    cycle, office, apps, notice = awaiting_approval(loaded["daqing"], 2)
    objection, _code = filed(notice, apps[0], now=notice.starts_at)
    assert objection.state == Objection.State.RECEIVED
    with pytest.raises(ServiceError, match="1件异议尚未处理完毕"):
        approve(cycle, office)
    apps[0].refresh_from_db()
    assert apps[0].state == AppState.PROPOSED


def test_approval_twice_is_refused_and_a_bad_document_is_refused_on_its_field(loaded):
    cycle, office, _apps, _notice = awaiting_approval(loaded["zhuji"], 1)
    with pytest.raises(ServiceError) as bad:
        approve(cycle, office, document=text_file())
    assert bad.value.field == "document"
    approve(cycle, office)
    with pytest.raises(ServiceError, match="不能重复登记"):
        approve(cycle, office)

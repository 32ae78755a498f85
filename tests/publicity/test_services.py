"""Publicity and objections through the services: the period by the clock, the profile's filing rules,
acceptance in working days, deemed outcomes, disqualification through the workflow, encryption."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from awards.models import ApplicationEvent
from awards.refusals import ServiceError
from awards.states import AppState, CycleState
from awards.workflow import TransitionError, transition
from jurisdictions.models import Role
from publicity import identity, notices, objections
from publicity.models import Notice, Objection, ObjectionEvent, ObjectionLetter
from tests.conftest import make_user
from tests.publicity.builders import VALID_ID, filed, organization, person, published

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def test_daqing_notice_runs_seven_calendar_days_from_the_next_day_and_moves_the_cycle_on_once(loaded):
    published_at = at(2026, 11, 25, 10, 30)
    notice, _office, apps = published(loaded["daqing"], now=published_at)
    assert notice.cycle.state == CycleState.PUBLICITY
    assert notice.starts_at == published_at
    assert notice.ends_at == at(2026, 12, 3, 0, 0)           # 24:00 of 2 December: 26 Nov + 6 more days
    assert notice.period_reasons[0]["cite"] == "第十八条"
    assert "2026-12-02 24:00" in notice.period_reasons[0]["text"]
    assert [e.organization_name for e in notice.entries.all()] == [a.organization.name for a in apps]
    assert not notices.is_running(notice, at(2026, 12, 3, 0, 0)) and notices.is_running(notice, at(2026, 12, 2, 23, 59))
    # The beat task before the end does nothing; after it, moves the cycle on; run twice, once.
    assert notices.end_due_notices(at(2026, 12, 2, 23, 0)) == 0
    assert notices.end_due_notices(at(2026, 12, 3, 0, 1)) == 1
    assert notices.end_due_notices(at(2026, 12, 3, 0, 2)) == 0
    assert fresh(notice.cycle).state == CycleState.APPROVAL
    assert fresh(notice).ended_at == at(2026, 12, 3, 0, 1)


def test_keqiao_period_is_the_office_setting_and_the_notice_waits_for_the_vote(loaded):
    notice, _office, _apps = published(loaded["keqiao"], now=at(2026, 11, 25, 9, 0))
    assert notice.period_reasons[0]["cite"] == "office setting"
    assert "评审办设定" in notice.period_reasons[0]["text"]


def test_a_notice_needs_proposed_winners_and_a_contact(loaded):
    from tests.committee.builders import candidates

    cycle, office, _apps = candidates(loaded["lucheng"], [(900, 900)])
    with pytest.raises(ServiceError) as refused:
        notices.publish_notice(cycle, office, contact="")
    assert refused.value.field == "contact"
    with pytest.raises(ServiceError):
        notices.publish_notice(cycle, office, contact="电话 0577-1")     # still a candidate, cycle not in review
    assert not Notice.objects.exists()


def test_an_objection_after_the_period_is_refused_by_the_clock(loaded):
    notice, _office, (app, _b) = published(loaded["daqing"], now=at(2026, 11, 25, 10, 0))
    with pytest.raises(ServiceError) as refused:
        filed(notice, app, now=at(2026, 12, 3, 0, 0))
    assert "已于 2026-12-02 24:00 结束" in refused.value.message
    objection, _code = filed(notice, app, now=at(2026, 12, 2, 23, 59))
    assert objection.state == Objection.State.RECEIVED


@pytest.mark.parametrize(("filing", "field", "cite"), [
    (person(kind="anonymous", name="", id_number="", contact=""), "kind", "第二十一条"),
    (person(id_number="110105194912310021"), "id_number", "第二十一条"),
    (person(id_number=""), "id_number", "第二十一条"),
    (person(contact=""), "contact", "第二十一条"),
    (organization(files=[]), "seal_letter", "第二十一条"),
    (organization(address=""), "address", "第二十一条"),
])
def test_daqing_refuses_what_article_21_refuses(loaded, filing, field, cite):
    notice, _office, (app, _b) = published(loaded["daqing"])
    rules = notice.cycle.profile.typed
    problems = objections.filing_problems(rules, filing)
    assert problems and problems[0].field == field and problems[0].cite == cite
    with pytest.raises(ServiceError) as refused:
        filed(notice, app, filing)
    assert refused.value.field == field and "第二十一条" in refused.value.message
    assert not Objection.objects.exists()


def test_an_organization_without_its_sealed_letter_is_refused_where_the_office_setting_asks_for_it(loaded):
    notice, _office, (app, _b) = published(loaded["binjiang"])
    with pytest.raises(ServiceError) as refused:
        filed(notice, app, organization(files=organization().files[:1]))
    assert refused.value.field == "seal_letter" and "评审办设定" in refused.value.message


def test_id_number_is_stored_encrypted_and_masked(loaded):
    notice, _office, (app, _b) = published(loaded["daqing"])
    objection, code = filed(notice, app)
    assert objection.id_number_masked == "110***********002X"
    assert VALID_ID not in objection.id_number_encrypted
    assert identity.decrypt(objection.id_number_encrypted) == VALID_ID
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM publicity_objection")
        assert VALID_ID not in repr(cursor.fetchall())
    assert objections.lookup(loaded["daqing"], objection.number, code) == objection
    assert objections.lookup(loaded["daqing"], objection.number, "WRONG-CODE-00") is None
    assert objections.lookup(loaded["keqiao"], objection.number, code) is None


def test_acceptance_deadline_counts_five_working_days_across_national_day(loaded):
    notice, _office, (app, _b) = published(loaded["daqing"], now=at(2026, 9, 28, 9, 0))
    objection, _code = filed(notice, app, now=at(2026, 9, 30, 16, 0))
    # 1–7 October are the holiday; Saturday 10 October is a working day: 9, 10, 12, 13 October.
    assert objection.acceptance_due_at == at(2026, 10, 14, 0, 0)
    assert objection.acceptance_reasons[0]["cite"] == "第二十二条"
    assert "2026-10-13 24:00" in objection.acceptance_reasons[0]["text"]


def test_refusal_needs_reasons_and_issues_a_letter(loaded, django_capture_on_commit_callbacks):
    notice, office, (app, _b) = published(loaded["daqing"])
    objection, _code = filed(notice, app)
    with pytest.raises(ServiceError) as refused:
        objections.decide_acceptance(objection, office, accept=False)
    assert refused.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        objections.decide_acceptance(objection, office, accept=False, reason="异议内容与评选无关")
    assert fresh(objection).state == Objection.State.REFUSED
    letter = ObjectionLetter.objects.get(objection=objection, kind="refusal")
    assert bytes(letter.pdf).startswith(b"%PDF")


def test_the_office_confirms_the_seal_before_accepting_an_organizations_objection(loaded, django_capture_on_commit_callbacks):
    notice, office, (app, _b) = published(loaded["daqing"])
    objection, _code = filed(notice, app, organization())
    with pytest.raises(ServiceError) as refused:
        objections.decide_acceptance(objection, office, accept=True)
    assert refused.value.field == "seal_confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        objections.decide_acceptance(objection, office, accept=True, seal_confirmed=True)
    objection = fresh(objection)
    assert objection.state == Objection.State.ACCEPTED and objection.handler == office
    assert ObjectionLetter.objects.filter(objection=objection, kind="acceptance").exists()


def _accepted(loaded, slug="daqing", when=None):
    when = when or at(2026, 11, 25, 10, 0)
    notice, office, (app, other) = published(loaded[slug], now=when)
    objection, _code = filed(notice, app, now=when + dt.timedelta(hours=1))
    objections.decide_acceptance(objection, office, accept=True, now=when + dt.timedelta(days=1))
    objections.assign_investigation(objection, office, investigators=["王专家", "李专家"],
                                    candidate_due=dt.date(2026, 12, 4), objector_due=dt.date(2026, 12, 4),
                                    now=when + dt.timedelta(days=1))
    return fresh(objection), office, app, other


def test_deemed_admission_disqualifies_through_the_workflow_once(loaded, django_capture_on_commit_callbacks, mailoutbox):
    objection, office, app, other = _accepted(loaded)
    objections.record_evidence(objection, office, party="objector", now=at(2026, 12, 1, 9, 0))
    assert objections.apply_due_deemed_outcomes(at(2026, 12, 4, 23, 0)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert objections.apply_due_deemed_outcomes(at(2026, 12, 5, 0, 0)) == 1
    assert objections.apply_due_deemed_outcomes(at(2026, 12, 5, 0, 10)) == 0
    objection = fresh(objection)
    assert objection.state == Objection.State.UPHELD and objection.outcome_deemed
    assert objection.outcome_cite == "第二十三条" and "视为承认异议内容" in objection.outcome_reason
    assert fresh(app).state == AppState.DISQUALIFIED and fresh(other).state == AppState.PROPOSED
    event = ApplicationEvent.objects.get(application=app, to_state=AppState.DISQUALIFIED)
    assert event.rule == "publicity.confirmed_violation_disqualifies" and event.details["objection"] == objection.number
    assert event.actor.username != office.username
    assert ObjectionLetter.objects.filter(objection=objection, kind="outcome").exists()
    # Everybody involved is told: the objector and the candidate's users, the candidate never who objected.
    to_objector = [m for m in mailoutbox if m.to == ["zhangsan@example.cn"]]
    to_candidate = [m for m in mailoutbox if m.to != ["zhangsan@example.cn"]]
    assert to_objector and "异议成立" in to_objector[0].body
    assert to_candidate and "张三" not in to_candidate[0].body and VALID_ID not in to_candidate[0].body


def test_deemed_withdrawal_when_the_objector_misses_the_deadline(loaded):
    objection, office, app, _other = _accepted(loaded)
    objections.record_evidence(objection, office, party="candidate", now=at(2026, 12, 1, 9, 0))
    assert objections.apply_due_deemed_outcomes(at(2026, 12, 5, 0, 0)) == 1
    objection = fresh(objection)
    assert objection.state == Objection.State.WITHDRAWN and objection.outcome_cite == "第二十三条"
    assert fresh(app).state == AppState.PROPOSED
    with pytest.raises(ServiceError):
        objections.record_evidence(objection, office, party="candidate")


def test_no_deemed_outcome_where_the_profile_sets_none(loaded):
    objection, _office, app, _other = _accepted(loaded, "binjiang")
    assert objections.apply_due_deemed_outcomes(at(2026, 12, 6, 0, 0)) == 0
    assert fresh(objection).state == Objection.State.ACCEPTED and fresh(app).state == AppState.PROPOSED


def test_an_upheld_objection_goes_to_whom_the_profile_names_and_disqualifies(loaded):
    objection, office, app, _other = _accepted(loaded, "binjiang")
    with pytest.raises(ServiceError):
        objections.decide_outcome(objection, office, upheld=True, reason="查证属实")   # no report yet
    objections.record_report(objection, office, report="经调查，异议反映的问题属实。")
    assert fresh(objection).report_to == "区评委会"
    objections.decide_outcome(objection, office, upheld=True, reason="查证属实")
    objection = fresh(objection)
    assert objection.state == Objection.State.UPHELD and objection.outcome_cite == "四（七）"
    event = ApplicationEvent.objects.get(application=app, to_state=AppState.DISQUALIFIED)
    assert event.cite == "四（八）" and "查证属实" in event.reason
    steps = list(ObjectionEvent.objects.filter(objection=objection).values_list("to_state", flat=True))
    assert steps[0] == "received" and steps[-1] == "upheld"


def test_zhuji_reports_to_the_committee_director_and_a_dismissed_objection_leaves_the_winner(loaded):
    objection, office, app, _other = _accepted(loaded, "zhuji")
    objections.record_report(objection, office, report="未发现问题。")
    assert fresh(objection).report_to == "审委会主任"
    objections.decide_outcome(objection, office, upheld=False, reason="反映问题不属实")
    assert fresh(objection).state == Objection.State.DISMISSED and fresh(app).state == AppState.PROPOSED


def test_a_proposed_winner_is_not_disqualified_without_an_upheld_objection(loaded):
    _notice, office, (app, _b) = published(loaded["daqing"])
    with pytest.raises(TransitionError) as refused:
        transition(app, AppState.DISQUALIFIED, actor=office, reason="其他原因")
    assert "异议" in str(refused.value)


def test_only_office_staff_handle_objections(loaded):
    notice, _office, (app, _b) = published(loaded["daqing"])
    objection, _code = filed(notice, app)
    other = make_user("kq-office-x", loaded["keqiao"], Role.OFFICE)
    with pytest.raises(ServiceError):
        objections.decide_acceptance(objection, other, accept=True)


def test_objections_against_an_entry_no_longer_proposed_are_refused(loaded):
    objection, office, app, _other = _accepted(loaded)
    objections.record_evidence(objection, office, party="objector", now=at(2026, 12, 1, 9, 0))
    objections.apply_due_deemed_outcomes(at(2026, 12, 5, 0, 0))
    notice = objection.notice
    with pytest.raises(ServiceError) as refused:
        filed(notice, app, now=min(timezone.now(), notice.ends_at - dt.timedelta(minutes=1)))
    assert refused.value.field in ("entry", None)

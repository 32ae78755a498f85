"""Daqing 第三十五条: office staff declare their conflicts too; one who declared a conflict with an
applicant is refused every state change of its application (through the workflow, so from any page
or batch), with the article; the declarations are listed for supervision; another tenant gets 404."""

from __future__ import annotations

import pytest
from django.test import Client

from awards import services
from awards.states import AppState
from awards.workflow import TransitionError, transition
from jurisdictions.models import Role
from records.models import StaffConflict
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def submitted(jurisdiction, prefix: str):
    office = make_user(f"{prefix}-office", jurisdiction, Role.OFFICE, first_name="李科长")
    colleague = make_user(f"{prefix}-office2", jurisdiction, Role.OFFICE, first_name="赵科员")
    cycle = published_cycle(jurisdiction, office)
    user = make_user(f"{prefix}-applicant", jurisdiction, Role.APPLICANT)
    org = organization(jurisdiction, user=user, name="大庆某某石化设备有限公司")
    app = services.submit(ready_draft(cycle, org, user), user)
    return office, colleague, app


def test_a_daqing_staff_member_with_a_declared_conflict_is_refused_and_a_colleague_is_not(loaded):
    office, colleague, app = submitted(loaded["daqing"], "dqs")
    client = Client()
    client.force_login(office)
    page = client.get("/daqing/office/records/").content.decode()
    assert "第三十五条" in page and "大庆某某石化设备有限公司" in page
    # Without the confirmation nothing is declared and the choice stays.
    response = client.post("/daqing/office/records/staff-conflicts/", {
        "conflict-organization": app.organization_id, "conflict-kind": "relative", "conflict-note": "配偶在该公司任职"})
    assert response.status_code == 400 and "请勾选确认" in response.content.decode()
    assert "配偶在该公司任职" in response.content.decode() and not StaffConflict.objects.exists()
    response = client.post("/daqing/office/records/staff-conflicts/", {
        "conflict-organization": app.organization_id, "conflict-kind": "relative", "conflict-note": "配偶在该公司任职",
        "conflict-confirm": "on"})
    assert response.status_code == 302
    listing = client.get("/daqing/office/records/").content.decode()
    assert "李科长" in listing and "近亲属任职" in listing

    with pytest.raises(TransitionError) as caught:
        transition(app, AppState.ELIGIBLE, actor=office, reason="符合条件")
    assert "应当回避" in str(caught.value) and "第三十五条" in str(caught.value)

    # Through the office's own page: the refusal shows, the state does not move.
    response = client.post(f"/daqing/office/applications/{app.pk}/decide/", {
        "decision": "eligible", "reason": "符合申报条件", "confirm": "on", "seen_state": app.state})
    assert "应当回避" in response.content.decode()
    app.refresh_from_db()
    assert app.state == AppState.SUBMITTED

    # A colleague without a conflict decides.
    moved = transition(app, AppState.ELIGIBLE, actor=colleague, reason="符合条件")
    assert moved.state == AppState.ELIGIBLE


def test_declaring_is_offered_only_where_the_profile_asks_and_tenants_stay_apart(loaded):
    office, _colleague, app = submitted(loaded["binjiang"], "bjs")
    client = Client()
    client.force_login(office)
    assert "工作人员利害关系申报" not in client.get("/binjiang/office/records/").content.decode()
    assert client.post("/binjiang/office/records/staff-conflicts/", {
        "conflict-organization": app.organization_id, "conflict-kind": "relative", "conflict-confirm": "on"}
    ).status_code == 404
    # Another tenant's organisation cannot be named from Daqing's page.
    dq_office = make_user("dq-office-x", loaded["daqing"], Role.OFFICE)
    client.force_login(dq_office)
    response = client.post("/daqing/office/records/staff-conflicts/", {
        "conflict-organization": app.organization_id, "conflict-kind": "relative", "conflict-confirm": "on"})
    assert response.status_code == 400 and "请选择本辖区的申报组织" in response.content.decode()
    assert client.get("/binjiang/office/records/").status_code == 404
    assert not StaffConflict.objects.exists()

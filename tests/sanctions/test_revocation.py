"""A winner's sanctions and the revocation of its award through the profile's approval chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from awards.models import PastOutcome
from awards.refusals import ServiceError
from awards.states import AppState
from honours.models import Certificate, Prize
from jurisdictions.models import Notification
from sanctions import revocation, winner_sanctions
from sanctions.models import Publication, Recovery, Revocation, Sanction
from tests.awards.builders import pdf_upload
from tests.sanctions.builders import winner

pytestmark = pytest.mark.django_db


def _warning(app, office, level="warning"):
    today = timezone.localdate()
    return winner_sanctions.record(app, office, level=level, ground_code="", grounds_text="产品抽查不合格（第二十九条）",
                                   facts="县级抽查不合格", occurred_on=today, decided_on=today, document_number="柯质评〔2026〕1号")


def test_keqiao_offers_four_levels_and_records_a_warning_binjiang_only_revocation(loaded):
    app, office = winner(loaded["keqiao"])
    client = Client()
    client.force_login(office)
    page = client.get(f"/keqiao/office/post-award/winners/{app.pk}/").content.decode()
    for word in ("批评", "警告", "通报批评", "撤销荣誉称号"):
        assert f">{word}</option>" in page
    assert "第三十条" in page
    done = client.post(f"/keqiao/office/post-award/winners/{app.pk}/", {
        "level": "warning", "grounds_text": "产品抽查不合格", "facts": "县级抽查不合格", "occurred_on": "2026-01-05",
        "decided_on": timezone.localdate().isoformat(), "document_number": "柯质评〔2026〕1号"})
    assert done.status_code == 302
    sanction = Sanction.objects.get(application=app)
    assert (sanction.level, sanction.cite) == ("warning", "第三十条")
    listing = client.get(f"/keqiao/office/post-award/winners/{app.pk}/").content.decode()
    assert "柯质评〔2026〕1号" in listing and "警告" in listing
    app.refresh_from_db()
    assert app.state == AppState.AWARDED

    bj, bj_office = winner(loaded["binjiang"])
    with pytest.raises(ServiceError) as refused:
        _warning(bj, bj_office)
    assert refused.value.field == "level" and "只规定撤销荣誉称号" in str(refused.value) and "七（二）" in str(refused.value)
    bj_page = Client()
    bj_page.force_login(bj_office)
    text = bj_page.get(f"/binjiang/office/post-award/winners/{bj.pk}/").content.decode()
    assert ">撤销荣誉称号</option>" in text and ">警告</option>" not in text


def test_a_level_not_on_the_ladder_is_refused_next_to_the_field(loaded):
    app, office = winner(loaded["binjiang"])
    client = Client()
    client.force_login(office)
    page = client.post(f"/binjiang/office/post-award/winners/{app.pk}/", {
        "level": "warning", "facts": "某事实", "occurred_on": "2026-01-05", "decided_on": "2026-01-06"}).content.decode()
    assert "has-error" in page and "某事实" in page
    assert not Sanction.objects.filter(application=app).exists()


def test_revocation_through_proposal_and_approval(loaded, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    app, office = winner(loaded["binjiang"])
    prize = Prize.objects.get(application=app)
    client = Client()
    client.force_login(office)
    today = timezone.localdate()
    proposed = client.post(f"/binjiang/office/post-award/winners/{app.pk}/", {
        "level": "revocation", "ground": "fraud", "facts": "检测报告系伪造", "occurred_on": today.isoformat(),
        "decided_on": today.isoformat()})
    assert proposed.status_code == 302
    record = Revocation.objects.get(application=app)
    assert record.state == Revocation.State.PROPOSED and record.proposed_by == "区评审办报区评委会提请"
    url = f"/binjiang/office/post-award/revocations/{record.pk}/"
    page = client.get(url).content.decode()
    assert "应当撤销，没有裁量余地" in page and 'value="区政府"' in page and "七（二）" in page

    # Without the confirmation: refused next to the box, the award stands.
    data = {"action": "approve", "approve-approving_body": "区政府", "approve-document_number": "区政〔2026〕30号",
            "approve-approved_on": today.isoformat()}
    unconfirmed = client.post(url, {**data, "approve-document": pdf_upload("批复.pdf")}).content.decode()
    assert "请勾选确认" in unconfirmed and "区政〔2026〕30号" in unconfirmed
    app.refresh_from_db()
    assert app.state == AppState.AWARDED

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**data, "approve-document": pdf_upload("批复.pdf"), "approve-confirm": "on"})
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.state == AppState.REVOKED
    event = app.events.get(to_state=AppState.REVOKED)
    assert event.cite == "七（二）" and "区政〔2026〕30号" in event.reason
    cert = Certificate.objects.get(application=app)
    assert cert.revoked_on == today and "弄虚作假" in cert.revoked_reason
    public = Client().get(f"/verify/{cert.serial}/").content.decode()
    assert f"此证书已于 {today:%Y-%m-%d} 撤销" in public and "此证书真实有效" not in public
    outcome = PastOutcome.objects.get(organization=app.organization, year=app.cycle.year)
    assert (outcome.revoked, outcome.revoked_on) == ("fraud", today)
    winners_page = Client().get(f"/binjiang/winners/{app.cycle.year}/").content.decode()
    assert app.organization.name not in winners_page
    assert Notification.objects.filter(user__in=app.organization.users.all(), key=f"revocation:{record.pk}").exists()

    # What is taken back: plaque, certificate and the prize with its amount; then recorded returned.
    page = client.get(url).content.decode()
    assert {r.item for r in Recovery.objects.filter(revocation=record)} == {"plaque", "certificate", "prize"}
    money = Recovery.objects.get(revocation=record, item="prize")
    assert money.amount_cny == prize.total_cny and prize.total_cny > 0
    assert ("尚未收回" in page and f"{prize.total_cny:,}" in page.replace("，", ",")) or str(prize.total_cny) in page
    home = client.get("/binjiang/office/").content.decode()
    assert "撤销后尚未收回" in home
    refused = client.post(url, {"action": "returned", "returned-item": money.pk, "returned-returned_on": "2000-01-01",
                                "returned-note": "收据1"}).content.decode()
    assert "不能早于撤销批准日期" in refused and "收据1" in refused
    client.post(url, {"action": "returned", "returned-item": money.pk, "returned-returned_on": today.isoformat(),
                      "returned-note": "收据1"})
    assert Recovery.objects.get(pk=money.pk).returned_on == today
    media = Publication.objects.get(revocation=record)
    assert media.kind == "media_exposure"
    client.post(url, {"action": "published", "published-item": media.pk, "published-done_on": today.isoformat(),
                      "published-where": "滨江时报", "published-reference": "第3版"})
    assert Publication.objects.get(pk=media.pk).where == "滨江时报"
    assert "已在滨江时报公开" in client.get(url).content.decode()


@pytest.mark.parametrize("slug", ["zhuji", "daqing"])
def test_an_incident_after_the_window_is_refused_with_the_article(loaded, slug):
    app, office = winner(loaded[slug], approved_on=dt.date(2022, 3, 1))
    with pytest.raises(ServiceError) as refused:
        revocation.propose(app, office, ground_code="incident", proposed_by="", proposed_on=timezone.localdate(),
                           facts="发生环保事故", occurred_on=dt.date(2024, 3, 2))
    cite = {"zhuji": "第十八条", "daqing": "第三十二条"}[slug]
    assert refused.value.field == "occurred_on" and cite in str(refused.value) and "2024-03-01" in str(refused.value)
    # On the window's last day it counts.
    record = revocation.propose(app, office, ground_code="incident", proposed_by="", proposed_on=timezone.localdate(),
                                facts="发生环保事故", occurred_on=dt.date(2024, 3, 1))
    assert record.mandatory is (slug == "daqing")


def test_the_award_cannot_be_revoked_without_an_approved_revocation(loaded):
    from awards.workflow import TransitionError, transition

    app, office = winner(loaded["keqiao"])
    with pytest.raises(TransitionError, match="撤销奖项须有经批准的撤销决定"):
        transition(app, AppState.REVOKED, actor=office, reason="直接撤销")


def test_another_tenants_office_gets_404(loaded, settings, tmp_path):
    from jurisdictions.models import Role
    from tests.conftest import make_user

    settings.MEDIA_ROOT = tmp_path
    app, office = winner(loaded["keqiao"])
    record = revocation.propose(app, office, ground_code="fraud", proposed_by="", proposed_on=timezone.localdate(),
                                facts="伪造", occurred_on=timezone.localdate())
    stranger = make_user("zj-sanctions-office", loaded["zhuji"], Role.OFFICE)
    client = Client()
    client.force_login(stranger)
    for path in (f"/zhuji/office/post-award/winners/{app.pk}/", f"/zhuji/office/post-award/revocations/{record.pk}/",
                 f"/keqiao/office/post-award/revocations/{record.pk}/"):
        assert client.get(path).status_code == 404
    assert client.get("/zhuji/office/blacklist/").status_code == 404  # Zhuji keeps no blacklist

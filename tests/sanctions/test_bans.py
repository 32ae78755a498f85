"""A revoked organisation's next application meets the profile's ban through the eligibility engine,
with its last day and article, and is accepted the day after; Daqing bans only a case found serious;
Daqing's blacklist warns the office and refuses a listed agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from awards import services
from awards.eligibility import add_years
from awards.refusals import ServiceError
from jurisdictions.models import Role
from reviews import groups
from reviews.models import ReviewAgency
from sanctions import blacklist, revocation
from sanctions.models import BlacklistEntry
from tests.awards.builders import pdf_upload, published_cycle
from tests.conftest import make_user
from tests.sanctions.builders import revoked, winner

pytestmark = pytest.mark.django_db


def _ban_on(app, office, close: dt.date, rule: str, year: int | None = None):
    """The ban's result for a new application of the organisation in a cycle closing on `close`."""
    days = (close - timezone.localdate()).days
    cycle = published_cycle(app.jurisdiction, office, year=year or close.year, closes_in_days=days)
    new = services.start_application(cycle, app.organization, "quality", app.organization.users.first())
    return next(r for r in services.precheck(new) if r.rule == rule)


@pytest.mark.parametrize(("slug", "ground", "rule", "years", "cite"), [
    ("binjiang", "fraud", "bans.fraud", 5, "七（二）"),
    ("lucheng", "fraud", "bans.fraud", 5, "第十七条"),
    ("keqiao", "fraud", "bans.fraud", 5, "第二十六条"),
    ("zhuji", "fraud", "bans.fraud", 5, "第十八条"),
    ("keqiao", "incident", "bans.incident", 3, "第三十条"),
])
def test_a_revoked_winner_is_banned_through_the_last_day(loaded, settings, tmp_path, slug, ground, rule, years, cite):
    settings.MEDIA_ROOT = tmp_path
    app, office = winner(loaded[slug])
    record = revoked(app, office, ground)
    last = add_years(record.approved_on, years)
    within = _ban_on(app, office, last, rule)
    assert within.status == "failed" and within.cite == cite and f"禁止申报至 {last}（含）" in within.text
    after = _ban_on(app, office, last + dt.timedelta(days=1), rule, year=last.year + 1)
    assert after.status == "passed"


@pytest.mark.parametrize(("serious", "banned"), [(False, False), (True, True)])
def test_daqing_bans_four_years_only_when_the_decision_finds_it_serious(loaded, settings, tmp_path, serious, banned):
    settings.MEDIA_ROOT = tmp_path
    app, office = winner(loaded["daqing"])
    record = revoked(app, office, "fraud", serious=serious)
    result = _ban_on(app, office, add_years(record.approved_on, 4), "bans.fraud")
    assert (result.status == "failed") is banned and result.cite == "第三十一条"
    if not banned:
        assert "本次不受该限制" in result.text


def test_daqing_fraud_revocation_blacklists_and_the_office_is_warned(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    app, office = winner(loaded["daqing"])
    today = timezone.localdate()
    proposal = revocation.propose(app, office, ground_code="fraud", proposed_by="", proposed_on=today,
                                  facts="伪造检测报告", occurred_on=today)
    decision = {"approving_body": "市政府", "document_number": "庆政〔2026〕9号", "approved_on": today}
    with pytest.raises(ServiceError) as refused:
        revocation.approve(proposal, office, **decision, document=pdf_upload("批复.pdf"), serious=None)
    assert refused.value.field == "serious" and "第三十一条" in str(refused.value)
    record = revocation.approve(proposal, office, **decision, document=pdf_upload("批复.pdf"), serious=True)
    entry = BlacklistEntry.objects.get(revocation=record)
    assert entry.organization == app.organization and entry.cite == "第三十一条"
    client = Client()
    client.force_login(office)
    page = client.get(f"/daqing/office/applications/{app.pk}/").content.decode()
    assert "列入诚信黑名单" in page and "第三十一条" in page
    assert app.organization.name in client.get("/daqing/office/blacklist/").content.decode()


def test_a_blacklisted_agency_is_refused_for_a_review_group(loaded):
    daqing = loaded["daqing"]
    office = make_user("dq-bl-office", daqing, Role.OFFICE)
    reviewers = [make_user(f"dq-bl-reviewer{i}", daqing, Role.REVIEWER) for i in range(5)]
    agency = ReviewAgency.objects.create(jurisdiction=daqing, name="某评价咨询有限公司")
    agency.reviewers.set(reviewers)
    blacklist.add_agency(daqing, office, agency=agency, reason="评审中收受申报组织财物",
                         decision_number="庆政〔2026〕3号", decided_on=timezone.localdate())
    cycle = published_cycle(daqing, office)
    with pytest.raises(ServiceError) as refused:
        groups.form_group(cycle, name="第一组", leader=reviewers[0], members=reviewers[1:], agency=agency, actor=office)
    assert refused.value.field == "agency" and "诚信黑名单" in str(refused.value) and "第三十四条" in str(refused.value)

"""A conflict declared after the "no conflict" statement: access ends at once, the office is told by
mail and sees it on the groups page."""

from __future__ import annotations

import pytest
from django.core import mail

from awards.refusals import ServiceError
from reviews import groups
from reviews.models import Attestation
from tests.reviews.test_reviewer_pages import (
    as_user,
    attested,
    autosave,
    build_review,
    first_file,
    score_url,
    text,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def review(loaded, cast):
    return build_review(loaded["keqiao"], cast["office"])


def test_a_conflict_declared_after_the_statement_closes_every_page_and_tells_the_office(
        review, cast, django_capture_on_commit_callbacks):
    attested(review, review.member)
    client = as_user(review.member)
    attest = url("reviewer-attest", pk=review.app.pk)
    file_link = url("reviewer-application-file", pk=review.app.pk, file_id=first_file(review).pk)
    assert client.get(score_url(review)).status_code == 200
    assert client.get(file_link).status_code == 200
    page = client.get(attest)
    assert 'value="declare_conflict"' in text(page)

    # A reason and the confirmation are both needed; nothing changes until then.
    refused = client.post(attest, {"action": "declare_conflict", "reason": " "})
    assert refused.context["late_form"].errors == {"reason": ["请写明利害关系的情况。"],
                                                   "confirm": ["请勾选确认后再提交。"]}
    assert Attestation.objects.get().decision == Attestation.Decision.NO_CONFLICT

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(attest, {"action": "declare_conflict", "reason": "声明后得知配偶在该组织任职",
                                        "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("reviewer-applications")
    statement = Attestation.objects.get()
    assert (statement.decision, statement.reason) == (Attestation.Decision.RECUSED, "声明后得知配偶在该组织任职")
    assert statement.conflict_declared_at is not None
    assert statement.history.count() == 2  # the earlier "no conflict" statement is kept

    for path in (attest, score_url(review), file_link):
        assert client.get(path).status_code == 404, path
    assert autosave(client, review, "4.1.1", 50).status_code == 404

    assert [m.subject for m in mail.outbox] == ["评审员事后申报利害关系通知"]
    assert mail.outbox[0].to == [cast["office"].email]
    assert "曾声明与申报" in mail.outbox[0].body and "声明后得知配偶在该组织任职" in mail.outbox[0].body
    assert "评审组人数已低于最低要求" in mail.outbox[0].body

    office = as_user(cast["office"])
    groups_page = office.get(url("office-review-groups", year=review.cycle.year))
    assert [a.pk for a in groups_page.context["late_conflicts"]] == [statement.pk]
    html = text(groups_page)
    assert "声明后申报利害关系的评审员" in html and "声明后得知配偶在该组织任职" in html


def test_only_a_no_conflict_statement_can_turn_into_a_declared_conflict(review):
    with pytest.raises(ServiceError, match="该申报未分配给您"):
        groups.declare_conflict(review.app, review.member, "理由")
    groups.attest(review.app, review.member, no_conflict=False, reason="曾任职")
    with pytest.raises(ServiceError, match="该申报未分配给您"):
        groups.declare_conflict(review.app, review.member, "理由")
    attested(review, review.third)
    with pytest.raises(ServiceError) as blank:
        groups.declare_conflict(review.app, review.third, "  ")
    assert blank.value.field == "reason"
    assert Attestation.objects.get(reviewer=review.third).decision == Attestation.Decision.NO_CONFLICT

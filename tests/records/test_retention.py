"""The database keeps a closed cycle's record for the profile's retention period (Daqing 第三十六条):
deleting an application, a score or a certificate is refused through the ORM and through raw SQL,
naming the last day and the article, and succeeds once the period has ended; the deletions the
running workflow relies on keep working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from awards import services
from awards.models import Application, ApplicationEvent, ApplicationFile
from awards.states import CycleState
from committee.models import Ballot, RoundCandidate
from honours import certificates
from honours.models import Certificate
from records.models import CycleRetention
from records.retention import years_later
from reviews.models import StageResult
from tests.awards.builders import organization, pdf_upload, published_cycle, ready_draft
from tests.conftest import make_user
from tests.honours.builders import approve, awaiting_approval
from tests.publicity.builders import proposed_cycle

pytestmark = pytest.mark.django_db


def closed_cycle(loaded, slug="daqing"):
    cycle, office, apps, _notice = awaiting_approval(loaded[slug], 1)
    approve(cycle, office)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    cert = certificates.issue(apps[0].pk)
    return cycle, office, apps[0], cert


def refused(action) -> str:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    return str(caught.value)


def test_closing_a_cycle_fixes_its_retention_from_the_profile(loaded):
    cycle, _office, _app, _cert = closed_cycle(loaded)
    row = CycleRetention.objects.get(cycle=cycle)
    assert row.years == 10 and row.cite_zh == "第三十六条"
    assert row.kept_until == years_later(row.closed_on, 10)


def test_a_closed_cycles_record_cannot_be_deleted_by_orm_or_sql_until_the_period_ends(loaded):
    cycle, _office, app, cert = closed_cycle(loaded)
    kept = CycleRetention.objects.get(cycle=cycle).kept_until.isoformat()
    score = StageResult.objects.filter(application=app).first()
    assert score is not None

    for action in (lambda: Certificate.objects.filter(pk=cert.pk).delete(),
                   lambda: StageResult.objects.filter(pk=score.pk).delete(),
                   lambda: ApplicationEvent.objects.filter(application=app).delete(),
                   lambda: ApplicationFile.objects.filter(application=app).delete()):
        message = refused(action)
        assert f"须保存至{kept}（第三十六条）" in message, message

    def raw(sql: str, pk: int):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, [pk])
        return run

    assert "第三十六条" in refused(raw("DELETE FROM honours_certificate WHERE id = %s", cert.pk))
    assert "第三十六条" in refused(raw("DELETE FROM reviews_stageresult WHERE id = %s", score.pk))
    assert "第三十六条" in refused(raw("DELETE FROM awards_application WHERE id = %s", app.pk))
    assert "第三十六条" in refused(raw("DELETE FROM awards_awardcycle WHERE id = %s", cycle.pk))
    assert Certificate.objects.filter(pk=cert.pk).exists() and Application.objects.filter(pk=app.pk).exists()

    # The last day of the period still keeps it; the day after, the record may go.
    CycleRetention.objects.filter(cycle=cycle).update(kept_until=timezone.localdate())
    assert "须保存至" in refused(lambda: Certificate.objects.filter(pk=cert.pk).delete())
    CycleRetention.objects.filter(cycle=cycle).update(kept_until=timezone.localdate() - dt.timedelta(days=1))
    Certificate.objects.filter(pk=cert.pk).delete()
    StageResult.objects.filter(pk=score.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM awards_applicationevent WHERE application_id = %s", [app.pk])
    assert not Certificate.objects.filter(pk=cert.pk).exists()
    assert not StageResult.objects.filter(pk=score.pk).exists()
    assert not ApplicationEvent.objects.filter(application=app).exists()


def test_a_closed_cycle_without_its_retention_row_is_kept_without_end(loaded):
    cycle, _office, _app, cert = closed_cycle(loaded, "binjiang")
    CycleRetention.objects.filter(cycle=cycle).delete()
    assert "档案长期保存" in refused(lambda: Certificate.objects.filter(pk=cert.pk).delete())


def test_a_running_cycles_record_cannot_be_deleted_except_what_the_workflow_removes(loaded):
    cycle, _office, apps = proposed_cycle(loaded["keqiao"], 1)
    app = apps[0]

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM awards_application WHERE id = %s", [app.pk])
    assert "尚未结束" in refused(raw_delete)
    assert "尚未结束" in refused(lambda: ApplicationEvent.objects.filter(application=app).delete())
    # A submitted application's files are part of the record already.
    assert "尚未结束" in refused(lambda: ApplicationFile.objects.filter(application=app).delete())
    assert "尚未结束" in refused(lambda: RoundCandidate.objects.filter(application=app).delete())
    # The committee closed its round by rewriting every ballot (committee/ballot.py): not guarded.
    assert Ballot.objects.filter(round__meeting__cycle=cycle).exists()
    assert RoundCandidate.objects.filter(application=app).exists()
    # Reopening a stage (reviews/reopening.py) deletes its result while the cycle runs.
    with transaction.atomic():
        sid = transaction.savepoint()
        deleted, _ = StageResult.objects.filter(application=app).delete()
        assert deleted >= 1
        transaction.savepoint_rollback(sid)


def test_an_applicant_still_removes_a_file_from_a_draft(loaded):
    jurisdiction = loaded["binjiang"]
    office = make_user("bj-office-r", jurisdiction, "office")
    cycle = published_cycle(jurisdiction, office)
    user = make_user("bj-applicant-r", jurisdiction, "applicant")
    org = organization(jurisdiction, user=user)
    app = ready_draft(cycle, org, user)
    extra = services.add_file(app, kind=ApplicationFile.Kind.EVIDENCE, uploaded=pdf_upload("多余.pdf"), actor=user)
    services.remove_file(app, extra.pk, user)
    assert not ApplicationFile.objects.filter(pk=extra.pk).exists()

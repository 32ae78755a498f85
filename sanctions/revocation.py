"""Revoking an award through the profile's approval chain (RevocationGround): the proposal, then the
approving body's decision with its document. The approval revokes the award through the workflow,
revokes the certificate, marks the award's history row so the eligibility engine's bans apply, and
lists what is to be recovered and made public until the office records each done."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, PastOutcome
from awards.refusals import ServiceError
from awards.states import AppState
from awards.uploads import UploadRefused, check_upload
from awards.workflow import TransitionError, transition
from honours import certificates
from honours.approval import award_approved_on
from honours.models import Certificate, Prize
from jurisdictions.access import has_role
from jurisdictions.models import Role
from jurisdictions.post_award_wording import GROUNDS
from jurisdictions.rules_wording import cite_label

from . import grounds
from .models import BlacklistEntry, Publication, Recovery, Revocation, Sanction


def _office(actor: User, app: Application) -> None:
    if not has_role(actor, app.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以办理撤销。"))


def propose(app: Application, actor: User, *, ground_code: str, proposed_by: str, proposed_on: dt.date,
            facts: str, occurred_on: dt.date, document_number: str = "", now: dt.datetime | None = None) -> Revocation:
    """Step 1: the proposal of the body the ground names; refused with the field and the article
    where the award is not standing, the ground is not the profile's or its window has passed."""
    now = now or timezone.now()
    _office(actor, app)
    rules = app.cycle.profile.typed
    cited = grounds.ground(rules, ground_code)
    if cited is None:
        raise ServiceError(_("请选择办法规定的撤销情形。"), "ground")
    rule = cited.value
    if app.state != AppState.AWARDED:
        raise ServiceError(_("只有已获奖的组织才能提请撤销奖项。"))
    facts, proposed_by = facts.strip(), (proposed_by.strip() or rule.proposed_by_zh)
    if not facts:
        raise ServiceError(_("请写明查实的事实。"), "facts")
    today = timezone.localdate(now)
    if occurred_on > today:
        raise ServiceError(_("事实发生日期不能晚于今天。"), "occurred_on")
    if proposed_on > today:
        raise ServiceError(_("提请日期不能晚于今天。"), "proposed_on")
    awarded_on = award_approved_on(app)
    if awarded_on is not None and proposed_on < awarded_on:
        raise ServiceError(_("提请日期不能早于授奖批准日期（%(on)s）。") % {"on": awarded_on.isoformat()}, "proposed_on")
    if rule.within is not None and awarded_on is not None:
        last = grounds.window_last_day(app, awarded_on, rule.within)
        if occurred_on > last:
            raise ServiceError(_(
                "该情形须在获奖后%(n)s内发生（%(cite)s）：奖项于%(awarded)s批准，期限至%(last)s（含），"
                "%(on)s发生的事实不能据此撤销。") % {
                    "n": grounds.period_words(rule.within), "cite": cite_label(cited.cite),
                    "awarded": awarded_on.isoformat(), "last": last.isoformat(), "on": occurred_on.isoformat()},
                "occurred_on")
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=app.pk)
        if locked.state != AppState.AWARDED:
            raise ServiceError(_("只有已获奖的组织才能提请撤销奖项。"))
        if Revocation.objects.filter(application=locked).exists():
            raise ServiceError(_("该奖项已经提请撤销，请在撤销程序页面办理。"))
        revocation = Revocation.objects.create(
            jurisdiction=app.jurisdiction, application=locked, ground=rule.code, ground_text=rule.text_zh,
            cite=cited.cite, mandatory=rule.mandatory, proposed_by=proposed_by[:100], proposed_on=proposed_on,
            facts=facts, occurred_on=occurred_on, proposed_recorded_by=actor, proposed_at=now)
        Sanction.objects.create(
            jurisdiction=app.jurisdiction, application=locked, level="revocation", ground=rule.code,
            grounds_text=rule.text_zh, facts=facts, occurred_on=occurred_on, decided_on=proposed_on,
            document_number=document_number.strip()[:100], cite=cited.cite, revocation=revocation,
            recorded_by=actor, recorded_at=now)
    return revocation


def ground_of(revocation: Revocation):
    """The ground as the cycle's pinned profile states it (None if that profile no longer names it)."""
    return grounds.ground(revocation.application.cycle.profile.typed, revocation.ground)


def approve(revocation: Revocation, actor: User, *, approving_body: str, document_number: str,
            approved_on: dt.date, document: UploadedFile, serious: bool | None = None,
            now: dt.datetime | None = None) -> Revocation:
    """Step 2: the approving body's decision. In one transaction the award is revoked (workflow),
    the certificate revoked, the history row marked, recoveries and publications listed and, where
    the ground says so, the organisation put on the blacklist."""
    now = now or timezone.now()
    app = revocation.application
    _office(actor, app)
    cited = ground_of(revocation)
    if cited is None:
        raise ServiceError(_("办法已不再规定这一撤销情形，不能批准。"))
    rule = cited.value
    approving_body, document_number = approving_body.strip(), document_number.strip()
    if not approving_body:
        raise ServiceError(_("请填写批准机关。"), "approving_body")
    if not document_number:
        raise ServiceError(_("请填写批准文号。"), "document_number")
    if approved_on > timezone.localdate(now):
        raise ServiceError(_("批准日期不能晚于今天。"), "approved_on")
    if approved_on < revocation.proposed_on:
        raise ServiceError(_("批准日期不能早于提请日期（%(on)s）。") % {"on": revocation.proposed_on.isoformat()},
                           "approved_on")
    if rule.serious_finding and serious is None:
        raise ServiceError(_("请写明批准决定是否认定情节严重（%(cite)s）。") % {"cite": cite_label(cited.cite)}, "serious")
    try:
        content_type, digest = check_upload(document, already_stored_bytes=0)
    except UploadRefused as exc:
        raise ServiceError(str(exc), "document") from None
    words = str(GROUNDS[rule.code])
    reason = _("经%(body)s批准（%(number)s），以“%(ground)s”撤销%(year)s年度奖项。") % {
        "body": approving_body, "number": document_number, "ground": words, "year": app.cycle.year}
    with transaction.atomic():
        locked = Revocation.objects.select_for_update().select_related("application__cycle").get(pk=revocation.pk)
        if locked.state != Revocation.State.PROPOSED:
            raise ServiceError(_("该撤销已于%(on)s批准，不能重复登记。") % {"on": locked.approved_on})
        locked.approving_body, locked.document_number, locked.approved_on = approving_body, document_number, approved_on
        locked.document_name, locked.document_type, locked.document_sha256 = (
            (document.name or "")[:255], content_type, digest)
        locked.serious = serious if rule.serious_finding else None
        locked.approved_recorded_by, locked.approved_at, locked.state = actor, now, Revocation.State.APPROVED
        locked.document.save(document.name or "document", document, save=False)
        locked.save()
        try:
            transition(app.pk, AppState.REVOKED, actor=actor, reason=reason, rule=f"post_award.revocation_grounds.{rule.code}",
                       cite=cited.cite, details={"revocation": locked.pk, "serious": locked.serious}, now=now)
        except TransitionError as exc:
            raise ServiceError(str(exc)) from None
        _revoke_certificate(app, actor, approved_on, reason)
        prize = Prize.objects.filter(application=app).first()
        award_code = prize.award_code if prize else app.category
        PastOutcome.objects.filter(jurisdiction=app.jurisdiction, organization=app.organization, year=app.cycle.year,
                                   award_code=award_code, revoked="").update(
            revoked=rule.code, revoked_on=approved_on, serious=locked.serious)
        Recovery.objects.bulk_create([
            Recovery(jurisdiction=app.jurisdiction, revocation=locked, item=item,
                     amount_cny=(prize.total_cny if prize else 0) if item == "prize" else 0)
            for item in rule.recover])
        Publication.objects.bulk_create([Publication(jurisdiction=app.jurisdiction, revocation=locked, kind=kind)
                                         for kind in rule.publication])
        blacklist = app.cycle.profile.typed.post_award.blacklist
        if rule.blacklist and blacklist is not None and blacklist.value:
            BlacklistEntry.objects.create(
                jurisdiction=app.jurisdiction, kind=BlacklistEntry.Kind.ORGANIZATION, organization=app.organization,
                name=app.organization.name, credit_code=app.organization.uscc or "", reason=reason, cite=cited.cite,
                listed_on=approved_on, decision_number=document_number, decided_on=approved_on, revocation=locked,
                recorded_by=actor)
        from .notifications import notify_revoked

        transaction.on_commit(partial(notify_revoked, locked.pk))
    return locked


def _revoke_certificate(app: Application, actor: User, approved_on: dt.date, reason: str) -> None:
    cert = Certificate.objects.filter(application=app, revoked_on__isnull=True).defer("pdf").first()
    if cert is None:
        return
    # The certificate is revoked on the decision's date, which the verification page shows.
    on = timezone.make_aware(dt.datetime.combine(approved_on, dt.time(12, 0)))
    certificates.revoke(cert, actor, reason=reason, now=on)


def approved_revocation_on_record(apps: list[Application], to_state: str) -> dict[int, str]:
    """Workflow evidence for awarded → revoked: an approved revocation of that award."""
    approved = set(Revocation.objects.filter(application__in=apps, state=Revocation.State.APPROVED)
                   .values_list("application_id", flat=True))
    return {a.pk: _("撤销奖项须有经批准的撤销决定（批准机关、批准文号、日期和批准文件）。")
            for a in apps if a.pk not in approved}


def record_returned(recovery: Recovery, actor: User, *, returned_on: dt.date, note: str) -> Recovery:
    if not has_role(actor, recovery.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记收回。"))
    if returned_on > timezone.localdate():
        raise ServiceError(_("收回日期不能晚于今天。"), "returned_on")
    with transaction.atomic():
        locked = Recovery.objects.select_for_update().select_related("revocation").get(pk=recovery.pk)
        if locked.returned_on is not None:
            raise ServiceError(_("已于%(on)s登记收回，不能重复登记。") % {"on": locked.returned_on.isoformat()})
        if locked.revocation.approved_on and returned_on < locked.revocation.approved_on:
            raise ServiceError(_("收回日期不能早于撤销批准日期（%(on)s）。") % {
                "on": locked.revocation.approved_on.isoformat()}, "returned_on")
        locked.returned_on, locked.note, locked.recorded_by = returned_on, note.strip()[:300], actor
        locked.save(update_fields=["returned_on", "note", "recorded_by"])
    return locked


def record_published(publication: Publication, actor: User, *, done_on: dt.date, where: str,
                     reference: str) -> Publication:
    if not has_role(actor, publication.jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以登记公开情况。"))
    where = where.strip()
    if not where:
        raise ServiceError(_("请填写发布载体（媒体、网站或文件）。"), "where")
    if done_on > timezone.localdate():
        raise ServiceError(_("完成日期不能晚于今天。"), "done_on")
    with transaction.atomic():
        locked = Publication.objects.select_for_update().select_related("revocation").get(pk=publication.pk)
        if locked.done_on is not None:
            raise ServiceError(_("已于%(on)s登记完成，不能重复登记。") % {"on": locked.done_on.isoformat()})
        if locked.revocation.approved_on and done_on < locked.revocation.approved_on:
            raise ServiceError(_("完成日期不能早于撤销批准日期（%(on)s）。") % {
                "on": locked.revocation.approved_on.isoformat()}, "done_on")
        locked.done_on, locked.where, locked.reference, locked.recorded_by = (
            done_on, where[:200], reference.strip()[:300], actor)
        locked.save(update_fields=["done_on", "where", "reference", "recorded_by"])
    return locked


def outstanding(jurisdiction) -> dict:
    """What the office still has to do after revocations: proposals awaiting approval, items to
    recover and publications to make."""
    return {
        "proposed": list(Revocation.objects.filter(jurisdiction=jurisdiction, state=Revocation.State.PROPOSED)
                         .select_related("application__organization", "application__cycle")),
        "recoveries": list(Recovery.objects.filter(jurisdiction=jurisdiction, returned_on__isnull=True)
                           .select_related("revocation__application__organization")),
        "publications": list(Publication.objects.filter(jurisdiction=jurisdiction, done_on__isnull=True)
                             .select_related("revocation__application__organization")),
    }

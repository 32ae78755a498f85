"""The office's after-award pages: the winners and what is outstanding, one winner's record with its
sanctions, the revocation procedure, and Daqing's blacklist."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awards.models import Application
from awards.refusals import accepted
from awards.states import AppState
from honours.approval import award_approved_on
from honours.models import Certificate, Prize
from honours.prizes import yuan
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential, confidential_file
from jurisdictions.models import Role
from jurisdictions.post_award_wording import GROUNDS, PUBLICATIONS, RECOVERABLE
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url
from reviews.models import ReviewAgency

from . import blacklist, grounds, revocation, winner_sanctions
from .forms import AgencyEntryForm, ApproveRevocationForm, PublishedForm, ReturnedForm, SanctionForm
from .models import BlacklistEntry, Publication, Recovery, Revocation, Sanction

WINNER_STATES = (AppState.AWARDED, AppState.REVOKED)


@role_required(Role.OFFICE)
def overview(request: SignedInRequest) -> HttpResponse:
    winners = list(scoped(request, Application).filter(state__in=WINNER_STATES)
                   .select_related("organization", "cycle").order_by("-cycle__year", "organization__name"))
    return confidential(render(request, "sanctions/office/overview.html", {
        "winners": winners, "outstanding": revocation.outstanding(request.jurisdiction),
        "keeps_blacklist": blacklist.kept_by(request.jurisdiction) is not None}))


def _winner_or_404(request: SignedInRequest, application_id: int) -> Application:
    return get_scoped_or_404(request, Application, pk=application_id, state__in=WINNER_STATES)


@role_required(Role.OFFICE)
def winner(request: SignedInRequest, application_id: int) -> HttpResponse:
    app = _winner_or_404(request, application_id)
    rules = app.cycle.profile.typed
    levels, ground_choices = grounds.ladder_choices(rules), grounds.ground_choices(rules)
    form = SanctionForm(request.POST or None, levels=levels, grounds=ground_choices)
    if request.method == "POST":
        if app.state != AppState.AWARDED:
            raise Http404
        done: list = []

        def record() -> None:
            data = form.cleaned_data
            done.append(winner_sanctions.record(
                app, request.user, level=data["level"], ground_code=data["ground"], grounds_text=data["grounds_text"],
                facts=data["facts"], occurred_on=data["occurred_on"], decided_on=data["decided_on"],
                document_number=data["document_number"], proposed_by=data["proposed_by"]))
        if accepted(form, record):
            if isinstance(done[0], Revocation):
                return redirect(tenant_url(request, "office-sanctions-revocation", revocation_id=done[0].pk))
            return redirect(tenant_url(request, "office-sanctions-winner", application_id=app.pk) + "#sanctions")
    ladder = rules.post_award.sanction_ladder
    return confidential(render(request, "sanctions/office/winner.html", {
        "app": app, "cycle": app.cycle, "rules": rules, "form": form,
        "prize": Prize.objects.filter(application=app).first(),
        "certificate": Certificate.objects.filter(application=app).defer("pdf").first(),
        "sanctions": list(scoped(request, Sanction).filter(application=app).select_related("revocation")),
        "revocation": scoped(request, Revocation).filter(application=app).first(),
        "ground_rows": grounds.ground_rows(rules), "ladder_cite": ladder.cite, "ladder_note": ladder.note_zh,
        "awarded_on": award_approved_on(app)}))


def _revocation_or_404(request: SignedInRequest, revocation_id: int) -> Revocation:
    found = (scoped(request, Revocation).select_related("application__organization", "application__cycle")
             .filter(pk=revocation_id).first())
    if found is None:
        raise Http404
    return found


def _serious_help(cited) -> str:
    return _("批准决定须载明情节是否严重（%(cite)s）：情节严重的，限制今后申报。") % {"cite": cite_label(cited.cite)}


@role_required(Role.OFFICE)
def revocation_page(request: SignedInRequest, revocation_id: int) -> HttpResponse:
    record = _revocation_or_404(request, revocation_id)
    app = record.application
    cited = revocation.ground_of(record)
    serious_finding = bool(cited and cited.value.serious_finding)
    serious_help = _serious_help(cited) if cited else ""
    approve_form = ApproveRevocationForm(prefix="approve", initial={
        "approving_body": cited.value.approved_by_zh if cited else ""}, serious_finding=serious_finding,
        serious_help=serious_help)
    returned_form, published_form = ReturnedForm(prefix="returned"), PublishedForm(prefix="published")
    failed_recovery: Recovery | None = None
    failed_publication: Publication | None = None
    here = tenant_url(request, "office-sanctions-revocation", revocation_id=record.pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "approve" and record.state == Revocation.State.PROPOSED:
            approve_form = ApproveRevocationForm(request.POST, request.FILES, prefix="approve",
                                                 serious_finding=serious_finding, serious_help=serious_help)

            def approve() -> None:
                data = approve_form.cleaned_data
                serious = {"yes": True, "no": False}.get(data.get("serious", ""))
                revocation.approve(record, request.user, approving_body=data["approving_body"],
                                   document_number=data["document_number"], approved_on=data["approved_on"],
                                   document=data["document"], serious=serious)
            if accepted(approve_form, approve):
                return redirect(here)
        elif action == "returned":
            returned_form = ReturnedForm(request.POST, prefix="returned")
            failed_recovery = get_scoped_or_404(request, Recovery, pk=_int(request.POST.get("returned-item")),
                                                revocation=record)
            item = failed_recovery
            if accepted(returned_form, lambda: revocation.record_returned(
                    item, request.user, returned_on=returned_form.cleaned_data["returned_on"],
                    note=returned_form.cleaned_data["note"])):
                return redirect(here + "#recoveries")
        elif action == "published":
            published_form = PublishedForm(request.POST, prefix="published")
            failed_publication = get_scoped_or_404(request, Publication, pk=_int(request.POST.get("published-item")),
                                                   revocation=record)
            done = failed_publication
            if accepted(published_form, lambda: revocation.record_published(
                    done, request.user, done_on=published_form.cleaned_data["done_on"],
                    where=published_form.cleaned_data["where"], reference=published_form.cleaned_data["reference"])):
                return redirect(here + "#publications")
        else:
            raise Http404
    recoveries = [{"item": r, "name": RECOVERABLE[r.item], "amount": yuan(r.amount_cny) if r.item == "prize" else ""}
                  for r in record.recoveries.all()]
    publications = [{"item": p, "name": PUBLICATIONS[p.kind]} for p in record.publications.all()]
    return confidential(render(request, "sanctions/office/revocation.html", {
        "record": record, "app": app, "cycle": app.cycle, "ground": cited.value if cited else None,
        "ground_name": GROUNDS[record.ground], "approve_form": approve_form, "returned_form": returned_form,
        "published_form": published_form, "failed_recovery": failed_recovery,
        "failed_publication": failed_publication, "recoveries": recoveries,
        "publications": publications, "awarded_on": award_approved_on(app),
        "blacklist_entry": BlacklistEntry.objects.filter(revocation=record).first()}))


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@role_required(Role.OFFICE)
def revocation_document(request: SignedInRequest, revocation_id: int) -> FileResponse:
    record = _revocation_or_404(request, revocation_id)
    if not record.document:
        raise Http404
    return confidential_file(record.document, record.document_name, record.document_type)


@role_required(Role.OFFICE)
def blacklist_page(request: SignedInRequest) -> HttpResponse:
    rule = blacklist.kept_by(request.jurisdiction)
    if rule is None:
        raise Http404
    agencies = list(scoped(request, ReviewAgency).order_by("name"))
    form = AgencyEntryForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        def add() -> None:
            agency = get_scoped_or_404(request, ReviewAgency, pk=form.cleaned_data["agency"])
            blacklist.add_agency(request.jurisdiction, request.user, agency=agency, reason=form.cleaned_data["reason"],
                                 decision_number=form.cleaned_data["decision_number"],
                                 decided_on=form.cleaned_data["decided_on"])
        if accepted(form, add):
            return redirect(tenant_url(request, "office-blacklist"))
    return confidential(render(request, "sanctions/office/blacklist.html", {
        "entries": list(scoped(request, BlacklistEntry).select_related("organization", "agency")),
        "form": form, "rule": rule, "agencies": agencies}))

"""The office's pages: record the approval, the prizes with their reasons, payments, certificates."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awards.models import Application, AwardCycle
from awards.refusals import accepted
from awards.states import AppState, CycleState
from jurisdictions.access import role_required
from jurisdictions.confidential import attachment_disposition, confidential, confidential_file
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import approval, certificates, payments
from .forms import ApprovalForm, ClaimForm, PaidForm, RevokeForm
from .models import Approval, Certificate, HonourClaim, Prize
from .prizes import yuan
from .tasks import generate_cycle_certificates_task, issue_certificate_task


@role_required(Role.OFFICE)
def workbench(request: SignedInRequest) -> HttpResponse:
    cycles = list(scoped(request, AwardCycle).filter(state__in=[CycleState.PUBLICITY, CycleState.APPROVAL,
                                                               CycleState.CLOSED]).order_by("-year"))
    approved = set(scoped(request, Approval).values_list("cycle_id", flat=True))
    rows = [{"cycle": c, "approved": c.pk in approved, "refusal": approval.refusal(c) if c.pk not in approved else ""}
            for c in cycles]
    return confidential(render(request, "honours/office/workbench.html", {"rows": rows}))


def _prize_rows(prizes_list: list[Prize]) -> list[dict]:
    return [{"prize": p, "reasons": [{**r, "cite_label": cite_label(r["cite"]) if r.get("cite") else ""}
                                     for r in p.reasons], "total": yuan(p.total_cny)} for p in prizes_list]


@role_required(Role.OFFICE)
def cycle_page(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = get_scoped_or_404(request, AwardCycle, pk=cycle_id)
    rules = cycle.profile.typed
    record = scoped(request, Approval).filter(cycle=cycle).first()
    proposed = list(cycle.applications.filter(state=AppState.PROPOSED).select_related("organization").order_by("pk"))
    levels = [b.level_zh for b in rules.higher_honours.bonuses.value] if rules.higher_honours else []
    approval_form = ApprovalForm(prefix="approve", initial={"approving_body": rules.approval.approver_zh.value})
    claim_form = ClaimForm(prefix="claim", applications=proposed, levels=levels)
    paid_form, paid_prize = PaidForm(prefix="paid"), None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "approve":
            approval_form = ApprovalForm(request.POST, request.FILES, prefix="approve")
            if accepted(approval_form, lambda: approval.record_approval(
                    cycle, request.user, approving_body=approval_form.cleaned_data["approving_body"],
                    document_number=approval_form.cleaned_data["document_number"],
                    approved_on=approval_form.cleaned_data["approved_on"],
                    document=approval_form.cleaned_data["document"])):
                return redirect(tenant_url(request, "office-honours-cycle", cycle_id=cycle.pk))
        elif action == "claim":
            claim_form = ClaimForm(request.POST, prefix="claim", applications=proposed, levels=levels)

            def record_claim() -> None:
                data = claim_form.cleaned_data
                app = get_scoped_or_404(request, Application, pk=data["application"], cycle=cycle)
                approval.record_claim(cycle, app, request.user, level_zh=data["level_zh"],
                                      nomination=data["nomination"], year=data["year"], evidence=data["evidence"])
            if accepted(claim_form, record_claim):
                return redirect(tenant_url(request, "office-honours-cycle", cycle_id=cycle.pk))
        elif action == "paid":
            paid_form = PaidForm(request.POST, prefix="paid")
            if paid_form.is_valid():
                paid_prize = get_scoped_or_404(request, Prize, pk=paid_form.cleaned_data["prize"], application__cycle=cycle)

            def mark_paid() -> None:
                assert paid_prize is not None  # looked up (or 404) whenever the form is valid
                approval.mark_paid(paid_prize, request.user, paid_on=paid_form.cleaned_data["paid_on"],
                                   reference=paid_form.cleaned_data["reference"])
            if accepted(paid_form, mark_paid):
                return redirect(tenant_url(request, "office-honours-cycle", cycle_id=cycle.pk) + "#payments")
            if paid_prize is None and paid_form.is_bound:
                paid_prize = scoped(request, Prize).filter(pk=request.POST.get("paid-prize") or 0).first()
        elif action == "generate":
            if record is None:
                raise Http404
            generate_cycle_certificates_task.delay(cycle.pk)
            return redirect(tenant_url(request, "office-honours-cycle", cycle_id=cycle.pk) + "#certificates")
        elif action == "regenerate":
            cert = get_scoped_or_404(request, Certificate, pk=request.POST.get("certificate") or 0,
                                     application__cycle=cycle)
            certificates.reset_for_regeneration(cert)
            issue_certificate_task.delay(cert.application_id)
            return redirect(tenant_url(request, "office-honours-cycle", cycle_id=cycle.pk) + "#certificates")
        else:
            raise Http404
    prize_list = list(scoped(request, Prize).filter(application__cycle=cycle).select_related("application__organization"))
    claims = list(scoped(request, HonourClaim).filter(cycle=cycle).select_related("organization"))
    others = list(cycle.applications.exclude(state__in=[AppState.AWARDED, AppState.PROPOSED, AppState.DRAFT])
                  .select_related("organization").order_by("state", "pk"))
    return confidential(render(request, "honours/office/cycle.html", {
        "cycle": cycle, "rules": rules, "record": record, "refusal": approval.refusal(cycle) if record is None else "",
        "proposed": proposed, "approval_form": approval_form, "claim_form": claim_form, "levels": levels,
        "paid_form": paid_form, "paid_prize": paid_prize, "prizes": _prize_rows(prize_list),
        "total": yuan(sum(p.total_cny for p in prize_list)), "claims": claims,
        "others": [{"app": a, "outcome": approval.outcome_reasons(a)} for a in others],
        "certificates": certificates_rows(request, cycle), "progress": certificates.progress(cycle),
        "approver_cite": cite_label(rules.approval.approver_zh.cite)}))


def certificates_rows(request: SignedInRequest, cycle: AwardCycle) -> list[Certificate]:
    return list(scoped(request, Certificate).filter(application__cycle=cycle).defer("pdf")
                .select_related("application__organization"))


@role_required(Role.OFFICE)
def progress(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    cycle = get_scoped_or_404(request, AwardCycle, pk=cycle_id)
    return confidential(render(request, "honours/office/_progress.html", {
        "cycle": cycle, "progress": certificates.progress(cycle)}))


@role_required(Role.OFFICE)
def approval_document(request: SignedInRequest, cycle_id: int) -> FileResponse:
    record = get_scoped_or_404(request, Approval, cycle_id=cycle_id)
    return confidential_file(record.document, record.document_name, record.document_type)


@role_required(Role.OFFICE)
def payment_list(request: SignedInRequest, cycle_id: int, fmt: str) -> HttpResponse:
    cycle = get_scoped_or_404(request, AwardCycle, pk=cycle_id)
    record = scoped(request, Approval).filter(cycle=cycle).first()
    if record is None or fmt not in ("xlsx", "pdf"):
        raise Http404
    prize_list = list(scoped(request, Prize).filter(application__cycle=cycle).select_related("application__organization"))
    if fmt == "xlsx":
        data, content_type = payments.workbook(cycle, record, prize_list), payments.XLSX
    else:
        data, content_type = payments.pdf(cycle, record, prize_list), "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = attachment_disposition(_("奖金发放清单-%(year)s.%(ext)s") % {
        "year": cycle.year, "ext": fmt})
    return confidential(response)


@role_required(Role.OFFICE, Role.APPLICANT)
def certificate_pdf(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """The signed certificate: for the office, or the winner's own users."""
    from jurisdictions.access import has_role

    rows = scoped(request, Certificate).filter(pk=certificate_id, state=Certificate.State.READY)
    if not has_role(request.user, request.jurisdiction, Role.OFFICE):
        rows = rows.filter(application__organization__users=request.user)
    cert = rows.first()
    if cert is None or cert.pdf is None:
        raise Http404
    response = HttpResponse(bytes(cert.pdf), content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(_("证书-%(serial)s.pdf") % {"serial": cert.serial})
    return confidential(response)


@role_required(Role.OFFICE)
def revoke_certificate(request: SignedInRequest, certificate_id: int) -> HttpResponse:
    """Revoke an issued certificate, with a written reason and a confirmation."""
    cert = (scoped(request, Certificate).defer("pdf").select_related("application__cycle")
            .filter(pk=certificate_id, state=Certificate.State.READY).first())
    if cert is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and cert.revoked_on is None and accepted(
            form, lambda: certificates.revoke(cert, request.user, reason=form.cleaned_data["reason"])):
        return redirect(tenant_url(request, "office-honours-cycle", cycle_id=cert.application.cycle_id) + "#certificates")
    return confidential(render(request, "honours/office/revoke.html", {"cert": cert, "form": form}))

"""The office's ranking pages: the document-review ranking and the shortlist for site review; the
comprehensive evaluation, the candidate list and the comprehensive evaluation report (PDF, Excel).

reviews.ranking decides (the cap and its article, the weights, the floors) and records the reasons;
these pages show them. Both list pages run a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.refusals import show_on_form
from awards.states import AppState
from awards.workflow import TransitionError
from jurisdictions.access import role_required
from jurisdictions.confidential import attachment_disposition, confidential
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import documents, ranking, site
from .export_xlsx import comprehensive_workbook
from .forms_office import EvaluationConfirmForm, ShortlistForm
from .models import Evaluation, ReviewDocument
from .views_office import cycle_applications, review_cycle

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- document ranking and shortlist ---------------------------------------------------------------
def _shortlist_page(request: SignedInRequest, cycle, form: ShortlistForm | None = None) -> HttpResponse:
    rules = cycle.profile.typed
    rows = ranking.document_ranking(cycle)
    cap, cap_reason = ranking.shortlist_cap(cycle)
    pending = [r for r in rows if r.application.state == AppState.ELIGIBLE]
    unscored = [r for r in pending if r.document_score is None]
    cut = ranking.shortlist_cut(pending, cap) if cap is not None and not unscored else None
    tied = cut.tied if cut is not None else []
    if form is None:
        form = ShortlistForm(application_ids=[r.application.pk for r in pending], capped=cap is not None,
                             tied_ids=tied)
    # What the office ticked, kept across a refusal; anything that is not an id is simply not ticked.
    chosen = _ticked(form, "chosen")
    picked = _ticked(form, "tie_picks")
    within_cap = set(cut.inside) if cut is not None else set()
    # The last row clearly inside the cap: the page draws the cap line under it (above a tie).
    inside_rows = [r for r in pending if r.application.pk in within_cap]
    cap_line = inside_rows[-1].application.pk if cut is not None and inside_rows and (cut.tied or cut.outside) else None
    with_feedback = set(
        scoped(request, ReviewDocument).filter(application__cycle=cycle, kind=ReviewDocument.Kind.FEEDBACK_REPORT)
        .values_list("application_id", flat=True)
    )
    sl = rules.shortlist
    context = {
        "cycle": cycle,
        "rules": rules,
        "rows": [
            {
                "row": r,
                "app": r.application,
                "pending": r.application.state == AppState.ELIGIBLE,
                "within_cap": r.application.pk in within_cap,
                "tied": r.application.pk in tied,
                "cap_line": r.application.pk == cap_line,
                "checked": r.application.pk in chosen,
                "tie_picked": r.application.pk in picked,
                "feedback": r.application.pk in with_feedback,
            }
            for r in rows
        ],
        "cap": cap,
        "tie": cut if cut is not None and cut.has_tie else None,
        "tie_score": cut.tie_score if cut is not None else None,
        "inside_count": len(within_cap),
        "cap_reason": cap_reason and {**cap_reason, "cite": cite_label(cap_reason["cite"])},
        "rule_cite": cite_label(sl.rule.cite),
        "rule_note": sl.rule.note_zh,
        "feedback_rule": rules.review.feedback_to_not_shortlisted,
        "feedback_cite": cite_label(rules.review.feedback_to_not_shortlisted.cite),
        "pending": len(pending),
        "unscored": len(unscored),
        "decided": sum(1 for r in rows if r.application.state != AppState.ELIGIBLE),
        "form": form,
    }
    return render(request, "reviews/office/shortlist.html", context)


def _ticked(form: ShortlistForm, name: str) -> set[int]:
    if name not in form.fields:
        return set()
    return {int(v) for v in form[name].value() or [] if str(v).isdigit()}


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def shortlist(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    if request.method != "POST":
        return _shortlist_page(request, cycle)
    cap, _reason = ranking.shortlist_cap(cycle)
    pending_ids = list(
        cycle_applications(request, cycle).filter(state=AppState.ELIGIBLE).values_list("pk", flat=True)
    )
    if not pending_ids:
        messages.warning(request, _("没有待确定入围的申报，本次提交没有再次执行。"))
        return redirect(tenant_url(request, "office-review-shortlist", year=cycle.year))
    tied = []
    if cap is not None:
        pending_rows = [r for r in ranking.document_ranking(cycle) if r.application.pk in set(pending_ids)]
        if all(r.document_score is not None for r in pending_rows):
            tied = ranking.shortlist_cut(pending_rows, cap).tied
    form = ShortlistForm(request.POST, application_ids=pending_ids, capped=cap is not None, tied_ids=tied)
    if not form.is_valid():
        return _shortlist_page(request, cycle, form)
    chosen = None if cap is not None else set(form.cleaned_data["chosen"])
    try:
        rows = ranking.decide_shortlist(cycle, request.user, chosen_ids=chosen,
                                        tie_picks=set(form.cleaned_data.get("tie_picks") or []),
                                        tie_reason=form.cleaned_data.get("tie_reason", ""))
    except ranking.ServiceError as exc:
        show_on_form(form, exc)
        return _shortlist_page(request, cycle, form)
    except TransitionError:
        messages.warning(request, _("入围名单已由其他工作人员确定，本次提交没有再次执行。"))
        return redirect(tenant_url(request, "office-review-shortlist", year=cycle.year))
    if not rows:
        messages.warning(request, _("没有待确定入围的申报，本次提交没有再次执行。"))
        return redirect(tenant_url(request, "office-review-shortlist", year=cycle.year))
    # The feedback reports are the NOT_SHORTLISTED state's own side effect (reviews/tasks.py).
    left_out = [r.application.pk for r in rows if r.application.state == AppState.NOT_SHORTLISTED]
    messages.success(request, _("已确定入围现场评审名单：入围%(yes)s家，未入围%(no)s家。") % {
        "yes": len(rows) - len(left_out), "no": len(left_out)})
    return redirect(tenant_url(request, "office-review-shortlist", year=cycle.year))


# --- comprehensive evaluation and candidate list --------------------------------------------------
def _evaluation_page(request: SignedInRequest, cycle, error: str | None = None,
                     confirm_form: EvaluationConfirmForm | None = None) -> HttpResponse:
    rules = cycle.profile.typed
    candidates = ranking.candidate_list(cycle)
    below = list(
        scoped(request, Evaluation).filter(application__cycle=cycle, application__state=AppState.BELOW_THRESHOLD)
        .select_related("application__organization")
        .order_by("-comprehensive_score", "application__number")
    )
    scores = ranking.stage_scores(cycle)
    unconfirmed = site.awaiting_confirmation(cycle)
    waiting = [
        {"app": app, "document": scores.get(app.pk, {}).get("document"), "site": scores.get(app.pk, {}).get("site")}
        for app in cycle_applications(request, cycle).filter(state=AppState.SHORTLISTED)
        .select_related("organization").order_by("number")
    ]

    def shown(evaluation: Evaluation, rank: int | None = None) -> dict:
        return {"rank": rank, "ev": evaluation, "app": evaluation.application,
                "award": documents.award_name(rules, evaluation.candidate_for or evaluation.application.category),
                "reasons": documents.cited(evaluation.reasons)}

    context = {
        "cycle": cycle,
        "rules": rules,
        "scoring_rules": documents.scoring_rules(cycle),
        "candidates": [shown(ev, rank) for rank, ev in ranking.ranked(candidates)],
        "below": [shown(ev) for ev in below],
        "waiting": waiting,
        "unconfirmed": unconfirmed,
        "unconfirmed_message": unconfirmed and site.awaiting_confirmation_message(cycle, unconfirmed),
        "ready": bool(waiting) and not unconfirmed
        and all(w["document"] is not None and w["site"] is not None for w in waiting),
        "error": error,
        "confirm_form": confirm_form or EvaluationConfirmForm(),
    }
    return render(request, "reviews/office/evaluation.html", context)


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def evaluation(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    if request.method != "POST":
        return _evaluation_page(request, cycle)
    confirm_form = EvaluationConfirmForm(request.POST)
    if not confirm_form.is_valid():
        return _evaluation_page(request, cycle, confirm_form=confirm_form)
    try:
        rows = ranking.comprehensive_evaluation(cycle, request.user)
    except ranking.ServiceError as exc:
        return _evaluation_page(request, cycle, error=exc.message)
    except TransitionError:
        rows = None
    if not rows:
        messages.warning(request, _("没有待综合评价的入围申报，本次提交没有再次执行。"))
    else:
        candidates = sum(1 for r in rows if r.application.state == AppState.CANDIDATE)
        messages.success(request, _("已完成综合评价：候选组织%(yes)s家，未达分数线%(no)s家。") % {
            "yes": candidates, "no": len(rows) - candidates})
    return redirect(tenant_url(request, "office-review-evaluation", year=cycle.year))


def _no_report(request: SignedInRequest, cycle) -> HttpResponse | None:
    if scoped(request, Evaluation).filter(application__cycle=cycle).exists():
        return None
    messages.warning(request, _("尚未进行综合评价，还没有综合评价报告。"))
    return redirect(tenant_url(request, "office-review-evaluation", year=cycle.year))


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def report_pdf(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    refused = _no_report(request, cycle)
    if refused:
        return refused
    response = HttpResponse(documents.comprehensive_report_pdf(cycle), content_type="application/pdf")
    filename = _("%(year)s年度综合评价报告.pdf") % {"year": cycle.year}
    response["Content-Disposition"] = attachment_disposition(filename)
    return confidential(response)


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def report_xlsx(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    refused = _no_report(request, cycle)
    if refused:
        return refused
    response = HttpResponse(comprehensive_workbook(cycle), content_type=XLSX)
    filename = _("%(year)s年度综合评价报告.xlsx") % {"year": cycle.year}
    response["Content-Disposition"] = attachment_disposition(filename)
    return confidential(response)

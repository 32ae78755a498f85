"""Office pages for one application: the file as filed, the automatic pre-check, the history and
the eligibility decision (资格审查).

The decision itself is awards.services.decide_eligibility, which passes through the one workflow
function; the page only collects the decision and shows what the service refused and why.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jurisdictions.access import role_required
from jurisdictions.fact_vocabulary import FACT_NAMES, FACTS
from jurisdictions.models import Role
from jurisdictions.profile_schema import RuleProfileDoc
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest

from . import eligibility, services
from .eligibility import Reason
from .facts import application_facts
from .forms_office import DECISION_LABELS, DecisionForm, attach_service_error
from .models import Application, Sector
from .office_warnings import office_warnings
from .states import AppState


def _fact_labels(rules: RuleProfileDoc) -> dict[str, str]:
    """Each fact as this profile asks it (its condition's question and article), else the neutral label."""
    labels = {fact.name: str(fact.label) for fact in FACTS}
    for condition in rules.eligibility.conditions:
        fact = getattr(condition.test.value, "fact", None)
        if fact in labels and condition.question_zh:
            labels[fact] = f"{condition.question_zh}（{cite_label(condition.test.cite)}）"
    return labels


def _fact_value(name: str, value) -> str:
    if value is None or value == "":
        return _("未填写")
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if name == "sector":
        return str(Sector(value).label) if value in Sector.values else str(value)
    return str(value)


def application_or_404(request: SignedInRequest, pk: int) -> Application:
    app = (
        scoped(request, Application)
        .select_related("cycle__profile__criteria", "organization", "jurisdiction")
        .filter(pk=pk)
        .first()
    )
    if app is None:
        raise Http404(_("没有这份申报。"))
    return app


def _precheck_rows(results: list[Reason]) -> list[dict]:
    status = {
        "passed": ("pass", _("符合")),
        "failed": ("fail", _("不符合")),
        "missing": ("missing", _("缺项待补")),
        "manual": ("manual", _("人工审查")),
    }
    return [
        {"text": r.text, "text_en": r.text_en, "rule": r.rule, "cite": cite_label(r.cite), "status": status[r.status][0],
         "status_label": status[r.status][1]}
        for r in results
    ]


def _facts_rows(app: Application) -> list[dict]:
    rules = app.cycle.profile.typed
    needed = rules.facts_needed
    values = application_facts(app).values
    labels = _fact_labels(rules)
    # The snapshot's JSON keys come back in the database's order: show them in the vocabulary's.
    order = {name: index for index, name in enumerate(FACT_NAMES)}
    return [
        {"label": labels.get(name, name), "value": _fact_value(name, value), "needed": name in needed}
        for name, value in sorted(values.items(), key=lambda item: order.get(item[0], len(order)))
    ]


def _narratives(app: Application) -> list[dict]:
    criteria = app.cycle.profile.criteria.typed
    written = dict(app.narratives or {})
    rows = []
    for category in criteria.categories:
        rows.append({"code": category.code, "name": category.name_zh, "text": written.pop(category.code, "")})
    rows += [{"code": code, "name": "", "text": text} for code, text in sorted(written.items())]
    return rows


def _detail(request: SignedInRequest, app: Application, form: DecisionForm | None = None,
            results: list[Reason] | None = None, status: int = 200) -> HttpResponse:
    rules = app.cycle.profile.typed
    results = results if results is not None else services.precheck(app)
    decidable = app.state in (AppState.SUBMITTED, AppState.RETURNED)
    if decidable and form is None:
        form = DecisionForm(application=app, results=results)
    try:
        award_name = rules.award(app.category).name_zh
    except KeyError:
        award_name = app.category
    failed = len(eligibility.failed(results))
    gaps = eligibility.gaps(results)
    context = {
        "app": app,
        "cycle": app.cycle,
        "rules": rules,
        "award_name": award_name,
        "facts": _facts_rows(app),
        "from_snapshot": bool(app.facts_snapshot),
        "narratives": _narratives(app),
        "files": list(app.files.all()),
        "precheck": _precheck_rows(results),
        "failed_count": failed,
        "gap_count": len(gaps),
        "proposed": eligibility.proposal(rules, results),
        "events": list(app.events.select_related("actor")),
        "documents": list(app.documents.defer("pdf").order_by("kind")),
        "form": form if decidable else None,
        "decision_labels": DECISION_LABELS,
        "return_rule": rules.eligibility.return_for_completion,
        "return_cite": cite_label(rules.eligibility.return_for_completion.cite),
        "review_checks": rules.eligibility.review_checks_zh,
        "review_cite": cite_label(rules.eligibility.review_checks_zh.cite),
        "office_warnings": office_warnings(app),
    }
    return render(request, "awards/office/application.html", context, status=status)


@role_required(Role.OFFICE)
@require_http_methods(["GET"])
def application_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, application_or_404(request, pk))


def _already_decided(request: SignedInRequest, app: Application) -> None:
    messages.warning(
        request,
        _("这份申报的状态已是“%(state)s”，本次提交没有再次执行（可能是重复点击，或其他工作人员已经处理）。")
        % {"state": AppState(app.state).label},
    )


@role_required(Role.OFFICE)
@require_POST
def application_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    app = application_or_404(request, pk)
    detail_url = reverse("office-application", kwargs={"jurisdiction": request.jurisdiction.slug, "pk": app.pk})
    # The fragment brings the messages at the top into view, not the form the POST came from.
    detail_url += "#main"
    results = services.precheck(app)
    form = DecisionForm(request.POST, application=app, results=results)
    if not form.is_valid():
        return _detail(request, app, form, results)
    data = form.cleaned_data
    seen = data.get("seen_state")
    if seen and seen != app.state:
        _already_decided(request, app)
        return redirect(detail_url)
    try:
        decided = services.decide_eligibility(
            app,
            request.user,
            data["decision"],
            reason=data.get("reason", ""),
            override_reason=data.get("override_reason", ""),
            returned_until=data.get("returned_until"),
        )
    except services.ServiceError as exc:
        app.refresh_from_db(fields=["state"])
        if seen and seen != app.state:
            # Two clicks raced: the other one took the lock and made the decision.
            _already_decided(request, app)
            return redirect(detail_url)
        attach_service_error(form, exc)
        return _detail(request, app, form, results)
    messages.success(
        request,
        _("已作出资格审查决定：%(decision)s（%(org)s）。")
        % {"decision": DECISION_LABELS[data["decision"]], "org": decided.organization.name},
    )
    return redirect(detail_url)

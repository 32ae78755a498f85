"""The application editor: draft text with autosave, uploads per kind, pre-check, submit, withdraw."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jurisdictions import rules_wording
from jurisdictions.access import has_role, role_required
from jurisdictions.models import Role
from jurisdictions.profile_schema import RuleProfileDoc
from jurisdictions.tenant_request import SignedInRequest, TenantRequest, is_signed_in
from jurisdictions.tenant_urls import tenant_url

from . import services
from .forms_applicant import ApplicationDraftForm, SubmitConfirmForm, UploadForm, WithdrawForm
from .models import Application, ApplicationFile
from .states import EDITABLE_STATES, OFFERED_WITHDRAWAL_STATES, WITHDRAWABLE_WITHOUT_REASON, AppState
from .uploads import ALLOWED, human_size, stored_bytes
from .views_applicant import award_name, english, own_application

Kind = ApplicationFile.Kind
PDF_ONLY = ".pdf,application/pdf"
ANY_ALLOWED = ".pdf,.jpg,.jpeg,.png," + ",".join(ALLOWED)


@dataclass
class UploadSlot:
    kind: str
    title: str
    help: str
    accept: str
    basis: str = ""
    files: list[ApplicationFile] = field(default_factory=list)
    error: str = ""


def _upload_slots(rules: RuleProfileDoc) -> dict[str, UploadSlot]:
    """One upload slot per material the profile requires, in its order (Daqing asks no self-assessment)."""
    materials = rules.eligibility.required_materials
    basis = _("必交（%(cite)s）") % {"cite": materials.cite}
    texts: dict[str, tuple[str, str, str]] = {
        Kind.SELF_ASSESSMENT: (
            _("自我评价报告"),
            _("按评价准则撰写的完整自我评价报告，仅限 PDF 文件。如需更换，请先删除原文件再上传。"),
            PDF_ONLY,
        ),
        Kind.RECOMMENDATION: (
            _("推荐意见扫描件"),
            _("推荐单位签署并盖章的推荐意见，可上传 PDF、JPG 或 PNG；有多个推荐单位的，逐份上传。"),
            ANY_ALLOWED,
        ),
        Kind.EVIDENCE: (
            _("证实性材料"),
            _("证照、认证证书、获奖证明、检测报告等，可上传 PDF、JPG 或 PNG，逐个上传。"),
            ANY_ALLOWED,
        ),
    }
    slots: dict[str, UploadSlot] = {}
    for kind in materials.value:
        title, help_text, accept = texts[kind]
        slots[kind] = UploadSlot(kind, title, help_text, accept, basis=basis)
    return slots


def _paper_copies_sentence(rules: RuleProfileDoc) -> str:
    copies = rules.eligibility.paper_copies
    if copies is None:
        return ""
    if english():
        count, office = str(copies.value), rules.bodies.office_en.value
    else:
        count, office = _CHINESE_COUNTS.get(copies.value, str(copies.value)), rules.bodies.office_short_zh.value
    return _("除在线上传外，申报材料还须按%(cite)s以纸质形式一式%(n)s份报送%(office)s。") % {
        "cite": copies.cite, "n": count, "office": office,
    }


# 一式两份: the regulation's own way of counting copies.
_CHINESE_COUNTS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五"}


def _recommendation_sentence(rules: RuleProfileDoc) -> str:
    rec = rules.eligibility.recommendation.value
    office = rules.bodies.office_short_zh.value
    if rec.rule == "none" or not rec.recommenders:
        return _("本辖区无需推荐，由申报组织直接向%(office)s申报。") % {"office": office}
    required = [r for r in rec.recommenders if r not in rec.optional_recommenders]
    names = rules_wording.labels(required, rules_wording.RECOMMENDERS)
    if rec.rule == "one_of" and len(required) > 1:
        text = _("申报须经下列单位之一推荐：%(names)s。") % {"names": names}
    else:
        text = _("申报须经下列单位推荐：%(names)s。") % {"names": names}
    if rec.optional_recommenders:
        optional = rules_wording.labels(rec.optional_recommenders, rules_wording.RECOMMENDERS)
        text += _("设有%(names)s的，还须经其推荐。") % {"names": optional}
    return text


def _edit_refusal(app: Application) -> str | None:
    """Why the content can no longer change (submitted, closed by the clock, past a return deadline)."""
    try:
        # The same check every editing service applies, so the page never offers what would be refused.
        services.require_editable(app, timezone.now())
    except services.ServiceError as exc:
        return exc.message
    return None


def _draft_form(app: Application, rules: RuleProfileDoc, data=None) -> ApplicationDraftForm:
    return ApplicationDraftForm(
        data,
        initial=ApplicationDraftForm.initial_for(app),
        criteria=app.cycle.profile.criteria.typed,
        recommendation=rules.eligibility.recommendation.value,
    )


def _editor_context(request: SignedInRequest, app: Application, *, form: ApplicationDraftForm | None = None,
                    upload_errors: dict[str, str] | None = None) -> dict:
    rules = app.cycle.profile.typed
    criteria = app.cycle.profile.criteria.typed
    refusal = _edit_refusal(app)
    files = list(app.files.all())
    slots = _upload_slots(rules)
    for record in files:
        slot = slots.get(record.kind)
        if slot is not None:
            slot.files.append(record)
    for kind, message in (upload_errors or {}).items():
        slots[kind].error = message
    before_submission = app.state in EDITABLE_STATES
    precheck = services.precheck(app) if before_submission else None
    events = list(app.events.order_by("at", "id"))
    returned = next((e for e in reversed(events) if e.to_state == AppState.RETURNED), None)
    rec = rules.eligibility.recommendation.value
    recommender_labels = [
        _(rules_wording.RECOMMENDERS.get(code, code)) for code in app.recommenders if code in rec.recommenders
    ]
    return {
        "app": app,
        "rules": rules,
        "award_name": award_name(rules, app.category),
        "form": form or _draft_form(app, rules),
        "editable": refusal is None,
        "refusal": refusal,
        "slots": list(slots.values()),
        "files": files,
        "narratives": [(c, app.narratives.get(c.code, "")) for c in criteria.categories],
        "recommendation": rules.eligibility.recommendation,
        "recommendation_sentence": _recommendation_sentence(rules),
        "recommendation_via": rec.via_en if english() and rec.via_en else rec.via_zh,
        "recommender_labels": recommender_labels,
        "before_submission": before_submission,
        "precheck": precheck,
        "precheck_summary": {
            "passed": sum(r.status == "passed" for r in precheck),
            "failed": sum(r.status == "failed" for r in precheck),
            "missing": sum(r.status == "missing" for r in precheck),
            "manual": sum(r.status == "manual" for r in precheck),
        }
        if precheck is not None
        else None,
        "missing": services.missing_for_submission(app) if before_submission else [],
        "paper_copies": _paper_copies_sentence(rules),
        "withdrawable": app.state in OFFERED_WITHDRAWAL_STATES,
        "events": events,
        "returned_event": returned,
        "limits": {
            "file": human_size(settings.AWARDS_MAX_FILE_BYTES),
            "total": human_size(settings.AWARDS_MAX_APPLICATION_BYTES),
            "used": human_size(stored_bytes(app)),
        },
        "office": rules.bodies.office_short_zh.value,
    }


def _save(app: Application, form: ApplicationDraftForm, user: User) -> Application:
    data = form.cleaned_data
    return services.save_draft(
        app,
        actor=user,
        overview=data["overview"],
        narratives=form.narratives(),
        recommenders=list(data.get("recommenders") or []),
        recommender_names=(data.get("recommender_names") or "").strip(),
    )


@role_required(Role.APPLICANT)
def application_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    app = own_application(request, pk)
    form = None
    if request.method == "POST":
        form = _draft_form(app, app.cycle.profile.typed, request.POST)
        if form.is_valid():
            try:
                _save(app, form, request.user)
            except services.ServiceError as exc:
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                else:
                    messages.error(request, exc.message)
                    return redirect(tenant_url(request, "application-edit", pk=app.pk))
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect(tenant_url(request, "application-edit", pk=app.pk))
        messages.error(request, _("草稿未保存，请按提示修改标出的栏目。"))
    return render(request, "awards/applicant/application_edit.html", _editor_context(request, app, form=form))


@require_POST
def application_autosave(request: TenantRequest, pk: int) -> HttpResponse:
    """The htmx autosave: saves the text fields and answers with a one-line status."""
    if not is_signed_in(request):
        # A redirect to the login page would be swapped into the status line; say it instead.
        return render(request, "awards/applicant/_autosave_status.html",
                      {"error": _("登录已超时，请复制尚未保存的内容后重新登录。")})
    if not has_role(request.user, request.jurisdiction, Role.APPLICANT):
        raise Http404
    app = own_application(request, pk)
    form = _draft_form(app, app.cycle.profile.typed, request.POST)
    context: dict = {}
    if form.is_valid():
        try:
            app = _save(app, form, request.user)
        except services.ServiceError as exc:
            context["error"] = exc.message
        else:
            context["saved_at"] = timezone.localtime(app.updated_at)
    else:
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return render(request, "awards/applicant/_autosave_status.html", context)


@require_POST
@role_required(Role.APPLICANT)
def application_upload(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    app = own_application(request, pk)
    if kind not in _upload_slots(app.cycle.profile.typed):
        raise Http404
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            services.add_file(app, kind=kind, uploaded=uploaded, actor=request.user)
        except services.ServiceError as exc:
            if exc.field != "file":
                # Not about this file (the application is locked or closed): the page says it at the top.
                messages.error(request, exc.message)
                return redirect(tenant_url(request, "application-edit", pk=app.pk))
            error = exc.message
        else:
            messages.success(request, _("已上传：%(name)s") % {"name": uploaded.name})
            return redirect(tenant_url(request, "application-edit", pk=app.pk) + f"#upload-{kind}")
    else:
        error = " ".join(str(e) for e in form.errors.get("file", []))
    app.refresh_from_db()
    context = _editor_context(request, app, upload_errors={kind: error})
    return render(request, "awards/applicant/application_edit.html", context)


@require_POST
@role_required(Role.APPLICANT)
def application_file_remove(request: SignedInRequest, pk: int, file_id: int) -> HttpResponse:
    app = own_application(request, pk)
    record = app.files.filter(pk=file_id).first()
    if record is None:
        raise Http404
    try:
        services.remove_file(app, record.pk, request.user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除：%(name)s") % {"name": record.original_name})
    return redirect(tenant_url(request, "application-edit", pk=app.pk) + f"#upload-{record.kind}")


@role_required(Role.APPLICANT)
def application_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Check your answers, then submit: GET shows what will be filed and what happens next; the
    POST files it only with the confirmation ticked (otherwise the page says so next to the box)."""
    app = own_application(request, pk)
    editable = app.state in EDITABLE_STATES
    if not editable and request.method != "POST":
        return redirect(tenant_url(request, "application-edit", pk=app.pk))
    form = SubmitConfirmForm(request.POST if request.method == "POST" else None)
    # A second click after the submission went through is answered by the service's own message.
    if editable and (request.method != "POST" or not form.is_valid()):
        context = _editor_context(request, app)
        context["confirm_form"] = form
        return render(request, "awards/applicant/application_submit.html", context)
    try:
        app = services.submit(app, request.user)
    except services.ServiceError as exc:
        messages.error(request, _("未能提交：%(reason)s") % {"reason": exc.message})
    else:
        messages.success(
            request,
            _("申报已提交，受理编号：%(number)s。请下载并妥善保存受理回执。") % {"number": app.number},
        )
    return redirect(tenant_url(request, "application-edit", pk=app.pk))


@role_required(Role.APPLICANT)
def application_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    app = own_application(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and app.state == AppState.DRAFT:
        messages.error(request, _("未能撤回：该申报尚未提交，无需撤回。"))
        return redirect(tenant_url(request, "application-edit", pk=app.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(app, request.user, reason=form.cleaned_data["reason"].strip())
        except services.ServiceError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                messages.error(request, _("未能撤回：%(reason)s") % {"reason": exc.message})
                return redirect(tenant_url(request, "application-edit", pk=app.pk))
        else:
            messages.success(request, _("申报已撤回。"))
            return redirect(tenant_url(request, "application-edit", pk=app.pk))
    return render(
        request,
        "awards/applicant/application_withdraw.html",
        {
            "app": app,
            "form": form,
            "withdrawable": app.state in OFFERED_WITHDRAWAL_STATES,
            "reason_required": app.state not in WITHDRAWABLE_WITHOUT_REASON,
            "award_name": award_name(app.cycle.profile.typed, app.category),
        },
    )

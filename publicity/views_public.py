"""What the public sees and does, with no account: the notices, an objection, the status lookup.

The notice pages are cached for visitors who are not signed in (publicity/page_cache.py). Whether a
notice is running is the clock's answer on every page: an ended notice says so and its form refuses,
whether or not the beat task has run. The objector's identity never reaches these pages.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from awards.refusals import ServiceError, show_on_form
from awards.states import AppState
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import TenantRequest

from . import abuse, documents, held_files, objections, page_cache
from .forms_public import EvidenceForm, LookupForm, ObjectionForm
from .models import Notice, ObjectionFile
from .notices import is_running, last_day_label

ENTRY_STATUS: dict[str, str] = {
    AppState.DISQUALIFIED: gettext_noop("经异议调查查证属实，已取消拟授奖资格"),
    AppState.AWARDED: gettext_noop("已获批准授奖"),
}


def _entries(notice: Notice) -> list[dict]:
    rows = []
    for entry in notice.entries.select_related("application"):
        state = entry.application.state
        rows.append({"entry": entry, "disqualified": state == AppState.DISQUALIFIED,
                     "status": _(ENTRY_STATUS[state]) if state in ENTRY_STATUS else ""})
    return rows


def _notice_context(notice: Notice) -> dict:
    rules = notice.cycle.profile.typed
    return {"notice": notice, "rules": rules, "running": is_running(notice),
            "ends_label": last_day_label(notice.ends_at), "rows": _entries(notice)}


@page_cache.cached
def notice_list(request: TenantRequest) -> HttpResponse:
    now = timezone.now()
    found = list(scoped(request, Notice).filter(starts_at__lte=now).select_related("cycle").order_by("-starts_at"))
    running = [n for n in found if is_running(n, now)]
    past = [n for n in found if not is_running(n, now)]
    return page_cache.public_render(request, "publicity/public/list.html", {
        "running": [{"notice": n, "ends_label": last_day_label(n.ends_at)} for n in running],
        "past": [{"notice": n, "ends_label": last_day_label(n.ends_at)} for n in past]})


@page_cache.cached
def notice_detail(request: TenantRequest, notice_id: int) -> HttpResponse:
    notice = get_scoped_or_404(request, Notice, pk=notice_id)
    return page_cache.public_render(request, "publicity/public/notice.html", _notice_context(notice))


def notice_pdf(request: TenantRequest, notice_id: int) -> HttpResponse:
    notice = get_scoped_or_404(request, Notice, pk=notice_id)
    response = HttpResponse(documents.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="publicity-{notice.cycle.year}.pdf"'
    return response


def _files(form: ObjectionForm) -> list[tuple[str, UploadedFile]]:
    files: list[tuple[str, UploadedFile]] = []
    for name, kind in (("evidence", ObjectionFile.Kind.EVIDENCE), ("evidence_more", ObjectionFile.Kind.EVIDENCE),
                       ("seal_letter", ObjectionFile.Kind.SEAL_LETTER)):
        uploaded = form.cleaned_data.get(name)
        if uploaded:
            files.append((kind, uploaded))
    return files


HELD_FIELDS = ("evidence", "evidence_more", "seal_letter")


def _with_held_files(request: TenantRequest) -> tuple[MultiValueDict, dict[str, held_files.Held]]:
    """The uploads of this post, with the files held from the refused one before it where the
    objector chose nothing new for that field (publicity/held_files.py)."""
    files = request.FILES.copy()
    held: dict[str, held_files.Held] = {}
    if request.method != "POST":
        return files, held
    for name in HELD_FIELDS:
        token = request.POST.get(f"held_{name}", "")
        if name in files or not token:
            continue
        restored = held_files.restore(request.jurisdiction, token)
        if restored is not None:
            files[name], held[name] = restored
    return files, held


def _hold_chosen_files(request: TenantRequest, form: ObjectionForm,
                       held: dict[str, held_files.Held]) -> dict[str, held_files.Held]:
    """Keep every acceptable file of a refused post, so the re-shown form need not ask for it again."""
    kept: dict[str, held_files.Held] = {}
    for name in HELD_FIELDS:
        if name in held and name not in request.FILES:
            kept[name] = held[name]
        elif name in request.FILES and name not in form.errors:
            chosen = request.FILES.get(name)
            new = held_files.hold(request.jurisdiction, chosen) if isinstance(chosen, UploadedFile) else None
            if new is not None:
                kept[name] = new
    return kept


def _filing(form: ObjectionForm) -> objections.Filing:
    data = form.cleaned_data
    return objections.Filing(kind=data["kind"], name=data.get("name", ""), id_number=data.get("id_number", ""),
                             contact=data.get("contact", ""), email=data.get("email", ""),
                             address=data.get("address", ""), text=data.get("text", ""),
                             files=_files(form))


@sensitive_variables("form", "filing")
@sensitive_post_parameters("id_number", "name", "contact", "email", "address")
def object_to(request: TenantRequest, notice_id: int) -> HttpResponse:
    notice = get_scoped_or_404(request, Notice, pk=notice_id)
    rules = notice.cycle.profile.typed
    entries = [e for e in notice.entries.select_related("application") if e.application.state == AppState.PROPOSED]
    context = _notice_context(notice)
    status = 200
    files, held = _with_held_files(request)
    form = ObjectionForm(request.POST or None, files or None, entries=entries,
                         anonymous_accepted=rules.objections.anonymous_accepted.value)
    if request.method == "POST" and context["running"]:
        spam = abuse.problem(request.POST.get("token", ""), request.POST.get("answer", ""),
                             request.POST.get("website", ""))
        if form.is_valid() and spam:
            form.add_error("answer", spam)
        elif form.is_valid():
            filing = _filing(form)
            problems = objections.filing_problems(rules, filing)
            for problem in problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.text)
            if not problems:
                if not abuse.allow("filing", get_client_ip_address(request)):
                    form.add_error(None, _("该网络地址提交的异议过多，请稍后再试（已填写的内容已保留）。"))
                    status = 429
                else:
                    entry = next(e for e in entries if e.pk == form.cleaned_data["entry"])
                    try:
                        objection, code = objections.file_objection(notice, entry, filing)
                    except ServiceError as exc:
                        show_on_form(form, exc)
                    else:
                        held_files.forget(request.jurisdiction, [h.token for h in held.values()])
                        return render(request, "publicity/public/receipt.html", {
                            "notice": notice, "objection": objection, "code": code, "rules": rules,
                            "due_label": last_day_label(objection.acceptance_due_at)})
        if form.errors:
            held = _hold_chosen_files(request, form, held)
    # A new sum each time the form is shown; everything typed stays, except the sum's answer.
    challenge = abuse.issue()
    if form.is_bound:
        data = request.POST.copy()
        data["token"], data["answer"] = challenge.token, ""
        form.data = data
    else:
        form.initial["token"] = challenge.token
    for name, kept in held.items():
        form.fields[name].held = kept  # type: ignore[attr-defined]  # read by the template next to the field
    context.update(form=form, challenge=challenge, requires=rules.objections, entries=entries)
    return render(request, "publicity/public/object.html", context, status=status)


def lookup(request: TenantRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        if not abuse.allow("lookup", get_client_ip_address(request)):
            form.add_error(None, _("查询次数过多，请稍后再试。"))
            return render(request, "publicity/public/lookup.html", context, status=429)
        objection = objections.lookup(request.jurisdiction, form.cleaned_data["number"], form.cleaned_data["code"])
        if objection is None:
            form.add_error("code", _("异议编号或查询码不正确。"))
        else:
            evidence = EvidenceForm(request.POST if request.POST.get("action") == "evidence" else None,
                                    request.FILES or None)
            if evidence.is_bound and evidence.is_valid():
                files = [evidence.cleaned_data.get(n) for n in ("evidence", "evidence_more")]
                try:
                    objection = objections.add_objector_evidence(objection, [f for f in files if f],
                                                                 note=evidence.cleaned_data.get("note", ""))
                except ServiceError as exc:
                    show_on_form(evidence, exc)
                else:
                    context["evidence_added"] = True
                    evidence = EvidenceForm()
            if evidence.errors and any(evidence.files.values()):
                evidence.add_error(None, _("出于安全原因，已选择的文件需要重新选择。"))
            if objections.objector_may_add_evidence(objection):
                context["evidence_form"] = evidence
            elif evidence.errors:
                # The deadline passed while the page was open: say why, without offering the form again.
                context["evidence_refused"] = [e for errors in evidence.errors.values() for e in errors]
            kind = request.POST.get("letter")
            if kind:
                pdf = documents.letter_pdf(objection, kind) if kind == documents.letter_kind(objection) else None
                if pdf is None:
                    raise Http404
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="{objection.number}-{kind}.pdf"'
                response["Cache-Control"] = "no-store"
                return response
            context.update(objection=objection, letter=documents.letter_kind(objection),
                           due_label=last_day_label(objection.acceptance_due_at),
                           objector_due_label=last_day_label(objection.objector_due_at)
                           if objection.objector_due_at else "",
                           events=list(objection.events.all()))
    response = render(request, "publicity/public/lookup.html", context)
    response["Cache-Control"] = "no-store"
    return response

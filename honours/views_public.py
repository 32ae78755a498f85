"""Public pages: a jurisdiction's winners per year and the archive; certificate verification."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from awards.states import AppState
from awards.uploads import UploadRefused, check_upload
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import TenantRequest

from . import certificates, signing
from .forms import UploadForm, VerifyForm
from .models import Approval, Certificate, Prize


def archive(request: TenantRequest) -> HttpResponse:
    years = list(scoped(request, Approval).order_by("-cycle__year").values_list("cycle__year", flat=True))
    return render(request, "honours/public/archive.html", {"years": sorted(set(years), reverse=True)})


def winners(request: TenantRequest, year: int) -> HttpResponse:
    record = scoped(request, Approval).filter(cycle__year=year).select_related("cycle").first()
    if record is None:
        raise Http404
    prize_list = list(scoped(request, Prize).filter(application__cycle=record.cycle, application__state=AppState.AWARDED)
                      .select_related("application__organization", "application__certificate").order_by("award_code", "pk"))
    rules = record.cycle.profile.typed
    order = {code: i for i, code in enumerate(rules.award_codes)}
    prize_list.sort(key=lambda p: (order.get(p.award_code, 99), p.pk))
    return render(request, "honours/public/winners.html", {"record": record, "prizes": prize_list, "year": year,
                                                            "announced_by": rules.approval.announced_by_zh})


def _upload_result(form: UploadForm, cert: Certificate | None) -> dict | None:
    """Whether the uploaded file is exactly the issued one (hash) and validly signed."""
    if not form.is_valid():
        return None
    uploaded = form.cleaned_data["file"]
    try:
        content_type, digest = check_upload(uploaded, already_stored_bytes=0)
    except UploadRefused as exc:
        form.add_error("file", str(exc))
        return None
    if content_type != "application/pdf":
        form.add_error("file", _("证书是 PDF 文件，请上传 PDF。"))
        return None
    data = uploaded.read()
    with scopes_disabled():
        issued = certificates.matching(data)
    check = signing.check_signature(data)
    return {"exact": issued is not None and (cert is None or issued.pk == cert.pk), "issued": issued,
            "other": issued is not None and cert is not None and issued.pk != cert.pk,
            "signature": check, "digest": digest}


def verify_home(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        serial = (form.cleaned_data.get("serial") or "").strip().upper()
        if serial and not form.cleaned_data.get("file"):
            return redirect(reverse("verify-certificate", kwargs={"serial": serial}))
        upload = UploadForm(files=request.FILES)
        result = _upload_result(upload, None)
        for error in upload.errors.get("file", []):
            form.add_error("file", error)
    return render(request, "honours/public/verify_home.html", {"form": form, "result": result})


def verify(request: HttpRequest, serial: str) -> HttpResponse:
    with scopes_disabled():
        cert = certificates.lookup(serial)
        record = Approval.objects.filter(cycle_id=cert.application.cycle_id).first() if cert else None
    form = UploadForm(request.POST or None, request.FILES or None)
    result = _upload_result(form, cert) if request.method == "POST" and cert is not None else None
    response = render(request, "honours/public/verify.html", {
        "serial": serial, "cert": cert, "record": record, "form": form, "result": result,
        "jurisdiction_of": cert.jurisdiction if cert else None}, status=200 if cert else 404)
    return response

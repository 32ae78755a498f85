"""A signed-in person's notifications in this jurisdiction: the list, and opening one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import notifications
from .access import roles_in
from .tenant_request import TenantRequest, is_signed_in

PAGE_SIZE = 30


def _login(request: TenantRequest) -> HttpResponse:
    login = reverse("login", kwargs={"jurisdiction": request.jurisdiction.slug})
    return redirect(f"{login}?next={request.path}")


@require_http_methods(["GET", "POST"])
def notification_list(request: TenantRequest) -> HttpResponse:
    if not is_signed_in(request):
        return _login(request)
    if not roles_in(request.user, request.jurisdiction) and not request.user.is_superuser:
        raise Http404
    here = reverse("notifications", kwargs={"jurisdiction": request.jurisdiction.slug})
    if request.method == "POST":
        count = notifications.mark_read(request.user, request.jurisdiction)
        if count:
            messages.success(request, _("已将%(n)s条通知标为已读。") % {"n": count})
        return redirect(here)
    rows = notifications.for_user(request.user, request.jurisdiction)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jurisdictions/notifications.html", {"page": page, "rows": list(page.object_list)})


@require_http_methods(["GET"])
def notification_open(request: TenantRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go to the page it is about (always inside this jurisdiction)."""
    if not is_signed_in(request):
        return _login(request)
    row = notifications.for_user(request.user, request.jurisdiction).filter(pk=notification_id).first()
    if row is None:
        raise Http404
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    prefix = f"/{request.jurisdiction.slug}/"
    if row.link.startswith(prefix) and not row.link.startswith("//"):
        return redirect(row.link)
    return redirect(reverse("notifications", kwargs={"jurisdiction": request.jurisdiction.slug}))

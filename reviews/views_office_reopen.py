"""The office's page for reopening a group's stage score of one application, with a reason.

reviews.reopening decides what may be reopened and undoes the decisions built on the score; this
page shows the scores, offers the stages that can be reopened now and asks for the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.models import Application
from awards.refusals import ServiceError, show_on_form
from jurisdictions.access import role_required
from jurisdictions.models import Role
from jurisdictions.scoping import scoped
from jurisdictions.tenant_request import SignedInRequest
from jurisdictions.tenant_urls import tenant_url

from . import reopening
from .forms_office import ReopenStageForm
from .models import Stage, StageResult
from .views_office import review_cycle


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def stage_reopen(request: SignedInRequest, year: int, pk: int) -> HttpResponse:
    cycle = review_cycle(request, year)
    app = scoped(request, Application).select_related("organization", "jurisdiction").filter(
        cycle=cycle, pk=pk).first()
    if app is None:
        raise Http404
    stages = [(s, Stage(s).label) for s in reopening.reopenable_stages(app)]
    form = ReopenStageForm(request.POST or None, stages=stages)
    if request.method == "POST" and stages and form.is_valid():
        try:
            app = reopening.reopen_stage_result(app, form.cleaned_data["stage"], request.user,
                                                form.cleaned_data["reason"])
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已重新开放%(stage)s评审组得分，申报现为“%(state)s”。") % {
                "stage": Stage(form.cleaned_data["stage"]).label, "state": app.get_state_display()})
            return redirect(tenant_url(request, "office-application", pk=app.pk))
    results = list(StageResult.objects.filter(application=app).select_related("submitted_by").order_by("stage"))
    return render(request, "reviews/office/stage_reopen.html", {
        "cycle": cycle, "app": app, "form": form, "stages": stages, "results": results,
    })

"""The applicant self-registration page (/<slug>/register/)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters

from jurisdictions.tenant_request import TenantRequest

from .registration import RegistrationForm

# Several authentication backends are configured, so login() must be told which one vouches.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@sensitive_post_parameters("password1", "password2")
def register(request: TenantRequest) -> HttpResponse:
    jurisdiction = request.jurisdiction
    if request.method == "POST":
        form = RegistrationForm(request.POST, jurisdiction=jurisdiction)
        if form.is_valid():
            registered = form.save()
            if registered is not None:
                _organization, user = registered
                login(request, user, backend=MODEL_BACKEND)
                return redirect(reverse("applicant-home", kwargs={"jurisdiction": jurisdiction.slug}))
    else:
        form = RegistrationForm(jurisdiction=jurisdiction)
    return render(request, "accounts/register.html", {"form": form})

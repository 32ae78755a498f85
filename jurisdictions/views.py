from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Jurisdiction


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "jurisdictions/home.html", {"jurisdictions": Jurisdiction.objects.all()})


def tenant_home(request: HttpRequest) -> HttpResponse:
    return render(request, "jurisdictions/tenant_home.html", {"profile": request.jurisdiction.profile_in_force()})


def rules_page(request: HttpRequest) -> HttpResponse:
    return render(request, "jurisdictions/rules.html", {"profile": request.jurisdiction.profile_in_force()})


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception.args[0]) if exception and exception.args and isinstance(exception.args[0], str) else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)

"""Resolve the tenant once per request from the URL (/<jurisdiction>/...)."""

from __future__ import annotations

from contextlib import ExitStack

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from .models import Jurisdiction

# The scopes a request has opened, closed when its response is done (see TenantMiddleware).
_SCOPES = "_tenant_scopes"


class TenantMiddleware:
    """Sets `request.jurisdiction` and runs the tenant's view inside its django-scopes scope.

    Under /<jurisdiction>/ the view, its template rendering and any error page run inside
    `scope(jurisdiction=...)`: every tenant-owned model's manager then returns only this tenant's
    rows, whether or not the code filtered them. The scope is opened in process_view (where the
    tenant is known) and closed in __call__, once the response is built.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.jurisdiction = None
        with ExitStack() as scopes:
            # A request outside a tenant's URLs (the site home, /healthz/, the site-wide login, the
            # admin) runs with scopes disabled, deliberately: these pages either read no tenant-owned
            # rows or, like the admin (superusers only), are cross-tenant by design. Tenant URLs open
            # their own scope below, nested in this one.
            scopes.enter_context(scopes_disabled())
            setattr(request, _SCOPES, scopes)
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The slug is consumed here so that no view ever looks a jurisdiction up itself.
        slug = view_kwargs.pop("jurisdiction", None)
        if slug is None:
            return None
        jurisdiction = Jurisdiction.objects.filter(slug=slug).first()
        if jurisdiction is None:
            raise Http404(_("没有代码为“%(slug)s”的辖区，请从首页选择。") % {"slug": slug})
        request.jurisdiction = jurisdiction
        scopes: ExitStack = getattr(request, _SCOPES)
        scopes.enter_context(scope(jurisdiction=jurisdiction))
        return None


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the language switch.

    The browser's Accept-Language is ignored on purpose: an office PC set up in English must still
    show the Chinese interface its users work in; the switch (a cookie) is the only way to English.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivatePagesMiddleware:
    """Pages seen while logged in are never stored: not by a shared office proxy, not in the browser
    cache, where the next person at a shared PC could page back to an applicant's confidential data.

    A response that already says how it may be cached (files, public pages) keeps its own header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response

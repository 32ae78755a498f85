"""Account pages of one jurisdiction (/<slug>/accounts/...) and the site-wide login.

Django's settings.LOGIN_URL / LOGIN_REDIRECT_URL cannot carry the tenant, so every view here
names its tenant-aware targets itself.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from jurisdictions.models import Jurisdiction
from jurisdictions.tenant_request import TenantRequest
from jurisdictions.tenant_urls import tenant_url

from .forms_sign_in import (
    TenantPasswordChangeForm,
    TenantPasswordResetForm,
    TenantSetPasswordForm,
    ThrottledAuthenticationForm,
)


def reset_link_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def redirect_to_tenant_login(request: TenantRequest) -> HttpResponseRedirect:
    return redirect_to_login(request.get_full_path(), tenant_url(request, "login"))


class TenantMixin(View):
    """Shared by the tenant account views: login required means this tenant's login page."""

    login_required = False

    @property
    def tenant_request(self) -> TenantRequest:
        """self.request, which Django's views type as a plain HttpRequest: these live under a tenant's URLs."""
        return cast(TenantRequest, self.request)

    def dispatch(self, request, *args, **kwargs):
        if self.login_required and not request.user.is_authenticated:
            return redirect_to_tenant_login(request)
        return super().dispatch(request, *args, **kwargs)

    def url(self, name: str, **kwargs: Any) -> str:
        return tenant_url(self.tenant_request, name, **kwargs)


class TenantLoginView(TenantMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm

    def get_default_redirect_url(self) -> str:
        return self.url("after-login")


class TenantLogoutView(TenantMixin, auth_views.LogoutView):
    def get_default_redirect_url(self) -> str:
        return self.url("tenant-home")


class TenantPasswordChangeView(TenantMixin, auth_views.PasswordChangeView):
    login_required = True
    form_class = TenantPasswordChangeForm
    template_name = "accounts/password_change_form.html"
    title = gettext_lazy("修改密码")

    def get_success_url(self) -> str:
        return self.url("password_change_done")


class TenantPasswordChangeDoneView(TenantMixin, auth_views.PasswordChangeDoneView):
    login_required = True
    template_name = "accounts/password_change_done.html"
    title = gettext_lazy("密码已修改")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "landing_url": self.url("after-login")}


class JurisdictionTokenGenerator(PasswordResetTokenGenerator):
    """Reset tokens salted with the jurisdiction: a link mailed under one jurisdiction's address
    is not a valid link under another's, even for a user who holds roles in both."""

    def __init__(self, jurisdiction_slug: str):
        self.key_salt = f"{PasswordResetTokenGenerator.key_salt}:{jurisdiction_slug}"
        super().__init__()


class TenantPasswordResetView(TenantMixin, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = TenantPasswordResetForm
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_email.txt"
    title = gettext_lazy("找回密码")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "jurisdiction": self.tenant_request.jurisdiction}

    @property
    def token_generator(self):
        return JurisdictionTokenGenerator(self.tenant_request.jurisdiction.slug)

    def form_valid(self, form):
        self.extra_email_context = {
            "jurisdiction": self.tenant_request.jurisdiction,
            "valid_days": reset_link_valid_days(),
        }
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return self.url("password_reset_done")


class TenantPasswordResetDoneView(TenantMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    title = gettext_lazy("重置邮件已发送")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_days": reset_link_valid_days()}


class TenantPasswordResetConfirmView(TenantMixin, auth_views.PasswordResetConfirmView):
    form_class = TenantSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    title = gettext_lazy("设置新密码")

    @property
    def token_generator(self):
        return JurisdictionTokenGenerator(self.tenant_request.jurisdiction.slug)

    def get_user(self, uidb64):
        # A link mailed by one jurisdiction works only under that jurisdiction's address (the token
        # is salted with it); someone without a role here gets the invalid-link page too.
        user = super().get_user(uidb64)
        if user is not None and not self.tenant_request.jurisdiction.memberships.filter(user=user).exists():
            return None
        return user

    def get_success_url(self) -> str:
        return self.url("password_reset_complete")


class TenantPasswordResetCompleteView(TenantMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = gettext_lazy("密码已重置")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_url": self.url("login")}


class SiteLoginView(auth_views.LoginView):
    """/accounts/login/: for superusers (to the admin); anyone else goes on to their first jurisdiction."""

    template_name = "accounts/site_login.html"
    authentication_form = ThrottledAuthenticationForm

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if not user.is_authenticated:  # reached after a successful login only
            return reverse("home")
        if user.is_staff or user.is_superuser:
            return reverse("admin:index")
        first = Jurisdiction.objects.filter(memberships__user=user).order_by("sort_order", "slug").first()
        if first is not None:
            return reverse("after-login", kwargs={"jurisdiction": first.slug})
        messages.warning(self.request, _("您已登录，但尚未在任何辖区担任角色。"))
        return reverse("home")


class SiteLogoutView(auth_views.LogoutView):
    def get_default_redirect_url(self) -> str:
        return reverse("home")

"""Account pages of one jurisdiction (/<slug>/accounts/...), the site-wide login, and role landing pages.

Django's settings.LOGIN_URL / LOGIN_REDIRECT_URL cannot carry the tenant, so every view here
names its tenant-aware targets itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import Organization

from .access import role_required, roles_in
from .accounts_forms import (
    TenantPasswordChangeForm,
    TenantPasswordResetForm,
    TenantSetPasswordForm,
    ThrottledAuthenticationForm,
)
from .models import Jurisdiction, Role
from .scoping import scoped
from .tenant_urls import tenant_url

# Where after-login sends someone holding several roles: the broadest duty first.
ROLE_LANDINGS: tuple[tuple[str, str], ...] = (
    (Role.OFFICE, "office-home"),
    (Role.COMMITTEE, "committee-home"),
    (Role.REVIEWER, "reviewer-home"),
    (Role.APPLICANT, "applicant-home"),
)


def reset_link_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def redirect_to_tenant_login(request: HttpRequest) -> HttpResponseRedirect:
    return redirect_to_login(request.get_full_path(), tenant_url(request, "login"))


def landing_links(request: HttpRequest) -> list[tuple[str, str]]:
    """(label, url) of every role page the user holds here, for the landing pages' navigation."""
    roles = roles_in(request.user, request.jurisdiction)
    if request.user.is_superuser:
        roles = {role for role, _name in ROLE_LANDINGS}
    return [(Role(role).label, tenant_url(request, name)) for role, name in ROLE_LANDINGS if role in roles]


class TenantMixin:
    """Shared by the tenant account views: login required means this tenant's login page."""

    login_required = False

    def dispatch(self, request, *args, **kwargs):
        if self.login_required and not request.user.is_authenticated:
            return redirect_to_tenant_login(request)
        return super().dispatch(request, *args, **kwargs)

    def url(self, name: str, **kwargs) -> str:
        return tenant_url(self.request, name, **kwargs)


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
        return {**super().get_form_kwargs(), "jurisdiction": self.request.jurisdiction}

    @property
    def token_generator(self):
        return JurisdictionTokenGenerator(self.request.jurisdiction.slug)

    def form_valid(self, form):
        self.extra_email_context = {
            "jurisdiction": self.request.jurisdiction,
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
        return JurisdictionTokenGenerator(self.request.jurisdiction.slug)

    def get_user(self, uidb64):
        # A link mailed by one jurisdiction works only under that jurisdiction's address (the token
        # is salted with it); someone without a role here gets the invalid-link page too.
        user = super().get_user(uidb64)
        if user is not None and not self.request.jurisdiction.memberships.filter(user=user).exists():
            return None
        return user

    def get_success_url(self) -> str:
        return self.url("password_reset_complete")


class TenantPasswordResetCompleteView(TenantMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = gettext_lazy("密码已重置")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_url": self.url("login")}


def after_login(request: HttpRequest) -> HttpResponse:
    """Send the user to their role's page in this jurisdiction, or home with a word if they hold none."""
    if not request.user.is_authenticated:
        return redirect_to_tenant_login(request)
    roles = roles_in(request.user, request.jurisdiction)
    if request.user.is_superuser and not roles:
        return redirect(tenant_url(request, "office-home"))
    for role, name in ROLE_LANDINGS:
        if role in roles:
            return redirect(tenant_url(request, name))
    # Only this jurisdiction is named: whatever the user holds elsewhere stays unsaid.
    messages.warning(
        request,
        _("您已登录，但在%(jurisdiction)s没有任何角色。如需办理业务，请联系%(office)s。")
        % {"jurisdiction": request.jurisdiction.name, "office": request.jurisdiction.office_short_zh},
    )
    return redirect(tenant_url(request, "tenant-home"))


class SiteLoginView(auth_views.LoginView):
    """/accounts/login/: for superusers (to the admin); anyone else goes on to their first jurisdiction."""

    template_name = "accounts/site_login.html"
    authentication_form = ThrottledAuthenticationForm

    def get_default_redirect_url(self) -> str:
        user = self.request.user
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


@role_required(Role.OFFICE)
def office_home(request: HttpRequest) -> HttpResponse:
    profile = request.jurisdiction.profile_in_force()
    return render(
        request,
        "office/home.html",
        {
            "profile": profile,
            "typed": profile.typed if profile else None,
            "landing_links": landing_links(request),
        },
    )


@role_required(Role.APPLICANT)
def applicant_home(request: HttpRequest) -> HttpResponse:
    organizations = scoped(request, Organization).filter(users=request.user).order_by("name")
    return render(
        request,
        "applicant/home.html",
        {"organizations": list(organizations), "landing_links": landing_links(request)},
    )


@role_required(Role.REVIEWER)
def reviewer_home(request: HttpRequest) -> HttpResponse:
    return render(request, "reviewer/home.html", {"landing_links": landing_links(request)})


@role_required(Role.COMMITTEE)
def committee_home(request: HttpRequest) -> HttpResponse:
    return render(request, "committee/home.html", {"landing_links": landing_links(request)})

"""Forms behind the tenant account pages: login under the lockout, and the password reset mail."""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template import loader
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from kombu.exceptions import OperationalError

from jurisdictions.models import Jurisdiction
from jurisdictions.tasks import send_mail_task

from . import login_lockout, reset_mail_limits

# The flag django-axes sets on a request whose failed login has just reached the limit.
AXES_LOCKED_OUT = "axes_locked_out"

logger = logging.getLogger(__name__)


def chinese_password_errors(error: ValidationError) -> ValidationError:
    """Django 5.2's zh-hans catalogue misses the reworded "too short" message; say it in Chinese here."""
    errors = []
    for item in error.error_list:
        if item.code == "password_too_short":
            min_length = (item.params or {}).get("min_length", 8)
            message = gettext("密码太短，至少需要%(min_length)d个字符。") % {"min_length": min_length}
            item = ValidationError(message, code=item.code)
        errors.append(item)
    return ValidationError(errors)


def validate_new_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise chinese_password_errors(error) from error


class ChinesePasswordErrorsMixin(forms.Form):
    @sensitive_variables("password")
    def validate_password_for_user(self, user: User, password_field_name: str = "password2") -> None:
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                validate_new_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, error)


class TenantSetPasswordForm(ChinesePasswordErrorsMixin, SetPasswordForm):
    pass


class TenantPasswordChangeForm(ChinesePasswordErrorsMixin, PasswordChangeForm):
    pass


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing to check any password while the username and address are locked
    (django-axes records each failure through Django's user_login_failed signal; see login_lockout)."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用，请联系评审办。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        if AxesProxyHandler.is_locked(self.request, {"username": username}):
            raise ValidationError(login_lockout.lockout_message(), code="throttled")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if getattr(self.request, AXES_LOCKED_OUT, False):
                # This failure reached the limit: say so on our own form rather than letting the
                # middleware swap the page for the bare lockout page the admin login gets.
                setattr(self.request, AXES_LOCKED_OUT, False)
                raise ValidationError(login_lockout.lockout_message(), code="throttled")
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class TenantPasswordResetForm(PasswordResetForm):
    """Sends the reset link of one jurisdiction, only to people who hold a role there, through Celery."""

    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs):
        self.jurisdiction = jurisdiction
        super().__init__(*args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # send_mail() is not given the request; the per-address limit needs its client address.
        self._request: HttpRequest | None = kwargs.get("request")
        super().save(*args, **kwargs)

    def get_users(self, email):
        # Another tenant's user asking here gets no mail: the page reads the same either way, so
        # nothing about other jurisdictions leaks.
        member_ids = set(self.jurisdiction.memberships.values_list("user_id", flat=True))
        return (user for user in super().get_users(email) if user.pk in member_ids)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        request = getattr(self, "_request", None)
        address = get_client_ip_address(request) if request is not None else None
        if not reset_mail_limits.allow(self.jurisdiction.slug, context["user"].pk, address):
            logger.warning("Password reset mail for user %s not sent: over the limit", context["user"].pk)
            return
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        )
        try:
            send_mail_task.delay(subject, body, [to_email], html_body)
        except (OperationalError, OSError):
            # Same policy as Django's own form: the requester sees the same page whether or not the
            # mail went out, so a broker outage is logged rather than turned into an error page.
            logger.exception("Could not queue the password reset mail for user %s", context["user"].pk)

"""Forms behind the tenant account pages: throttled login and the password reset mail."""

from __future__ import annotations

import logging

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from kombu.exceptions import OperationalError

from . import login_throttle
from .models import Jurisdiction
from .tasks import send_mail_task

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


def validate_new_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise chinese_password_errors(error) from error


class ChinesePasswordErrorsMixin:
    @sensitive_variables("password")
    def validate_password_for_user(self, user, password_field_name="password2"):
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
    """Django's login form, refusing to check any password while the username or address is locked."""

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
        address = login_throttle.client_address(self.request)
        if login_throttle.is_locked(username, address):
            raise ValidationError(login_throttle.lockout_message(), code="throttled")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            login_throttle.record_failure(username, address)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        login_throttle.clear_username(username)
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

"""Self-registration of an applicant organisation (申报组织注册) in one jurisdiction.

One operation creates the login, the organisation and the applicant role together, or nothing.
The form checks what it can up front; the database's unique constraints settle a double submit or
two people registering the same code at once, and that loser gets the same error next to the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms_sign_in import validate_new_password
from awards.models import Organization
from awards.uscc import normalise, uscc_problem
from jurisdictions.grants import grant
from jurisdictions.models import Jurisdiction, Membership, Role

PHONE_CHARACTERS = re.compile(r"^[0-9+\-() ]+$")
# The applicant edits its own organisation record; the grant is per object so it reaches no other.
ORGANIZATION_OWNER_PERMS = ("awards.change_organization",)


def duplicate_uscc_message(jurisdiction: Jurisdiction) -> str:
    return gettext("该统一社会信用代码已在本辖区注册，请直接登录或联系%(office)s。") % {
        "office": jurisdiction.office_short_zh
    }


def username_taken_message() -> str:
    return gettext("该用户名已被使用，请换一个。")


@dataclass(frozen=True)
class Applicant:
    organisation_name: str
    uscc: str
    contact_name: str
    phone: str
    email: str
    username: str
    password: str


class RegistrationConflict(Exception):
    """Someone else took the code or the username between the form check and the insert."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def register_applicant(
    jurisdiction: Jurisdiction, applicant: Applicant
) -> tuple[Organization, User]:
    """Create User + Organization + applicant Membership atomically and grant the user their organisation."""
    user_model = get_user_model()
    try:
        with transaction.atomic():
            # The organisation goes in first so that a double submit fails on the code, not the username.
            organization = Organization.objects.create(
                jurisdiction=jurisdiction,
                name=applicant.organisation_name,
                uscc=applicant.uscc,
                contact_name=applicant.contact_name,
                contact_phone=applicant.phone,
            )
            # The contact person is who this account is: pages name them, never the login name.
            user = user_model.objects.create_user(
                username=applicant.username, email=applicant.email, password=applicant.password,
                first_name=applicant.contact_name.strip()[:150],
            )
            organization.users.add(user)
            Membership.objects.create(user=user, jurisdiction=jurisdiction, role=Role.APPLICANT)
            for perm in ORGANIZATION_OWNER_PERMS:
                grant(user, perm, organization)
    except IntegrityError as exc:
        if Organization.objects.filter(jurisdiction=jurisdiction, uscc=normalise(applicant.uscc)).exists():
            raise RegistrationConflict("uscc", duplicate_uscc_message(jurisdiction)) from exc
        if user_model.objects.filter(username__iexact=applicant.username).exists():
            raise RegistrationConflict("username", username_taken_message()) from exc
        raise
    return organization, user


class RegistrationForm(forms.Form):
    organisation_name = forms.CharField(label=_("组织名称"), max_length=200)
    # Longer than 18 on purpose: pasted codes carry spaces and hyphens, removed before checking.
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18位，字母不区分大小写，可含空格。"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"), max_length=30, help_text=_("手机号或带区号的固定电话，如 0575-84123456。")
    )
    email = forms.EmailField(label=_("电子邮箱"), max_length=254, help_text=_("用于找回密码和接收通知。"))
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("150个字符以内，可用字母、数字和 @/./+/-/_。"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, jurisdiction: Jurisdiction, **kwargs):
        self.jurisdiction = jurisdiction
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean_uscc(self) -> str:
        code = normalise(self.cleaned_data["uscc"])
        problem = uscc_problem(code)
        if problem:
            raise ValidationError(problem, code="invalid_uscc")
        if Organization.objects.filter(jurisdiction=self.jurisdiction, uscc=code).exists():
            raise ValidationError(duplicate_uscc_message(self.jurisdiction), code="duplicate_uscc")
        return code

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = sum(ch.isdigit() for ch in phone)
        if not PHONE_CHARACTERS.match(phone) or not 7 <= digits <= 20:
            raise ValidationError(
                gettext("请填写有效的联系电话（手机号或带区号的固定电话）。"), code="invalid_phone"
            )
        return phone

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            raise ValidationError(
                gettext("用户名只能包含字母、数字和 @/./+/-/_ 字符。"), code="invalid_username"
            ) from exc
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(username_taken_message(), code="username_taken")
        return username

    def clean(self) -> dict:
        super().clean()  # a Form's clean() returns its cleaned_data
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", ValidationError(gettext("两次输入的密码不一致。"), code="password_mismatch")
            )
        elif password1:
            candidate: User = get_user_model()(
                username=cleaned.get("username", ""), email=cleaned.get("email", "")
            )
            try:
                validate_new_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def save(self) -> tuple[Organization, User] | None:
        """Register, or attach the conflict to its field and return None."""
        data = self.cleaned_data
        try:
            return register_applicant(
                self.jurisdiction,
                Applicant(
                    organisation_name=data["organisation_name"].strip(),
                    uscc=data["uscc"],
                    contact_name=data["contact_name"].strip(),
                    phone=data["phone"],
                    email=data["email"],
                    username=data["username"],
                    password=data["password1"],
                ),
            )
        except RegistrationConflict as conflict:
            self.add_error(conflict.field, ValidationError(conflict.message, code="conflict"))
            return None

"""统一社会信用代码: checksum, shape, normalisation, and uniqueness per jurisdiction."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from accounts.registration import Applicant, RegistrationConflict, RegistrationForm, register_applicant
from awards.models import Organization
from awards.uscc import is_valid_uscc, normalise, uscc_problem

GB32100_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def gb32100(first17: str) -> str:
    """GB 32100-2015 restated independently of awards.uscc: weights are 3^i mod 31, check = 31 - sum mod 31."""
    total = sum(GB32100_ALPHABET.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return first17 + GB32100_ALPHABET[(31 - total % 31) % 31]


# Computed once with gb32100() and written out, so a change in either place shows up.
PUBLISHED_EXAMPLE = "91110000600037341L"  # python-stdnum's documented example
N_PREFIXED = "N1330100MA2D3K4P0U"
Y_PREFIXED = "Y1330100MA2D3K4P0K"
A_PREFIXED = "A1330100MA2D3K4P08"


def test_the_independent_generator_agrees_with_the_written_out_codes():
    assert gb32100(PUBLISHED_EXAMPLE[:17]) == PUBLISHED_EXAMPLE
    assert gb32100(N_PREFIXED[:17]) == N_PREFIXED
    assert gb32100(Y_PREFIXED[:17]) == Y_PREFIXED
    assert gb32100(A_PREFIXED[:17]) == A_PREFIXED


@pytest.mark.parametrize(
    "code",
    [
        PUBLISHED_EXAMPLE,
        N_PREFIXED,
        Y_PREFIXED,
        A_PREFIXED,
        gb32100("91330621MA2BH4PF8"),
        gb32100("9133060157862AC2X"),
        gb32100("31330000MA2D7Y5A8"),
    ],
)
def test_valid_codes_pass(code):
    assert uscc_problem(code) is None
    assert is_valid_uscc(code) is True


@pytest.mark.parametrize("code", [PUBLISHED_EXAMPLE, N_PREFIXED, Y_PREFIXED, A_PREFIXED])
def test_wrong_check_character_is_refused(code):
    wrong_last = "0" if code[-1] != "0" else "1"
    assert uscc_problem(code[:17] + wrong_last) == "统一社会信用代码校验位不正确，请核对后重新输入。"


@pytest.mark.parametrize(("code", "length"), [(PUBLISHED_EXAMPLE[:17], 17), (PUBLISHED_EXAMPLE + "1", 19)])
def test_wrong_length_is_refused_with_the_count(code, length):
    assert uscc_problem(code) == f"统一社会信用代码应为18位，您输入了{length}位。"


def test_empty_is_refused():
    assert uscc_problem("  ") == "请填写统一社会信用代码。"


def test_lower_case_and_spaces_are_accepted_after_normalisation():
    typed = " 9111 0000 6000 3734 1l "
    assert normalise(typed) == PUBLISHED_EXAMPLE
    assert uscc_problem(typed) is None
    assert uscc_problem("n1330100-ma2d3k4p0u") is None


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_gb32100_leaves_out_are_refused_by_name(letter):
    code = PUBLISHED_EXAMPLE[:10] + letter + PUBLISHED_EXAMPLE[11:]
    assert uscc_problem(code) == f"统一社会信用代码含有不允许的字符：{letter}（不使用 I、O、Z、S、V）。"


def registration_data(uscc: str, username: str) -> dict:
    return {
        "organisation_name": "柯桥纺织质量有限公司",
        "uscc": uscc,
        "contact_name": "王联系",
        "phone": "0575-84123456",
        "email": f"{username}@example.cn",
        "username": username,
        "password1": "Kq-register-2026!",
        "password2": "Kq-register-2026!",
    }


def test_duplicate_in_the_same_jurisdiction_is_refused_by_the_form(loaded):
    keqiao = loaded["keqiao"]
    Organization.objects.create(jurisdiction=keqiao, name="先注册的公司", uscc=PUBLISHED_EXAMPLE)
    # The same code typed differently is still the same code.
    form = RegistrationForm(registration_data("9111 0000 6000 3734 1l", "second"), jurisdiction=keqiao)
    assert form.is_valid() is False
    assert form.errors["uscc"] == ["该统一社会信用代码已在本辖区注册，请直接登录或联系评审办。"]
    assert list(form.errors) == ["uscc"]


def test_duplicate_in_the_same_jurisdiction_is_refused_by_the_database(loaded):
    keqiao = loaded["keqiao"]
    Organization.objects.create(jurisdiction=keqiao, name="先注册的公司", uscc=PUBLISHED_EXAMPLE)
    with pytest.raises(IntegrityError), transaction.atomic():
        # Lower case on purpose: save() normalises before the constraint sees it.
        Organization.objects.create(jurisdiction=keqiao, name="后注册的公司", uscc=PUBLISHED_EXAMPLE.lower())
    assert Organization.objects.filter(jurisdiction=keqiao, uscc=PUBLISHED_EXAMPLE).count() == 1


def test_the_same_code_in_another_jurisdiction_is_allowed(loaded):
    Organization.objects.create(jurisdiction=loaded["keqiao"], name="柯桥的公司", uscc=N_PREFIXED)
    form = RegistrationForm(registration_data(N_PREFIXED, "zj-user"), jurisdiction=loaded["zhuji"])
    assert form.is_valid(), form.errors
    organization, _user = form.save()
    assert (organization.jurisdiction.slug, organization.uscc) == ("zhuji", N_PREFIXED)
    assert Organization.objects.filter(uscc=N_PREFIXED).count() == 2


def test_a_second_registration_past_the_form_check_gets_a_field_error_not_a_second_organisation(loaded):
    keqiao = loaded["keqiao"]
    form = RegistrationForm(registration_data(Y_PREFIXED, "first-click"), jurisdiction=keqiao)
    assert form.is_valid(), form.errors
    # The other click of a double submit lands between this form's check and its insert.
    register_applicant(
        keqiao,
        Applicant(
            "柯桥纺织质量有限公司",
            Y_PREFIXED,
            "王联系",
            "0575-84123456",
            "a@example.cn",
            "other-click",
            "Kq-x-2026!",
        ),
    )
    assert form.save() is None
    assert form.errors["uscc"] == ["该统一社会信用代码已在本辖区注册，请直接登录或联系评审办。"]
    assert Organization.objects.filter(jurisdiction=keqiao, uscc=Y_PREFIXED).count() == 1
    # Nothing of the losing attempt stays behind.
    assert get_user_model().objects.filter(username="first-click").exists() is False


def test_the_service_reports_a_duplicate_code_as_a_conflict_on_the_field(loaded):
    keqiao = loaded["keqiao"]
    applicant = Applicant("公司", A_PREFIXED, "联系人", "13800000000", "x@example.cn", "one", "Kq-x-2026!")
    register_applicant(keqiao, applicant)
    with pytest.raises(RegistrationConflict) as raised:
        register_applicant(
            keqiao,
            Applicant(
                "公司", A_PREFIXED.lower(), "联系人", "13800000000", "y@example.cn", "two", "Kq-x-2026!"
            ),
        )
    assert (raised.value.field, raised.value.message) == (
        "uscc",
        "该统一社会信用代码已在本辖区注册，请直接登录或联系评审办。",
    )

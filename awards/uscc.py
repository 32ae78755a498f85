"""统一社会信用代码 (Unified Social Credit Code, GB 32100-2015) checks.

python-stdnum's ``stdnum.cn.uscc`` insists that characters 3–8 (the administrative-division
code) are digits and so rejects real codes of some registrants (N…, Y…, A… prefixed codes seen in
the wild with letters there). We run the same GB 32100 check-character algorithm ourselves over the
whole code and only use stdnum as the first opinion.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: the registration authority (1 机构编制, 5 民政, 9 工商, Y 其他, A…N per GB 32100 revisions).
REGISTRATION_AUTHORITIES = set("123456789ABCDEFGHJKLMNPQRTUWXY")


def normalise(raw: str) -> str:
    """Upper-case and drop spaces and hyphens: people paste codes in many shapes."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -\u3000\t")


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(raw: str) -> str | None:
    """The Chinese reason a code is invalid, or None when it is valid."""
    code = normalise(raw)
    if not code:
        return str(_("请填写统一社会信用代码。"))
    if len(code) != 18:
        return str(_("统一社会信用代码应为18位，您输入了%(n)d位。") % {"n": len(code)})
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return str(_("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。") % {"chars": "、".join(bad)})
    if code[0] not in REGISTRATION_AUTHORITIES:
        return str(_("统一社会信用代码第1位登记管理部门代码无效。"))
    try:
        stdnum_uscc.validate(code)
        return None
    except StdnumError:
        pass
    if check_character(code[:17]) != code[17]:
        return str(_("统一社会信用代码校验位不正确，请核对后重新输入。"))
    return None


def is_valid_uscc(raw: str) -> bool:
    return uscc_problem(raw) is None


def validate_uscc(raw: str) -> None:
    problem = uscc_problem(raw)
    if problem:
        raise ValidationError(problem, code="invalid_uscc")

"""How a person is named on a page: by real name, never by login name.

A user's real name is their account's full name (中文姓名 in first_name, as entered). Someone who
has not given one reads as such, not as their login. Where useful, pages add the position and
organisation the office recorded (a reviewer's from the pool: reviews/pool.py).
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def person_name(user) -> str:
    if user is None:
        return "—"
    full = (user.get_full_name() or "").strip()
    return full or _("（未登记姓名）")


def person_line(user, position: str = "", organisation: str = "") -> str:
    """The name with the position and organisation after it: 王立新（高级工程师，浙江省质量协会）."""
    details = "，".join(part for part in (position.strip(), organisation.strip()) if part)
    name = person_name(user)
    return _("%(name)s（%(details)s）") % {"name": name, "details": details} if details else name

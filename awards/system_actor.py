"""The recorded actor of moves the clock makes (a deadline passing), never a person's login.

A real, inactive user row with no usable password, so every event and history row has an actor
(nothing is recorded as "nobody") and nobody can sign in as it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from jurisdictions.people import person_name

SYSTEM_USERNAME = "system-clock"


def system_actor() -> User:
    """The one system user, created on first use."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "系统（按时限自动处理）"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system_actor(actor: User | None) -> bool:
    return getattr(actor, "username", None) == SYSTEM_USERNAME and not getattr(actor, "is_active", True)


def actor_label(actor: User | None) -> str:
    """How an event's actor reads on a page: the system in words, a person by name."""
    if actor is None:
        return "—"
    if is_system_actor(actor):
        return _("系统（按时限自动处理）")
    return person_name(actor)

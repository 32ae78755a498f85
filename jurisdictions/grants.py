"""Per-object grants (django-guardian): a user may act on this one object, not on every row of its model.

Roles (Membership) say what kind of work someone does in a jurisdiction; grants say which objects
they do it on: an applicant on its own organisation, a reviewer on the applications assigned to them.
Permissions are named "app_label.codename", e.g. "awards.change_organization".
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model
from guardian.shortcuts import assign_perm, remove_perm


def grant(user: User, perm: str, obj: Model) -> None:
    """Idempotent: granting twice leaves one grant."""
    assign_perm(perm, user, obj)


def revoke(user: User, perm: str, obj: Model) -> None:
    remove_perm(perm, user, obj)


def can(user: User | AnonymousUser, perm: str, obj: Model) -> bool:
    """True when the user holds the grant on this object (superusers hold every grant).

    A model-wide permission does not count: Django's ModelBackend answers False when given an object.
    """
    if not user.is_authenticated:
        return False
    return user.has_perm(perm, obj)

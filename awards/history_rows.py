"""Who and why on the history row django-simple-history writes at an instance's next save().

simple-history reads both from attributes of the instance being saved (`_history_user`,
`_change_reason`); they are not model fields, so they are set here by name, in one place.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import models

_HISTORY_USER = "_history_user"
_CHANGE_REASON = "_change_reason"


def record_by(instance: models.Model, user: User | None, reason: str | None = None) -> None:
    """The next history row of `instance` names `user` (None: nobody) and, if given, `reason`."""
    setattr(instance, _HISTORY_USER, user)
    if reason is not None:
        setattr(instance, _CHANGE_REASON, reason)

"""The one exception a domain operation raises when it refuses: a Chinese message for the user.

Services in every app (filing, review groups, scoring, ranking, the committee) raise it, and views
show `message` next to `field` (or above the form when no field is named).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms


class ServiceError(ValueError):
    """A refused operation. `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def show_on_form(form: forms.Form, error: ServiceError) -> None:
    """Put a refused operation's message next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def accepted(form: forms.Form, action: Callable[[], object]) -> bool:
    """Whether the form is valid and `action` went through; a refusal is shown on the form."""
    if not form.is_valid():
        return False
    try:
        action()
    except ServiceError as exc:
        show_on_form(form, exc)
        return False
    return True

"""The one exception a domain operation raises when it refuses: a Chinese message for the user.

Services in every app (filing, review groups, scoring, ranking, the committee) raise it, and views
show `message` next to `field` (or above the form when no field is named).
"""

from __future__ import annotations


class ServiceError(ValueError):
    """A refused operation. `field` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

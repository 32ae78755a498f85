"""The one error the committee's operations raise: a Chinese message, and the form field it concerns."""

from __future__ import annotations


class CommitteeError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

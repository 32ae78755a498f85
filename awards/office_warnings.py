"""Warnings the office sees on an application's page that come from records above the awards layer
(Daqing's credit blacklist, kept by the sanctions app). Awards imports none of them: an app above
registers a function here, and the page shows what each returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Application


@dataclass(frozen=True)
class OfficeWarning:
    text: str
    cite: str = ""


WarningSource = Callable[[Application], list[OfficeWarning]]
SOURCES: list[WarningSource] = []


def register_office_warning(source: WarningSource) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def office_warnings(app: Application) -> list[OfficeWarning]:
    return [warning for source in SOURCES for warning in source(app)]

"""Committee tests call the services directly, outside any request: no tenant scope is open there."""

from __future__ import annotations

import pytest

try:
    from django_scopes import scopes_disabled
except ImportError:  # pragma: no cover - the scoping package is optional to these tests
    scopes_disabled = None


@pytest.fixture(autouse=True)
def _no_request_scope():
    if scopes_disabled is None:
        yield
        return
    with scopes_disabled():
        yield

"""Pages seen while logged in are marked private and never stored; public pages stay cacheable."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_office_page_while_logged_in_is_private_and_not_stored(client, cast):
    client.force_login(cast["office"])
    response = client.get("/keqiao/office/cycles/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_public_page_read_while_logged_in_is_private_too(client, cast):
    # Its navigation names the user and their roles.
    client.force_login(cast["applicant"])
    assert client.get("/keqiao/rules/")["Cache-Control"] == "private, no-store"


def test_public_page_for_anonymous_visitors_carries_no_private_header(client, loaded):
    response = client.get("/keqiao/rules/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")

"""Shared fixtures: the five jurisdictions and a standard cast of users per jurisdiction."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from jurisdictions.loading import load_all
from jurisdictions.models import Jurisdiction, Membership, Role
from jurisdictions.public_pages import forget_local_copies

PASSWORD = "Test-pass-2026!"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Real hashing costs ~0.3 s a password; the hasher is Django's, not ours, so tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_public_page_copies():
    """A server process keeps the public pages it served in memory (jurisdictions/public_pages.py);
    each test starts without them, as a fresh process would."""
    forget_local_copies()
    yield
    forget_local_copies()


@pytest.fixture(autouse=True)
def _scopes_disabled():
    """Test bodies and fixtures build rows of several tenants, so they run with scopes disabled.

    Requests through the test client still run scoped: TenantMiddleware opens the tenant's scope
    inside this one. Tests of the enforcement itself open `scope(...)` to leave it.
    """
    with scopes_disabled():
        yield


@pytest.fixture
def loaded(db):
    """The five jurisdictions, the criteria and every rule profile, loaded as `make run` does."""
    if not Jurisdiction.objects.exists():
        load_all()
    return {j.slug: j for j in Jurisdiction.objects.all()}


def make_user(username: str, jurisdiction: Jurisdiction | None = None, role: str | None = None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.cn", **extra
    )
    if jurisdiction is not None and role is not None:
        Membership.objects.create(user=user, jurisdiction=jurisdiction, role=role)
    return user


@pytest.fixture
def cast(loaded):
    """office, reviewer, committee member, applicant of keqiao; office of zhuji; an outsider."""
    keqiao, zhuji = loaded["keqiao"], loaded["zhuji"]
    return {
        "office": make_user("kq-office", keqiao, Role.OFFICE),
        "reviewer": make_user("kq-reviewer", keqiao, Role.REVIEWER),
        "committee": make_user("kq-committee", keqiao, Role.COMMITTEE),
        "applicant": make_user("kq-applicant", keqiao, Role.APPLICANT),
        "other_office": make_user("zj-office", zhuji, Role.OFFICE),
        "outsider": make_user("outsider"),
    }

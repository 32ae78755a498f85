"""Tenant boundaries of the role pages: wrong tenant or wrong role answers 404, anonymous goes to login."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from awards.models import Organization
from jurisdictions.models import Role
from tests.awards.builders import organization
from tests.conftest import make_user

ROLE_PAGES = {
    "office": "/keqiao/office/",
    "reviewer": "/keqiao/reviewer/",
    "committee": "/keqiao/committee/",
    "applicant": "/keqiao/applicant/",
}


def heading(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "no heading"
    return match.group(1).strip()


def assert_not_found(response, *hidden: str) -> None:
    """The generic 404 page, with none of the given texts in it."""
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    for text in hidden:
        assert text not in body


@pytest.mark.parametrize("page", list(ROLE_PAGES.values()))
def test_anonymous_is_sent_to_the_tenant_login(client, loaded, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/keqiao/accounts/login/?{urlencode({'next': page})}"


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_each_role_opens_its_own_page(client, cast, role):
    client.force_login(cast[role])
    response = client.get(ROLE_PAGES[role])
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "page"),
    [(role, page) for role in ROLE_PAGES for page_role, page in ROLE_PAGES.items() if page_role != role],
)
def test_a_role_page_is_404_for_another_role(client, cast, role, page):
    page_role = next(r for r, p in ROLE_PAGES.items() if p == page)
    client.force_login(cast[page_role])
    title = heading(client.get(page))
    client.force_login(cast[role])
    # Not the page with its content withheld: the same 404 as for a page that does not exist.
    assert_not_found(client.get(page), title)


@pytest.mark.parametrize("page", list(ROLE_PAGES.values()))
def test_a_user_without_any_role_gets_404(client, cast, page):
    client.force_login(cast[next(r for r, p in ROLE_PAGES.items() if p == page)])
    title = heading(client.get(page))
    client.force_login(cast["outsider"])
    assert_not_found(client.get(page), title)


def test_another_jurisdictions_office_gets_404_on_this_office_page(client, cast, loaded):
    def regulation(slug: str) -> str:
        return loaded[slug].profile_in_force().typed.regulation.title_zh

    client.force_login(cast["other_office"])
    # Nothing of Keqiao's office page: not the regulation its rules come from.
    assert_not_found(client.get("/keqiao/office/"), regulation("keqiao"))
    own = client.get("/zhuji/office/")
    assert own.status_code == 200
    body = own.content.decode()
    assert regulation("zhuji") in body
    assert regulation("keqiao") not in body


def test_an_applicant_of_one_jurisdiction_gets_404_on_anothers_applicant_page(client, loaded):
    zhuji_applicant = make_user("zj-applicant", loaded["zhuji"], Role.APPLICANT)
    Organization.objects.create(
        jurisdiction=loaded["zhuji"], name="诸暨袜业有限公司", uscc="91110000600037341L"
    ).users.add(zhuji_applicant)
    # An organisation of Keqiao's, which no page of this applicant may show.
    organization(loaded["keqiao"], name="柯桥经编有限公司")
    client.force_login(zhuji_applicant)
    assert_not_found(client.get("/keqiao/applicant/"), "诸暨袜业有限公司", "柯桥经编有限公司")
    own = client.get("/zhuji/applicant/")
    assert own.status_code == 200
    assert "诸暨袜业有限公司" in own.content.decode()
    assert "柯桥经编有限公司" not in own.content.decode()


def test_the_applicant_page_shows_only_this_jurisdictions_organisation(client, loaded):
    # One login that belongs to organisations in two jurisdictions sees only the tenant's own.
    person = make_user("two-places", loaded["keqiao"], Role.APPLICANT)
    Organization.objects.create(
        jurisdiction=loaded["keqiao"], name="柯桥印染有限公司", uscc="N1330100MA2D3K4P0U"
    ).users.add(person)
    Organization.objects.create(
        jurisdiction=loaded["zhuji"], name="诸暨珍珠有限公司", uscc="Y1330100MA2D3K4P0K"
    ).users.add(person)
    client.force_login(person)
    body = client.get("/keqiao/applicant/").content.decode()
    assert "柯桥印染有限公司" in body
    assert "N1330100MA2D3K4P0U" in body
    assert "诸暨珍珠有限公司" not in body


@pytest.mark.parametrize(
    "page",
    [
        "/nowhere/office/",
        "/nowhere/applicant/",
        "/nowhere/accounts/login/",
        "/nowhere/register/",
        "/nowhere/after-login/",
    ],
)
def test_an_unknown_slug_is_404(client, loaded, page):
    assert client.get(page).status_code == 404


def test_the_office_page_shows_the_profile_in_force(client, cast):
    client.force_login(cast["office"])
    body = client.get("/keqiao/office/").content.decode()
    # The version is named by its regulation and date, never by its internal key.
    assert "柯桥区政府质量奖评审管理办法" in body
    assert "keqiao@2020-05-10" not in body


def test_a_superuser_opens_every_role_page(client, loaded):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert [client.get(page).status_code for page in ROLE_PAGES.values()] == [200, 200, 200, 200]

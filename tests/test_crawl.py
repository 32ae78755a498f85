"""Every page a role can reach by following links answers without a server error.

The demo data (seed_demo) puts each jurisdiction's cycles in several states, so following every link
from each role's landing page touches most views with real data; plus a few hand-typed bad URLs.
"""

from __future__ import annotations

import io
import re
from collections import deque

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/accounts/logout/", "/i18n/", "/static/", "/admin/")


def crawl(client, start: str, prefix: str, limit: int = 400) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP) or not url.startswith(prefix):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for link in HREF.findall(response.content.decode()):
                link = link.replace("&amp;", "&")
                if link not in seen:
                    queue.append(link)
    return seen


@pytest.fixture
def demo(loaded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--force", stdout=io.StringIO())


@pytest.mark.parametrize("slug", ["keqiao", "daqing"])
@pytest.mark.parametrize("role", ["office", "reviewer", "leader", "committee", "applicant"])
def test_no_page_reachable_by_a_role_fails(client, demo, slug, role):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=f"{slug}-{role}"))
    seen = crawl(client, f"/{slug}/after-login/", f"/{slug}/")
    assert len(seen) >= 4
    errors = {url: code for url, code in seen.items() if code >= 500}
    assert errors == {}


@pytest.mark.parametrize(
    "url",
    [
        "/nowhere/", "/keqiao/office/cycles/1999/", "/keqiao/office/cycles/99999999999/",
        "/keqiao/applications/999999/", "/keqiao/applications/999999/receipt.pdf",
        "/keqiao/cycles/2026/?page=abc", "/keqiao/office/cycles/2026/?page=-1&state=nonsense",
        "/keqiao/office/cycles/2026/export.xlsx?state=%00", "/keqiao/office/calendar/?year=abc",
        "/keqiao/office/calendar/?year=99999",
    ],
)
def test_bad_urls_answer_without_a_server_error(client, demo, url):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="keqiao-office"))
    assert client.get(url).status_code in (200, 302, 404)

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


# Each hand-typed bad URL, as the office of keqiao, with the one answer it must give and why.
BAD_URLS = [
    # No jurisdiction has that code.
    ("/nowhere/", 404, "没有代码为“nowhere”的辖区"),
    # No cycle of that year; a year beyond any database integer is no cycle either, not an error.
    ("/keqiao/office/cycles/1999/", 404, "没有 1999 年度的评审。"),
    ("/keqiao/office/cycles/99999999999/", 404, None),
    # No application with that number, nor its receipt.
    ("/keqiao/applications/999999/", 404, None),
    ("/keqiao/applications/999999/receipt.pdf", 404, None),
    # A page number that is not a number shows the published call (the call page has no pages).
    ("/keqiao/cycles/2026/?page=abc", 200, "2026"),
    # A page before the first and an unknown state filter: the dashboard, page 1, unfiltered.
    ("/keqiao/office/cycles/2026/?page=-1&state=nonsense", 200, "2026"),
    # A NUL in the filter is no state: the export is still the spreadsheet.
    ("/keqiao/office/cycles/2026/export.xlsx?state=%00", 200, None),
    # An unusable year shows this year's calendar and says why.
    ("/keqiao/office/calendar/?year=abc", 200, "年份应为四位数字，例如 2027。 已改为显示"),
    ("/keqiao/office/calendar/?year=99999", 200, "已改为显示"),
]


def test_bad_urls_answer_exactly_as_they_should(client, demo):
    """All of them against one seeded demo (seeding takes ~10 s); every mismatch is listed at once."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="keqiao-office"))
    wrong = {}
    for url, status, shown in BAD_URLS:
        response = client.get(url)
        if response.status_code != status:
            wrong[url] = f"{response.status_code}, expected {status}"
        elif shown is not None and shown not in response.content.decode():
            wrong[url] = f"{status} without {shown!r}"
    assert wrong == {}
    # The dashboard falls back to its first page of all applications; the export is a spreadsheet.
    dashboard = client.get("/keqiao/office/cycles/2026/?page=-1&state=nonsense")
    assert dashboard.context["page"].number == 1
    unfiltered = client.get("/keqiao/office/cycles/2026/")
    assert unfiltered.context["rows"]
    assert [row["url"] for row in dashboard.context["rows"]] == [row["url"] for row in unfiltered.context["rows"]]
    export = client.get("/keqiao/office/cycles/2026/export.xlsx?state=%00")
    assert export["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert export.content.startswith(b"PK")

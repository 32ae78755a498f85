"""The comprehensive evaluation report's first page carries the list, not a lone heading: long
rows may break across pages instead of pushing the whole table to page 2. Pages are written as
PNGs to the screens folder for a person to look at."""

from __future__ import annotations

import pytest

from reviews import ranking
from reviews.documents import comprehensive_report_pdf
from tests.awards.builders import published_cycle
from tests.awards.test_official_letters import pages_of
from tests.reviews.test_ranking import shortlisted

pytestmark = pytest.mark.django_db


def test_the_first_page_of_the_comprehensive_report_starts_the_candidate_list(loaded, cast, tmp_path):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office, quotas={"quality": 3})
    shortlisted(cycle, office, [(720, 700), (700, 690), (690, 680), (650, 640), (640, 590), (630, 580)])
    ranking.comprehensive_evaluation(cycle, office)
    pages = pages_of(comprehensive_report_pdf(cycle), tmp_path, "report-comprehensive")
    first = "".join(pages[0].split())
    assert "综合评价报告" in first
    assert "候选组织名单" in first
    # The first candidate's row is on page 1, under its heading.
    assert "KEQIAO-2026-0001" in first

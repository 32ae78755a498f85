"""The comprehensive report's content at a small size, in both formats, and its constant queries.

Every evaluated applicant is in the Excel ranking with its rank, scores, result and reasons, and
every one of them is in the PDF's text; the detail sheets hold one row per reviewer and one for the
consensus per item. Building either file runs the same number of queries at 1 and at 12 applicants.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reviews import ranking, report_files
from reviews.documents import comprehensive_report_pdf, evaluated_rows
from reviews.export_xlsx import comprehensive_workbook
from tests.awards.builders import published_cycle
from tests.awards.test_official_letters import pages_of
from tests.reviews.test_ranking import shortlisted

pytestmark = pytest.mark.django_db

# (document, site): eight candidates, two sharing a score, and four below Keqiao's 600-point floors.
SPECS = [(720, 700), (700, 690), (690, 680), (690, 680), (650, 640), (640, 630),
         (640, 590), (630, 580), (560, 550), (500, 480), (700, 700), (610, 605)]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _queries(fn, cycle) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn(cycle)
    return len(captured)


def test_the_excel_ranking_holds_every_applicant_with_its_rank_and_the_pdf_names_every_organisation(
        loaded, cast, tmp_path):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office, quotas={"quality": 3})
    apps = shortlisted(cycle, office, SPECS)
    ranking.comprehensive_evaluation(cycle, office)
    candidates, below = evaluated_rows(cycle)
    assert (len(candidates), len(below)) == (8, 4)

    book = load_workbook(BytesIO(comprehensive_workbook(cycle)))
    summary = list(book["综合排名"].iter_rows(values_only=True))[1:]
    assert len(summary) == len(SPECS)
    # Ranked by comprehensive score (20 % document, 80 % site); equal scores share a rank.
    assert [row[0] for row in summary] == [1, 2, 3, 4, 4, 6, 7, 8, None, None, None, None]
    assert [row[6] for row in summary[:8]] == [704, 700, 692, 682, 682, 642, 632, 606]
    assert {row[2] for row in summary} == {app.organization.name for app in apps}
    assert [row[7] for row in summary] == ["候选组织"] * 8 + ["未达分数线"] * 4
    assert all("（第十八条）" in row[8] for row in summary)
    assert "要求现场评审得分不低于600分，实得480分，未达到（第五条）" in next(r[8] for r in summary if r[6] == 484)
    # No item scores were entered (stage totals only): the detail sheets are headings alone.
    assert list(book["资料评审明细"].iter_rows(values_only=True))[1:] == []

    text = "".join(" ".join(pages_of(comprehensive_report_pdf(cycle), tmp_path, "report-content")).split())
    for app in apps:
        assert app.organization.name in text and app.number in text
    assert "候选组织名单（共8家）" in text and "未达分数线的组织（共4家）" in text
    assert "实得480分，未达到（第五条）" in text


def test_the_stored_report_files_are_whole_and_built_once(loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    apps = shortlisted(cycle, office, SPECS[:3])
    ranking.comprehensive_evaluation(cycle, office)
    built = report_files.build(cycle, report_files.Kind.XLSX)
    book = load_workbook(built.path)
    assert [row[1] for row in list(book["综合排名"].iter_rows(values_only=True))[1:]] == [a.number for a in apps]
    assert report_files.build(cycle, report_files.Kind.XLSX).path == built.path
    assert not list(built.path.parent.glob(".building-*"))
    pdf = report_files.build(cycle, report_files.Kind.PDF)
    assert pdf.path.read_bytes().startswith(b"%PDF")


def test_both_report_files_run_the_same_queries_at_1_and_12_applicants(loaded, cast):
    office = cast["office"]
    cycle = published_cycle(loaded["keqiao"], office)
    shortlisted(cycle, office, SPECS[:1])
    ranking.comprehensive_evaluation(cycle, office)
    comprehensive_workbook(cycle)  # warm-up: the profile and criteria caches
    at_one = [_queries(comprehensive_workbook, cycle), _queries(comprehensive_report_pdf, cycle)]

    shortlisted(cycle, office, SPECS[1:])
    ranking.comprehensive_evaluation(cycle, office)
    assert sum(len(rows) for rows in evaluated_rows(cycle)) == len(SPECS)
    at_twelve = [_queries(comprehensive_workbook, cycle), _queries(comprehensive_report_pdf, cycle)]
    assert at_one == at_twelve

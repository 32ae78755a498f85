"""Demo cycles in review for `seed_demo`: the previous edition of each jurisdiction's award, with
eligible applications at the document-review stage.

Like orchestration/demo_applications.py, everything goes through the real services (with `now=` for what happened
months ago), so the demo shows what the product does: a review group of three (Daqing: provided by
a third-party agency), document-stage assignments, attestations, reviewers' item scores, and one
application whose group score the leader has already submitted.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from awards import services
from awards.models import Application, AwardCycle, Organization
from awards.states import AppState
from awards.uscc import check_character
from jurisdictions.models import Jurisdiction
from reviews import groups, pool, scoring
from reviews.models import Affiliation, ReviewAgency, Stage

from .demo_applications import complete_facts, upload_required_materials

REVIEW_ORGS = (
    "电子信息股份有限公司",
    "汽车零部件有限公司",
    "生物医药有限公司",
    "建筑工程有限公司",
)
# Reviewers' percentages per criterion item follow these patterns (steps of 5), so the leader's
# spread view shows both close agreement and items worth discussing.
PATTERNS = {
    "reviewer": (60, 65, 70, 55, 60),
    "leader": (65, 65, 60, 60, 70),
    "reviewer2": (70, 60, 65, 50, 75),
}
# (organisation, position, years of experience) of the demo group's leader and two members.
DEMO_POOL = (
    ("浙江省质量协会", "高级工程师、卓越绩效评价师", 15),
    ("浙江工业大学管理学院", "副教授", 9),
    ("中国质量认证中心浙江分中心", "高级审核员", 7),
)
STRENGTHS = "方法明确，已在主要部门系统展开，有定期评价和改进的证据。"
OPPORTUNITIES = "与战略目标的整合不足，部分指标缺少与竞争对手和标杆的对比。"


def review_year(jurisdiction: Jurisdiction, today: dt.date) -> int:
    """The previous edition: this year minus the award's interval (Daqing awards every two years,
    第五条), so the demo never shows an edition the rules would not hold."""
    profile = jurisdiction.profile_in_force(today)
    interval = profile.typed.cycle.interval_years.value if profile else 1
    return today.year - interval


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _uscc(jurisdiction_index: int, n: int) -> str:
    first17 = f"91330000MA2DR{jurisdiction_index:02d}{n:02d}"
    return first17 + check_character(first17)


def _people(slug: str) -> dict[str, User]:
    users = get_user_model().objects.in_bulk(
        [f"{slug}-{suffix}" for suffix in ("office", "reviewer", "leader", "reviewer2")], field_name="username"
    )
    return {suffix: users[f"{slug}-{suffix}"] for suffix in ("office", "reviewer", "leader", "reviewer2")}


def _file_and_submit(app: Application, office, when: dt.datetime) -> Application:
    rec = app.cycle.profile.typed.eligibility.recommendation.value
    services.save_draft(app, actor=office, overview=f"{app.organization.name}以卓越绩效模式推进质量管理……",
                        narratives={"4.1": "高层领导确立使命、愿景和价值观……"},
                        recommenders=[r for r in rec.recommenders if r not in rec.optional_recommenders], now=when)
    upload_required_materials(app, office, now=when)
    return services.submit(app, office, now=when)


def _agency(jurisdiction: Jurisdiction, reviewers: list) -> ReviewAgency:
    agency, _created = ReviewAgency.objects.get_or_create(
        jurisdiction=jurisdiction, name=f"{jurisdiction.short_name_zh}示范质量评价中心（演示）",
        defaults={"contract_note": "受联席会议办公室委托开展评审（演示数据）"},
    )
    agency.reviewers.add(*reviewers)
    return agency


def _score_all(app: Application, reviewer: User, pattern: tuple[int, ...], items: list) -> None:
    for i, item in enumerate(items):
        scoring.save_item(app, reviewer, Stage.DOCUMENT, item.code, percentage=pattern[i % len(pattern)],
                          strengths=STRENGTHS if i % 3 == 0 else "", opportunities=OPPORTUNITIES if i % 4 == 0 else "")
    scoring.submit_sheet(app, reviewer, Stage.DOCUMENT)


def seed_review_cycle(jurisdiction: Jurisdiction, index: int) -> AwardCycle:
    """Create the jurisdiction's previous-edition cycle in document review, once."""
    year = review_year(jurisdiction, timezone.localdate())
    cycle = AwardCycle.objects.filter(jurisdiction=jurisdiction, year=year).first()
    if cycle is not None:
        return cycle
    people = _people(jurisdiction.slug)
    office = people["office"]
    cycle = services.create_cycle(
        jurisdiction, year=year, actor=office,
        applications_open_at=_at(dt.date(year, 3, 1), 9), applications_close_at=_at(dt.date(year, 5, 31), 17),
        call_published_on=dt.date(year, 2, 20),
    )
    cycle = services.publish_cycle(cycle, office)
    category = cycle.profile.typed.top_awards[0].code
    decided = _at(dt.date(year, 6, 12), 10)
    apps = []
    for n, suffix in enumerate(REVIEW_ORGS, start=1):
        org, _created = Organization.objects.get_or_create(
            jurisdiction=jurisdiction, uscc=_uscc(index, n),
            defaults={"name": f"{jurisdiction.short_name_zh}{suffix}"},
        )
        complete_facts(org)
        filed = _at(dt.date(year, 5, 10 + n), 15)
        app = services.start_application(cycle, org, category, office, now=filed)
        app = _file_and_submit(app, office, filed)
        apps.append(services.decide_eligibility(app, office, AppState.ELIGIBLE, reason="材料齐全，符合申报条件",
                                                now=decided))

    cycle = services.start_review(cycle, office, now=decided)
    reviewer, leader, reviewer2 = people["reviewer"], people["leader"], people["reviewer2"]
    # Declared before assignment: the consulting client is not among the applicants, so nothing is refused.
    Affiliation.objects.get_or_create(
        jurisdiction=jurisdiction, reviewer=reviewer2, kind=Affiliation.Kind.CONSULTING,
        organization_name=f"{jurisdiction.short_name_zh}某咨询客户有限公司",
        defaults={"uscc": _uscc(index, 99), "note": "近三年提供卓越绩效咨询服务"},
    )
    # The office's pool (评审专家库), with qualifications that meet Keqiao 第十一条.
    for person, (organisation, position, years) in zip((leader, reviewer, reviewer2), DEMO_POOL, strict=True):
        pool.admit(jurisdiction, person, organisation=organisation, position=position, degree="master",
                   senior_title=True, experience_years=years, specialty="卓越绩效管理")
    third_party = cycle.profile.typed.review.reviewers.value == "third_party_agency"
    agency = _agency(jurisdiction, [reviewer, leader, reviewer2]) if third_party else None
    group = groups.form_group(cycle, name="资料评审第一组", leader=leader, members=[reviewer, reviewer2],
                              agency=agency, actor=office)
    for app in apps:
        groups.assign(app, group, Stage.DOCUMENT, office)

    # The last application waits for its attestations, so a reviewer's first step can be tried out.
    first, second, third, _waiting = apps
    for app in (first, second, third):
        for person in (reviewer, leader, reviewer2):
            groups.attest(app, person, no_conflict=True)

    items = list(scoring.criteria_of(first).items())
    # First application: every member scored and submitted; the leader set the consensus and submitted.
    for person, suffix in ((reviewer, "reviewer"), (leader, "leader"), (reviewer2, "reviewer2")):
        _score_all(first, person, PATTERNS[suffix], items)
    for i, item in enumerate(items):
        votes = sorted(PATTERNS[s][i % len(PATTERNS[s])] for s in ("reviewer", "leader", "reviewer2"))
        scoring.set_consensus(first, leader, Stage.DOCUMENT, item.code, percentage=votes[1],
                              strengths=STRENGTHS if i % 3 == 0 else "",
                              opportunities=OPPORTUNITIES if i % 4 == 0 else "")
    scoring.submit_group_score(first, leader, Stage.DOCUMENT)
    # Second application: one reviewer halfway through, nothing submitted.
    for i, item in enumerate(items[:8]):
        scoring.save_item(second, reviewer, Stage.DOCUMENT, item.code, percentage=PATTERNS["reviewer"][i % 5],
                          strengths=STRENGTHS if i % 3 == 0 else "")
    return cycle

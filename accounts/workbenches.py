"""What is waiting for each role, how much of it and by when: the rows of the role homes.

Each function gathers one role's work from the apps below (awards, reviews, committee) in a fixed
number of queries and returns plain rows for the home templates; no rule is decided here, only
read back from the records and the cycles' pinned profiles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import Application, AwardCycle, Organization
from awards.states import AppState, CycleState
from committee import meetings as committee_meetings
from committee.models import Meeting, Round, VoteReceipt
from jurisdictions.models import Jurisdiction
from reviews.models import Assignment, Attestation, GroupMember, ScoreSheet, SiteVisit, StageResult
from sanctions.revocation import outstanding


def _url(jurisdiction: Jurisdiction, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"jurisdiction": jurisdiction.slug, **kwargs})


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None


@dataclass
class Task:
    """One line of a workbench: what, how many, due when, where to do it."""

    label: str
    count: int
    url: str
    due: dt.date | dt.datetime | None = None
    due_label: str = ""
    note: str = ""
    urgent: bool = False


@dataclass
class CycleWork:
    cycle: AwardCycle
    tasks: list[Task] = field(default_factory=list)
    # Where the cycle stands, in the profile's own stage names while it is under review.
    stage: str = ""

    @property
    def waiting(self) -> int:
        return sum(t.count for t in self.tasks if t.urgent)


# --- office ----------------------------------------------------------------------------------------
def office_work(jurisdiction: Jurisdiction, now: dt.datetime | None = None) -> list[CycleWork]:
    """Per running cycle, the applications waiting at each stage, with the nearest due date."""
    now = now or timezone.now()
    cycles = list(AwardCycle.objects.filter(jurisdiction=jurisdiction).exclude(state=CycleState.CLOSED)
                  .select_related("profile")
                  .order_by("-year"))
    if not cycles:
        return []
    counts: dict[tuple[int, str], int] = {}
    for row in (Application.objects.filter(cycle__in=cycles).values("cycle_id", "state")
                .annotate(n=Count("pk")).order_by()):
        counts[(row["cycle_id"], row["state"])] = row["n"]
    returned_until = dict(
        Application.objects.filter(cycle__in=cycles, state=AppState.RETURNED).values("cycle_id")
        .annotate(first=Min("returned_until")).order_by().values_list("cycle_id", "first")
    )
    unassigned = dict(
        Application.objects.filter(cycle__in=cycles, state=AppState.ELIGIBLE)
        .exclude(pk__in=Assignment.objects.filter(stage="document").values("application_id"))
        .values("cycle_id").annotate(n=Count("pk")).order_by().values_list("cycle_id", "n")
    )
    reports = {
        row["application__cycle_id"]: row
        for row in SiteVisit.objects.filter(application__cycle__in=cycles, application__state=AppState.SHORTLISTED,
                                            report_submitted_at__isnull=True)
        .values("application__cycle_id").annotate(n=Count("pk"), due=Min("report_due_on")).order_by()
    }
    out = []
    for cycle in cycles:
        work = CycleWork(cycle)

        def n(state: str, cycle_id: int = cycle.pk) -> int:
            return counts.get((cycle_id, state), 0)

        dashboard = _url(jurisdiction, "office-cycle", year=cycle.year)
        if cycle.state == CycleState.PUBLISHED and n(AppState.DRAFT):
            work.tasks.append(Task(_("申报组织填写中（草稿）"), n(AppState.DRAFT), f"{dashboard}?state=draft",
                                   due=_local(cycle.applications_close_at), due_label=_("截止受理")))
        if n(AppState.SUBMITTED):
            work.tasks.append(Task(_("待资格审查"), n(AppState.SUBMITTED), f"{dashboard}?state=submitted", urgent=True))
        if n(AppState.RETURNED):
            work.tasks.append(Task(_("退回补正，待申报组织重新提交"), n(AppState.RETURNED), f"{dashboard}?state=returned",
                                   due=_local(returned_until.get(cycle.pk)), due_label=_("最早补正截止")))
        if n(AppState.ELIGIBLE):
            missing = unassigned.get(cycle.pk, 0)
            work.tasks.append(Task(
                _("资料评审中"), n(AppState.ELIGIBLE),
                _url(jurisdiction, "office-review-assignments" if missing else "office-review-shortlist", year=cycle.year),
                note=(_("其中%(n)s份尚未分配评审组") % {"n": missing}) if missing else _("评审组评分后确定入围名单"),
                urgent=bool(missing),
            ))
        if n(AppState.SHORTLISTED):
            report = reports.get(cycle.pk)
            work.tasks.append(Task(
                _("现场评审中"), n(AppState.SHORTLISTED), _url(jurisdiction, "office-review-site", year=cycle.year),
                due=report["due"] if report else None, due_label=_("最早报告期限"),
                note=(_("%(n)s份现场评审报告未提交") % {"n": report["n"]}) if report else _("全部报告已提交，可进行综合评价"),
                urgent=not report,
            ))
        if n(AppState.CANDIDATE):
            work.tasks.append(Task(_("候选组织，待评委会表决"), n(AppState.CANDIDATE),
                                   _url(jurisdiction, "office-committee", year=cycle.year), urgent=True))
        if n(AppState.PROPOSED):
            work.tasks.append(Task(_("拟授奖，公示与审定"), n(AppState.PROPOSED), _url(jurisdiction, "office-publicity"),
                                   urgent=cycle.state == CycleState.REVIEW))
        work.stage = _stage_label(cycle, n)
        out.append(work)
    return out


# The stage an application in this state waits in, earliest first: a cycle under review is at the
# earliest stage any of its applications is still in.
_STAGE_OF_STATE = (
    (AppState.SUBMITTED, "eligibility"), (AppState.RETURNED, "eligibility"), (AppState.ELIGIBLE, "document_review"),
    (AppState.SHORTLISTED, "site_review"), (AppState.CANDIDATE, "committee"), (AppState.PROPOSED, "publicity"),
)


def _stage_label(cycle: AwardCycle, n: Any) -> str:
    if cycle.state != CycleState.REVIEW:
        return str(cycle.get_state_display())
    rules = cycle.profile.typed
    for state, code in _STAGE_OF_STATE:
        stage = rules.stage(code)
        if n(state) and stage is not None:
            name = stage.name_en if translation.get_language() == "en" else stage.name_zh.value
            return _("评审中：%(stage)s") % {"stage": name}
    return str(cycle.get_state_display())


def post_award_work(jurisdiction: Jurisdiction) -> list[Task]:
    """After revocations: proposals awaiting approval, items still to recover, publications to make."""
    found = outstanding(jurisdiction)
    overview = _url(jurisdiction, "office-sanctions")
    rows = [
        Task(_("撤销待批准"), len(found["proposed"]), overview, urgent=True),
        Task(_("撤销后尚未收回的奖牌、证书、奖金等"), len(found["recoveries"]), f"{overview}#outstanding", urgent=True),
        Task(_("撤销后尚未办理的公开"), len(found["publications"]), f"{overview}#outstanding", urgent=True),
    ]
    return [t for t in rows if t.count]


# --- applicant -------------------------------------------------------------------------------------
@dataclass
class ApplicationWork:
    app: Application
    next_step: str
    due: dt.datetime | dt.date | None = None
    due_label: str = ""
    action_label: str = ""
    action_url: str = ""


def applicant_work(user: User, jurisdiction: Jurisdiction, now: dt.datetime | None = None) -> dict:
    """The user's organisations' applications with their state and next step, and the calls they can
    still answer."""
    now = now or timezone.now()
    organizations = list(Organization.objects.filter(jurisdiction=jurisdiction, users=user).order_by("name"))
    apps = list(Application.objects.filter(organization__in=organizations)
                .select_related("cycle", "organization", "site_visit").order_by("-cycle__year", "organization__name"))
    office = jurisdiction.office_short_zh
    rows = []
    for app in apps:
        edit = _url(jurisdiction, "application-edit", pk=app.pk)
        close = _local(app.cycle.applications_close_at)
        visit = getattr(app, "site_visit", None)
        if app.state == AppState.DRAFT:
            open_now = app.cycle.is_open_for_submission(now)
            row = ApplicationWork(app, _("填写申报书并提交") if open_now else _("受理已截止，未提交"),
                                  due=close, due_label=_("截止受理"),
                                  action_label=_("继续填写") if open_now else _("查看申报书"), action_url=edit)
        elif app.state == AppState.RETURNED:
            row = ApplicationWork(app, _("按审查意见补正后重新提交"), due=_local(app.returned_until), due_label=_("补正截止"),
                                  action_label=_("补正申报书"), action_url=edit)
        elif app.state == AppState.SUBMITTED:
            row = ApplicationWork(app, _("等待%(office)s资格审查") % {"office": office}, action_label=_("查看申报书"),
                                  action_url=edit)
        elif app.state == AppState.ELIGIBLE:
            row = ApplicationWork(app, _("资料评审中"), action_label=_("查看申报书"), action_url=edit)
        elif app.state == AppState.SHORTLISTED and visit is not None:
            row = ApplicationWork(app, _("现场评审：%(start)s至%(end)s") % {
                "start": visit.starts_on.strftime("%Y-%m-%d"), "end": visit.ends_on.strftime("%Y-%m-%d")},
                due=visit.starts_on, due_label=_("现场评审开始"), action_label=_("现场评审报告"),
                action_url=_url(jurisdiction, "applicant-site-report", pk=app.pk))
        elif app.state == AppState.SHORTLISTED:
            row = ApplicationWork(app, _("已入围现场评审，等待%(office)s安排") % {"office": office},
                                  action_label=_("查看申报书"), action_url=edit)
        else:
            row = ApplicationWork(app, _("当前结果：%(state)s") % {"state": AppState(app.state).label},
                                  action_label=_("查看申报书"), action_url=edit)
        rows.append(row)
    filed = {(a.cycle_id, a.organization_id) for a in apps}
    open_calls = [
        c for c in AwardCycle.objects.filter(jurisdiction=jurisdiction, state=CycleState.PUBLISHED,
                                             applications_close_at__gt=now).order_by("applications_close_at")
        if any((c.pk, o.pk) not in filed for o in organizations) or not organizations
    ]
    dues: list[dt.datetime | dt.date | None] = [
        r.due for r in rows if r.due and r.app.state in (AppState.DRAFT, AppState.RETURNED)]
    dues += [_local(c.applications_close_at) for c in open_calls]
    comparable = [d if isinstance(d, dt.datetime) else timezone.make_aware(dt.datetime.combine(d, dt.time()))
                  for d in dues if d]
    upcoming = [d for d in comparable if d > now]
    return {
        "organizations": organizations,
        "rows": rows,
        "open_calls": open_calls,
        "next_deadline": min(upcoming) if upcoming else None,
        "to_do": sum(1 for r in rows if r.app.state == AppState.RETURNED
                     or (r.app.state == AppState.DRAFT and r.app.cycle.is_open_for_submission(now))),
    }


# --- reviewer --------------------------------------------------------------------------------------
def reviewer_work(user: User, jurisdiction: Jurisdiction) -> dict:
    """The reviewer's tasks here: statements to make, sheets to score, consensus to form (leaders)
    and site reports to write, each with its date where there is one."""
    assignments = list(
        Assignment.objects.filter(jurisdiction=jurisdiction, group__members__reviewer=user)
        .select_related("application__organization", "application__cycle", "group")
        .order_by("stage", "application__number", "application_id").distinct()
    )
    app_ids = {a.application_id for a in assignments}
    decisions = dict(Attestation.objects.filter(reviewer=user, application_id__in=app_ids)
                     .values_list("application_id", "decision"))
    submitted = set(ScoreSheet.objects.filter(application_id__in=app_ids, submitted_at__isnull=False)
                    .values_list("application_id", "stage", "reviewer_id"))
    results = set(StageResult.objects.filter(application_id__in=app_ids).values_list("application_id", "stage"))
    led = set(GroupMember.objects.filter(reviewer=user, is_leader=True).values_list("group_id", flat=True))
    members: dict[int, set[int]] = {}
    for group_id, reviewer_id in GroupMember.objects.filter(group_id__in={a.group_id for a in assignments}) \
            .values_list("group_id", "reviewer_id"):
        members.setdefault(group_id, set()).add(reviewer_id)
    recused = set(Attestation.objects.filter(application_id__in=app_ids, decision=Attestation.Decision.RECUSED)
                  .values_list("application_id", "reviewer_id"))
    visits = {v.application_id: v for v in SiteVisit.objects.filter(application_id__in=app_ids)}
    attest, score, consensus, reports = [], [], [], []
    for a in assignments:
        app = a.application
        if decisions.get(app.pk) == Attestation.Decision.RECUSED or (app.pk, a.stage) in results:
            continue
        visit = visits.get(app.pk) if a.stage == "site" else None
        due = visit.ends_on if visit else None
        row = {"assignment": a, "app": app, "stage": a.get_stage_display(), "due": due,
               "is_leader": a.group_id in led}
        if app.pk not in decisions:
            row["url"] = _url(jurisdiction, "reviewer-attest", pk=app.pk) + f"?stage={a.stage}"
            attest.append(row)
        elif (app.pk, a.stage, user.pk) not in submitted:
            row["url"] = _url(jurisdiction, "reviewer-score", pk=app.pk, stage=a.stage)
            score.append(row)
        elif a.group_id in led:
            active = {m for m in members.get(a.group_id, set()) if (app.pk, m) not in recused}
            done = {m for m in active if (app.pk, a.stage, m) in submitted}
            row.update(url=_url(jurisdiction, "reviewer-consensus", pk=app.pk, stage=a.stage),
                       done=len(done), of=len(active))
            consensus.append(row)
    for app_id, visit in visits.items():
        assignment = next((a for a in assignments if a.application_id == app_id and a.stage == "site"), None)
        if assignment and assignment.group_id in led and visit.report_submitted_at is None:
            reports.append({"app": assignment.application, "due": visit.report_due_on, "visit": visit,
                            "url": _url(jurisdiction, "reviewer-site-report-write", pk=app_id)})
    reports.sort(key=lambda r: (r["due"] is None, r["due"] or dt.date.max))
    return {"attest": attest, "score": score, "consensus": consensus, "reports": reports,
            "total": len(attest) + len(score) + len(consensus) + len(reports),
            "assigned": len(assignments)}


# --- committee -------------------------------------------------------------------------------------
def committee_work(user: User, jurisdiction: Jurisdiction, today: dt.date | None = None) -> dict:
    """The member's meetings: ballots waiting in open rounds, and meetings still to come."""
    today = today or timezone.localdate()
    rows: list[MeetingWork] = []
    meetings = committee_meetings.member_meetings(user, jurisdiction)
    open_rounds = list(Round.objects.filter(meeting__in=meetings, state=Round.State.OPEN, method=Round.Method.ONLINE)
                       .select_related("meeting"))
    voted = set(VoteReceipt.objects.filter(round__in=open_rounds, member__user=user).values_list("round_id", flat=True))
    for meeting in meetings:
        rules = meeting.cycle.profile.typed
        ballots: list[Ballot] = []
        done: list[Ballot] = []
        for r in (r for r in open_rounds if r.meeting_id == meeting.pk):
            try:
                label = rules.award(r.award_code).name_zh
            except KeyError:
                label = r.award_code
            (done if r.pk in voted else ballots).append(Ballot(r, label))
        rows.append(MeetingWork(meeting, ballots, done, upcoming=meeting.held_on >= today, today=meeting.held_on == today))
    upcoming = [r for r in rows if r.upcoming]
    return {"rows": rows, "ballots": sum(len(r.ballots) for r in rows), "upcoming": len(upcoming),
            "next_meeting": min((r.meeting.held_on for r in upcoming), default=None)}


@dataclass
class Ballot:
    round: Round
    award_label: str

    @property
    def pk(self) -> int:
        return self.round.pk


@dataclass
class MeetingWork:
    meeting: Meeting
    ballots: list[Ballot]
    voted: list[Ballot]
    upcoming: bool
    today: bool


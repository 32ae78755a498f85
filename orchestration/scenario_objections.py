"""A scenario's `objections` block (docs/scenario-format.md) driven through the publicity app's own code.

Once the committee has proposed winners, the run publishes the notice (publicity.notices) the day
after the meeting, and files each objection on the notice's first day: the profile's rules receive
or refuse it (publicity.objections.filing_problems, with their articles). A received objection is
accepted (an organisation's seal taken as confirmed when the file says `sealed: true`) and then
either concluded by the file's `outcome` (upheld / dismissed, after the investigation report), or,
with `missed_deadline`, by the deemed outcome the profile gives a missed deadline for evidence
(Daqing 第二十三条); where the profile deems nothing, `outcome` decides. Upheld objections
disqualify through the workflow. The output never carries the objector's identity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from awards.models import Application, AwardCycle
from awards.refusals import ServiceError
from awards.states import AppState, CycleState
from awards.workflow import cycle_transition
from publicity import notices, objections
from publicity.models import Notice, Objection

KINDS = ("person", "organization", "anonymous")
OUTCOMES = ("upheld", "dismissed")
PARTIES = ("candidate", "objector")
PUBLISH_AFTER_MEETING = dt.timedelta(days=1)
INVESTIGATION_DAYS = 10


class ObjectionScenarioError(ValueError):
    """The objections block is malformed (the message names the entry and key)."""


def _check(specs: Any) -> list[dict]:
    if specs is None:
        return []
    if not isinstance(specs, list):
        raise ObjectionScenarioError("objections must be a list")
    for i, spec in enumerate(specs):
        where = f"objections[{i}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("against"), str):
            raise ObjectionScenarioError(f"{where}.against must name an applicant's ref")
        by = spec.get("by")
        if not isinstance(by, dict) or by.get("kind") not in KINDS:
            raise ObjectionScenarioError(f"{where}.by.kind must be one of {', '.join(KINDS)}")
        if spec.get("outcome") not in (None, *OUTCOMES):
            raise ObjectionScenarioError(f"{where}.outcome must be one of {', '.join(OUTCOMES)}")
        if spec.get("missed_deadline") not in (None, *PARTIES):
            raise ObjectionScenarioError(f"{where}.missed_deadline must be one of {', '.join(PARTIES)}")
    return specs


def _filing(by: dict) -> objections.Filing:
    return objections.Filing(kind=by["kind"], name=str(by.get("name") or ""), id_number=str(by.get("id_number") or ""),
                             contact=str(by.get("contact") or ""), address=str(by.get("address") or ""),
                             text=str(by.get("text") or "（情景运行）异议内容"), sealed=bool(by.get("sealed")),
                             evidence_given=by.get("evidence", True) is not False)


def _refused(spec: dict, reasons: list[dict]) -> dict[str, Any]:
    return {"against": spec["against"], "by": spec["by"]["kind"], "accepted": False, "outcome": None,
            "deemed": False, "reasons": reasons}


def run(cycle: AwardCycle, office: User, specs: Any, apps: dict[str, Application], published_at: dt.datetime
        ) -> tuple[list[dict[str, Any]], dict[str, list[dict]]]:
    """(the output's objections, {ref: reasons to add} for applicants disqualified)."""
    specs = _check(specs)
    if not specs:
        return [], {}
    rules = cycle.profile.typed
    proposed = {ref: app for ref, app in apps.items() if app.state == AppState.PROPOSED}
    notice: Notice | None = None
    if proposed:
        if cycle.state == CycleState.PUBLISHED:
            cycle = cycle_transition(cycle, CycleState.REVIEW, actor=office, reason="申报截止（情景运行）",
                                     now=cycle.applications_close_at + dt.timedelta(minutes=1))
        try:
            notice = notices.publish_notice(cycle, office, contact="（情景运行）", now=published_at)
        except ServiceError as exc:
            raise ObjectionScenarioError(exc.message) from exc
    results: list[dict[str, Any]] = []
    disqualified: dict[str, list[dict]] = {}
    filed_at = published_at + dt.timedelta(hours=1)
    for spec in specs:
        ref = spec["against"]
        if ref not in apps:
            raise ObjectionScenarioError(f"objections: no applicant with ref {ref!r}")
        app = proposed.get(ref)
        if notice is None or app is None:
            results.append(_refused(spec, [{"rule": "publicity", "cite": "", "text": "该组织不在拟授奖公示名单中"}]))
            continue
        app.refresh_from_db()
        filing = _filing(spec["by"])
        problems = objections.filing_problems(rules, filing)
        if app.state != AppState.PROPOSED:
            results.append(_refused(spec, [{"rule": "publicity", "cite": "", "text": "该组织已不在拟授奖名单中"}]))
            continue
        if problems:
            results.append(_refused(spec, [p.as_dict() for p in problems]))
            continue
        objection, _code = objections.file_objection(notice, notice.entries.get(application=app), filing, now=filed_at)
        decided_at = filed_at + dt.timedelta(days=1)
        objection = objections.decide_acceptance(objection, office, accept=True, seal_confirmed=filing.sealed is True,
                                                 now=decided_at)
        reasons = [{"rule": "objections.acceptance_decision_within", "cite": objection.decision_cite,
                    "text": objection.decision_reason}]
        objection = _conclude(objection, office, spec, decided_at)
        reasons.append({"rule": objection.outcome_rule, "cite": objection.outcome_cite, "text": objection.outcome_reason})
        results.append({"against": ref, "by": filing.kind, "accepted": True, "outcome": objection.state,
                        "deemed": objection.outcome_deemed, "reasons": reasons})
        app.refresh_from_db()
        if app.state == AppState.DISQUALIFIED:
            event = app.events.filter(to_state=AppState.DISQUALIFIED).order_by("-at", "-pk").first()
            if event is not None:
                disqualified[ref] = [{"rule": event.rule, "cite": event.cite, "text": event.reason}]
    return results, disqualified


def _conclude(objection: Objection, office: User, spec: dict, decided_at: dt.datetime) -> Objection:
    due = decided_at.date() + dt.timedelta(days=INVESTIGATION_DAYS)
    objection = objections.assign_investigation(objection, office, investigators=["（情景运行）调查专家"],
                                                candidate_due=due, objector_due=due, now=decided_at)
    missed = spec.get("missed_deadline")
    if missed:
        other = "objector" if missed == "candidate" else "candidate"
        objections.record_evidence(objection, office, party=other, now=decided_at + dt.timedelta(days=1))
        after = notices.midnight_after(due)
        objections.apply_deemed(objection, now=after)
        objection.refresh_from_db()
        if not objection.is_open:
            return objection
        when = after + dt.timedelta(hours=9)
    else:
        when = decided_at + dt.timedelta(days=INVESTIGATION_DAYS // 2)
    if spec.get("outcome") is None:
        return objection          # still under investigation: the applicant stays proposed
    objections.record_report(objection, office, report="（情景运行）调查报告", now=when)
    upheld = spec.get("outcome") == "upheld"
    return objections.decide_outcome(objection, office, upheld=upheld,
                                     reason="经调查，异议反映的问题属实" if upheld else "经调查，异议反映的问题不属实",
                                     now=when)

"""A scenario's last stage, approval, driven through the honours app's own code.

For a what-if the government's approval is assumed given: once the publicity period (the notice is
published the day after the committee's meeting where the objections block has not already done so)
has run out, the cycle moves to approval as the sweep would move it, and the approval is recorded
the next day (honours.approval.record_approval). That refuses while an objection is still open, as
the regulation does; the applicant then stays proposed, with the refusal as its reason. Each winner
ends `awarded` with the award, prize money and quota use the honours app decided, and the steps of
that decision (repeat, cap, difference, bonus) with their articles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.models import Application, AwardCycle
from awards.placeholder_pdf import PLACEHOLDER_PDF
from awards.refusals import ServiceError
from awards.states import AppState, CycleState
from awards.system_actor import system_actor
from awards.workflow import cycle_transition
from honours import approval
from honours.models import Prize
from publicity import notices
from publicity.models import Notice

APPROVED_AFTER_PUBLICITY = dt.timedelta(days=1)


class ApprovalScenarioError(ValueError):
    """The approval could not be recorded for a reason other than the regulation's (a bug or bad data)."""


def run(cycle: AwardCycle, office: User, apps: dict[str, Application], published_at: dt.datetime
        ) -> dict[str, dict[str, Any]]:
    """{ref: the applicant's outcome after approval} for every applicant still proposed."""
    proposed = {}
    for ref, app in apps.items():
        app.refresh_from_db()
        if app.state == AppState.PROPOSED:
            proposed[ref] = app
    if not proposed:
        return {}
    cycle.refresh_from_db()
    notice = Notice.objects.filter(cycle=cycle).first()
    if notice is None:
        if cycle.state == CycleState.PUBLISHED:
            cycle = cycle_transition(cycle, CycleState.REVIEW, actor=office, reason="申报截止（情景运行）",
                                     now=cycle.applications_close_at + dt.timedelta(minutes=1))
        try:
            notice = notices.publish_notice(cycle, office, contact="（情景运行）", now=published_at)
        except ServiceError as exc:
            raise ApprovalScenarioError(exc.message) from exc
        cycle.refresh_from_db()
    ended = notice.ends_at + dt.timedelta(minutes=1)
    if cycle.state == CycleState.PUBLICITY:
        Notice.objects.filter(pk=notice.pk, ended_at__isnull=True).update(ended_at=ended)
        cycle = cycle_transition(cycle, CycleState.APPROVAL, actor=system_actor(), reason="公示期届满", now=ended)
    approved_at = ended + APPROVED_AFTER_PUBLICITY
    refused = approval.refusal(cycle)
    if refused:
        return {ref: {"final_state": AppState.PROPOSED,
                      "reasons": [{"rule": "approval", "cite": "", "text": refused}]} for ref in proposed}
    rules = cycle.profile.typed
    try:
        approval.record_approval(
            cycle, office, approving_body=rules.approval.approver_zh.value, document_number="情景运行",
            approved_on=timezone.localdate(approved_at), now=approved_at,
            document=SimpleUploadedFile("审定批复.pdf", PLACEHOLDER_PDF, "application/pdf"))
    except ServiceError as exc:
        raise ApprovalScenarioError(exc.message) from exc
    results: dict[str, dict[str, Any]] = {}
    prizes = {p.application_id: p for p in Prize.objects.filter(application__cycle=cycle)}
    for ref, app in proposed.items():
        app.refresh_from_db()
        event = app.events.filter(to_state=app.state).order_by("-at", "-pk").first()
        reasons = [{"rule": event.rule, "cite": event.cite, "text": event.reason}] if event else []
        prize = prizes.get(app.pk)
        if app.state != AppState.AWARDED or prize is None:
            results[ref] = {"final_state": app.state, "award": None, "prize_cny": None, "counts_in_quota": None,
                            "reasons": reasons}
            continue
        results[ref] = {"final_state": AppState.AWARDED, "award": prize.award_code, "prize_cny": prize.total_cny,
                        "counts_in_quota": prize.counts_in_quota,
                        "reasons": [*reasons, *({"rule": r.get("rule", ""), "cite": r.get("cite", ""),
                                                 "text": r.get("text", "")} for r in prize.reasons)]}
    return results

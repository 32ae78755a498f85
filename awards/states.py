"""Every state of an application and of a cycle, and every allowed transition.

awards/workflow.py (transition, transition_many, cycle_transition) is the only code that assigns
Application.state or AwardCycle.state; this module is the map it checks, and workflow.GUARDS /
workflow.CYCLE_GUARDS say who may make each move.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补正")
    WITHDRAWN = "withdrawn", _("已撤回")
    INELIGIBLE = "ineligible", _("资格审查未通过")
    ELIGIBLE = "eligible", _("资格审查通过")
    NOT_SHORTLISTED = "not_shortlisted", _("未入围现场评审")
    SHORTLISTED = "shortlisted", _("入围现场评审")
    BELOW_THRESHOLD = "below_threshold", _("未达分数线")
    CANDIDATE = "candidate", _("候选组织")
    NOT_SELECTED = "not_selected", _("未获表决通过")
    PROPOSED = "proposed", _("拟授奖")
    DISQUALIFIED = "disqualified", _("取消资格")
    AWARDED = "awarded", _("获奖")
    # The award taken back after its approval, on a ground and through the approval chain the
    # profile names (post_award.revocation_grounds); the sanctions app records it.
    REVOKED = "revoked", _("已撤销")


S = AppState

# The office reopening a stage result undoes the decision that used it: (from, to) → the stage.
# A document-stage reopen sends a shortlist decision back; a site-stage reopen, the comprehensive
# evaluation. Nothing later (vote, approval) is undone this way.
REOPEN_MOVES: dict[tuple[str, str], str] = {
    (S.SHORTLISTED, S.ELIGIBLE): "document",
    (S.NOT_SHORTLISTED, S.ELIGIBLE): "document",
    (S.CANDIDATE, S.SHORTLISTED): "site",
    (S.BELOW_THRESHOLD, S.SHORTLISTED): "site",
}

# from-state → allowed to-states. Later stages (review, vote, publicity) use the same map.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.RETURNED, S.WITHDRAWN},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN, S.INELIGIBLE},
    S.ELIGIBLE: {S.SHORTLISTED, S.NOT_SHORTLISTED, S.WITHDRAWN, S.DISQUALIFIED},
    S.SHORTLISTED: {S.CANDIDATE, S.BELOW_THRESHOLD, S.WITHDRAWN, S.DISQUALIFIED, S.ELIGIBLE},
    S.CANDIDATE: {S.PROPOSED, S.NOT_SELECTED, S.WITHDRAWN, S.DISQUALIFIED, S.SHORTLISTED},
    S.PROPOSED: {S.AWARDED, S.DISQUALIFIED},
    S.INELIGIBLE: set(),
    S.WITHDRAWN: set(),
    S.NOT_SHORTLISTED: {S.ELIGIBLE},
    S.BELOW_THRESHOLD: {S.SHORTLISTED},
    S.NOT_SELECTED: set(),
    S.DISQUALIFIED: set(),
    S.AWARDED: {S.REVOKED},
    S.REVOKED: set(),
}

# A revocation after the award reopens no decision of the cycle: an award stays a final outcome
# for closing the cycle, whatever may later happen to it.
POST_AWARD_MOVES: set[tuple[str, str]] = {(S.AWARDED, S.REVOKED)}

# States in which the applicant may still edit the content.
EDITABLE_STATES = {S.DRAFT, S.RETURNED}
# Application is voluntary in all five texts (申报自愿 / 自愿申请), and none of them ends that
# before the committee's vote, so an applicant may withdraw until then; after the eligibility
# decision a withdrawal needs a stated reason (workflow.REASON_REQUIRED).
WITHDRAWABLE_STATES = {state for state, targets in APPLICATION_TRANSITIONS.items() if S.WITHDRAWN in targets}
WITHDRAWABLE_WITHOUT_REASON = {S.DRAFT, S.SUBMITTED, S.RETURNED}
# What the applicant's pages offer to withdraw: a draft has not been filed, so there is nothing to
# withdraw (the applicant simply does not submit it); the workflow keeps draft → withdrawn for the office.
OFFERED_WITHDRAWAL_STATES = WITHDRAWABLE_STATES - {S.DRAFT}
# States out of which no decision leads (an office reopening of a stage result aside).
FINAL_STATES = {
    state for state, targets in APPLICATION_TRANSITIONS.items()
    if not {to for to in targets if (state, to) not in REOPEN_MOVES and (state, to) not in POST_AWARD_MOVES}
}


class CycleState(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    PUBLISHED = "published", _("已发布通知")
    REVIEW = "review", _("评审中")
    # The proposed winners are on public notice (公示); objections are filed and handled.
    PUBLICITY = "publicity", _("公示中")
    # The notice has ended by the clock; the government's approval is awaited (objections may
    # still be under investigation).
    APPROVAL = "approval", _("公示结束，待审定")
    CLOSED = "closed", _("已结束")


CYCLE_TRANSITIONS: dict[str, set[str]] = {
    CycleState.DRAFT: {CycleState.PUBLISHED},
    CycleState.PUBLISHED: {CycleState.REVIEW, CycleState.DRAFT},
    CycleState.REVIEW: {CycleState.PUBLICITY, CycleState.CLOSED},
    CycleState.PUBLICITY: {CycleState.APPROVAL},
    CycleState.APPROVAL: {CycleState.CLOSED},
    CycleState.CLOSED: set(),
}

"""Every state of an application and of a cycle, and every allowed transition.

Nothing outside awards/workflow.py assigns a state field; this module is the map it checks.
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


S = AppState

# from-state → allowed to-states. Later stages (review, vote, publicity) use the same map.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.RETURNED, S.WITHDRAWN},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN, S.INELIGIBLE},
    S.ELIGIBLE: {S.SHORTLISTED, S.NOT_SHORTLISTED, S.WITHDRAWN, S.DISQUALIFIED},
    S.SHORTLISTED: {S.CANDIDATE, S.BELOW_THRESHOLD, S.WITHDRAWN, S.DISQUALIFIED},
    S.CANDIDATE: {S.PROPOSED, S.NOT_SELECTED, S.WITHDRAWN, S.DISQUALIFIED},
    S.PROPOSED: {S.AWARDED, S.DISQUALIFIED},
    S.INELIGIBLE: set(),
    S.WITHDRAWN: set(),
    S.NOT_SHORTLISTED: set(),
    S.BELOW_THRESHOLD: set(),
    S.NOT_SELECTED: set(),
    S.DISQUALIFIED: set(),
    S.AWARDED: set(),
}

# States in which the applicant may still edit the content.
EDITABLE_STATES = {S.DRAFT, S.RETURNED}
# States before an eligibility decision, in which the applicant may withdraw.
WITHDRAWABLE_STATES = {S.DRAFT, S.SUBMITTED, S.RETURNED}
FINAL_STATES = {state for state, targets in APPLICATION_TRANSITIONS.items() if not targets}


class CycleState(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    PUBLISHED = "published", _("已发布通知")
    REVIEW = "review", _("评审中")
    CLOSED = "closed", _("已结束")


CYCLE_TRANSITIONS: dict[str, set[str]] = {
    CycleState.DRAFT: {CycleState.PUBLISHED},
    CycleState.PUBLISHED: {CycleState.REVIEW, CycleState.DRAFT},
    CycleState.REVIEW: {CycleState.CLOSED},
    CycleState.CLOSED: set(),
}

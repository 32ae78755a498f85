"""Reviewers hear of the work given to them: a new assignment of an application to their group."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from jurisdictions.models import Notification
from jurisdictions.notifications import notify

from .models import Assignment, Stage


def notify_assigned(assignment_id: int) -> None:
    """Runs on commit of the assignment; the members of the group are told once per assignment."""
    with scopes_disabled(), override("zh-hans"):
        assignment = Assignment.objects.select_related(
            "application__organization", "application__cycle", "jurisdiction", "group"
        ).filter(pk=assignment_id).first()
        if assignment is None:
            return
        app = assignment.application
        members = [m.reviewer for m in assignment.group.members.select_related("reviewer")]
        notify(
            members, assignment.jurisdiction, kind=Notification.Kind.ASSIGNED, key=f"assignment:{assignment.pk}",
            title=_("新的评审任务：%(org)s（%(stage)s）") % {"org": app.organization.name,
                                                       "stage": Stage(assignment.stage).label},
            body=_("%(cycle)s，%(group)s。查看申报材料前，请先作出利害关系回避声明。") % {
                "cycle": app.cycle.title, "group": assignment.group.name,
            },
            link=reverse("reviewer-applications", kwargs={"jurisdiction": assignment.jurisdiction.slug}),
        )

"""Office staff declare their conflicts with applicant organisations (Daqing 第三十五条), and the
workflow refuses them any move of those organisations' applications.

The refusal sits in awards.workflow (registered through register_actor_check) rather than in the
office's views: every state change of an application passes through transition / transition_many,
so a page added later, a batch step (shortlist, evaluation) or a reopening cannot forget it, while a
check in the views would have to be repeated in each of them.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, Organization
from awards.refusals import ServiceError
from jurisdictions.access import has_role
from jurisdictions.models import Jurisdiction, Role
from jurisdictions.rules_wording import cite_label

from .models import StaffConflict


def recusal_rule(jurisdiction: Jurisdiction):
    """The profile's staff recusal rule in force today (None where the text has none)."""
    profile = jurisdiction.profile_in_force(timezone.localdate())
    if profile is None:
        return None
    rule = profile.typed.post_award.staff_recusal
    return rule if rule is not None and rule.value else None


def declare(jurisdiction: Jurisdiction, staff: User, organization: Organization, *, kind: str,
            note: str = "") -> StaffConflict:
    """Record an office member's own declaration; the same one twice is one declaration."""
    if not has_role(staff, jurisdiction, Role.OFFICE):
        raise ServiceError(_("只有评审办工作人员可以申报工作人员利害关系。"))
    if organization.jurisdiction_id != jurisdiction.pk:
        raise ServiceError(_("请选择本辖区的申报组织。"), "organization")
    try:
        with transaction.atomic():
            return StaffConflict.objects.create(jurisdiction=jurisdiction, staff=staff, organization=organization,
                                                kind=kind, note=note.strip(), declared_at=timezone.now())
    except IntegrityError as exc:
        raise ServiceError(_("您已申报过与“%(name)s”的这一关系，无需重复申报。") % {"name": organization.name},
                           "organization") from exc


def refusals(apps: list[Application], actor: User | None) -> dict[int, str]:
    """Why `actor` may not move each of these applications: a declared conflict with its organisation."""
    if actor is None or not getattr(actor, "pk", None) or not apps:
        return {}
    conflicts = {c.organization_id: c for c in StaffConflict.objects.filter(
        staff=actor, organization_id__in={a.organization_id for a in apps}).select_related("organization")}
    out: dict[int, str] = {}
    for app in apps:
        conflict = conflicts.get(app.organization_id)
        if conflict is None:
            continue
        rule = app.cycle.profile.typed.post_award.staff_recusal
        cite = cite_label(rule.cite) if rule is not None else ""
        out[app.pk] = _("您已申报与“%(org)s”存在利害关系（%(kind)s），应当回避，不能办理该组织申报的状态变更%(cite)s。"
                        "请由其他工作人员办理。") % {
            "org": conflict.organization.name, "kind": conflict.get_kind_display(),
            "cite": _("（%(cite)s）") % {"cite": cite} if cite else ""}
    return out

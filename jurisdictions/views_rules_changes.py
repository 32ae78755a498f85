"""The public page listing what changed between two versions of a jurisdiction's rules."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import rules_wording
from .profile_diff import by_section, diff_profiles
from .rules_presenter import office_setting_label
from .tenant_request import TenantRequest


def rules_changes(request: TenantRequest) -> HttpResponse:
    """?from=VERSION&to=VERSION; by default the latest version against the one before it."""
    profiles = list(request.jurisdiction.rule_profiles.order_by("effective_from", "version"))
    versions = {p.version: p for p in profiles}
    if len(profiles) < 2 and not request.GET:
        return render(request, "jurisdictions/rules_changes.html", {"profiles": profiles})
    default_to = profiles[-1].version if profiles else ""
    to_version = request.GET.get("to") or default_to
    if to_version not in versions:
        raise Http404(_("本辖区没有版本为“%(v)s”的评审规则。") % {"v": to_version})
    earlier = [p.version for p in profiles if p.effective_from < versions[to_version].effective_from]
    from_version = request.GET.get("from") or (earlier[-1] if earlier else to_version)
    if from_version not in versions:
        raise Http404(_("本辖区没有版本为“%(v)s”的评审规则。") % {"v": from_version})
    old, new = versions[from_version], versions[to_version]
    lang = get_language() or "zh-hans"
    changes = diff_profiles(old.typed, new.typed, lang)
    if not lang.startswith("en"):
        # A change to an English text alone is not a change to the rules a Chinese reader reads.
        changes = [c for c in changes if not c.english_only]
    return render(request, "jurisdictions/rules_changes.html", {
        "profiles": profiles,
        "old": old,
        "new": new,
        "old_status": rules_wording.status_label(old.status),
        "new_status": rules_wording.status_label(new.status),
        "sections": by_section(changes),
        "count": len(changes),
        "office_badge": office_setting_label(new.typed, lang),
    })

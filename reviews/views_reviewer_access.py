"""What a reviewer may open, for the reviewer pages. Anything else answers 404.

The rules themselves are reviews.groups (assigned, attested, not recused) and reviews.scoring
(leader); these helpers only turn "no" into a 404 and fetch what the pages show in one go.
"""

from __future__ import annotations

from django.http import Http404

from awards.models import Application
from jurisdictions.tenant_request import SignedInRequest

from . import groups
from .models import Stage


def stage_or_404(stage: str) -> str:
    if stage not in Stage.values:
        raise Http404
    return stage


def _with_related(queryset):
    return queryset.select_related("cycle__profile__criteria", "organization", "jurisdiction")


def assigned_or_404(request: SignedInRequest, pk: int) -> Application:
    """Assigned to one of the reviewer's groups and not recused (attested or not yet)."""
    app = _with_related(groups.assigned_applications(request.user, request.jurisdiction)).filter(pk=pk).first()
    if app is None:
        raise Http404
    return app


def awaiting_attestation(request: SignedInRequest, pk: int) -> bool:
    """Assigned, but the reviewer has made no statement on it yet."""
    return (
        groups.assigned_applications(request.user, request.jurisdiction)
        .filter(pk=pk)
        .exclude(attestations__reviewer=request.user)
        .exists()
    )


def reviewable_or_none(request: SignedInRequest, pk: int, stage: str) -> Application | None:
    """Assigned for this stage, attested no conflict, not recused."""
    return (
        _with_related(groups.reviewable_applications(request.user, request.jurisdiction, stage))
        .filter(pk=pk)
        .first()
    )


def reviewable_or_404(request: SignedInRequest, pk: int, stage: str) -> Application:
    app = reviewable_or_none(request, pk, stage)
    if app is None:
        raise Http404
    return app


def is_leader(request: SignedInRequest, app: Application, stage: str) -> bool:
    leader = groups.leader_of(app, stage)
    return leader is not None and leader.pk == request.user.pk

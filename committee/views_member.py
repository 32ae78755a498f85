"""A committee member's pages: the meetings they sit on, the candidate dossier (only for members of
that meeting) and the ballot of each open round. A second ballot is refused with a clear message."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.refusals import ServiceError
from jurisdictions.access import role_required
from jurisdictions.confidential import confidential
from jurisdictions.models import Role
from jurisdictions.scoping import get_scoped_or_404
from jurisdictions.tenant_request import SignedInRequest
from reviews.models import SiteVisit

from . import ballot, meetings, rounds
from .forms_office import BallotForm
from .models import Meeting, Round, VoteReceipt

member_only = role_required(Role.COMMITTEE)
CONFIRM_BALLOT = "我确认提交这张选票。提交后不能修改，也不能再次投票。"


@member_only
def meeting_list(request: SignedInRequest) -> HttpResponse:
    rows = []
    for meeting in meetings.member_meetings(request.user, request.jurisdiction):
        seat = meetings.seat_in(meeting, request.user)
        open_rounds = meetings.open_rounds_for(meeting)
        voted = set(VoteReceipt.objects.filter(round__in=open_rounds, member=seat.member)
                    .values_list("round_id", flat=True)) if seat else set()
        rules = meeting.cycle.profile.typed
        rows.append({"meeting": meeting, "seat": seat, "rounds": [
            {"round": r, "award": rules.award(r.award_code).name_zh, "voted": r.pk in voted} for r in open_rounds]})
    return render(request, "committee/member/meetings.html", {"rows": rows})


def _seat_or_404(request, meeting: Meeting):
    seat = meetings.seat_in(meeting, request.user)
    if seat is None:
        raise Http404
    return seat


@member_only
def dossier(request: SignedInRequest, meeting_id: int) -> HttpResponse:
    meeting = get_scoped_or_404(request, Meeting, pk=meeting_id)
    _seat_or_404(request, meeting)
    rules = meeting.cycle.profile.typed
    apps = []
    for award in rules.awards:
        for app in rounds.candidates_for(meeting, award.code):
            if app not in apps:
                apps.append(app)
    entries = {e.application_id for r in meeting.rounds.all() for e in r.candidates.all()}
    from awards.models import Application
    apps += [a for a in Application.objects.filter(pk__in=entries).select_related("organization", "evaluation")
             if a not in apps]
    visits = {v.application_id: v for v in SiteVisit.objects.filter(application__in=apps)}
    response = render(request, "committee/member/dossier.html", {
        "meeting": meeting, "rules": rules,
        "rows": [{"app": a, "evaluation": getattr(a, "evaluation", None), "visit": visits.get(a.pk)} for a in apps]})
    return confidential(response)


@member_only
@require_http_methods(["GET", "POST"])
def ballot_page(request: SignedInRequest, round_id: int) -> HttpResponse:
    round_ = get_scoped_or_404(request, Round, pk=round_id)
    seat = _seat_or_404(request, round_.meeting)
    entries = list(round_.candidates.select_related("application__organization", "application__evaluation"))
    rules = round_.meeting.cycle.profile.typed
    form = BallotForm(request.POST or None, entries=entries, confirm_label=_(CONFIRM_BALLOT))
    already = ballot.has_voted(round_, seat.member)
    if request.method == "POST" and form.is_valid():
        try:
            ballot.cast(round_, seat.member, form.cleaned_data["kind"], form.choices())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("您的选票已提交。谢谢！"))
            return redirect("committee-meetings", jurisdiction=request.jurisdiction.slug)
    return render(request, "committee/member/ballot.html", {
        "round": round_, "meeting": round_.meeting, "award": rules.award(round_.award_code), "form": form,
        "already": already, "seat": seat, "online": round_.method == Round.Method.ONLINE})

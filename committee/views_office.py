"""The office's committee pages: roster, meetings of a cycle, attendance and quorum, rounds, paper
ballots, closing, ties, Daqing's deliberation, the result sheet and the minutes. The rules and
decisions live in meetings.py, rounds.py and ballot.py; these views translate forms into calls and
ServiceError back into messages next to the field."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awards.models import AwardCycle
from awards.pdf import render_pdf
from awards.refusals import ServiceError, show_on_form
from awards.uploads import UploadRefused, check_upload
from awards.workflow import TransitionError
from jurisdictions.access import role_required
from jurisdictions.confidential import attachment_disposition, confidential
from jurisdictions.models import Role
from jurisdictions.rules_wording import cite_label
from jurisdictions.scoping import get_scoped_or_404, scoped
from jurisdictions.tenant_request import SignedInRequest

from . import ballot, meetings, rounds
from .forms_office import (
    AttendanceForm,
    BallotForm,
    CloseRoundForm,
    DeliberationForm,
    GovernmentNamingForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    OpenRoundForm,
    PaperTotalsForm,
    PreReviewForm,
    TieForm,
)
from .models import CommitteeMember, Meeting, Round, RoundCandidate, VoteReceipt
from .presenting import cited, meeting_result, round_rows

office_only = role_required(Role.OFFICE)


# --- roster -------------------------------------------------------------------------------------
@office_only
@require_http_methods(["GET", "POST"])
def roster(request: SignedInRequest) -> HttpResponse:
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user = data.pop("username")
        try:
            meetings.save_member(request.jurisdiction, user=user, **data)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已登记委员 %(name)s。") % {"name": data["name"]})
            return redirect("office-committee-roster", jurisdiction=request.jurisdiction.slug)
    members = scoped(request, CommitteeMember).select_related("user")
    rules = request.jurisdiction.profile_in_force()
    return render(request, "committee/office/roster.html", {
        "form": form, "members": members, "rules": rules.typed if rules else None,
        "chair_rule": cited(rules.typed.vote.chair_zh) if rules and rules.typed.vote.chair_zh else None})


@office_only
@require_POST
def member_end(request: SignedInRequest, member_id: int) -> HttpResponse:
    member = get_scoped_or_404(request, CommitteeMember, pk=member_id)
    form = MemberForm({**{f: getattr(member, f) for f in ("name", "position", "serves_from")},
                       "is_chair": member.is_chair, "is_deputy": member.is_deputy,
                       "serves_until": request.POST.get("serves_until", "")})
    if form.is_valid() and form.cleaned_data["serves_until"]:
        try:
            meetings.save_member(request.jurisdiction, member=member, serves_until=form.cleaned_data["serves_until"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录 %(name)s 的任职截止日。") % {"name": member.name})
    else:
        messages.error(request, _("请填写有效的任职截止日。"))
    return redirect("office-committee-roster", jurisdiction=request.jurisdiction.slug)


# --- meetings of a cycle ------------------------------------------------------------------------
@office_only
@require_http_methods(["GET", "POST"])
def cycle_meetings(request: SignedInRequest, year: int) -> HttpResponse:
    cycle = get_scoped_or_404(request, AwardCycle, year=year)
    form = MeetingForm(request.POST or None, jurisdiction=request.jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.create_meeting(cycle, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            return redirect("office-committee-meeting", jurisdiction=request.jurisdiction.slug, meeting_id=meeting.pk)
    rules = cycle.profile.typed
    return render(request, "committee/office/cycle.html", {
        "cycle": cycle, "form": form, "rules": rules,
        "meetings": scoped(request, Meeting).filter(cycle=cycle).select_related("chair"),
        "method": cited(rules.vote.method), "quorum_rule": cited(rules.vote.quorum)})


def _meeting(request, meeting_id: int) -> Meeting:
    return get_scoped_or_404(request, Meeting, pk=meeting_id)


def _meeting_page(request, meeting: Meeting, **forms) -> HttpResponse:
    rules = meeting.cycle.profile.typed
    rows = list(meeting.attendance.select_related("member"))
    award_choices = [(a.code, a.name_zh) for a in rules.awards]
    next_award = rounds.next_award(meeting)
    deliberation = rules.vote.method.value == "deliberation"
    paper = bool(rules.vote.paper_ballots and rules.vote.paper_ballots.value)
    if deliberation and "deliberation_form" not in forms:
        code = request.GET.get("award") or next_award or rules.awards[0].code
        if code not in rules.award_codes:
            code = rules.awards[0].code
        forms["deliberation_form"] = DeliberationForm(award_code=code, apps=rounds.candidates_for(meeting, code),
                                                      award_choices=award_choices)
    context = {
        "meeting": meeting, "cycle": meeting.cycle, "rules": rules, "rows": rows,
        "quorum": meetings.quorum(meeting), "quorum_rule": cited(rules.vote.quorum),
        "refusal": meetings.may_vote(meeting) if not deliberation else None,
        "attendance_form": forms.get("attendance_form") or AttendanceForm(rows=rows),
        "attendance_locked": meetings.attendance_locked(meeting),
        "pre_review": cited(rules.vote.pre_meeting_review_zh) if rules.vote.pre_meeting_review_zh else None,
        "pre_review_form": forms.get("pre_review_form") or PreReviewForm(initial={"opinion": meeting.pre_review_opinion}),
        "open_form": forms.get("open_form") or OpenRoundForm(awards=award_choices, paper=paper,
                                                             initial={"award": next_award}),
        "deliberation": deliberation, "deliberation_form": forms.get("deliberation_form"),
        "deliberation_apps": {str(a.pk): a for a in rounds.candidates_for(
            meeting, forms["deliberation_form"]["award"].value())} if deliberation else {},
        "next_award": next_award, "rounds": round_rows(meeting), "result": meeting_result(meeting),
        "minutes_form": forms.get("minutes_form") or MinutesForm(initial={"signed_by": meeting.result_signed_by}),
        "method": cited(rules.vote.method),
    }
    return render(request, "committee/office/meeting.html", context)


@office_only
def meeting_detail(request: SignedInRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, meeting_id))


@office_only
@require_POST
def attendance(request: SignedInRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    rows = list(meeting.attendance.select_related("member"))
    form = AttendanceForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            meetings.record_attendance(meeting, {int(pk) for pk in form.cleaned_data["present"]}, request.user)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已记录出席情况。"))
            return redirect("office-committee-meeting", jurisdiction=request.jurisdiction.slug, meeting_id=meeting.pk)
    return _meeting_page(request, meeting, attendance_form=form)


@office_only
@require_POST
def pre_review(request: SignedInRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = PreReviewForm(request.POST)
    if form.is_valid():
        try:
            meetings.record_pre_review(meeting, form.cleaned_data["opinion"], request.user)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已记录有关部门的审议意见。"))
            return redirect("office-committee-meeting", jurisdiction=request.jurisdiction.slug, meeting_id=meeting.pk)
    return _meeting_page(request, meeting, pre_review_form=form)


@office_only
@require_POST
def open_round(request: SignedInRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    rules = meeting.cycle.profile.typed
    form = OpenRoundForm(request.POST, awards=[(a.code, a.name_zh) for a in rules.awards],
                         paper=bool(rules.vote.paper_ballots and rules.vote.paper_ballots.value))
    if form.is_valid():
        try:
            round_ = rounds.open_round(meeting, form.cleaned_data["award"], form.cleaned_data["method"], request.user,
                                       scrutineer=form.cleaned_data["scrutineer"])
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
    return _meeting_page(request, meeting, open_form=form)


@office_only
@require_POST
def deliberation(request: SignedInRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    rules = meeting.cycle.profile.typed
    code = request.POST.get("award", "")
    if code not in rules.award_codes:
        code = rules.awards[0].code
    form = DeliberationForm(request.POST, award_code=code, apps=rounds.candidates_for(meeting, code),
                            award_choices=[(a.code, a.name_zh) for a in rules.awards])
    if form.is_valid():
        try:
            rounds.record_deliberation(meeting, code, {int(pk) for pk in form.cleaned_data["selected"]},
                                       form.cleaned_data["note"], request.user)
        except (ServiceError, TransitionError) as exc:
            show_on_form(form, exc if isinstance(exc, ServiceError) else ServiceError(str(exc)))
        else:
            messages.success(request, _("已记录会议审议结果。"))
            return redirect("office-committee-meeting", jurisdiction=request.jurisdiction.slug, meeting_id=meeting.pk)
    return _meeting_page(request, meeting, deliberation_form=form)


# --- a round --------------------------------------------------------------------------------------
def _round(request, round_id: int) -> Round:
    return get_scoped_or_404(request, Round, pk=round_id)


def _round_page(request, round_: Round, **forms) -> HttpResponse:
    entries = list(round_.candidates.select_related("application__organization", "application__evaluation"))
    rules = round_.meeting.cycle.profile.typed
    tied = [e for e in entries if e.outcome == RoundCandidate.Outcome.TIED and not round_.tie_settled_at]
    voted = set(VoteReceipt.objects.filter(round=round_).values_list("member_id", flat=True))
    present = [r.member for r in round_.meeting.attendance.filter(present=True).select_related("member")]
    government = rounds.government_naming_rule(rules, round_.award_code)
    context = {
        "round": round_, "meeting": round_.meeting, "cycle": round_.meeting.cycle, "rules": rules,
        "award": rules.award(round_.award_code), "entries": entries,
        "present": [(m, m.pk in voted) for m in present], "voted_count": len(voted),
        "paper_count": round_.ballots.count() if round_.method == Round.Method.PAPER and round_.is_open else None,
        "paper_form": forms.get("paper_form") or BallotForm(entries=entries, confirm_label=_("监票人已核对这张选票")),
        "totals_form": forms.get("totals_form") or _totals_form(round_, entries),
        "government_rule": cited(government) if government else None,
        "government_named": [e for e in entries if e.government_named],
        "government_form": (forms.get("government_form") or GovernmentNamingForm(entries=entries))
        if government and round_.is_open else None,
        "close_form": forms.get("close_form") or CloseRoundForm(),
        "tied": tied, "tie_form": forms.get("tie_form") or (TieForm(tied=tied) if tied else None),
        "places_reasons": [{**r, "cite": cite_label(r["cite"])} for r in round_.places_reasons],
        "majority": cited(rules.vote.majority) if rules.vote.majority else None,
        "tie_rule": cited(rules.vote.tie_break),
    }
    return render(request, "committee/office/round.html", context)


@office_only
def round_detail(request: SignedInRequest, round_id: int) -> HttpResponse:
    return _round_page(request, _round(request, round_id))


@office_only
@require_POST
def paper_ballot(request: SignedInRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    entries = list(round_.candidates.select_related("application__organization"))
    form = BallotForm(request.POST, entries=entries, confirm_label=_("监票人已核对这张选票"))
    if form.is_valid():
        try:
            n = ballot.enter_paper(round_, form.cleaned_data["kind"], form.choices(), request.user)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已录入第%(n)s张纸质选票。") % {"n": n})
            return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
    return _round_page(request, round_, paper_form=form)


def _totals_form(round_: Round, entries, data=None) -> PaperTotalsForm | None:
    if round_.method != Round.Method.PAPER or not round_.is_open:
        return None
    return PaperTotalsForm(data, entries=entries, present=round_.present_count or 0)


@office_only
@require_POST
def paper_totals(request: SignedInRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    entries = list(round_.candidates.select_related("application__organization"))
    form = _totals_form(round_, entries, request.POST)
    if form is None:
        messages.error(request, _("本轮不是进行中的纸质投票，不录入得票合计。"))
        return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ballot.enter_totals(round_, ballots=data["ballots"], spoiled=data["spoiled"], blank=data["blank"],
                                totals=form.totals(), actor=request.user)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已录入各候选组织的得票合计（收回选票%(n)s张）。结束本轮前须由监票人确认。")
                             % {"n": data["ballots"]})
            return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
    return _round_page(request, round_, totals_form=form)


@office_only
@require_POST
def government_named(request: SignedInRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    entries = list(round_.candidates.select_related("application__organization"))
    form = GovernmentNamingForm(request.POST, entries=entries)
    if form.is_valid():
        entry = next(e for e in entries if str(e.application_id) == form.cleaned_data["application"])
        try:
            rounds.record_government_naming(entry, document=form.cleaned_data["document"],
                                            decided_on=form.cleaned_data["decided_on"], actor=request.user)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已记录区政府常务会议确定 %(name)s。") % {
                "name": entry.application.organization.name})
            return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
    return _round_page(request, round_, government_form=form)


@office_only
@require_POST
def close_round(request: SignedInRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    form = CloseRoundForm(request.POST)
    if form.is_valid():
        try:
            rounds.close_round(round_, request.user, scrutineer_confirmed=form.cleaned_data["scrutineer_confirmed"])
        except ServiceError as exc:
            show_on_form(form, exc)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("本轮投票已结束，计票结果如下。"))
            return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
    return _round_page(request, round_, close_form=form)


@office_only
@require_POST
def settle_tie(request: SignedInRequest, round_id: int) -> HttpResponse:
    round_ = _round(request, round_id)
    tied = list(round_.candidates.filter(outcome=RoundCandidate.Outcome.TIED).select_related("application__organization"))
    if request.POST.get("revote"):
        try:
            revote = rounds.open_revote(round_, request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
        return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=revote.pk)
    form = TieForm(request.POST, tied=tied)
    if form.is_valid():
        try:
            rounds.settle_tie(round_, {int(pk) for pk in form.cleaned_data["picks"]}, form.cleaned_data["reason"],
                              request.user)
        except ServiceError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("已记录评委会的决定。"))
            return redirect("office-committee-round", jurisdiction=request.jurisdiction.slug, round_id=round_.pk)
    return _round_page(request, round_, tie_form=form)


# --- result sheet and minutes ---------------------------------------------------------------------
@office_only
def result_pdf(request: SignedInRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    result = meeting_result(meeting)
    if not result["rounds"]:
        raise Http404
    pdf = render_pdf("pdf/committee_result.html", {
        "meeting": meeting, "cycle": meeting.cycle, "rules": meeting.cycle.profile.typed,
        "jurisdiction": meeting.jurisdiction, "result": result, "quorum": meetings.quorum(meeting),
        "rows": list(meeting.attendance.select_related("member")), "printed_at": timezone.localtime()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"表决结果-{meeting.cycle.year}.pdf") or ""
    return confidential(response)


@office_only
@require_http_methods(["GET", "POST"])
def minutes(request: SignedInRequest, meeting_id: int) -> HttpResponseBase:
    meeting = _meeting(request, meeting_id)
    if request.method == "GET":
        if not meeting.minutes:
            raise Http404
        download = FileResponse(meeting.minutes.open("rb"), content_type="application/pdf")
        download["Content-Disposition"] = attachment_disposition(meeting.minutes_name or "minutes.pdf")
        return confidential(download)
    form = MinutesForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["minutes"]
        try:
            content_type, digest = check_upload(uploaded, already_stored_bytes=0)
            if content_type != "application/pdf":
                raise UploadRefused(_("会议纪要须为 PDF 文件。"))
        except UploadRefused as exc:
            form.add_error("minutes", str(exc))
        else:
            meeting.minutes.save(f"{uuid.uuid4().hex}.pdf", uploaded, save=False)
            meeting.minutes_name = f"会议纪要-{meeting.cycle.year}.pdf"
            meeting.minutes_sha256 = digest
            meeting.result_signed_by = form.cleaned_data["signed_by"]
            meeting.result_signed_at = timezone.now()
            meeting.save()
            messages.success(request, _("已上传会议纪要。"))
            return redirect("office-committee-meeting", jurisdiction=request.jurisdiction.slug, meeting_id=meeting.pk)
    return _meeting_page(request, meeting, minutes_form=form)

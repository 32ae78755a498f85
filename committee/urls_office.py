"""The office's committee pages (under /<slug:jurisdiction>/)."""

from django.urls import path

from . import views_office as office

urlpatterns = [
    path("office/committee/roster/", office.roster, name="office-committee-roster"),
    path("office/committee/roster/<int:member_id>/end/", office.member_end, name="office-committee-member-end"),
    path("office/cycles/<int:year>/committee/", office.cycle_meetings, name="office-committee"),
    path("office/committee/meetings/<int:meeting_id>/", office.meeting_detail, name="office-committee-meeting"),
    path("office/committee/meetings/<int:meeting_id>/attendance/", office.attendance,
         name="office-committee-attendance"),
    path("office/committee/meetings/<int:meeting_id>/pre-review/", office.pre_review,
         name="office-committee-pre-review"),
    path("office/committee/meetings/<int:meeting_id>/rounds/", office.open_round, name="office-committee-open-round"),
    path("office/committee/meetings/<int:meeting_id>/deliberation/", office.deliberation,
         name="office-committee-deliberation"),
    path("office/committee/meetings/<int:meeting_id>/result.pdf", office.result_pdf,
         name="office-committee-result-pdf"),
    path("office/committee/meetings/<int:meeting_id>/minutes/", office.minutes, name="office-committee-minutes"),
    path("office/committee/rounds/<int:round_id>/", office.round_detail, name="office-committee-round"),
    path("office/committee/rounds/<int:round_id>/paper/", office.paper_ballot, name="office-committee-paper"),
    path("office/committee/rounds/<int:round_id>/paper-totals/", office.paper_totals,
         name="office-committee-paper-totals"),
    path("office/committee/rounds/<int:round_id>/government-named/", office.government_named,
         name="office-committee-government-named"),
    path("office/committee/rounds/<int:round_id>/close/", office.close_round, name="office-committee-close"),
    path("office/committee/rounds/<int:round_id>/tie/", office.settle_tie, name="office-committee-tie"),
]

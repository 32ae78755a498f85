"""A committee member's pages (under /<slug:jurisdiction>/)."""

from django.urls import path

from . import views_member as member

urlpatterns = [
    path("committee/meetings/", member.meeting_list, name="committee-meetings"),
    path("committee/meetings/<int:meeting_id>/dossier/", member.dossier, name="committee-dossier"),
    path("committee/rounds/<int:round_id>/ballot/", member.ballot_page, name="committee-ballot"),
]

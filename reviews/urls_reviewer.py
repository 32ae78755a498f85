"""Reviewer pages, included under /<slug:jurisdiction>/."""

from django.urls import path

from . import views_reviewer as views
from . import views_reviewer_consensus as consensus
from . import views_reviewer_files as files
from . import views_reviewer_scoring as scoring

urlpatterns = [
    path("reviewer/affiliations/", views.affiliations, name="reviewer-affiliations"),
    path("reviewer/applications/", views.applications, name="reviewer-applications"),
    path(
        "reviewer/applications/<int:pk>/files/<int:file_id>/",
        files.application_file,
        name="reviewer-application-file",
    ),
    path("reviewer/applications/<int:pk>/attest/", views.attest, name="reviewer-attest"),
    path("reviewer/applications/<int:pk>/<slug:stage>/score/", scoring.score_page, name="reviewer-score"),
    path(
        "reviewer/applications/<int:pk>/<slug:stage>/score/autosave/",
        scoring.score_autosave,
        name="reviewer-score-autosave",
    ),
    path("reviewer/applications/<int:pk>/<slug:stage>/consensus/", consensus.consensus_page, name="reviewer-consensus"),
    path(
        "reviewer/applications/<int:pk>/<slug:stage>/consensus/autosave/",
        consensus.consensus_autosave,
        name="reviewer-consensus-autosave",
    ),
    path(
        "reviewer/applications/<int:pk>/<slug:stage>/consensus/reopen/",
        consensus.consensus_reopen,
        name="reviewer-consensus-reopen",
    ),
]

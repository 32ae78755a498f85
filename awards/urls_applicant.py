"""Applicant pages, included under /<slug:jurisdiction>/."""

from django.urls import path

from . import views_applicant as views
from . import views_applicant_documents as downloads
from . import views_applicant_editor as editor

urlpatterns = [
    path("cycles/<int:year>/", views.cycle_call, name="cycle-call"),
    path("cycles/<int:year>/apply/", views.application_start, name="application-start"),
    path("organization/", views.organization_record, name="org-record"),
    path("my/", views.dashboard, name="applicant-dashboard"),
    path("applications/<int:pk>/", editor.application_edit, name="application-edit"),
    path("applications/<int:pk>/autosave/", editor.application_autosave, name="application-autosave"),
    path("applications/<int:pk>/upload/<slug:kind>/", editor.application_upload, name="application-upload"),
    path(
        "applications/<int:pk>/files/<int:file_id>/remove/",
        editor.application_file_remove,
        name="application-file-remove",
    ),
    path("applications/<int:pk>/submit/", editor.application_submit, name="application-submit"),
    path("applications/<int:pk>/withdraw/", editor.application_withdraw, name="application-withdraw"),
    path("applications/<int:pk>/files/<int:file_id>/", downloads.application_file, name="application-file"),
    path("applications/<int:pk>/receipt.pdf", downloads.application_receipt, name="application-receipt"),
    path("applications/<int:pk>/letter.pdf", downloads.application_letter, name="application-letter"),
]

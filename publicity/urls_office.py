from django.urls import path

from . import views_office

urlpatterns = [
    path("office/publicity/", views_office.workbench, name="office-publicity"),
    path("office/objections/<int:objection_id>/", views_office.objection_page, name="office-objection"),
    path("office/objections/<int:objection_id>/files/<int:evidence_id>/", views_office.objection_file,
         name="office-objection-file"),
    path("office/objections/<int:objection_id>/letters/<slug:kind>.pdf", views_office.objection_letter,
         name="office-objection-letter"),
]

from django.urls import path

from . import views_office

urlpatterns = [
    path("office/records/", views_office.records_page, name="office-records"),
    path("office/records/cycles/<int:cycle_id>/export/", views_office.export_cycle, name="office-records-export"),
    path("office/records/exports/<int:export_id>/archive.zip", views_office.export_download,
         name="office-records-download"),
    path("office/records/staff-conflicts/", views_office.declare_conflict, name="office-records-staff-conflict"),
]

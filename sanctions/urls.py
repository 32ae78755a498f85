from django.urls import path

from . import views_office

urlpatterns = [
    path("office/post-award/", views_office.overview, name="office-sanctions"),
    path("office/post-award/winners/<int:application_id>/", views_office.winner, name="office-sanctions-winner"),
    path("office/post-award/revocations/<int:revocation_id>/", views_office.revocation_page,
         name="office-sanctions-revocation"),
    path("office/post-award/revocations/<int:revocation_id>/approval-document/", views_office.revocation_document,
         name="office-sanctions-revocation-document"),
    path("office/blacklist/", views_office.blacklist_page, name="office-blacklist"),
]

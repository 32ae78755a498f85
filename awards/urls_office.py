"""Office staff pages of one jurisdiction (included under /<slug:jurisdiction>/)."""

from django.urls import path

from . import views_office, views_office_review

urlpatterns = [
    path("office/cycles/", views_office.cycles, name="office-cycles"),
    path("office/cycles/<int:year>/", views_office.cycle_dashboard, name="office-cycle"),
    path("office/cycles/<int:year>/publish/", views_office.cycle_publish, name="office-cycle-publish"),
    path("office/cycles/<int:year>/close/", views_office.cycle_close, name="office-cycle-close"),
    path("office/cycles/<int:year>/export.xlsx", views_office.cycle_export, name="office-cycle-export"),
    path("office/applications/<int:pk>/", views_office_review.application_detail, name="office-application"),
    path(
        "office/applications/<int:pk>/decide/",
        views_office_review.application_decide,
        name="office-application-decide",
    ),
]

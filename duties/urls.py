from django.urls import path

from . import views_office, views_winner

urlpatterns = [
    path("duties/", views_winner.duties_home, name="duties-home"),
    path("duties/self-assessments/<int:duty_id>/", views_winner.self_assessment_page, name="duty-self-assessment"),
    path("duties/<int:pk>/incident/", views_winner.incident_page, name="duty-incident"),
    path("duties/reports/<int:report_id>.pdf", views_winner.report_file, name="duty-report-file"),
    path("duties/incidents/<int:incident_id>/file/", views_winner.incident_file, name="duty-incident-file"),
    path("office/duties/", views_office.overview, name="office-duties"),
    path("office/duties/reports/<int:report_id>/", views_office.spot_check, name="office-duty-spot-check"),
    path("office/duties/orders/new/", views_office.order_new, name="office-duty-order-new"),
    path("office/duties/orders/<int:order_id>/", views_office.order_page, name="office-duty-order"),
]

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.tenant_home, name="tenant-home"),
    path("rules/", views.rules_page, name="rules"),
    path("", include("jurisdictions.urls_people")),
    path("", include("jurisdictions.urls_calendar")),
]

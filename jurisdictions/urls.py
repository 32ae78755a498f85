from django.urls import include, path

from . import views, views_rules_changes

urlpatterns = [
    path("", views.tenant_home, name="tenant-home"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/changes/", views_rules_changes.rules_changes, name="rules-changes"),
    path("", include("jurisdictions.urls_calendar")),
]

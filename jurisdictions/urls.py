from django.urls import include, path

from . import views, views_notifications, views_rules_changes

urlpatterns = [
    path("", views.tenant_home, name="tenant-home"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/changes/", views_rules_changes.rules_changes, name="rules-changes"),
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path("notifications/<int:notification_id>/", views_notifications.notification_open, name="notification-open"),
    path("", include("jurisdictions.urls_calendar")),
]

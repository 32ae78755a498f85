"""The office's work calendar, under /<jurisdiction>/office/calendar/."""

from django.urls import path

from . import calendar_views

urlpatterns = [
    path("office/calendar/", calendar_views.office_calendar, name="office-calendar"),
    path("office/calendar/confirm/", calendar_views.confirm_year, name="office-calendar-confirm"),
    path(
        "office/calendar/overrides/<int:pk>/delete/",
        calendar_views.delete_override,
        name="office-calendar-delete",
    ),
]

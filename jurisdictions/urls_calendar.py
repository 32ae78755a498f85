"""The office's work calendar, under /<jurisdiction>/office/calendar/."""

from django.urls import path

from . import views_calendar

urlpatterns = [
    path("office/calendar/", views_calendar.office_calendar, name="office-calendar"),
    path("office/calendar/confirm/", views_calendar.confirm_year, name="office-calendar-confirm"),
    path(
        "office/calendar/overrides/<int:pk>/delete/",
        views_calendar.delete_override,
        name="office-calendar-delete",
    ),
]

"""Calendar pages and feeds. Joined into events/urls.py (namespace "events")."""

from django.urls import path

from events import views_calendar

urlpatterns = [
    path("events/<int:event_id>/calendar.ics", views_calendar.event_ics, name="event-ics"),
    path("calendar/", views_calendar.calendar_links, name="calendar-links"),
    path("calendar/mine/<slug:action>/", views_calendar.calendar_personal_action, name="calendar-personal-action"),
    path(
        "calendar/groups/<slug:slug>/<slug:action>/",
        views_calendar.calendar_group_action,
        name="calendar-group-action",
    ),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar-feed"),
]

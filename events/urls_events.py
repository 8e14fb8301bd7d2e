"""Event pages. Joined into events/urls.py (namespace "events").

Services link to /events/<id>/ and /events/<id>/organise/, and the check-in QR code to /events/<id>/check-in/?code=...
"""

from django.urls import path

from events.views import browse, checkin, group_figures, manage, organise

urlpatterns = [
    path("events/", browse.event_list, name="event-list"),
    path("me/events/", browse.my_events, name="my-events"),
    path("groups/<slug:slug>/events/new/", manage.event_create_view, name="event-create"),
    path("groups/<slug:slug>/figures/", group_figures.group_figures_page, name="group-figures"),
    path("events/<int:event_id>/", browse.event_detail, name="event-detail"),
    path("events/<int:event_id>/rsvp/", browse.event_rsvp, name="event-rsvp"),
    path("events/<int:event_id>/rsvp/cancel/", browse.event_rsvp_cancel, name="event-rsvp-cancel"),
    path("events/<int:event_id>/edit/", manage.event_edit_view, name="event-edit"),
    path("events/<int:event_id>/cancel/", manage.event_cancel_view, name="event-cancel"),
    path("events/<int:event_id>/organise/", organise.event_organise, name="event-organise"),
    path(
        "events/<int:event_id>/organise/<int:user_id>/<slug:action>/",
        organise.event_attendee_action,
        name="event-attendee-action",
    ),
    path("events/<int:event_id>/announce/", organise.event_announce_view, name="event-announce"),
    path("events/<int:event_id>/attendees.csv", organise.event_attendees_csv, name="event-attendees-csv"),
    path("events/<int:event_id>/check-in/", checkin.event_checkin, name="event-checkin"),
    path(
        "events/<int:event_id>/check-in/<int:user_id>/<slug:action>/",
        checkin.event_checkin_person,
        name="event-checkin-person",
    ),
    path("events/<int:event_id>/pulse/", checkin.event_pulse, name="event-pulse"),
    path("events/<int:event_id>/pulse/delete/", checkin.event_pulse_delete, name="event-pulse-delete"),
]

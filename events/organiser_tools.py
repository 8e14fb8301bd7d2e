"""What the organiser pages and the API share: the actions on one person, and the attendee list as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone

from community.errors import NotFound
from community.models import User
from events.models import Event
from events.selectors import Attendees
from events.services.checkin import attendance_mark, attendance_undo
from events.services.rsvps import rsvp_approve, rsvp_decline, rsvp_remove

# action in the URL -> (service, message for the page; {name} is the person's display name)
ATTENDEE_ACTIONS: dict[str, tuple[Callable, str]] = {
    "approve": (rsvp_approve, "{name} can come. We've let them know."),
    "decline": (rsvp_decline, "You've said not this time to {name}. We've let them know kindly."),
    "remove": (rsvp_remove, "{name} is off the list now. If someone was waiting, they have the place."),
    "check-in": (attendance_mark, "{name} is marked here."),
    "undo-check-in": (attendance_undo, "{name}'s check-in is undone."),
}

# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def attendee_person(user_id: int) -> User:
    """The person an organiser acts on. Asked only after the organiser check, so it says nothing to anyone else."""
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise NotFound("That person hasn't asked to come to this event.", code="rsvp_not_found")
    return person


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def attendees_csv(*, event: Event, attendees: Attendees) -> HttpResponse:
    """Display name, status, RSVP time (UK) and checked in, for everyone going, waiting and asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Display name", "Status", "RSVP time", "Checked in"])
    for rsvp in [*attendees.going, *attendees.waitlisted, *attendees.pending]:
        writer.writerow(
            [
                safe_cell(rsvp.user.display_name),
                safe_cell(rsvp.get_status_display()),
                safe_cell(_local(rsvp.created_at)),
                "Yes" if rsvp.checked_in_at else "No",
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    response["Cache-Control"] = "private, no-store"
    return response

"""Events in plain words, for pages and the API: "Friday 4 December, 6pm to 8pm", "3 places left", "You're going"."""

from __future__ import annotations

from datetime import datetime

from django.utils import dateformat, timezone

from events.models import Event, RsvpStatus

FEELING_WORDS = {1: "Really low", 2: "Low", 3: "OK", 4: "Good", 5: "Great"}

RSVP_STATUS_WORDS = {
    RsvpStatus.GOING: "You're going",
    RsvpStatus.WAITLISTED: "You're on the waiting list",
    RsvpStatus.PENDING: "You've asked to come",
    RsvpStatus.DECLINED: "Not this time",
    RsvpStatus.CANCELLED: "You said you can't go",
}


def clock(moment: datetime) -> str:
    """6pm, 6:30pm, 12pm (midday), 12am (midnight)."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}" if moment.minute else f"{hour}{suffix}"


def day_words(moment: datetime, *, this_year: int | None = None) -> str:
    """Friday 4 December (with the year only when it isn't this year)."""
    local = timezone.localtime(moment)
    text = dateformat.format(local, "l j F")
    if local.year != (this_year or timezone.localtime().year):
        text += f" {local.year}"
    return text


def when_in_words(starts_at: datetime, ends_at: datetime) -> str:
    """'Friday 4 December, 6pm to 8pm', or 'Friday 4 December, 10pm to Saturday 5 December, 2am', in UK time."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    this_year = timezone.localtime().year
    text = f"{day_words(start, this_year=this_year)}, {clock(start)} to "
    if end.date() != start.date():
        text += f"{day_words(end, this_year=this_year)}, "
    return text + clock(end)


def places_left(event: Event) -> int | None:
    """Free places, or None when there is no limit. Never below 0 (capacity may be lowered below those going)."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.going_count, 0)


def is_full(event: Event) -> bool:
    return event.capacity is not None and event.going_count >= event.capacity


def places_words(event: Event) -> str:
    left = places_left(event)
    if left is None:
        return "Plenty of room"
    if left == 0:
        return "Full: you can join the waiting list"
    return f"{left} place{'' if left == 1 else 's'} left"


def rsvp_status_words(status: str | None) -> str:
    return RSVP_STATUS_WORDS.get(status or "", "")

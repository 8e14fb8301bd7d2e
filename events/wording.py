"""Events in plain words, for pages and the API: "Friday 4 December, 6pm to 8pm", "3 places left", "You're going"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache
from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.dates import MONTHS, WEEKDAYS

from events.models import Event, RsvpStatus

if TYPE_CHECKING:
    from events.selectors import EventListRow

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


@dataclass(frozen=True)
class Today:
    """What every date in a list shares, worked out once per list instead of once per date: the current time zone,
    this year there, and the names of the days and months in the active language."""

    tz: tzinfo
    year: int
    weekdays: tuple[str, ...]  # Monday first, as datetime.weekday() counts
    months: tuple[str, ...]  # January at 1

    @classmethod
    def now(cls) -> Today:
        tz = timezone.get_current_timezone()
        weekdays, months = _day_and_month_names(translation.get_language())
        return cls(tz=tz, year=timezone.localtime(timezone=tz).year, weekdays=weekdays, months=months)


@cache
def _day_and_month_names(language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # The names dateformat's "l" and "F" give. Translating one costs microseconds, so each language does it once.
    weekdays = tuple(str(WEEKDAYS[day]) for day in range(7))
    months = ("", *(str(MONTHS[month]) for month in range(1, 13)))
    return weekdays, months


def day_words(moment: datetime, *, this_year: int | None = None, today: Today | None = None) -> str:
    """Friday 4 December (with the year only when it isn't this year). A list passes `today` (Today.now()) once."""
    today = today or Today.now()
    local = timezone.localtime(moment, today.tz)
    text = f"{today.weekdays[local.weekday()]} {local.day} {today.months[local.month]}"
    if local.year != (this_year or today.year):
        text += f" {local.year}"
    return text


def when_in_words(starts_at: datetime, ends_at: datetime, *, today: Today | None = None) -> str:
    """'Friday 4 December, 6pm to 8pm', or 'Friday 4 December, 10pm to Saturday 5 December, 2am', in UK time.

    A list passes `today` (Today.now()), worked out once for all its rows.
    """
    today = today or Today.now()
    start, end = timezone.localtime(starts_at, today.tz), timezone.localtime(ends_at, today.tz)
    text = f"{day_words(start, today=today)}, {clock(start)} to "
    if end.date() != start.date():
        text += f"{day_words(end, today=today)}, "
    return text + clock(end)


def places_left(event: Event | EventListRow) -> int | None:
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

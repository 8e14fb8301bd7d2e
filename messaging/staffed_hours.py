"""Weekly staffed hours, read in Europe/London: whether a room is open at a moment and when it next opens.

Pure functions over (weekday, opens_at, closes_at) rows, so pages, the socket and the posting rule agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Opening(Protocol):
    weekday: int
    opens_at: time
    closes_at: time


def is_open_at(openings: Iterable[Opening], moment: datetime) -> bool:
    local = moment.astimezone(LONDON)
    now = local.time()
    return any(o.weekday == local.weekday() and o.opens_at <= now < o.closes_at for o in openings)


def open_until(openings: Iterable[Opening], moment: datetime) -> datetime | None:
    """When the weekly opening that `moment` is in ends (London time), or None if it is in none."""
    local = moment.astimezone(LONDON)
    now = local.time()
    ends = [o.closes_at for o in openings if o.weekday == local.weekday() and o.opens_at <= now < o.closes_at]
    return datetime.combine(local.date(), max(ends), tzinfo=LONDON) if ends else None


def next_opening(openings: Iterable[Opening], moment: datetime) -> datetime | None:
    """When the room next opens after `moment` (an aware datetime in London time), or None with no hours set."""
    openings = list(openings)
    if not openings:
        return None
    local = moment.astimezone(LONDON)
    for days_ahead in range(8):
        day = (local + timedelta(days=days_ahead)).date()
        starts = sorted(o.opens_at for o in openings if o.weekday == day.weekday())
        for opens in starts:
            candidate = datetime.combine(day, opens, tzinfo=LONDON)
            if candidate > local:
                return candidate
    return None


def describe_opening(moment: datetime | None) -> str:
    """'Tuesday at 18:00', in plain words, for "This chat opens on ..."."""
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    return f"{WEEKDAYS[local.weekday()]} {local.day} {local:%B} at {local:%H:%M}"

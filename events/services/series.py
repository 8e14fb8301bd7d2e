"""Repeating dates: weekly, fortnightly or monthly, always at the same wall-clock time in the UK.

Every occurrence is built from a local date and a local time with zoneinfo, never by adding 7 x 24 hours to a UTC
moment, so an 18:00 meetup stays at 18:00 across the October and March clock changes. Monthly dates keep the first
date's day of the month, moved back to the month's last day when the month is shorter (31 January, 28 February,
31 March).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.utils import timezone

from community.errors import InvalidInput
from events.models import SeriesFrequency

MAX_OCCURRENCES = 52


def local_moment(day: date, naive_time) -> datetime:
    """`day` at `naive_time` in UK time. A time skipped by the spring clock change lands an hour later."""
    return datetime.combine(day, naive_time, tzinfo=timezone.get_default_timezone())


def as_local_naive(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def from_local_naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.get_default_timezone())


def move_wall_clock(moment: datetime, *, old_anchor: datetime, new_anchor: datetime) -> datetime:
    """Keep `moment` at the same wall-clock distance from its anchor when the anchor moves (e.g. an RSVP cut-off)."""
    return from_local_naive(as_local_naive(new_anchor) + (as_local_naive(moment) - as_local_naive(old_anchor)))


def nth_date(first: date, frequency: str, index: int) -> date:
    if frequency == SeriesFrequency.WEEKLY:
        return first + timedelta(days=7 * index)
    if frequency == SeriesFrequency.FORTNIGHTLY:
        return first + timedelta(days=14 * index)
    month_index = first.month - 1 + index
    year, month = first.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(first.day, calendar.monthrange(year, month)[1]))


def _too_many() -> InvalidInput:
    return InvalidInput(
        f"That's more than {MAX_OCCURRENCES} dates. Please choose fewer, or an earlier end date.",
        code="too_many_occurrences",
    )


def occurrence_dates(*, first: date, frequency: str, count: int | None, until: date | None) -> list[date]:
    """The dates of a series: `count` of them, or every one up to and including `until` (whichever ends first)."""
    if frequency not in SeriesFrequency.values:
        raise InvalidInput("Please choose every week, every two weeks or every month.", code="invalid_repeat")
    if count is None and until is None:
        raise InvalidInput(
            "Please say how many times it repeats, or the last date it happens.", code="repeat_end_needed"
        )
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        raise InvalidInput("The number of dates needs to be 1 or more.", code="invalid_repeat_count")
    if count is not None and count > MAX_OCCURRENCES:
        raise _too_many()
    if until is not None and until < first:
        raise InvalidInput("The last date can't be before the first one.", code="invalid_repeat_until")

    dates: list[date] = []
    index = 0
    while count is None or len(dates) < count:
        day = nth_date(first, frequency, index)
        if until is not None and day > until:
            break
        if len(dates) == MAX_OCCURRENCES:
            raise _too_many()
        dates.append(day)
        index += 1
    return dates


def occurrence_times(*, starts_at: datetime, ends_at: datetime, dates: list[date]) -> list[tuple[datetime, datetime]]:
    """(start, end) for each date, at the first occurrence's local start and end times."""
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    end_day_offset = local_end.date() - local_start.date()
    start_time, end_time = local_start.time().replace(tzinfo=None), local_end.time().replace(tzinfo=None)
    duration = ends_at - starts_at
    times = []
    for day in dates:
        start = local_moment(day, start_time)
        end = local_moment(day + end_day_offset, end_time)
        if end <= start:  # only around a clock change at night: keep the real length instead
            end = start + duration
        times.append((start, end))
    return times

"""Plain helpers for the events domain tests: events at any time (past ones too) and RSVPs straight in the table."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone

from community.models import Group, User
from events.models import Event, EventCategory, Rsvp, RsvpStatus


def make_event(group: Group, *, starts_in: timedelta = timedelta(days=3), hours: float = 2, **fields) -> Event:
    starts_at = fields.pop("starts_at", timezone.now() + starts_in)
    ends_at = fields.pop("ends_at", starts_at + timedelta(hours=hours))
    fields.setdefault("title", "Pizza and board games")
    fields.setdefault("category", EventCategory.SOCIAL)
    return Event.objects.create(group=group, starts_at=starts_at, ends_at=ends_at, **fields)


def make_rsvp(event: Event, user: User, status: str = RsvpStatus.GOING, **fields) -> Rsvp:
    rsvp = Rsvp.objects.create(event=event, user=user, status=status, **fields)
    if status == RsvpStatus.GOING:
        event.going_count = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
        event.save(update_fields=["going_count"])
    return rsvp


@contextmanager
def frozen_now(moment: datetime):
    """Make django.utils.timezone.now() (as the services call it) return `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())

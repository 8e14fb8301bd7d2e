"""The day-before reminder, sent once to each person going."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from community.models import User
from community.services.notifications import notify_many
from events.models import Event, EventStatus, Rsvp, RsvpStatus
from events.services.shared import event_path, when_text

REMINDER_LEAD = timedelta(hours=24)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind everyone going to an event that starts within the next day, once each.

    Each RSVP is marked (`reminder_sent_at`) in the same transaction as its notification, so running this again,
    twice at once or after a restart sends nothing twice. Returns how many reminders were sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Rsvp.objects.select_for_update(of=("self",))
            .filter(
                status=RsvpStatus.GOING,
                reminder_sent_at__isnull=True,
                user__is_active=True,
                event__status=EventStatus.SCHEDULED,
                event__starts_at__gt=now,
                event__starts_at__lte=now + REMINDER_LEAD,
            )
            .order_by("id")
        )
        if not due:
            return 0
        Rsvp.objects.filter(pk__in=[rsvp.pk for rsvp in due]).update(reminder_sent_at=now)
        people_by_event: dict[int, list[int]] = defaultdict(list)
        for rsvp in due:
            people_by_event[rsvp.event_id].append(rsvp.user_id)
        events = Event.objects.in_bulk(list(people_by_event))
        users = User.objects.in_bulk([rsvp.user_id for rsvp in due])
        for event_id, user_ids in people_by_event.items():
            event = events[event_id]
            where = "Online" if event.is_online else (event.area or "the place on the event page")
            notify_many(
                users=[users[user_id] for user_id in user_ids],
                kind="event_reminder",
                title=f"Coming up soon: {event.title}",
                body=f"A reminder that you're going on {when_text(event.starts_at)}. Where: {where}. "
                "If you can't make it, please cancel so someone else can go.",
                url=event_path(event),
            )
    return len(due)

"""One "this event has changed" notice per burst of edits.

An edit that matters to people coming (time, place, title, access information) sets `Event.changed_at` and schedules
a Huey task a few minutes later. The task sends a notice only if nothing changed again in the meantime (a later edit
has its own task) and something changed since the last notice, so three quick edits become one message. The periodic
reminders task also sweeps up any notice whose task was lost (for example when the queue was restarted).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community.services.notifications import notify_many
from events.models import Event, EventStatus
from events.services.shared import ACTIVE_RSVP_STATUSES, event_path, people_with_status, when_text

logger = logging.getLogger(__name__)


def change_notice_delay() -> timedelta:
    return timedelta(minutes=getattr(settings, "HN_EVENT_CHANGE_NOTICE_MINUTES", 10))


def schedule_change_notice(event: Event) -> None:
    """Call inside the editing transaction; the task is queued only once it commits."""

    def queue() -> None:
        from events import tasks  # tasks imports the services

        try:
            tasks.send_event_change_notice.schedule(args=(event.pk,), delay=change_notice_delay().total_seconds())
        except Exception:  # the periodic sweep sends it later
            logger.exception("Could not schedule the change notice for event %s", event.pk)

    transaction.on_commit(queue, robust=True)


def _notice_due(event: Event, now: datetime) -> bool:
    if event.changed_at is None:
        return False
    if event.change_notified_at is not None and event.change_notified_at >= event.changed_at:
        return False
    return now >= event.changed_at + change_notice_delay()


def event_change_notice_send(*, event_id: int, now: datetime | None = None) -> int:
    """Tell everyone going, waiting or asking that the event changed, if a quiet spell has followed the last edit.

    Safe to run any number of times: returns how many people were told (0 when nothing is due).
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None or not _notice_due(event, now):
            return 0
        event.change_notified_at = now
        event.save(update_fields=["change_notified_at"])
        if event.status != EventStatus.SCHEDULED or event.ends_at <= now:
            return 0  # a cancellation has its own notice; nobody needs news of a finished event
        people = people_with_status(event, ACTIVE_RSVP_STATUSES)
        where = "Online" if event.is_online else (event.area or "See the event page")
        notify_many(
            users=people,
            kind="event_changed",
            title=f"{event.title} has changed",
            body=f"It's now on {when_text(event.starts_at)}. Where: {where}. Have a look at the details.",
            url=event_path(event),
        )
    return len(people)


def send_due_change_notices(*, now: datetime | None = None) -> int:
    """Send every change notice that is due (the safety net behind the scheduled tasks). Returns people told."""
    now = now or timezone.now()
    due_ids = list(
        Event.objects.filter(changed_at__isnull=False, changed_at__lte=now - change_notice_delay())
        .exclude(change_notified_at__gte=F("changed_at"))
        .values_list("id", flat=True)
    )
    return sum(event_change_notice_send(event_id=event_id, now=now) for event_id in due_ids)

"""Background jobs for events (Huey). Each calls a service and is safe to run more than once."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from events.services.changes import event_change_notice_send, send_due_change_notices
from events.services.reminders import send_due_reminders


@db_periodic_task(crontab(minute="*/15"))
def send_event_reminders() -> int:
    """Every 15 minutes: the day-before reminders that are due, and any "event changed" notice still waiting."""
    send_due_change_notices()
    return send_due_reminders()


@db_task()
def send_event_change_notice(event_id: int) -> int:
    """Scheduled a few minutes after an edit: one notice for a burst of edits."""
    return event_change_notice_send(event_id=event_id)

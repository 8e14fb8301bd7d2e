"""Background jobs for events (Huey). Each calls a service and is safe to run more than once."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from events.services.changes import event_change_notice_send, send_due_change_notices
from events.services.reminders import send_due_reminders


@db_periodic_task(crontab(minute="*/15"))
def send_event_reminders() -> int:
    """Every 15 minutes: the day-before reminders that are due, and any "event changed" notice still waiting."""
    send_due_change_notices()
    return send_due_reminders()


@on_startup()
def _redo_a_killed_reminder_run() -> None:
    """A consumer starting after a crash: a reminder run it was in the middle of rolled back (each run is one
    transaction, and `reminder_sent_at` marks who has been reminded), so run again now rather than in 15 minutes."""
    send_event_reminders()


@db_task()
def send_event_change_notice(event_id: int) -> int:
    """Scheduled a few minutes after an edit: one notice for a burst of edits."""
    return event_change_notice_send(event_id=event_id)

"""Background jobs (Huey). Each one calls a service and is safe to run more than once."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from community.services.notifications import notification_email_send


@db_task()
def send_notification_email(notification_id: int) -> bool:
    """Email one notification, unless it has already been sent or is no longer wanted."""
    return notification_email_send(notification_id=notification_id)

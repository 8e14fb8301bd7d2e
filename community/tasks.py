"""Background jobs (Huey). Each one calls a service and is safe to run more than once."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from community.services.data_export import data_export_build
from community.services.notifications import notification_email_send, notification_emails_resend_due
from community.services.retention import retention_run
from community.services.wellbeing import checkin_invitations_send


@db_task()
def send_notification_email(notification_id: int) -> bool:
    """Email one notification, unless it has already been sent or is no longer wanted."""
    return notification_email_send(notification_id=notification_id)


@db_periodic_task(crontab(minute="*/10"))
def resend_lost_notification_emails() -> int:
    """Every 10 minutes, and when a consumer starts: emails still queued whose job was lost (a consumer killed
    mid-job, or Redis restarted empty). Never sends one twice (community.services.notifications)."""
    return notification_emails_resend_due()


@on_startup()
def _recover_lost_jobs() -> None:
    """A consumer starting after a crash: re-queue the sweep at once rather than wait for its next turn."""
    resend_lost_notification_emails()


@db_periodic_task(crontab(hour="10", minute="30"))
def send_checkin_invitations() -> int:
    """Daily, mid-morning: the gentle wellbeing check-in invitation to members who are due one (at most every
    HN_CHECKIN_INVITE_DAYS, never if they switched it off or checked in recently)."""
    return checkin_invitations_send()


@db_task()
def build_data_export(export_id: int) -> None:
    """Make a member's copy of their data and tell them it's ready (queued when they ask; safe to run twice)."""
    data_export_build(export_id=export_id)


@db_periodic_task(crontab(hour="3", minute="20"))
def purge_expired_data() -> dict:
    """Daily, early morning (quiet hours): delete what is past its retention period and log the run
    (community.services.retention; `manage.py retention --dry-run` shows what the next run would delete)."""
    return retention_run().removed

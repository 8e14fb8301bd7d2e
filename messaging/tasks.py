"""Background jobs for chat and moderation (Huey). Each calls a service and is safe to run more than once."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from messaging.services.moderation.escalation import moderation_escalate_overdue


@db_periodic_task(crontab(minute="*/5"))
def escalate_overdue_moderation() -> int:
    """Every 5 minutes: reports and safeguarding concerns past their deadline are escalated, once each, to every
    moderator and the safeguarding lead(s)."""
    escalated = moderation_escalate_overdue()
    return escalated.cases + escalated.concerns

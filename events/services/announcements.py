"""Organisers' messages to everyone going to an event."""

from __future__ import annotations

from django.db import transaction

from community.errors import InvalidInput
from community.models import User
from community.ratelimit import rate_limit_hit
from community.services.audit import audit_record
from community.services.notifications import notify_many
from events.models import Event, RsvpStatus
from events.permissions import require_organiser
from events.services.shared import event_path, people_with_status

MESSAGE_LIMIT = 1000
ANNOUNCEMENTS_PER_HOUR = 10


def event_announce(*, actor: User, event: Event, message: str) -> int:
    """Send `message` to everyone going (not the sender). Returns how many people were told.

    Refusals: not_an_organiser, message_required, too_long, rate_limited.
    """
    require_organiser(actor, event)
    message = (message or "").strip()
    if not message:
        raise InvalidInput("Please write a message first.", code="message_required")
    if len(message) > MESSAGE_LIMIT:
        raise InvalidInput(f"Please keep the message to {MESSAGE_LIMIT} characters.", code="too_long")
    rate_limit_hit(
        key=f"event-announce:{event.pk}",
        limit=ANNOUNCEMENTS_PER_HOUR,
        window_seconds=3600,
        detail="That's a lot of messages for one event. Please wait a while before sending another.",
    )
    with transaction.atomic():
        people = people_with_status(event, [RsvpStatus.GOING], exclude=actor)
        notify_many(
            users=people,
            kind="event_announcement",
            title=f"News about {event.title}",
            body=message,
            url=event_path(event),
        )
        audit_record(
            actor=actor,
            action="event_announced",
            target=event,
            group=event.group,
            data={"recipients": len(people), "length": len(message)},
        )
    return len(people)

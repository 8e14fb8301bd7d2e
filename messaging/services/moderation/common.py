"""Small helpers the moderator actions share: checking a reason, the group an audit entry belongs to, and sending a
changed message to the people who can see it."""

from __future__ import annotations

from community.errors import InvalidInput
from community.models import Group
from messaging import realtime, selectors
from messaging.models import Message, Room, RoomKind

MAX_REASON_CHARS = 1000


def clean_reason(reason, *, required: bool = True) -> str:
    """A moderator's reason, trimmed. Codes: reason_required, reason_too_long."""
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise InvalidInput("The reason needs to be text.", code="invalid")
    text = reason.strip()
    if required and not text:
        raise InvalidInput("Please write a short reason. It's kept in the audit log.", code="reason_required")
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(f"Please keep the reason under {MAX_REASON_CHARS:,} characters.", code="reason_too_long")
    return text


def room_group(room: Room | None) -> Group | None:
    """The group a room belongs to (a group's room, or an event's room through its event), for audit entries."""
    if room is None:
        return None
    if room.kind == RoomKind.GROUP:
        return room.group
    if room.kind == RoomKind.EVENT:
        return room.event.group
    return None


def payload_for(message: Message) -> dict:
    return selectors.message_payload(selectors.message_with_details(message_id=message.pk))


def on_commit_changed(message: Message) -> None:
    """message.updated, once this commits: to the whole room, or - for a held message nobody else has seen - only to
    its author's tabs."""
    payload = payload_for(message)
    if message.is_held:
        if message.author_id is not None:
            realtime.on_commit_to_user(
                user_id=message.author_id,
                frame={"type": "message.updated", "room": message.room_id, "message": payload},
            )
        return
    realtime.on_commit_message_updated(room_id=message.room_id, payload=payload)

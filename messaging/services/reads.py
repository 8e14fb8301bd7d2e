"""Read markers: how far a person has read in a room. They only move forward."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from community.models import User
from messaging import permissions, realtime
from messaging.models import Message, ReadMarker, Room
from messaging.selectors import unread_count_for


@dataclass(frozen=True)
class ReadState:
    room_id: int
    last_read_message_id: int
    unread_count: int


def _lock_marker(*, room: Room, user: User) -> ReadMarker:
    marker = ReadMarker.objects.select_for_update().filter(room=room, user=user).first()
    if marker is not None:
        return marker
    try:
        with transaction.atomic():
            return ReadMarker.objects.create(room=room, user=user)
    except IntegrityError:  # another tab made it a moment ago
        return ReadMarker.objects.select_for_update().get(room=room, user=user)


def read_mark(*, actor: User, room_id: int, message_id: int) -> ReadState:
    """Say you've read up to `message_id` in a room. Your other tabs hear about it (a `room.read` frame).
    Marking an older message changes nothing.

    Refusals: room_not_found, not_a_member, message_not_found (not a message of this room).
    """
    with transaction.atomic():
        room = permissions.access_room(user=actor, room_id=room_id)
        if not isinstance(message_id, int) or not Message.objects.filter(pk=message_id, room=room).exists():
            raise permissions.message_not_found()
        marker = _lock_marker(room=room, user=actor)
        if message_id > marker.last_read_message_id:
            marker.last_read_message_id = message_id
            marker.save(update_fields=["last_read_message_id", "updated_at"])
        state = ReadState(
            room_id=room.pk,
            last_read_message_id=marker.last_read_message_id,
            unread_count=unread_count_for(user=actor, room=room),
        )
        realtime.on_commit_to_user(
            user_id=actor.pk,
            frame={
                "type": "room.read",
                "room": room.pk,
                "last_read_message_id": state.last_read_message_id,
                "unread_count": state.unread_count,
            },
        )
    return state

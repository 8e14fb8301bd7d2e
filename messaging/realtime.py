"""Channel-layer group names and broadcast helpers for chat.

A broadcast is encoded to JSON once and sent as a pre-encoded `forward.frame` to the room's group, so every
subscriber - the author's other tabs included - gets the same bytes whichever path made the change (socket, REST,
admin). Services call `on_commit_*`, so nothing rolled back is ever broadcast.
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db import transaction

from community.realtime import HIDDEN_PEOPLE_CHANGED, POLICIES_CHANGED, group_send_soon, user_group_name

# Internal frames sent to a person's own group (`user.<id>`). The consumer acts on them and never forwards them.
ACCESS_CHANGED_TEXT = json.dumps({"type": "access.changed"})
HIDDEN_PEOPLE_CHANGED_TEXT = json.dumps(HIDDEN_PEOPLE_CHANGED)  # with `person` and `hidden` beside the text
POLICIES_CHANGED_TEXT = json.dumps(POLICIES_CHANGED)


def room_group_name(room_id: int) -> str:
    return f"room.{room_id}"


def encode(frame: dict) -> str:
    return json.dumps(frame, default=str, ensure_ascii=False, separators=(",", ":"))


def forward_event(
    frame: dict, *, room_id: int | None = None, message_id: int | None = None, author_id: int | None = None
) -> dict:
    """The channel-layer event for a room's broadcast, forwarded as it is. `room_id` says which room's sockets get it
    (messaging/fanout.py routes by it); `message_id` (a new message) lets a consumer drop a live copy of a message it
    has just replayed, without decoding the frame; `author_id` (whose message or typing it is) lets a consumer leave
    out people its user blocked or muted, also without decoding it."""
    event = {"type": "forward.frame", "text": encode(frame)}
    if room_id is not None:
        event["room_id"] = room_id
    if message_id is not None:
        event["message_id"] = message_id
    if author_id is not None:
        event["author_id"] = author_id
    return event


def broadcast_to_room(
    room_id: int, frame: dict, *, message_id: int | None = None, author_id: int | None = None
) -> None:
    group_send_soon(
        room_group_name(room_id), forward_event(frame, room_id=room_id, message_id=message_id, author_id=author_id)
    )


def broadcast_to_users(user_ids, frame: dict) -> None:
    text = encode(frame)
    for user_id in user_ids:
        group_send_soon(user_group_name(user_id), {"type": "forward.frame", "text": text, "user_id": user_id})


def _author_id(payload: dict) -> int | None:
    author = payload.get("author")
    return author["id"] if author else None


def on_commit_message_new(*, room_id: int, payload: dict) -> None:
    frame = {"type": "message.new", "room": room_id, "message": payload}
    author_id = _author_id(payload)
    transaction.on_commit(
        lambda: broadcast_to_room(room_id, frame, message_id=payload["id"], author_id=author_id), robust=True
    )


def on_commit_message_updated(*, room_id: int, payload: dict) -> None:
    frame = {"type": "message.updated", "room": room_id, "message": payload}
    author_id = _author_id(payload)
    transaction.on_commit(lambda: broadcast_to_room(room_id, frame, author_id=author_id), robust=True)


def on_commit_room_updated(*, room_id: int, payload: dict, user_ids=None) -> None:
    """To the room's subscribers, or (for a direct conversation) to both people's tabs, subscribed or not."""
    frame = {"type": "room.updated", "room": room_id, "changes": payload}
    if user_ids is None:
        transaction.on_commit(lambda: broadcast_to_room(room_id, frame), robust=True)
    else:
        transaction.on_commit(lambda: broadcast_to_users(user_ids, frame), robust=True)


def on_commit_to_user(*, user_id: int, frame: dict) -> None:
    transaction.on_commit(lambda: broadcast_to_users([user_id], frame), robust=True)


# --- presence ---------------------------------------------------------------------------------------------------------
# Who is in a room right now, for people who chose "show me as online": a counter per (room, person) in the cache,
# one per open tab subscribed, so it is shared by every process. It expires on its own if a process dies.

PRESENCE_SECONDS = 6 * 60 * 60


def _presence_key(room_id: int, user_id: int) -> str:
    return f"chat-presence:{room_id}:{user_id}"


def presence_join(*, room_id: int, user_id: int) -> bool:
    """Count one more tab of this person in the room. True if it is their first (they just came online)."""
    key = _presence_key(room_id, user_id)
    cache.add(key, 0, timeout=PRESENCE_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=PRESENCE_SECONDS)
        count = 1
    cache.touch(key, timeout=PRESENCE_SECONDS)
    return count == 1


def presence_leave(*, room_id: int, user_id: int) -> bool:
    """Count one tab fewer. True if it was their last (they just went offline here)."""
    key = _presence_key(room_id, user_id)
    try:
        count = cache.decr(key)
    except ValueError:
        return True
    if count <= 0:
        cache.delete(key)
        return True
    return False


def presence_online(*, room_id: int, user_ids) -> list[int]:
    keys = {_presence_key(room_id, user_id): user_id for user_id in user_ids}
    found = cache.get_many(list(keys))
    return sorted(keys[key] for key, count in found.items() if count and int(count) > 0)

"""Channel-layer group names and broadcast helpers for a user's own events (notifications, counts).

Services call `broadcast_*` inside `transaction.on_commit`, so nothing rolled back is ever sent.
"""

from __future__ import annotations

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def user_group_name(user_id: int) -> str:
    return f"user.{user_id}"


def send_to_user(user_id: int, frame: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    text = json.dumps(frame, default=str)
    async_to_sync(layer.group_send)(user_group_name(user_id), {"type": "forward.frame", "text": text})


def access_changed_on_commit(user_id: int) -> None:
    """After this transaction commits, the person's open sockets re-check what they may read.

    Services call this whenever a change can take a room away from someone (leaving a group, no longer going to an
    event, a new site role), so a socket never keeps streaming a room its owner may no longer see.
    """
    from django.db import transaction

    transaction.on_commit(lambda: send_to_user(user_id, {"type": "access.changed"}), robust=True)

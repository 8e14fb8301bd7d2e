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

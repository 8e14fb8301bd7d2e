"""The one socket per browser tab at /ws/. Thin: check the user, forward the user's own events.

The chat issue adds rooms, messages and the rest of the protocol in docs/realtime.md.
"""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncWebsocketConsumer

from community.realtime import user_group_name

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_SUSPENDED = 4403


class SocketConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        if not user.is_active:
            await self.close(code=CLOSE_SUSPENDED)
            return
        self.user_group = user_group_name(user.pk)
        await self.channel_layer.group_add(self.user_group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "user_group"):
            await self.channel_layer.group_discard(self.user_group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        try:
            frame = json.loads(text_data or "")
        except ValueError:
            frame = None
        frame_type = frame.get("type") if isinstance(frame, dict) else None
        await self.send_error("unknown_frame", f"This server does not understand frames of type {frame_type!r} yet.")

    async def send_error(self, code: str, detail: str, client_id: str | None = None) -> None:
        await self.send(text_data=json.dumps({"type": "error", "code": code, "detail": detail, "client_id": client_id}))

    async def dispatch(self, message):
        # AsyncConsumer.dispatch pays a thread hop to close old database connections before every handler.
        # Forwarding a pre-encoded frame touches no database, so it skips that hop (it is the hot path).
        if message.get("type") == "forward.frame":
            await self.forward_frame(message)
            return
        await super().dispatch(message)

    async def forward_frame(self, event):
        """A pre-encoded frame from a broadcast helper: sent as it is, encoded once for every recipient."""
        await self.send(text_data=event["text"])

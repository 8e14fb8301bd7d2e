"""The socket protocol: which frames a client may send, what fields each has, and the checks on them.

`parse_frame` turns the text of one WebSocket message into a `Frame` or raises `ProtocolError` with a stable code:
frame_too_large, invalid_frame (not JSON, not an object, a missing field or a field of the wrong type) or
unknown_type. docs/realtime.md documents every frame; tests keep the two in step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MAX_FRAME_BYTES = 64 * 1024

# Client -> server: type -> {field: (kind, required)}. Kinds: "int", "int?" (an int or null), "str".
CLIENT_FRAMES: dict[str, dict[str, tuple[str, bool]]] = {
    "subscribe": {"room": ("int", True), "after": ("int?", False)},
    "unsubscribe": {"room": ("int", True)},
    "message.send": {
        "room": ("int", True),
        "body": ("str", True),
        "client_id": ("str", True),
        "reply_to": ("int?", False),
    },
    "message.edit": {"message": ("int", True), "body": ("str", True)},
    "message.delete": {"message": ("int", True)},
    "reaction.toggle": {"message": ("int", True), "emoji": ("str", True)},
    "typing": {"room": ("int", True)},
    "read": {"room": ("int", True), "message": ("int", True)},
}

# Server -> client frame types (documented in docs/realtime.md, each with a test).
SERVER_FRAMES = (
    "subscribed",
    "unsubscribed",
    "room.left",
    "message.new",
    "message.updated",
    "room.updated",
    "room.read",
    "typing",
    "presence",
    "notification",
    "notifications.read",
    "error",
)

# Close codes.
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_SUSPENDED = 4403
CLOSE_POLICIES_NOT_ACCEPTED = 4428  # like HTTP 428: accept the current agreement and privacy notice first
CLOSE_TOO_SLOW = 4408
CLOSE_TRY_AGAIN = 4503  # like HTTP 503: the server lost Redis (or could not subscribe); reconnect and catch up
CLOSE_RATE_LIMITED = 4429


@dataclass
class Frame:
    type: str
    fields: dict = field(default_factory=dict)
    client_id: str | None = None


class ProtocolError(Exception):
    def __init__(self, code: str, detail: str, *, client_id: str | None = None, frame_type: str | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.client_id = client_id
        self.frame_type = frame_type


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


def _check(name: str, kind: str, value) -> bool:
    if kind == "int":
        return _is_int(value)
    if kind == "int?":
        return value is None or _is_int(value)
    return isinstance(value, str)


_KIND_WORDS = {"int": "a whole number", "int?": "a whole number or null", "str": "text"}


def text_too_large(text: str) -> bool:
    # A character is at most 4 bytes in UTF-8, so only long texts need encoding to be measured.
    return len(text) > MAX_FRAME_BYTES or (len(text) * 4 > MAX_FRAME_BYTES and len(text.encode()) > MAX_FRAME_BYTES)


def parse_frame(text: str) -> Frame:
    if text_too_large(text):
        raise ProtocolError("frame_too_large", "That frame is over 64 KiB, which is more than the server accepts.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested too deep ("[[[[..."), well within 64 KiB
        raise ProtocolError("invalid_frame", 'Frames must be JSON objects, like {"type": "subscribe"}.') from None
    if not isinstance(data, dict):
        raise ProtocolError("invalid_frame", 'Frames must be JSON objects, like {"type": "subscribe"}.')
    raw_client_id = data.get("client_id")
    client_id = raw_client_id if isinstance(raw_client_id, str) else None
    frame_type = data.get("type")
    if not isinstance(frame_type, str):
        raise ProtocolError("invalid_frame", 'Every frame needs a "type", as text.', client_id=client_id)
    spec = CLIENT_FRAMES.get(frame_type)
    if spec is None:
        raise ProtocolError(
            "unknown_type", f"The server doesn't know frames of type {frame_type[:40]!r}.", client_id=client_id
        )
    fields = {}
    for name, (kind, required) in spec.items():
        if name not in data:
            if required:
                raise ProtocolError(
                    "invalid_frame", f'A {frame_type} frame needs "{name}".', client_id=client_id, frame_type=frame_type
                )
            continue
        if not _check(name, kind, data[name]):
            raise ProtocolError(
                "invalid_frame",
                f'In a {frame_type} frame, "{name}" must be {_KIND_WORDS[kind]}.',
                client_id=client_id,
                frame_type=frame_type,
            )
        fields[name] = data[name]
    return Frame(type=frame_type, fields=fields, client_id=client_id)

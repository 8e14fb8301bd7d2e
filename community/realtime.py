"""Channel-layer group names and the one way every service broadcasts: `group_send_soon`.

Services call the `broadcast_*` helpers inside `transaction.on_commit`, so nothing rolled back is ever sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import weakref
from collections import deque

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def user_group_name(user_id: int) -> str:
    return f"user.{user_id}"


def send_to_user(user_id: int, frame: dict) -> None:
    text = json.dumps(frame, default=str)
    group_send_soon(user_group_name(user_id), {"type": "forward.frame", "text": text, "user_id": user_id})


def access_changed_on_commit(user_id: int) -> None:
    """After this transaction commits, the person's open sockets re-check what they may read.

    Services call this whenever a change can take a room away from someone (leaving a group, no longer going to an
    event, a new site role), so a socket never keeps streaming a room its owner may no longer see.
    """
    from django.db import transaction

    transaction.on_commit(lambda: send_to_user(user_id, {"type": "access.changed"}), robust=True)


# Internal frame: the person blocked, muted, unblocked or unmuted someone. Never forwarded to the client.
HIDDEN_PEOPLE_CHANGED = {"type": "hidden_people.changed"}


def hidden_people_changed_on_commit(user_id: int, *, person_id: int, hidden: bool) -> None:
    """After this transaction commits, the person's open sockets start (hidden=True) or stop hiding `person_id`'s
    messages. The change travels beside the frame (`person`, `hidden`), so a socket applies it without the database."""
    from django.db import transaction

    text = json.dumps(HIDDEN_PEOPLE_CHANGED)
    event = {"type": "forward.frame", "text": text, "user_id": user_id, "person": person_id, "hidden": hidden}
    transaction.on_commit(lambda: group_send_soon(user_group_name(user_id), event), robust=True)


# Every open socket on the site is in this group (each server process joins it once, messaging/fanout.py).
EVERYONE_GROUP = "everyone"

# Internal frame: a new version of the community agreement or the privacy notice was published. Never forwarded.
POLICIES_CHANGED = {"type": "policies.changed"}


def policies_changed_on_commit() -> None:
    """After this transaction commits, every open socket checks that its person has accepted the current versions,
    and closes with 4428 if not, as a new socket would be refused: nobody keeps chatting past a new agreement."""
    from django.db import transaction

    event = {"type": "forward.frame", "text": json.dumps(POLICIES_CHANGED), "everyone": True}
    transaction.on_commit(lambda: group_send_soon(EVERYONE_GROUP, event), robust=True)


# --- sending from services --------------------------------------------------------------------------------------------
# A service runs in a worker thread when a socket or an ASGI request called it. `async_to_sync` from there would
# hold that thread (on SQLite, the one thread all database work shares) until the event loop got round to the send,
# so every broadcast queued behind the loop's other work. Instead the send is handed to the loop and the thread goes
# on; an outbox per loop sends in the order the services committed. Anywhere else (a management command, the Huey
# consumer, a plain test) the send happens before the call returns, as before.


class _Outbox:
    def __init__(self, layer):
        self.layer = layer
        self.pending: deque[tuple[str, dict]] = deque()
        self.sender: asyncio.Task | None = None

    def put(self, group: str, event: dict) -> None:  # runs on the loop
        self.pending.append((group, event))
        if self.sender is None or self.sender.done():
            self.sender = asyncio.get_running_loop().create_task(self._send_all())

    async def _send_all(self) -> None:
        while self.pending:
            group, event = self.pending.popleft()
            try:
                await self.layer.group_send(group, event)
            except Exception:  # the change is stored; a missed live update is caught up on the next subscribe
                logger.exception("Could not broadcast a frame to %s", group)


_outboxes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _loop_for_this_thread() -> asyncio.AbstractEventLoop | None:
    """The loop running in this thread, or the running loop that handed this worker thread its work (asgiref
    records it); None in plain synchronous code."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is None or getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        return None
    if loop.is_closed() or not loop.is_running():
        return None
    return loop


def _put(layer, group: str, event: dict) -> None:  # runs on the loop
    loop = asyncio.get_running_loop()
    outbox = _outboxes.get(loop)
    if outbox is None or outbox.layer is not layer:
        outbox = _outboxes[loop] = _Outbox(layer)
    outbox.put(group, event)


def group_send_soon(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _loop_for_this_thread()
    if loop is not None:
        loop.call_soon_threadsafe(_put, layer, group, event)
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # the change is stored; a missed live update is caught up on the next subscribe
        logger.exception("Could not broadcast a frame to %s", group)

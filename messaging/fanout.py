"""Broadcasts fanned out inside each server process.

The channel layer carries ONE copy of a broadcast to each server process, not one per open socket: the process's
`Fanout` has a single channel, which is in a group (`room.<id>`, `user.<id>`) while at least one local socket wants
it, and hands each frame (already encoded) straight to those sockets. On Redis that is one copy through Redis per
process instead of one per socket; on either layer a delivery is a function call, not a queue, a task and a wake-up
per socket, and a socket needs no channel of its own.

Frames name what they are for: `room_id` (a room's broadcast) or `user_id` (one person's own events:
notifications, access changes), set by `messaging.realtime` and `community.realtime`.

What can go wrong is handled on purpose, never by dropping frames quietly:
- the process falls so far behind that its channel overflows (`HN_CHANNEL_CAPACITY`): every local socket closes
  with 4408 and its client reconnects and catches up with `subscribe` + `after` (docs/realtime.md);
- a group membership would expire after the layer's `group_expiry`: it is renewed well before;
- one socket failing to take a frame does not stop the others getting it;
- the layer itself fails (Redis restarted or unreachable: its group memberships and queued frames may be gone): the
  process forgets its channel and memberships and every local socket closes with 4503, so its client reconnects
  (joining afresh once Redis is back) and catches up with `subscribe` + `after`. Without this the reader would die
  quietly and the process's sockets would stay open receiving nothing (tests/reliability/test_faults_redis.py).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Protocol

from community.realtime import EVERYONE_GROUP, user_group_name
from messaging.layers import OVERFLOW_EVENT
from messaging.realtime import room_group_name

logger = logging.getLogger(__name__)


class Subscriber(Protocol):
    async def forward_frame(self, event: dict) -> None: ...

    async def channel_overflow(self, event: dict) -> None: ...

    async def layer_lost(self) -> None: ...


def _group_of(event: dict) -> str | None:
    if event.get("everyone"):
        return EVERYONE_GROUP
    room_id = event.get("room_id")
    if room_id is not None:
        return room_group_name(room_id)
    user_id = event.get("user_id")
    if user_id is not None:
        return user_group_name(user_id)
    return None


class Fanout:
    def __init__(self, layer):
        self.layer = layer
        self.local: dict[str, set[Subscriber]] = {}  # group -> this process's sockets that want it
        self.locks: dict[str, asyncio.Lock] = {}  # group_add and group_discard for a group never overtake each other
        self.channel: str | None = None
        self.tasks: list[asyncio.Task] = []
        self.generation = 0  # goes up each time the layer is lost and everything here is forgotten

    async def join(self, group: str, subscriber: Subscriber) -> None:
        """Returns once the group's frames reach `subscriber`, so nothing committed after this can be missed.
        Raises if the layer can't be reached (the caller's socket closes and its client tries again)."""
        async with self._lock(group):
            local = self.local.get(group)
            if local is None:
                generation = self.generation
                if self.channel is None:
                    # The default prefix: channels_redis receives all of a process's channels through one loop that
                    # knows only that one.
                    self.channel = await self.layer.new_channel()
                await self.layer.group_add(group, self.channel)
                if generation != self.generation:
                    raise ConnectionError("The channel layer was lost while joining a group.")
                local = self.local[group] = set()
                self._start()
            local.add(subscriber)

    async def leave(self, group: str, subscriber: Subscriber) -> None:
        async with self._lock(group):
            local = self.local.get(group)
            if local is None or subscriber not in local:
                return
            local.discard(subscriber)
            if local:
                return
            del self.local[group]
            await self.layer.group_discard(group, self.channel)
            if not self.local:
                self._stop()

    def _lock(self, group: str) -> asyncio.Lock:
        lock = self.locks.get(group)
        if lock is None:
            lock = self.locks[group] = asyncio.Lock()
        return lock

    # --- the process's reader ------------------------------------------------------------------------------------

    def _start(self) -> None:
        if not self.tasks:
            loop = asyncio.get_running_loop()
            self.tasks = [loop.create_task(self._read()), loop.create_task(self._renew())]

    def _stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        self.tasks = []
        self.locks = {group: lock for group, lock in self.locks.items() if lock.locked()}

    async def _read(self) -> None:
        while True:
            try:
                event = await self.layer.receive(self.channel)
            except Exception:
                await self._lost()
                return
            if event.get("type") == OVERFLOW_EVENT["type"]:
                await self._overflowed(event)
                continue
            for subscriber in tuple(self.local.get(_group_of(event), ())):
                try:
                    await subscriber.forward_frame(event)
                except Exception:
                    logger.exception("A socket could not take a frame")

    async def _overflowed(self, event: dict) -> None:
        logger.warning("This process fell behind its broadcasts; its sockets will reconnect and catch up")
        everyone = {subscriber for local in self.local.values() for subscriber in local}
        for subscriber in everyone:
            try:
                await subscriber.channel_overflow(event)
            except Exception:
                logger.exception("A socket could not be told to reconnect")

    async def _lost(self) -> None:
        """The layer failed under the reader (Redis went away). Forget the channel and every membership - Redis may
        come back empty - and close every local socket so its client reconnects and catches up."""
        logger.warning("Lost the channel layer (Redis?); this process's sockets will reconnect and catch up")
        everyone = {subscriber for local in self.local.values() for subscriber in local}
        self.generation += 1
        self.local, self.channel = {}, None
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:
                task.cancel()
        self.tasks = []
        self.locks = {group: lock for group, lock in self.locks.items() if lock.locked()}
        for subscriber in everyone:
            try:
                await subscriber.layer_lost()
            except Exception:
                logger.exception("A socket could not be told to reconnect")

    async def _renew(self) -> None:
        every = max(1.0, getattr(self.layer, "group_expiry", 86400) / 4)
        while True:
            await asyncio.sleep(every)
            for group in list(self.local):
                async with self._lock(group):
                    if group in self.local:
                        await self.layer.group_add(group, self.channel)


_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fanout_for(layer) -> Fanout:
    """This process's fan-out for `layer` (one per event loop: each test has its own loop)."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None or fanout.layer is not layer:
        fanout = _fanouts[loop] = Fanout(layer)
    return fanout

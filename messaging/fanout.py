"""Room broadcasts fanned out inside each server process.

The channel layer carries ONE copy of a room's broadcast to each server process, not one per open socket: the
process's `RoomFanout` has a single channel, which is in the room's group while at least one local socket is
subscribed, and hands each frame (already encoded) straight to the local sockets watching that room. On Redis that
is one copy through Redis per process instead of one per socket; on either layer a delivery costs a function call,
not a queue, a task and a wake-up per socket.

What can go wrong is handled on purpose, never by dropping frames quietly:
- the process falls so far behind that its fan-out channel overflows: every local socket closes with 4408 and its
  client reconnects and catches up with `subscribe` + `after` (docs/realtime.md);
- a group membership would expire after the layer's `group_expiry`: it is renewed well before;
- one socket failing to take a frame does not stop the others getting it.

A person's own events (notifications, access changes) still go to each socket's own channel, as before.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Protocol

from messaging.realtime import room_group_name

logger = logging.getLogger(__name__)

OVERFLOW = "channel.overflow"


class Subscriber(Protocol):
    async def forward_frame(self, event: dict) -> None: ...

    async def channel_overflow(self, event: dict) -> None: ...


class RoomFanout:
    def __init__(self, layer):
        self.layer = layer
        self.rooms: dict[int, set[Subscriber]] = {}
        self.channel: str | None = None
        self.tasks: list[asyncio.Task] = []
        self.changing = asyncio.Lock()  # group_add and group_discard for one room never overtake each other

    async def join(self, room_id: int, subscriber: Subscriber) -> None:
        """Returns once frames for the room reach `subscriber`, so nothing committed after this can be missed."""
        async with self.changing:
            local = self.rooms.get(room_id)
            if local is None:
                if self.channel is None:
                    # The default prefix: channels_redis receives all of a process's channels through one loop that
                    # knows only that one.
                    self.channel = await self.layer.new_channel()
                await self.layer.group_add(room_group_name(room_id), self.channel)
                local = self.rooms[room_id] = set()
                self._start()
            local.add(subscriber)

    async def leave(self, room_id: int, subscriber: Subscriber) -> None:
        async with self.changing:
            local = self.rooms.get(room_id)
            if local is None or subscriber not in local:
                return
            local.discard(subscriber)
            if local:
                return
            del self.rooms[room_id]
            await self.layer.group_discard(room_group_name(room_id), self.channel)
            if not self.rooms:
                self._stop()

    def subscribers(self, room_id: int) -> frozenset[Subscriber]:
        return frozenset(self.rooms.get(room_id, ()))

    # --- the process's reader ------------------------------------------------------------------------------------

    def _start(self) -> None:
        if not self.tasks:
            loop = asyncio.get_running_loop()
            self.tasks = [loop.create_task(self._read()), loop.create_task(self._renew())]

    def _stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        self.tasks = []

    async def _read(self) -> None:
        while True:
            event = await self.layer.receive(self.channel)
            if event.get("type") == OVERFLOW:
                await self._overflowed(event)
                continue
            for subscriber in tuple(self.rooms.get(event.get("room_id"), ())):
                try:
                    await subscriber.forward_frame(event)
                except Exception:
                    logger.exception("A socket could not take a room frame")

    async def _overflowed(self, event: dict) -> None:
        logger.warning("This process fell behind its room broadcasts; its sockets will reconnect and catch up")
        everyone = {subscriber for local in self.rooms.values() for subscriber in local}
        for subscriber in everyone:
            try:
                await subscriber.channel_overflow(event)
            except Exception:
                logger.exception("A socket could not be told to reconnect")

    async def _renew(self) -> None:
        every = max(1.0, getattr(self.layer, "group_expiry", 86400) / 4)
        while True:
            await asyncio.sleep(every)
            async with self.changing:
                for room_id in list(self.rooms):
                    await self.layer.group_add(room_group_name(room_id), self.channel)


_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fanout_for(layer) -> RoomFanout:
    """This process's fan-out for `layer` (one per event loop: each test has its own loop)."""
    loop = asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None or fanout.layer is not layer:
        fanout = _fanouts[loop] = RoomFanout(layer)
    return fanout

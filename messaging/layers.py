"""An in-memory channel layer (one process: development, tests, a small single-server site) that costs O(recipients)
per broadcast rather than O(every channel in the process).

Channels' `InMemoryChannelLayer` scans every channel and every group membership for expired messages on each
`receive` and `group_send` (`_clean_expired`), starts a task per recipient and deep-copies the message for each one.
This one cleans up at most once a second, puts a broadcast straight onto each recipient's queue, and copies a message
of plain values (what our broadcast helpers send) with a shallow copy.

Slow recipients are not dropped silently: a channel whose queue is full is marked as overflowed, and the next thing
its consumer receives is a `channel.overflow` event, so the socket can close with 4408 and the client catches up
with `subscribe` + `after` when it reconnects.
"""

from __future__ import annotations

import asyncio
import logging
import time
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

logger = logging.getLogger(__name__)

_PLAIN = (str, int, float, bool, bytes, type(None))
OVERFLOW_EVENT = {"type": "channel.overflow"}


def _copy(message: dict) -> dict:
    if all(isinstance(value, _PLAIN) for value in message.values()):
        return dict(message)
    return deepcopy(message)


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, *args, clean_every: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        # Channels' in-memory layer keeps `channel_capacity` as the raw dict, which its own get_capacity can't read.
        self.channel_capacity = self.compile_capacities(self.channel_capacity)
        self.clean_every = clean_every
        self._cleaned_at = float("-inf")  # the first call cleans, however long the machine has been up
        self.overflowed: set[str] = set()

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at < self.clean_every:
            return
        self._cleaned_at = now
        super()._clean_expired()

    def _queue(self, channel: str) -> asyncio.Queue:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        try:
            self._queue(channel).put_nowait((time.time() + self.expiry, _copy(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def receive(self, channel):
        if channel in self.overflowed:
            self.overflowed.discard(channel)
            self.channels.pop(channel, None)  # what it missed is replayed when the client subscribes again
            return dict(OVERFLOW_EVENT)
        self.require_valid_channel_name(channel)
        self._clean_expired()
        # Channels' own receive builds a new queue (and matches the capacity patterns) on every call, to pass to
        # setdefault; this looks the queue up first.
        queue = self._queue(channel)
        try:
            _, message = await queue.get()
        finally:
            if queue.empty():
                self.channels.pop(channel, None)
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        expires = time.time() + self.expiry
        for channel in list(members):
            queue = self._queue(channel)
            try:
                queue.put_nowait((expires, _copy(message)))
            except asyncio.QueueFull:
                if channel not in self.overflowed:
                    logger.warning("Channel %s is too slow to keep up; it will be told to reconnect", channel)
                self.overflowed.add(channel)

"""The channel layer failing under a process (Redis restarted or unreachable), without a real Redis: the fan-out's
reader sees the error, forgets its channel and memberships (Redis may come back empty), tells every local socket to
reconnect, and a later join starts afresh; a socket whose subscribe can't join the room closes with 4503 instead of
staying open and quiet. tests/reliability/test_faults_redis.py does it for real with two daphne processes."""

from __future__ import annotations

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from messaging import fanout as fanout_module
from messaging.fanout import Fanout
from messaging.layers import InMemoryChannelLayer
from messaging.protocol import CLOSE_TRY_AGAIN
from messaging.realtime import room_group_name
from tests.messaging.conftest import (  # noqa: F401 - the chat fixtures, reused
    ORIGIN,
    fresh_channel_layer,
    in_group,
    room,
    session_cookie_for,
)
from tests.waits import CONNECT_TIMEOUT

pytestmark = pytest.mark.asyncio


class Lossy(InMemoryChannelLayer):
    """An in-memory layer that can be made to fail like a Redis that went away."""

    def __init__(self):
        super().__init__()
        self.down = False
        self.failed = asyncio.Event()

    async def receive(self, channel):
        while not self.down:
            try:
                return await asyncio.wait_for(super().receive(channel), 0.05)
            except TimeoutError:
                continue
        self.failed.set()
        raise ConnectionError("Connection closed by server.")

    async def group_add(self, group, channel):
        if self.down:
            raise ConnectionError("Connection refused.")
        await super().group_add(group, channel)


class Subscriber:
    def __init__(self):
        self.frames: list[str] = []
        self.lost = 0

    async def forward_frame(self, event):
        self.frames.append(event["text"])

    async def channel_overflow(self, event):
        raise AssertionError("not an overflow")

    async def layer_lost(self):
        self.lost += 1


async def test_losing_the_layer_tells_every_local_socket_to_reconnect_and_the_next_join_starts_afresh():
    layer = Lossy()
    fanout = Fanout(layer)
    first, second = Subscriber(), Subscriber()
    await fanout.join(room_group_name(1), first)
    await fanout.join(room_group_name(2), second)
    old_channel = fanout.channel

    layer.down = True
    await asyncio.wait_for(layer.failed.wait(), 3)
    for _ in range(100):
        if first.lost and second.lost:
            break
        await asyncio.sleep(0.01)
    assert (first.lost, second.lost) == (1, 1)
    assert (fanout.local, fanout.channel, fanout.tasks) == ({}, None, [])

    # While the layer is away a join fails (the socket closes and its client tries again later)...
    with pytest.raises(ConnectionError):
        await fanout.join(room_group_name(1), Subscriber())
    assert fanout.local == {}

    # ...and once it is back, a join makes a new channel and membership, and frames flow again.
    layer.down = False
    again = Subscriber()
    await fanout.join(room_group_name(1), again)
    assert fanout.channel not in (None, old_channel)
    await layer.group_send(room_group_name(1), {"type": "forward.frame", "text": "hello", "room_id": 1})
    for _ in range(100):
        if again.frames:
            break
        await asyncio.sleep(0.01)
    assert again.frames == ["hello"]
    assert first.frames == []  # the old subscriber was forgotten; its socket is closing
    for task in fanout.tasks:
        task.cancel()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_a_subscribe_that_cannot_join_the_room_closes_the_socket_with_4503(in_group, room, monkeypatch):  # noqa: F811
    from channels.db import database_sync_to_async

    cookie = await database_sync_to_async(session_cookie_for)(in_group)
    communicator = WebsocketCommunicator(application, "/ws/", headers=[ORIGIN, cookie])
    connected, _ = await communicator.connect(timeout=CONNECT_TIMEOUT)
    assert connected

    real_join = fanout_module.Fanout.join

    async def join(self, group, subscriber):
        if group.startswith("room."):
            raise ConnectionError("Connection refused.")
        return await real_join(self, group, subscriber)

    monkeypatch.setattr(fanout_module.Fanout, "join", join)
    await communicator.send_json_to({"type": "subscribe", "room": room.pk})
    closed = await communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": CLOSE_TRY_AGAIN}
    await communicator.disconnect()

"""messaging.layers.InMemoryChannelLayer: the same delivery as Channels' in-memory layer, without scanning every
channel on each call, and a slow recipient is told (channel.overflow) instead of silently losing broadcasts."""

from __future__ import annotations

import pytest

from messaging.layers import OVERFLOW_EVENT, InMemoryChannelLayer

pytestmark = pytest.mark.asyncio


async def test_a_broadcast_reaches_every_member_of_the_group_once():
    layer = InMemoryChannelLayer()
    first, second, outsider = [await layer.new_channel() for _ in range(3)]
    await layer.group_add("room.1", first)
    await layer.group_add("room.1", second)
    await layer.group_send("room.1", {"type": "forward.frame", "text": "hello", "room_id": 1})

    assert await layer.receive(first) == {"type": "forward.frame", "text": "hello", "room_id": 1}
    assert await layer.receive(second) == {"type": "forward.frame", "text": "hello", "room_id": 1}
    assert outsider not in layer.channels


async def test_each_recipient_gets_its_own_copy():
    layer = InMemoryChannelLayer()
    first, second = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("g", first)
    await layer.group_add("g", second)
    await layer.group_send("g", {"type": "x", "nested": {"n": 1}})

    received = await layer.receive(first)
    received["nested"]["n"] = 2
    assert (await layer.receive(second))["nested"] == {"n": 1}


async def test_a_full_channel_is_told_it_overflowed_instead_of_losing_messages_silently():
    layer = InMemoryChannelLayer(capacity=2)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room.1", slow)
    await layer.group_add("room.1", fast)
    for n in range(3):
        await layer.group_send("room.1", {"type": "forward.frame", "text": str(n)})
        if n < 2:
            assert (await layer.receive(fast))["text"] == str(n)

    assert await layer.receive(slow) == OVERFLOW_EVENT
    assert slow not in layer.overflowed


async def test_expired_messages_are_still_cleaned_up_but_not_on_every_call(monkeypatch):
    layer = InMemoryChannelLayer(expiry=0, clean_every=3600)
    channel = await layer.new_channel()
    await layer.group_add("g", channel)
    calls = []
    monkeypatch.setattr(
        "channels.layers.InMemoryChannelLayer._clean_expired", lambda self: calls.append(1), raising=True
    )
    for _ in range(5):
        await layer.group_send("g", {"type": "x"})

    assert calls == [1]  # once, then not again within clean_every


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_a_socket_told_it_overflowed_closes_with_4408_so_the_client_reconnects_and_catches_up(
    in_group, room, open_socket
):
    from channels.layers import get_channel_layer

    from messaging.fanout import fanout_for

    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)
    layer = get_channel_layer()
    await layer.send(fanout_for(layer).channel, dict(OVERFLOW_EVENT))  # what a full channel hands its reader

    closed = await socket.communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4408}

"""Room broadcasts travel the channel layer once per server process and are fanned out to its sockets there
(messaging/fanout.py); services hand broadcasts to the event loop without waiting (community.realtime)."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from community.realtime import group_send_soon
from messaging.fanout import Fanout, fanout_for
from messaging.layers import InMemoryChannelLayer
from messaging.realtime import broadcast_to_room, room_group_name

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("fresh_channel_layer")]


class Recorder:
    def __init__(self, fail: bool = False):
        self.frames: list[str] = []
        self.told_to_reconnect = False
        self.fail = fail

    async def forward_frame(self, event):
        if self.fail:
            raise RuntimeError("this socket is broken")
        self.frames.append(event["text"])

    async def channel_overflow(self, event):
        self.told_to_reconnect = True


async def _members(layer, group: str) -> int:
    """How many channels are in a group, on either layer."""
    if hasattr(layer, "groups"):
        return len(layer.groups.get(group, {}))
    key = layer._group_key(group)
    async with layer.connection(layer.consistent_hash(group)) as connection:
        return await connection.zcard(key)


async def _until(condition, seconds: float = 3.0):
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("did not happen in time")


@pytest.mark.django_db(transaction=True)
async def test_three_sockets_in_a_room_put_one_member_in_its_group_and_all_three_get_each_message(
    in_group, friend, room, open_socket
):
    sockets = [await open_socket(in_group), await open_socket(in_group), await open_socket(friend)]
    for socket in sockets:
        await socket.subscribe(room.pk)

    layer = get_channel_layer()
    assert await _members(layer, room_group_name(room.pk)) == 1  # the process's fan-out channel, not one per socket

    await sockets[0].send({"type": "message.send", "room": room.pk, "body": "Hi all", "client_id": "c-1"})
    for socket in sockets:
        frame = await socket.receive_type("message.new")
        assert frame["message"]["body"] == "Hi all"
        assert await socket.nothing()  # once each


@pytest.mark.django_db(transaction=True)
async def test_when_the_last_local_socket_leaves_the_process_leaves_the_rooms_group(in_group, room, open_socket):
    first, second = await open_socket(in_group), await open_socket(in_group)
    await first.subscribe(room.pk)
    await second.subscribe(room.pk)
    layer = get_channel_layer()

    await first.send({"type": "unsubscribe", "room": room.pk})
    await first.receive_type("unsubscribed")
    assert await _members(layer, room_group_name(room.pk)) == 1

    await second.close()
    assert await _members(layer, room_group_name(room.pk)) == 0
    await first.close()  # the last socket in this process: the fan-out stops reading
    assert fanout_for(layer).tasks == []


async def test_a_socket_that_fails_does_not_stop_the_others_getting_the_frame():
    layer = InMemoryChannelLayer()
    fanout = Fanout(layer)
    broken, fine = Recorder(fail=True), Recorder()
    await fanout.join(room_group_name(7), broken)
    await fanout.join(room_group_name(7), fine)

    await layer.group_send(room_group_name(7), {"type": "forward.frame", "text": "hello", "room_id": 7})

    await _until(lambda: fine.frames == ["hello"])
    await fanout.leave(room_group_name(7), broken)
    await fanout.leave(room_group_name(7), fine)


async def test_frames_for_a_room_go_only_to_that_rooms_sockets():
    layer = InMemoryChannelLayer()
    fanout = Fanout(layer)
    in_seven, in_eight = Recorder(), Recorder()
    await fanout.join(room_group_name(7), in_seven)
    await fanout.join(room_group_name(8), in_eight)

    await layer.group_send(room_group_name(8), {"type": "forward.frame", "text": "for eight", "room_id": 8})

    await _until(lambda: in_eight.frames == ["for eight"])
    assert in_seven.frames == []
    await fanout.leave(room_group_name(7), in_seven)
    await fanout.leave(room_group_name(8), in_eight)


async def test_a_process_that_falls_behind_tells_every_local_socket_to_reconnect_and_catch_up():
    layer = InMemoryChannelLayer(capacity=2)
    fanout = Fanout(layer)
    first, second = Recorder(), Recorder()
    await fanout.join(room_group_name(7), first)
    await fanout.join(room_group_name(8), second)
    for n in range(5):  # no await in between: the reader gets no chance to keep up
        await layer.group_send(room_group_name(7), {"type": "forward.frame", "text": str(n), "room_id": 7})

    await _until(lambda: first.told_to_reconnect and second.told_to_reconnect)
    await fanout.leave(room_group_name(7), first)
    await fanout.leave(room_group_name(8), second)


async def test_room_memberships_are_renewed_before_the_layer_would_expire_them():
    layer = InMemoryChannelLayer(group_expiry=2, clean_every=0)
    fanout = Fanout(layer)
    listener = Recorder()
    await fanout.join(room_group_name(7), listener)

    await asyncio.sleep(3.2)  # past group_expiry: without renewal the membership would be gone
    await layer.group_send(room_group_name(7), {"type": "forward.frame", "text": "still here", "room_id": 7})

    await _until(lambda: listener.frames == ["still here"])
    await fanout.leave(room_group_name(7), listener)


async def test_broadcasts_from_a_worker_thread_arrive_in_the_order_they_were_made():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("user.42", channel)

    def service_work():
        for n in range(30):
            group_send_soon("user.42", {"type": "forward.frame", "text": str(n)})

    await sync_to_async(service_work)()

    received = [(await asyncio.wait_for(layer.receive(channel), 3))["text"] for _ in range(30)]
    assert received == [str(n) for n in range(30)]


@pytest.mark.django_db(transaction=True)
async def test_a_broadcast_from_a_service_reaches_sockets_through_the_fan_out(in_group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await database_sync_to_async(broadcast_to_room)(room.pk, {"type": "room.updated", "room": room.pk, "changes": {}})

    frame = await socket.receive_type("room.updated")
    assert frame["room"] == room.pk


@pytest.mark.django_db(transaction=True)
async def test_a_persons_own_events_reach_all_their_tabs_through_one_membership_per_process(in_group, open_socket):
    from community.realtime import send_to_user, user_group_name

    tabs = [await open_socket(in_group), await open_socket(in_group)]
    layer = get_channel_layer()
    assert await _members(layer, user_group_name(in_group.pk)) == 1

    await database_sync_to_async(send_to_user)(in_group.pk, {"type": "notification", "unread_count": 3})

    for tab in tabs:
        frame = await tab.receive_type("notification")
        assert frame["unread_count"] == 3

"""Bad input on the socket: each gets its documented error frame or close code, and the server keeps serving the
sender (unless closed for abuse) and everyone else."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from messaging.protocol import MAX_FRAME_BYTES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


async def still_serving(socket, room) -> None:
    subscribed, _ = await socket.subscribe(room.pk)
    assert subscribed["room"] == room.pk


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", "invalid_frame"),
        ("[1, 2, 3]", "invalid_frame"),
        ("42", "invalid_frame"),
        ('{"room": 1}', "invalid_frame"),
        ('{"type": "launch.rocket"}', "unknown_type"),
        ('{"type": "subscribe", "room": "one"}', "invalid_frame"),
        ('{"type": "message.send", "room": 1, "body": ["a"], "client_id": "c"}', "invalid_frame"),
        ('{"type": "read", "room": 1, "message": null}', "invalid_frame"),
    ],
)
async def test_malformed_frames_get_an_error_frame_and_the_socket_keeps_serving(in_group, room, open_socket, text,
                                                                                code):  # fmt: skip
    socket = await open_socket(in_group)

    await socket.communicator.send_to(text_data=text)
    frame = await socket.receive()

    assert (frame["type"], frame["code"]) == ("error", code)
    assert frame["detail"]
    await still_serving(socket, room)


async def test_binary_frames_get_an_error_frame(in_group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.communicator.send_to(bytes_data=b"\x00\x01binary")
    frame = await socket.receive()
    assert (frame["type"], frame["code"]) == ("error", "invalid_frame")
    await still_serving(socket, room)


async def test_oversized_frames_are_refused(in_group, room, open_socket):
    socket = await open_socket(in_group)
    frame = {"type": "message.send", "room": room.pk, "body": "x" * MAX_FRAME_BYTES, "client_id": "big"}
    await socket.communicator.send_to(text_data=json.dumps(frame))
    error = await socket.receive()
    assert (error["type"], error["code"]) == ("error", "frame_too_large")
    await still_serving(socket, room)


async def test_bad_input_from_one_person_does_not_bother_anyone_else(in_group, friend, room, open_socket):
    troublemaker, bystander = await open_socket(in_group), await open_socket(friend)
    await bystander.subscribe(room.pk)

    for text in ("nope", "[]", '{"type": "x"}'):
        await troublemaker.communicator.send_to(text_data=text)
        await troublemaker.receive()
    await troublemaker.send({"type": "message.send", "room": room.pk, "body": "Sorry!", "client_id": "s"})

    assert (await bystander.receive_type("message.new"))["message"]["body"] == "Sorry!"


@override_settings(HN_CHAT_BURST_MESSAGES=2, HN_CHAT_BURST_SECONDS=60, HN_SOCKET_RATE_LIMIT_STRIKES=3)
async def test_sending_too_fast_gets_rate_limited_then_repeated_abuse_closes_with_4429(in_group, friend, room,
                                                                                      open_socket):  # fmt: skip
    flooder, bystander = await open_socket(in_group), await open_socket(friend)
    await flooder.subscribe(room.pk)
    await bystander.subscribe(room.pk)

    for n in range(2):
        await flooder.send({"type": "message.send", "room": room.pk, "body": f"ok {n}", "client_id": f"ok-{n}"})
        await flooder.receive_type("message.new")
    await flooder.send({"type": "message.send", "room": room.pk, "body": "too fast", "client_id": "f-1"})
    limited = await flooder.receive()
    assert (limited["code"], limited["client_id"]) == ("rate_limited", "f-1")
    assert limited["retry_after"] >= 1

    for n in range(2, 4):
        await flooder.send({"type": "message.send", "room": room.pk, "body": "more", "client_id": f"f-{n}"})
    assert [(await flooder.receive())["client_id"] for _ in range(2)] == ["f-2", "f-3"]
    closed = await flooder.communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4429}

    await bystander.send({"type": "message.send", "room": room.pk, "body": "Still fine here", "client_id": "b"})
    texts = [(await bystander.receive_type("message.new"))["message"]["body"] for _ in range(3)]
    assert texts == ["ok 0", "ok 1", "Still fine here"]


@override_settings(HN_SOCKET_FRAMES_BURST=5, HN_SOCKET_FRAMES_PER_SECOND=0.001, HN_SOCKET_RATE_LIMIT_STRIKES=3)
async def test_a_flood_of_frames_of_any_kind_is_limited_then_closed(in_group, room, open_socket):
    socket = await open_socket(in_group)
    for _ in range(5):
        await socket.send({"type": "typing", "room": room.pk})
        assert (await socket.receive())["code"] == "not_subscribed"

    await socket.send({"type": "typing", "room": room.pk})
    flood = await socket.receive()
    assert (flood["code"], flood["retry_after"]) == ("rate_limited", 1)
    for _ in range(2):
        await socket.send({"type": "typing", "room": room.pk})
    assert (await socket.receive())["code"] == "rate_limited"
    assert (await socket.receive())["code"] == "rate_limited"
    assert await socket.communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": 4429}


async def test_a_subscribe_to_a_room_id_that_does_not_exist(in_group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.send({"type": "subscribe", "room": 2**40})
    assert (await socket.receive())["code"] == "room_not_found"
    await still_serving(socket, room)


@override_settings(HN_SOCKET_FRAMES_BURST=3, HN_SOCKET_FRAMES_PER_SECOND=0.001, HN_SOCKET_RATE_LIMIT_STRIKES=2)
async def test_a_flood_of_binary_frames_is_limited_too(in_group, open_socket):
    socket = await open_socket(in_group)
    for _ in range(3):
        await socket.communicator.send_to(bytes_data=b"\x00")
        assert (await socket.receive())["code"] == "invalid_frame"
    for _ in range(2):
        await socket.communicator.send_to(bytes_data=b"\x00")
        assert (await socket.receive())["code"] == "rate_limited"
    assert await socket.communicator.receive_output(timeout=3) == {"type": "websocket.close", "code": 4429}

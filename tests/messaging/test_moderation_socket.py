"""Moderation takes effect live on sockets: hide, restore, approve and reject reach the right people at once; a mute
or silence meets the member's next message.send; a suspension closes an open socket with 4403 and refuses a new one;
and no socket frame lets anyone act as a moderator."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from messaging.models import Message
from messaging.services.moderation.actions import (
    held_message_approve,
    held_message_reject,
    message_hide,
    message_remove,
    message_restore,
)
from messaging.services.moderation.sanctions import member_mute_in_room, member_silence, member_suspend, sanction_lift
from tests.messaging.conftest import ORIGIN, session_cookie_for
from tests.waits import CONNECT_TIMEOUT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]

run = database_sync_to_async


def say(author, room, body, **fields) -> Message:
    return Message.objects.create(room=room, author=author, body=body, **fields)


async def send(socket, room, body, client_id):
    await socket.send({"type": "message.send", "room": room.pk, "body": body, "client_id": client_id})


async def test_a_hide_reaches_every_subscriber_without_the_words_and_restore_brings_them_back(
    in_group, friend, moderator, room, open_socket
):
    message = await run(say)(in_group, room, "You're all rubbish")
    reader, author = await open_socket(friend), await open_socket(in_group)
    await reader.subscribe(room.pk)
    await author.subscribe(room.pk)

    await run(message_hide)(actor=moderator, message_id=message.pk, reason="Unkind")

    for tab in (reader, author):
        frame = await tab.receive_type("message.updated")
        shown = frame["message"]
        assert (shown["id"], shown["is_hidden"], shown["hidden_reason"], shown["body"]) == (
            message.pk, True, "moderator", ""
        )  # fmt: skip
    await run(message_restore)(actor=moderator, message_id=message.pk)
    back = (await reader.receive_type("message.updated"))["message"]
    assert (back["is_hidden"], back["body"]) == (False, "You're all rubbish")


async def test_a_removed_message_reaches_subscribers_as_removed_by_a_moderator(
    in_group, friend, moderator, room, open_socket
):
    message = await run(say)(in_group, room, "My address is 1 High Street")
    reader = await open_socket(friend)
    await reader.subscribe(room.pk)
    await run(message_remove)(actor=moderator, message_id=message.pk, reason="Personal information")
    shown = (await reader.receive_type("message.updated"))["message"]
    assert (shown["is_deleted"], shown["is_hidden"], shown["hidden_reason"], shown["body"]) == (
        True, True, "moderator", ""
    )  # fmt: skip


async def test_approving_a_held_message_sends_it_to_the_room_with_its_own_id(
    in_group, friend, moderator, room, open_socket
):
    held = await run(say)(in_group, room, "Hi, I'm new here", is_held=True, held_reason="new_member")
    later = await run(say)(friend, room, "Welcome whoever you are")
    reader = await open_socket(friend)
    _, replayed = await reader.subscribe(room.pk)
    assert [m["message"]["id"] for m in replayed] == [later.pk]  # the held one isn't shown to others

    await run(held_message_approve)(actor=moderator, message_id=held.pk)

    frame = await reader.receive_type("message.new")
    assert (frame["message"]["id"], frame["message"]["is_held"], frame["message"]["body"]) == (
        held.pk, False, "Hi, I'm new here"
    )  # fmt: skip


async def test_rejecting_a_held_message_tells_only_its_author(in_group, friend, moderator, room, open_socket):
    held = await run(say)(in_group, room, "Buy my stuff", is_held=True, held_reason="new_member_link")
    reader, author = await open_socket(friend), await open_socket(in_group)
    await reader.subscribe(room.pk)
    await author.subscribe(room.pk)

    await run(held_message_reject)(actor=moderator, message_id=held.pk, reason="Advertising")

    shown = (await author.receive_type("message.updated"))["message"]
    assert (shown["id"], shown["is_hidden"], shown["body"]) == (held.pk, True, "")
    assert await reader.nothing()


async def test_a_muted_member_is_refused_on_their_next_send_and_told_in_a_notification(
    in_group, moderator, room, open_socket
):
    tab = await open_socket(in_group)
    await tab.subscribe(room.pk)
    sanction = await run(member_mute_in_room)(
        actor=moderator, user_id=in_group.pk, room_id=room.pk, minutes=30, reason="Heated"
    )
    notice = await tab.receive_type("notification")
    assert "can't post" in notice["notification"]["title"]
    await send(tab, room, "But I wasn't finished", "muted-1")
    error = await tab.receive_type("error")
    assert (error["code"], error["client_id"]) == ("muted_in_room", "muted-1")

    await run(sanction_lift)(actor=moderator, sanction_id=sanction.pk, reason="Calmer")
    await send(tab, room, "Thanks", "muted-2")
    assert (await tab.receive_type("message.new"))["message"]["body"] == "Thanks"


async def test_a_silenced_member_is_refused_on_their_next_send(in_group, moderator, room, open_socket):
    tab = await open_socket(in_group)
    await tab.subscribe(room.pk)
    await run(member_silence)(actor=moderator, user_id=in_group.pk, minutes=60, reason="Spam")
    await send(tab, room, "Buy now", "silenced-1")
    assert (await tab.receive_type("error"))["code"] == "silenced"


async def test_a_suspension_closes_open_sockets_with_4403_and_refuses_new_ones(in_group, moderator, room, open_socket):
    tab = await open_socket(in_group)
    await tab.subscribe(room.pk)
    cookie = await run(session_cookie_for)(in_group)  # a session made before the suspension

    await run(member_suspend)(actor=moderator, user_id=in_group.pk, hours=24, reason="Threats")

    while True:
        output = await tab.communicator.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == 4403
    again = WebsocketCommunicator(application, "/ws/", headers=[ORIGIN, cookie])
    connected, code = await again.connect(timeout=CONNECT_TIMEOUT)
    assert not connected and code in (4401, 4403)


async def test_a_suspended_person_with_a_token_is_refused_at_connect(in_group, moderator):
    from rest_framework.authtoken.models import Token

    from community.services.suspension import UNTIL_LIFTED

    def suspend_but_keep_a_token():
        type(in_group).objects.filter(pk=in_group.pk).update(suspended_until=UNTIL_LIFTED)
        return Token.objects.create(user=in_group).key

    key = await run(suspend_but_keep_a_token)()
    socket = WebsocketCommunicator(application, "/ws/", headers=[ORIGIN, (b"authorization", f"Token {key}".encode())])
    connected, code = await socket.connect(timeout=CONNECT_TIMEOUT)
    assert (connected, code) == (False, 4403)


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "message.hide", "message": 1, "reason": "x"},
        {"type": "message.restore", "message": 1},
        {"type": "message.approve", "message": 1},
        {"type": "sanction.create", "kind": "suspend", "user_id": 1},
        {"type": "case.resolve", "case": 1, "outcome": "no_action"},
    ],
)
async def test_no_socket_frame_performs_a_moderator_action(in_group, friend, room, open_socket, frame):
    message = await run(say)(friend, room, "Hello")
    tab = await open_socket(in_group)
    await tab.send({**frame, "message": message.pk} if "message" in frame else frame)
    error = await tab.receive_type("error")
    assert error["code"] == "unknown_type"
    refreshed = await run(Message.objects.get)(pk=message.pk)
    assert not refreshed.is_hidden

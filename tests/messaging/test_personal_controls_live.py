"""Blocking or muting someone takes effect at once in the blocker's open chat: the socket stops forwarding that
person's messages (and starts again after undo), while the blocked person notices nothing."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from community.services.personal_controls import person_block, person_mute, person_unblock, person_unmute
from messaging.services.messages import message_send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


@database_sync_to_async
def say(user, room, body):
    return message_send(actor=user, room_id=room.pk, body=body).message


@database_sync_to_async
def control(change, actor, other):
    return change(actor=actor, user_id=other.pk)


async def new_message_body(socket) -> str:
    return (await socket.receive_type("message.new"))["message"]["body"]


async def test_after_blocking_the_open_chat_stops_showing_their_new_messages_and_undo_brings_them_back(
    in_group, friend, room, open_socket
):
    robin = await open_socket(in_group)
    kai = await open_socket(friend)
    await robin.subscribe(room.pk)
    await kai.subscribe(room.pk)

    await control(person_block, in_group, friend)
    await say(friend, room, "you can't see this")
    assert await new_message_body(kai) == "you can't see this"  # the blocked person notices nothing
    assert await robin.nothing(timeout=0.3)

    await say(in_group, room, "still here")
    assert await new_message_body(robin) == "still here"
    assert await new_message_body(kai) == "still here"  # and they still see the blocker's messages

    await control(person_unblock, in_group, friend)
    await say(friend, room, "back again")
    assert await new_message_body(robin) == "back again"


async def test_muting_hides_their_live_messages_and_typing_until_unmuted(in_group, friend, room, open_socket):
    robin = await open_socket(in_group)
    kai = await open_socket(friend)
    await robin.subscribe(room.pk)
    await kai.subscribe(room.pk)

    await control(person_mute, in_group, friend)
    await kai.send({"type": "typing", "room": room.pk})
    await say(friend, room, "muted words")
    assert await robin.nothing(timeout=0.3)

    await control(person_unmute, in_group, friend)
    await say(friend, room, "heard again")
    assert await new_message_body(robin) == "heard again"


async def test_unblocking_someone_who_is_still_muted_keeps_them_hidden(in_group, friend, room, open_socket):
    await control(person_mute, in_group, friend)
    robin = await open_socket(in_group)
    await robin.subscribe(room.pk)

    await control(person_block, in_group, friend)
    await control(person_unblock, in_group, friend)
    await say(friend, room, "still muted")
    assert await robin.nothing(timeout=0.3)


async def test_a_socket_opened_after_a_block_hides_them_from_the_start(in_group, friend, room, open_socket):
    await control(person_block, in_group, friend)
    robin = await open_socket(in_group)
    await robin.subscribe(room.pk)

    await say(friend, room, "hidden from the start")
    assert await robin.nothing(timeout=0.3)

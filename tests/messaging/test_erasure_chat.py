"""After someone deletes their account, their messages stay in place without their words or name: the REST history,
the room page and socket frames (the replay, and the live update sent to open chats) show "Deleted member" and no
text. Their own open socket is closed with 4401, as for someone not signed in."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from community.services.erasure import account_erase
from messaging.services.messages import message_send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]

WORDS = "my very own pineapple words"
PASSWORD = "a-long-pass-phrase"


@database_sync_to_async
def say(user, room, body=WORDS):
    return message_send(actor=user, room_id=room.pk, body=body).message


@database_sync_to_async
def erase(user):
    account_erase(actor=user, user=user, password=PASSWORD)


async def test_their_open_socket_closes_with_4401(in_group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await erase(in_group)

    closed = await socket.communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4401}


async def test_open_chats_see_the_message_lose_its_words_and_name(in_group, friend, room, open_socket):
    message = await say(in_group, room)
    socket = await open_socket(friend)
    await socket.subscribe(room.pk)

    await erase(in_group)

    frame = await socket.receive_type("message.updated")
    assert frame["message"]["id"] == message.pk
    assert (frame["message"]["author"], frame["message"]["body"], frame["message"]["image_url"]) == (None, "", None)
    assert frame["message"]["is_deleted"] is True


async def test_a_new_subscription_replays_it_as_deleted_member(in_group, friend, room, open_socket):
    message = await say(in_group, room)
    await erase(in_group)

    socket = await open_socket(friend)
    _, replayed = await socket.subscribe(room.pk, after=0)

    [shown] = [frame["message"] for frame in replayed if frame["message"]["id"] == message.pk]
    assert (shown["author"], shown["body"]) == (None, "")
    assert WORDS not in str(replayed)


@database_sync_to_async
def history_and_page(api_as, client, friend, room):
    history = api_as(friend).get(f"/api/v1/rooms/{room.pk}/messages/").json()["results"]
    client.force_login(friend)
    page = client.get(reverse("messaging:room", args=[room.pk])).content.decode()
    return history, page


async def test_the_history_and_the_room_page_show_deleted_member_and_no_words(in_group, friend, room, api_as, client):
    await say(in_group, room)
    await say(friend, room, body="Replying to you")
    await erase(in_group)

    history, page = await history_and_page(api_as, client, friend, room)

    erased = history[0] if history[0]["author"] is None else history[-1]
    assert (erased["author"], erased["body"], erased["is_deleted"]) == (None, "", True)
    assert WORDS not in str(history)
    assert "Deleted member" in page and WORDS not in page
    assert "Robin" not in page

"""The chat socket, one test (at least) per frame type in docs/realtime.md.

Sockets run on the real ASGI application (origin check, session authentication, routing) with the configured channel
layer: in-memory by default, Redis when REDIS_URL is set.
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import override_settings

from community.models import Profile
from messaging.models import Message
from messaging.services.direct import direct_room_open
from messaging.services.messages import message_send
from messaging.services.rooms import room_for_event
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


@database_sync_to_async
def say(user, room, body="Hello", **kwargs):
    return message_send(actor=user, room_id=room.pk, body=body, **kwargs).message


@database_sync_to_async
def bulk_messages(room, author, count):
    return Message.objects.bulk_create([Message(room=room, author=author, body=f"m{n}") for n in range(count)])


@database_sync_to_async
def stored_count(**filters) -> int:
    return Message.objects.filter(**filters).count()


# --- subscribe / subscribed / unsubscribe / unsubscribed --------------------------------------------------------------


async def test_subscribe_replays_the_latest_messages_and_says_subscribed(in_group, friend, room, open_socket):
    first = await say(friend, room, "Hi all")
    socket = await open_socket(in_group)

    subscribed, replayed = await socket.subscribe(room.pk)

    assert subscribed["room"] == room.pk
    assert (subscribed["replayed"], subscribed["has_more"], subscribed["online"]) == (1, False, [])
    assert subscribed["details"]["title"] == "Art Club"
    assert subscribed["details"]["can_post"] is True
    assert replayed[0] == {"type": "message.new", "room": room.pk, "message": replayed[0]["message"]}
    assert (replayed[0]["message"]["id"], replayed[0]["message"]["body"]) == (first.pk, "Hi all")


async def test_subscribe_after_replays_only_what_was_missed(in_group, friend, room, open_socket):
    seen = await say(friend, room, "seen")
    missed = [await say(friend, room, f"missed {n}") for n in range(2)]
    socket = await open_socket(in_group)

    _, replayed = await socket.subscribe(room.pk, after=seen.pk)

    assert [frame["message"]["id"] for frame in replayed] == [m.pk for m in missed]


@override_settings(HN_CHAT_REPLAY_LIMIT=3)
async def test_a_long_gap_replays_the_newest_and_says_has_more(in_group, friend, room, open_socket):
    messages = await bulk_messages(room, friend, 6)
    socket = await open_socket(in_group)

    subscribed, replayed = await socket.subscribe(room.pk, after=messages[0].pk)

    assert (subscribed["replayed"], subscribed["has_more"]) == (3, True)
    assert [frame["message"]["id"] for frame in replayed] == [m.pk for m in messages[-3:]]


async def test_unsubscribe_stops_the_room_frames(in_group, friend, room, open_socket):
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await socket.send({"type": "unsubscribe", "room": room.pk})
    assert await socket.receive() == {"type": "unsubscribed", "room": room.pk}

    await say(friend, room, "You won't see this")
    assert await socket.nothing()


# --- message.send / message.new ---------------------------------------------------------------------------------------


async def test_a_message_reaches_every_subscriber_and_the_authors_other_tab(in_group, friend, room, open_socket):
    author_tab, author_other_tab, reader = (
        await open_socket(in_group), await open_socket(in_group), await open_socket(friend),
    )  # fmt: skip
    for socket in (author_tab, author_other_tab, reader):
        await socket.subscribe(room.pk)

    await author_tab.send({"type": "message.send", "room": room.pk, "body": "Hello!", "client_id": "t-1"})

    for socket in (author_tab, author_other_tab, reader):
        frame = await socket.receive_type("message.new")
        assert (frame["room"], frame["message"]["body"], frame["message"]["client_id"]) == (room.pk, "Hello!", "t-1")
        assert frame["message"]["author"]["display_name"] == "Robin"


async def test_a_resend_is_stored_once_and_confirmed_only_to_the_sender(in_group, friend, room, open_socket):
    sender, reader = await open_socket(in_group), await open_socket(friend)
    await sender.subscribe(room.pk)
    await reader.subscribe(room.pk)
    frame = {"type": "message.send", "room": room.pk, "body": "Only once", "client_id": "dup-1"}

    await sender.send(frame)
    original = await sender.receive_type("message.new")
    await reader.receive_type("message.new")
    await sender.send(frame)
    confirmation = await sender.receive_type("message.new")

    assert confirmation["message"]["id"] == original["message"]["id"]
    assert await reader.nothing(), "nobody else hears the resend"
    assert await stored_count(client_id="dup-1") == 1


async def test_sending_to_a_room_this_tab_does_not_watch_is_confirmed_to_it(in_group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.send({"type": "message.send", "room": room.pk, "body": "Drive-by", "client_id": "x"})
    frame = await socket.receive_type("message.new")
    assert frame["message"]["body"] == "Drive-by"


async def test_a_reply_carries_what_it_replies_to(in_group, friend, room, open_socket):
    question = await say(friend, room, "Who's coming?")
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)
    await socket.send(
        {"type": "message.send", "room": room.pk, "body": "Me!", "client_id": "r", "reply_to": question.pk}
    )
    frame = await socket.receive_type("message.new")
    assert frame["message"]["reply_to"]["excerpt"] == "Who's coming?"


# --- message.edit / message.delete / reaction.toggle / message.updated ------------------------------------------------


async def test_an_edit_reaches_subscribers_as_message_updated(in_group, friend, room, open_socket):
    message = await say(in_group, room, "Helo")
    author, reader = await open_socket(in_group), await open_socket(friend)
    await author.subscribe(room.pk)
    await reader.subscribe(room.pk)

    await author.send({"type": "message.edit", "message": message.pk, "body": "Hello"})

    for socket in (author, reader):
        frame = await socket.receive_type("message.updated")
        assert (frame["message"]["id"], frame["message"]["body"]) == (message.pk, "Hello")
        assert frame["message"]["edited_at"]


async def test_a_delete_reaches_subscribers_without_the_words(in_group, friend, room, open_socket):
    message = await say(in_group, room, "Oops")
    author, reader = await open_socket(in_group), await open_socket(friend)
    await author.subscribe(room.pk)
    await reader.subscribe(room.pk)

    await author.send({"type": "message.delete", "message": message.pk})

    frame = await reader.receive_type("message.updated")
    assert (frame["message"]["is_deleted"], frame["message"]["body"]) == (True, "")


async def test_a_reaction_reaches_subscribers(in_group, friend, room, open_socket):
    message = await say(friend, room, "Passed my test!")
    fan, author = await open_socket(in_group), await open_socket(friend)
    await fan.subscribe(room.pk)
    await author.subscribe(room.pk)

    await fan.send({"type": "reaction.toggle", "message": message.pk, "emoji": "👍"})

    frame = await author.receive_type("message.updated")
    assert frame["message"]["reactions"] == [{"emoji": "👍", "count": 1, "user_ids": [in_group.pk]}]


# --- typing -----------------------------------------------------------------------------------------------------------


async def test_typing_is_shown_to_others_once_every_few_seconds(in_group, friend, room, open_socket):
    typist, reader = await open_socket(in_group), await open_socket(friend)
    await typist.subscribe(room.pk)
    await reader.subscribe(room.pk)

    await typist.send({"type": "typing", "room": room.pk})
    await typist.send({"type": "typing", "room": room.pk})

    frame = await reader.receive()
    assert frame == {"type": "typing", "room": room.pk, "user": {"id": in_group.pk, "display_name": "Robin"}}
    assert await reader.nothing(), "the second typing frame is too soon to pass on"


async def test_typing_needs_a_subscription(in_group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.send({"type": "typing", "room": room.pk})
    frame = await socket.receive()
    assert (frame["type"], frame["code"], frame["room"]) == ("error", "not_subscribed", room.pk)


# --- read / room.read -------------------------------------------------------------------------------------------------


async def test_reading_updates_every_tab_of_the_reader(in_group, friend, room, open_socket):
    first = await say(friend, room, "one")
    await say(friend, room, "two")
    tab, other_tab = await open_socket(in_group), await open_socket(in_group)

    await tab.send({"type": "read", "room": room.pk, "message": first.pk})

    expected = {"type": "room.read", "room": room.pk, "last_read_message_id": first.pk, "unread_count": 1}
    assert await tab.receive_type("room.read") == expected
    assert await other_tab.receive_type("room.read") == expected


# --- room.updated -----------------------------------------------------------------------------------------------------


async def test_accepting_a_conversation_reaches_both_people(in_group, friend, api_as, open_socket):
    room = await database_sync_to_async(lambda: direct_room_open(actor=in_group, user_id=friend.pk).room)()
    asker, answerer = await open_socket(in_group), await open_socket(friend)

    response = await database_sync_to_async(lambda: api_as(friend).post(f"/api/v1/direct/{room.pk}/accept/"))()
    assert response.status_code == 200

    for socket in (asker, answerer):
        frame = await socket.receive_type("room.updated")
        assert frame == {
            "type": "room.updated",
            "room": room.pk,
            "changes": {"direct_status": "accepted", "requested_by": in_group.pk},
        }


# --- presence ---------------------------------------------------------------------------------------------------------


async def test_presence_only_for_people_who_chose_to_show_it(in_group, friend, room, open_socket):
    await database_sync_to_async(Profile.objects.filter(user=in_group).update)(show_online=True)
    watcher = await open_socket(friend)
    await watcher.subscribe(room.pk)

    shown = await open_socket(in_group)
    subscribed, _ = await shown.subscribe(room.pk)
    online = await watcher.receive_type("presence")
    assert online == {"type": "presence", "room": room.pk, "user": {"id": in_group.pk, "display_name": "Robin"},
                      "online": True}  # fmt: skip
    assert subscribed["online"] == [in_group.pk]

    await shown.close()
    offline = await watcher.receive_type("presence")
    assert (offline["user"]["id"], offline["online"]) == (in_group.pk, False)


async def test_presence_is_hidden_by_default(in_group, friend, room, open_socket):
    watcher = await open_socket(friend)
    await watcher.subscribe(room.pk)
    hidden = await open_socket(in_group)
    subscribed, _ = await hidden.subscribe(room.pk)
    assert subscribed["online"] == []
    assert await watcher.nothing()


# --- error ------------------------------------------------------------------------------------------------------------


async def test_subscribing_to_a_room_you_are_not_in(member, room, open_socket):
    socket = await open_socket(member)
    await socket.send({"type": "subscribe", "room": room.pk})
    frame = await socket.receive()
    assert (frame["type"], frame["code"], frame["frame_type"], frame["room"]) == (
        "error", "not_a_member", "subscribe", room.pk,
    )  # fmt: skip


async def test_subscribing_to_a_room_that_does_not_exist(member, open_socket):
    socket = await open_socket(member)
    await socket.send({"type": "subscribe", "room": 987654})
    assert (await socket.receive())["code"] == "room_not_found"


async def test_a_message_that_is_too_long_gets_an_error_with_its_client_id(in_group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.send({"type": "message.send", "room": room.pk, "body": "x" * 2001, "client_id": "long-1"})
    frame = await socket.receive()
    assert (frame["code"], frame["client_id"], frame["frame_type"]) == ("too_long", "long-1", "message.send")
    assert await stored_count() == 0


async def test_editing_someone_elses_message(in_group, friend, room, open_socket):
    message = await say(friend, room, "Mine")
    socket = await open_socket(in_group)
    await socket.send({"type": "message.edit", "message": message.pk, "body": "Not yours"})
    frame = await socket.receive()
    assert (frame["code"], frame["message"]) == ("not_your_message", message.pk)


async def test_editing_after_the_window(in_group, room, open_socket):
    message = await say(in_group, room, "Old")
    await database_sync_to_async(Message.objects.filter(pk=message.pk).update)(
        created_at=message.created_at - timedelta(hours=1)
    )
    socket = await open_socket(in_group)
    await socket.send({"type": "message.edit", "message": message.pk, "body": "New"})
    assert (await socket.receive())["code"] == "edit_window_closed"


async def test_posting_in_a_finished_event_room_is_read_only(in_group, group, open_socket):
    def finished_room():
        event = make_event(group, starts_in=timedelta(hours=-3))
        make_rsvp(event, in_group)
        return room_for_event(event=event)

    room = await database_sync_to_async(finished_room)()
    socket = await open_socket(in_group)
    await socket.send({"type": "message.send", "room": room.pk, "body": "Thanks all!", "client_id": "late"})
    assert (await socket.receive())["code"] == "read_only"


async def test_writing_more_before_a_request_is_accepted(in_group, friend, open_socket):
    room = await database_sync_to_async(lambda: direct_room_open(actor=in_group, user_id=friend.pk).room)()
    await say(in_group, room, "Hi Kai")
    socket = await open_socket(in_group)
    await socket.send({"type": "message.send", "room": room.pk, "body": "Hello??", "client_id": "more"})
    assert (await socket.receive())["code"] == "dm_not_accepted"


async def test_a_socket_server_error_is_a_frame_not_a_crash(in_group, room, open_socket):
    socket = await open_socket(in_group)
    with mock.patch("messaging.consumers.message_send", side_effect=RuntimeError("boom")):
        await socket.send({"type": "message.send", "room": room.pk, "body": "hi", "client_id": "e"})
        frame = await socket.receive()
    assert (frame["code"], frame["client_id"]) == ("server_error", "e")
    await socket.subscribe(room.pk)  # still serving


# --- the hot path -----------------------------------------------------------------------------------------------------


async def test_forwarding_a_room_broadcast_does_no_database_work(in_group, friend, room, open_socket):
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)
    with mock.patch("channels.consumer.aclose_old_connections") as close_connections:
        await get_channel_layer().group_send(
            f"room.{room.pk}", {"type": "forward.frame", "text": '{"type":"x"}', "room_id": room.pk}
        )
        assert await socket.communicator.receive_from(timeout=2) == '{"type":"x"}'
    close_connections.assert_not_called()

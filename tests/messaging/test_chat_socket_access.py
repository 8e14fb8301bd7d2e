"""Sockets and the rest of the system: changes made through REST reach sockets, losing access ends a subscription
at once, suspension closes the socket, and a client that drops and reconnects loses nothing and duplicates nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async

from community.models import MembershipStatus, User
from community.services.memberships import membership_leave, membership_remove
from community.services.roles import user_set_site_role
from events.services.rsvps import rsvp_cancel
from messaging.models import Message
from messaging.services.messages import message_send
from messaging.services.reactions import reaction_toggle
from messaging.services.rooms import room_for_event
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


@database_sync_to_async
def say(user, room, body="Hello", **kwargs):
    return message_send(actor=user, room_id=room.pk, body=body, **kwargs).message


def run(call):
    return database_sync_to_async(call)()


# --- other paths reach the socket -------------------------------------------------------------------------------------


async def test_a_message_sent_through_rest_reaches_socket_subscribers(in_group, friend, room, api_as, open_socket):
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    response = await run(lambda: api_as(friend).post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "From REST"},
                                                      format="json"))  # fmt: skip

    assert response.status_code == 201
    frame = await socket.receive_type("message.new")
    assert (frame["message"]["id"], frame["message"]["body"]) == (response.json()["id"], "From REST")


async def test_edits_deletes_and_reactions_through_rest_reach_the_socket(in_group, friend, room, api_as, open_socket):
    message = await say(friend, room, "Helo")
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await run(lambda: api_as(friend).patch(f"/api/v1/messages/{message.pk}/", {"body": "Hello"}, format="json"))
    assert (await socket.receive_type("message.updated"))["message"]["body"] == "Hello"
    await run(lambda: reaction_toggle(actor=friend, message_id=message.pk, emoji="😂"))
    assert (await socket.receive_type("message.updated"))["message"]["reactions"][0]["emoji"] == "😂"
    await run(lambda: api_as(friend).delete(f"/api/v1/messages/{message.pk}/"))
    assert (await socket.receive_type("message.updated"))["message"]["is_deleted"] is True


async def test_a_hide_made_elsewhere_reaches_subscribers_through_the_broadcast_helper(in_group, friend, room,
                                                                                       open_socket):  # fmt: skip
    """What moderation's hide will do: change the row, then broadcast message.updated on commit."""
    from django.db import transaction

    from messaging import realtime
    from messaging.selectors import message_payload

    message = await say(friend, room, "Something unkind")
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    def hide():
        with transaction.atomic():
            Message.objects.filter(pk=message.pk).update(is_hidden=True)
            realtime.on_commit_message_updated(
                room_id=room.pk, payload=message_payload(Message.objects.get(pk=message.pk))
            )

    await run(hide)
    frame = await socket.receive_type("message.updated")
    assert (frame["message"]["is_hidden"], frame["message"]["body"]) == (True, "")


# --- losing access ----------------------------------------------------------------------------------------------------


async def test_being_removed_from_the_group_ends_the_subscription_at_once(in_group, friend, leader, group, room,
                                                                          open_socket):  # fmt: skip
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await run(lambda: membership_remove(actor=leader, group=group, user=in_group))

    left = await socket.receive_type("room.left")
    assert (left["room"], left["code"]) == (room.pk, "not_a_member")
    await say(friend, room, "After they left")
    while not await socket.nothing():  # a notification about the removal may come too; no room frames
        frame = await socket.receive()
        assert frame["type"] == "notification", frame


async def test_a_moderator_who_stops_being_one_leaves_rooms_they_only_read_as_moderator(moderator, staff, room,
                                                                                         open_socket):  # fmt: skip
    socket = await open_socket(moderator)
    await socket.subscribe(room.pk)

    await run(lambda: user_set_site_role(actor=staff, user=moderator, role="member"))

    assert (await socket.receive_type("room.left"))["room"] == room.pk


async def test_leaving_ends_the_subscription_in_every_tab(in_group, group, room, open_socket):
    tabs = [await open_socket(in_group), await open_socket(in_group)]
    for tab in tabs:
        await tab.subscribe(room.pk)

    await run(lambda: membership_leave(actor=User.objects.get(pk=in_group.pk), group=group))

    for tab in tabs:
        assert (await tab.receive_type("room.left"))["room"] == room.pk


async def test_other_subscriptions_survive_an_access_change(in_group, group, make_group, add_member, open_socket):
    from messaging.services.rooms import room_for_group

    def rooms():
        other = make_group(name="Book Club")
        add_member(other, in_group)
        return room_for_group(group=group), room_for_group(group=other)

    art_room, book_room = await run(rooms)
    socket = await open_socket(in_group)
    await socket.subscribe(art_room.pk)
    await socket.subscribe(book_room.pk)

    await run(lambda: membership_leave(actor=User.objects.get(pk=in_group.pk), group=group))
    assert (await socket.receive_type("room.left"))["room"] == art_room.pk

    await say(in_group, book_room, "Still here")
    assert (await socket.receive_type("message.new"))["room"] == book_room.pk


async def test_no_longer_going_ends_the_event_room_subscription(in_group, group, open_socket):
    def event_room():
        event = make_event(group, starts_in=timedelta(hours=4))
        make_rsvp(event, in_group)
        return event, room_for_event(event=event)

    event, room = await run(event_room)
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await run(lambda: rsvp_cancel(actor=in_group, event=event))

    assert (await socket.receive_type("room.left"))["room"] == room.pk


async def test_a_suspended_person_is_disconnected_with_4403(in_group, room, open_socket):
    from community.realtime import send_to_user

    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await run(lambda: User.objects.filter(pk=in_group.pk).update(is_active=False))
    await run(lambda: send_to_user(in_group.pk, {"type": "access.changed"}))

    closed = await socket.communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4403}


async def test_subscribing_again_after_access_was_lost_is_refused(in_group, group, room, open_socket):
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)
    await run(lambda: in_group.memberships.filter(group=group).update(status=MembershipStatus.REMOVED))

    await socket.send({"type": "subscribe", "room": room.pk})

    assert (await socket.receive())["code"] == "not_a_member"


# --- dropping and reconnecting ----------------------------------------------------------------------------------------


async def test_a_client_that_drops_and_reconnects_loses_nothing_and_duplicates_nothing(in_group, friend, room,
                                                                                       open_socket):  # fmt: skip
    phone = await open_socket(in_group)
    _, _ = await phone.subscribe(room.pk)
    await phone.send({"type": "message.send", "room": room.pk, "body": "Before the tunnel", "client_id": "p-1"})
    last_seen = (await phone.receive_type("message.new"))["message"]["id"]

    await phone.close()  # into a tunnel
    missed = [await say(friend, room, f"While you were away {n}") for n in range(3)]

    back = await open_socket(in_group)
    # The app isn't sure "p-2" went out before the drop, so it sends it again: it is stored once.
    await say(in_group, room, "Sent just before the drop", client_id="p-2")
    subscribed, replayed = await back.subscribe(room.pk, after=last_seen)
    await back.send({"type": "message.send", "room": room.pk, "body": "Sent just before the drop",
                     "client_id": "p-2"})  # fmt: skip
    confirmation = await back.receive_type("message.new")
    await say(friend, room, "Welcome back")
    live = await back.receive_type("message.new")

    replayed_ids = [frame["message"]["id"] for frame in replayed]
    assert replayed_ids[:3] == [m.pk for m in missed]
    assert len(replayed_ids) == len(set(replayed_ids)) == 4
    assert confirmation["message"]["id"] == replayed_ids[-1], "the resend is the stored message, not a new one"
    assert live["message"]["body"] == "Welcome back"
    assert await back.nothing()
    assert await run(lambda: Message.objects.filter(client_id="p-2").count()) == 1


async def test_a_message_committed_while_subscribing_is_sent_once(in_group, friend, room, open_socket):
    """A message broadcast between joining the room's group and reading the replay is not sent twice."""
    from messaging import selectors

    socket = await open_socket(in_group)
    original_replay = selectors.message_replay

    def replay_after_a_send(**kwargs):
        message_send(actor=friend, room_id=room.pk, body="Right now")
        return original_replay(**kwargs)

    from unittest import mock

    with mock.patch("messaging.consumers.selectors.message_replay", side_effect=replay_after_a_send):
        _, replayed = await socket.subscribe(room.pk, after=0)

    assert [frame["message"]["body"] for frame in replayed] == ["Right now"]
    assert await socket.nothing()

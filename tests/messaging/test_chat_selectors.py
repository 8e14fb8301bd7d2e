"""Reads shared by the socket and the API: the room list, history pages, replays, and the one message shape."""

from __future__ import annotations

from datetime import timedelta

import pytest

from messaging.models import Message
from messaging.selectors import message_history, message_payload, message_replay, room_payload, rooms_for_user
from messaging.services.direct import direct_room_open
from messaging.services.messages import message_delete, message_send
from messaging.services.reactions import reaction_toggle
from messaging.services.reads import read_mark
from messaging.services.rooms import room_for_group, rooms_ensure_for_user
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


def say(user, room, body="Hello", **kwargs):
    return message_send(actor=user, room_id=room.pk, body=body, **kwargs).message


def many(room, author, count: int) -> list[Message]:
    return Message.objects.bulk_create([Message(room=room, author=author, body=f"m{n}") for n in range(count)])


# --- the room list ----------------------------------------------------------------------------------------------------


def test_my_rooms_have_unread_counts_and_the_newest_first(in_group, friend, group, make_group, add_member):
    quiet_group = make_group(name="Quiet Club")
    add_member(quiet_group, in_group)
    rooms_ensure_for_user(user=in_group)
    busy = room_for_group(group=group)
    first = say(friend, busy, "one")
    say(friend, busy, "two")
    read_mark(actor=in_group, room_id=busy.pk, message_id=first.pk)

    rooms = list(rooms_for_user(user=in_group))

    assert [room.group.name for room in rooms] == ["Art Club", "Quiet Club"]
    assert [room.unread_count for room in rooms] == [1, 0]
    assert rooms[1].last_message_id is None


def test_the_room_list_is_one_query_however_many_rooms(in_group, friend, make_group, add_member,
                                                       django_assert_max_num_queries):  # fmt: skip
    def grow(n):
        for _ in range(n):
            extra = make_group()
            add_member(extra, in_group)
            add_member(extra, friend)
            Message.objects.create(room=room_for_group(group=extra), author=friend, body="hi")
        direct_room_open(actor=friend, user_id=in_group.pk)
        event = make_event(extra, starts_in=timedelta(hours=2))
        make_rsvp(event, in_group)
        rooms_ensure_for_user(user=in_group)

    grow(2)
    with django_assert_max_num_queries(1):
        small = [room_payload(room, viewer=in_group) for room in rooms_for_user(user=in_group)]
    grow(6)
    with django_assert_max_num_queries(1):
        large = [room_payload(room, viewer=in_group) for room in rooms_for_user(user=in_group)]
    assert len(large) > len(small)


def test_a_direct_conversation_is_titled_with_the_other_persons_name(in_group, friend):
    room = direct_room_open(actor=in_group, user_id=friend.pk).room
    assert room_payload(room, viewer=in_group)["title"] == "Kai"
    assert room_payload(room, viewer=friend)["title"] == "Robin"
    assert room_payload(room, viewer=in_group)["other_person"] == {"id": friend.pk, "display_name": "Kai"}


# --- history and replay -----------------------------------------------------------------------------------------------


def test_history_pages_go_back_in_time(in_group, room):
    messages = many(room, in_group, 7)

    first = message_history(room=room, viewer=in_group, limit=3)
    second = message_history(room=room, viewer=in_group, before=first.messages[-1].pk, limit=3)
    last = message_history(room=room, viewer=in_group, before=second.messages[-1].pk, limit=3)

    assert [m.pk for m in first.messages] == [m.pk for m in messages[::-1][:3]]
    assert [m.pk for m in second.messages] == [m.pk for m in messages[::-1][3:6]]
    assert [m.pk for m in last.messages] == [messages[0].pk]
    assert (first.has_more, second.has_more, last.has_more) == (True, True, False)


def test_history_costs_the_same_queries_for_any_page_size(in_group, friend, room, django_assert_max_num_queries):
    for message in many(room, friend, 30):
        reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍")
    say(in_group, room, "reply", reply_to_id=Message.objects.first().pk)
    with django_assert_max_num_queries(2):
        page = message_history(room=room, viewer=in_group, limit=25)
        [message_payload(message) for message in page.messages]


def test_replay_sends_what_was_missed_oldest_first(in_group, room):
    messages = many(room, in_group, 5)
    page = message_replay(room=room, viewer=in_group, after=messages[1].pk, limit=200)
    assert [m.pk for m in page.messages] == [m.pk for m in messages[2:]]
    assert page.has_more is False


def test_replay_is_bounded_to_the_newest(in_group, room):
    messages = many(room, in_group, 8)
    page = message_replay(room=room, viewer=in_group, after=messages[0].pk, limit=3)
    assert [m.pk for m in page.messages] == [m.pk for m in messages[-3:]]
    assert page.has_more is True


# --- the message shape ------------------------------------------------------------------------------------------------


def test_the_message_shape(in_group, friend, room):
    question = say(friend, room, "Pizza or pasta?")
    answer = say(in_group, room, "Pizza!", client_id="abc", reply_to_id=question.pk)
    reaction_toggle(actor=friend, message_id=answer.pk, emoji="😂")

    payload = message_payload(Message.objects.get(pk=answer.pk))

    assert payload == {
        "id": answer.pk,
        "room": room.pk,
        "author": {"id": in_group.pk, "display_name": "Robin"},
        "body": "Pizza!",
        "image_url": None,
        "reply_to": {
            "id": question.pk,
            "author": {"id": friend.pk, "display_name": "Kai"},
            "excerpt": "Pizza or pasta?",
            "is_deleted": False,
            "is_hidden": False,
        },
        "client_id": "abc",
        "created_at": answer.created_at.isoformat(),
        "edited_at": None,
        "is_deleted": False,
        "is_hidden": False,
        "hidden_reason": None,
        "is_held": False,
        "reactions": [{"emoji": "😂", "count": 1, "user_ids": [friend.pk]}],
    }


def test_deleted_and_hidden_messages_lose_their_words_for_everyone(in_group, friend, room):
    gone = say(in_group, room, "secret")
    hidden = say(in_group, room, "rude")
    reaction_toggle(actor=friend, message_id=hidden.pk, emoji="👍")
    message_delete(actor=in_group, message_id=gone.pk)
    Message.objects.filter(pk=hidden.pk).update(is_hidden=True)
    reply = say(friend, room, "what?", reply_to_id=gone.pk)

    assert message_payload(Message.objects.get(pk=gone.pk))["body"] == ""
    hidden_payload = message_payload(Message.objects.get(pk=hidden.pk))
    assert (hidden_payload["body"], hidden_payload["reactions"], hidden_payload["is_hidden"]) == ("", [], True)
    assert message_payload(Message.objects.get(pk=reply.pk))["reply_to"]["excerpt"] == ""

"""What a block or a mute does in chat: the blocked person can't start or continue a conversation (and is told only
the neutral `cannot_message`), and the people you blocked or muted are left out of your history, replays and unread
counts - for you only."""

from __future__ import annotations

import pytest

from community.errors import DomainError
from community.services.personal_controls import person_block, person_mute, person_unblock
from messaging import selectors
from messaging.models import Message
from messaging.services.direct import direct_accept, direct_room_open
from messaging.services.messages import message_send

pytestmark = pytest.mark.django_db


def refusal_code(call) -> str:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.code


def test_a_blocked_person_cannot_start_a_conversation_and_is_told_nothing_about_the_block(in_group, friend):
    person_block(actor=in_group, user_id=friend.pk)

    # The blocker is out of their sight, like anyone they can't find (their profile is not found either).
    assert refusal_code(lambda: direct_room_open(actor=friend, user_id=in_group.pk)) == "person_not_found"
    assert refusal_code(lambda: direct_room_open(actor=friend, user_id=999_999)) == "person_not_found"
    assert refusal_code(lambda: direct_room_open(actor=in_group, user_id=friend.pk)) == "you_blocked_them"


def test_a_blocked_person_cannot_write_in_an_existing_conversation(in_group, friend):
    room = direct_room_open(actor=friend, user_id=in_group.pk).room
    direct_accept(actor=in_group, room_id=room.pk)
    person_block(actor=in_group, user_id=friend.pk)

    code = refusal_code(lambda: message_send(actor=friend, room_id=room.pk, body="hello?", client_id="c-1"))

    assert code == "cannot_message"
    assert not Message.objects.filter(room=room).exists()


def test_after_unblocking_the_conversation_works_again(in_group, friend):
    room = direct_room_open(actor=friend, user_id=in_group.pk).room
    direct_accept(actor=in_group, room_id=room.pk)
    person_block(actor=in_group, user_id=friend.pk)
    person_unblock(actor=in_group, user_id=friend.pk)

    assert message_send(actor=friend, room_id=room.pk, body="hi again", client_id="c-2").created


@pytest.mark.parametrize("control", [person_block, person_mute])
def test_their_messages_are_left_out_of_history_replay_and_unread_counts_for_you_only(
    in_group, friend, make_user, group, add_member, room, control
):
    sam = make_user(display_name="Sam")
    add_member(group, sam)
    kept = message_send(actor=sam, room_id=room.pk, body="from Sam", client_id="s-1").message
    message_send(actor=friend, room_id=room.pk, body="from Kai", client_id="k-1")
    control(actor=in_group, user_id=friend.pk)

    history = selectors.message_history(room=room, viewer=in_group).messages
    replay = selectors.message_replay(room=room, viewer=in_group, after=None, limit=50).messages
    assert [m.pk for m in history] == [m.pk for m in replay] == [kept.pk]
    assert selectors.unread_count_for(user=in_group, room=room) == 1
    assert selectors.unread_count_for(user=sam, room=room) == 1  # Sam still sees Kai's message
    assert len(selectors.message_history(room=room, viewer=sam).messages) == 2


def test_the_api_history_leaves_out_people_you_blocked(api_as, in_group, friend, room):
    message_send(actor=friend, room_id=room.pk, body="from Kai", client_id="k-1")
    person_block(actor=in_group, user_id=friend.pk)

    mine = api_as(in_group).get(f"/api/v1/rooms/{room.pk}/messages/").json()["results"]
    theirs = api_as(friend).get(f"/api/v1/rooms/{room.pk}/messages/").json()["results"]

    assert mine == []
    assert [m["body"] for m in theirs] == ["from Kai"]

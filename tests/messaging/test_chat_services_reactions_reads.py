"""Reactions (toggled from a fixed set) and read markers (unread counts)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from community.errors import DomainError
from community.models import MembershipStatus, User
from messaging.models import Message, Reaction, ReadMarker
from messaging.selectors import unread_count_for
from messaging.services.messages import message_delete, message_send
from messaging.services.reactions import reaction_choice, reaction_toggle
from messaging.services.reads import read_mark

pytestmark = pytest.mark.django_db


def refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, (caught.value.code, caught.value.detail)
    return caught.value


def say(user, room, body="Hello"):
    return message_send(actor=user, room_id=room.pk, body=body).message


# --- reactions --------------------------------------------------------------------------------------------------------


def test_toggling_a_reaction_adds_then_removes_it(in_group, friend, room):
    message = say(friend, room)

    on = reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍")
    assert on.added is True
    assert on.reactions == [{"emoji": "👍", "count": 1, "user_ids": [in_group.pk]}]

    off = reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍")
    assert off.added is False
    assert off.reactions == []
    assert Reaction.objects.count() == 0


def test_reactions_from_several_people_are_counted_in_the_fixed_order(in_group, friend, room):
    message = say(friend, room)
    reaction_toggle(actor=in_group, message_id=message.pk, emoji="🙏")
    reaction_toggle(actor=friend, message_id=message.pk, emoji="👍")
    result = reaction_toggle(actor=friend, message_id=message.pk, emoji="🙏")

    assert [(r["emoji"], r["count"]) for r in result.reactions] == [("👍", 1), ("🙏", 2)]


def test_a_heart_with_or_without_the_variation_selector_is_one_reaction(in_group, friend, room):
    message = say(friend, room)
    reaction_toggle(actor=in_group, message_id=message.pk, emoji="❤")
    result = reaction_toggle(actor=in_group, message_id=message.pk, emoji="❤️")
    assert result.added is False
    assert reaction_choice("❤") == "❤️"


def test_only_the_fixed_reactions(in_group, friend, room):
    message = say(friend, room)
    refused(lambda: reaction_toggle(actor=in_group, message_id=message.pk, emoji="🍕"), "unknown_reaction")
    refused(lambda: reaction_toggle(actor=in_group, message_id=message.pk, emoji="<b>"), "unknown_reaction")


def test_no_reactions_on_deleted_messages(in_group, friend, room):
    message = say(friend, room)
    message_delete(actor=friend, message_id=message.pk)
    refused(lambda: reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍"), "message_deleted")


def test_outsiders_cannot_react(member, friend, room):
    message = say(friend, room)
    refused(lambda: reaction_toggle(actor=member, message_id=message.pk, emoji="👍"), "message_not_found")


def test_no_reactions_in_a_read_only_room(in_group, friend, group, room):
    message = say(friend, room)
    group.is_archived = True
    group.save()
    refused(lambda: reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍"), "read_only")


@override_settings(HN_CHAT_REACTIONS_PER_MINUTE=2)
def test_reacting_very_fast_is_rate_limited(in_group, friend, room):
    message = say(friend, room)
    reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍")
    reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍")
    refused(lambda: reaction_toggle(actor=in_group, message_id=message.pk, emoji="👍"), "rate_limited")


# --- read markers and unread counts -----------------------------------------------------------------------------------


def test_unread_counts_other_peoples_messages_after_the_marker(in_group, friend, room):
    first = say(friend, room, "one")
    say(friend, room, "two")
    say(in_group, room, "mine does not count")
    assert unread_count_for(user=in_group, room=room) == 2

    state = read_mark(actor=in_group, room_id=room.pk, message_id=first.pk)

    assert (state.last_read_message_id, state.unread_count) == (first.pk, 1)
    assert ReadMarker.objects.get(user=in_group).last_read_message_id == first.pk


def test_the_marker_only_moves_forward(in_group, friend, room):
    first = say(friend, room, "one")
    second = say(friend, room, "two")
    read_mark(actor=in_group, room_id=room.pk, message_id=second.pk)
    state = read_mark(actor=in_group, room_id=room.pk, message_id=first.pk)
    assert state.last_read_message_id == second.pk
    assert state.unread_count == 0


def test_deleted_and_hidden_messages_are_not_unread(in_group, friend, room):
    gone = say(friend, room, "gone")
    hidden = say(friend, room, "hidden")
    message_delete(actor=friend, message_id=gone.pk)
    Message.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert unread_count_for(user=in_group, room=room) == 0


def test_marking_a_message_of_another_room_is_refused(in_group, friend, room, make_group, add_member):
    from messaging.services.rooms import room_for_group

    other = make_group()
    add_member(other, in_group)
    elsewhere = say(in_group, room_for_group(group=other))
    refused(lambda: read_mark(actor=in_group, room_id=room.pk, message_id=elsewhere.pk), "message_not_found")
    refused(lambda: read_mark(actor=in_group, room_id=room.pk, message_id=10**9), "message_not_found")


def test_outsiders_cannot_mark_read(member, friend, room, group):
    message = say(friend, room)
    refused(lambda: read_mark(actor=member, room_id=room.pk, message_id=message.pk), "not_a_member")
    friend.memberships.filter(group=group).update(status=MembershipStatus.LEFT)
    refused(
        lambda: read_mark(actor=User.objects.get(pk=friend.pk), room_id=room.pk, message_id=message.pk),
        "not_a_member",
    )

"""Sending, editing and deleting messages: what is stored, what is refused and with which code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from community.errors import DomainError
from community.models import MembershipStatus, User
from messaging.models import Message, MessageEdit, MessageEditKind
from messaging.services.messages import clean_body, message_delete, message_edit, message_send
from tests.events.domain_factories import frozen_now

pytestmark = pytest.mark.django_db


def send(user, room, body="Hello", **kwargs):
    return message_send(actor=user, room_id=room.pk, body=body, **kwargs)


def refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, (caught.value.code, caught.value.detail)
    return caught.value


# --- sending ----------------------------------------------------------------------------------------------------------


def test_a_member_sends_a_message(in_group, room):
    result = send(in_group, room, "  Hi everyone!  ", client_id="c-1")

    assert result.created is True
    stored = Message.objects.get()
    assert (stored.author, stored.room, stored.body, stored.client_id) == (in_group, room, "Hi everyone!", "c-1")


def test_a_resend_with_the_same_client_id_is_not_stored_twice(in_group, room):
    first = send(in_group, room, "Once", client_id="same")
    again = send(in_group, room, "Once", client_id="same")

    assert again.created is False
    assert again.message.pk == first.message.pk
    assert Message.objects.count() == 1


def test_the_same_client_id_from_two_people_is_two_messages(in_group, friend, room):
    send(in_group, room, client_id="x")
    send(friend, room, client_id="x")
    assert Message.objects.count() == 2


def test_control_characters_are_removed_and_newlines_kept(in_group, room):
    result = send(in_group, room, "line one\r\nline\x00 two\x07\u202e\ttab")
    assert result.message.body == "line one\nline two\ttab"


def test_html_is_stored_as_plain_text(in_group, room):
    assert send(in_group, room, "<b>bold</b>").message.body == "<b>bold</b>"


def test_a_message_over_2000_characters_is_too_long(in_group, room):
    refused(lambda: send(in_group, room, "a" * 2001), "too_long")
    assert send(in_group, room, "a" * 2000).created


def test_an_empty_message_is_refused(in_group, room):
    refused(lambda: send(in_group, room, "  \n\x00 "), "empty_message")


def test_a_strange_client_id_is_refused(in_group, room):
    refused(lambda: send(in_group, room, client_id="has spaces"), "invalid_client_id")
    refused(lambda: send(in_group, room, client_id="x" * 65), "invalid_client_id")


def test_someone_outside_the_group_cannot_send(member, room):
    refused(lambda: send(member, room), "not_a_member")


def test_a_room_that_does_not_exist(in_group):
    refused(lambda: message_send(actor=in_group, room_id=987654, body="hi"), "room_not_found")


def test_evaluators_never_use_chat(evaluator, group, add_member, room):
    refused(lambda: send(evaluator, room), "not_a_member")


def test_moderators_and_staff_can_post_in_any_group_room(moderator, staff, room):
    assert send(moderator, room).created
    assert send(staff, room).created


def test_an_archived_group_room_is_read_only(in_group, group, room):
    group.is_archived = True
    group.save()
    refused(lambda: send(in_group, room), "read_only")


def test_someone_removed_from_the_group_can_no_longer_send(in_group, group, room):
    in_group.memberships.filter(group=group).update(status=MembershipStatus.REMOVED)
    refused(lambda: send(in_group, room), "not_a_member")


def test_a_reply_points_at_a_message_in_the_same_room(in_group, friend, room, make_group, add_member):
    first = send(friend, room, "Question?").message
    reply = send(in_group, room, "Answer!", reply_to_id=first.pk).message
    assert reply.reply_to == first

    other_group = make_group()
    add_member(other_group, in_group)
    from messaging.services.rooms import room_for_group

    elsewhere = send(in_group, room_for_group(group=other_group), "Elsewhere").message
    refused(lambda: send(in_group, room, "Wrong room", reply_to_id=elsewhere.pk), "reply_not_found")
    refused(lambda: send(in_group, room, "Nothing", reply_to_id=99999), "reply_not_found")


def test_a_reply_to_a_hidden_message_is_refused(in_group, friend, room):
    hidden = send(friend, room, "Hidden").message
    Message.objects.filter(pk=hidden.pk).update(is_hidden=True)
    refused(lambda: send(in_group, room, "Reply", reply_to_id=hidden.pk), "reply_not_found")


@override_settings(HN_CHAT_BURST_MESSAGES=3, HN_CHAT_BURST_SECONDS=3)
def test_sending_fast_is_rate_limited_with_a_retry_time(in_group, room):
    for n in range(3):
        send(in_group, room, f"Message {n}")
    error = refused(lambda: send(in_group, room, "One too many"), "rate_limited")
    assert error.retry_after >= 1
    assert Message.objects.count() == 3


@override_settings(HN_CHAT_BURST_MESSAGES=1, HN_CHAT_BURST_SECONDS=60)
def test_a_resend_does_not_use_up_the_rate_limit(in_group, room):
    send(in_group, room, client_id="a")
    assert send(in_group, room, client_id="a").created is False


def test_a_rolled_back_send_is_never_broadcast(in_group, room, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                send(in_group, room)
                raise RuntimeError("changed my mind")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Message.objects.count() == 0


def test_clean_body_keeps_emoji_joiners():
    family = "👩\u200d👩\u200d👧"
    assert clean_body(family) == family


# --- editing ----------------------------------------------------------------------------------------------------------


def test_an_author_edits_their_message_and_the_old_words_are_kept(in_group, room):
    message = send(in_group, room, "Helo").message

    edited = message_edit(actor=in_group, message_id=message.pk, body="Hello")

    assert edited.body == "Hello"
    assert edited.edited_at is not None
    history = MessageEdit.objects.get()
    assert (history.kind, history.previous_body, history.edited_by) == (MessageEditKind.EDIT, "Helo", in_group)


def test_saving_the_same_words_changes_nothing(in_group, room):
    message = send(in_group, room, "Same").message
    assert message_edit(actor=in_group, message_id=message.pk, body="Same").edited_at is None
    assert MessageEdit.objects.count() == 0


def test_only_the_author_can_edit(in_group, friend, moderator, room):
    message = send(in_group, room, "Mine").message
    refused(lambda: message_edit(actor=friend, message_id=message.pk, body="Yours"), "not_your_message")
    refused(lambda: message_edit(actor=moderator, message_id=message.pk, body="Mod"), "not_your_message")


@override_settings(HN_MESSAGE_EDIT_MINUTES=15)
def test_the_edit_window_closes(in_group, room):
    message = send(in_group, room, "Early").message
    with frozen_now(timezone.now() + timedelta(minutes=16)):
        refused(lambda: message_edit(actor=in_group, message_id=message.pk, body="Late"), "edit_window_closed")
    with frozen_now(timezone.now() + timedelta(minutes=14)):
        assert message_edit(actor=in_group, message_id=message.pk, body="In time").body == "In time"


def test_an_edit_can_be_too_long_or_empty(in_group, room):
    message = send(in_group, room, "Words").message
    refused(lambda: message_edit(actor=in_group, message_id=message.pk, body="b" * 2001), "too_long")
    refused(lambda: message_edit(actor=in_group, message_id=message.pk, body="   "), "empty_message")


def test_a_deleted_message_cannot_be_edited(in_group, room):
    message = send(in_group, room, "Gone soon").message
    message_delete(actor=in_group, message_id=message.pk)
    refused(lambda: message_edit(actor=in_group, message_id=message.pk, body="Back"), "message_deleted")


def test_editing_after_leaving_the_group_is_refused(in_group, group, room):
    message = send(in_group, room, "Bye").message
    in_group.memberships.filter(group=group).update(status=MembershipStatus.LEFT)
    later = User.objects.get(pk=in_group.pk)  # a new request: nothing remembered from before
    refused(lambda: message_edit(actor=later, message_id=message.pk, body="Hm"), "message_not_found")


def test_editing_in_a_room_that_became_read_only(in_group, group, room):
    message = send(in_group, room, "Before").message
    group.is_archived = True
    group.save()
    refused(lambda: message_edit(actor=in_group, message_id=message.pk, body="After"), "read_only")


def test_a_missing_or_hidden_message(in_group, friend, room):
    refused(lambda: message_edit(actor=in_group, message_id=424242, body="x"), "message_not_found")
    message = send(in_group, room, "Hidden").message
    Message.objects.filter(pk=message.pk).update(is_hidden=True)
    refused(lambda: message_edit(actor=in_group, message_id=message.pk, body="x"), "message_not_found")


# --- deleting ---------------------------------------------------------------------------------------------------------


def test_deleting_clears_the_words_and_keeps_them_for_moderators(in_group, room):
    message = send(in_group, room, "Oops").message

    deleted = message_delete(actor=in_group, message_id=message.pk)

    assert deleted.body == ""
    assert deleted.is_deleted
    assert MessageEdit.objects.get().previous_body == "Oops"
    assert MessageEdit.objects.get().kind == MessageEditKind.DELETE


def test_deleting_twice_is_fine(in_group, room):
    message = send(in_group, room).message
    message_delete(actor=in_group, message_id=message.pk)
    message_delete(actor=in_group, message_id=message.pk)
    assert MessageEdit.objects.count() == 1


def test_only_the_author_can_delete(in_group, friend, room):
    message = send(in_group, room).message
    refused(lambda: message_delete(actor=friend, message_id=message.pk), "not_your_message")
    assert not Message.objects.get().is_deleted


def test_people_outside_the_room_cannot_find_a_message(in_group, member, make_user, room):
    message = send(in_group, room).message
    refused(lambda: message_delete(actor=make_user(), message_id=message.pk), "message_not_found")

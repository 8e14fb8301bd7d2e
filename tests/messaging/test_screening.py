"""Screening on the send and edit paths: word lists, crisis language, pre-moderation of new members, slow mode.

Service tests run in one transaction; socket tests use the real ASGI application.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from community.errors import InvalidInput, RateLimited
from community.models import Notification, SafeguardingConcern, SafeguardingPhrase, SiteRole
from community.services.safeguarding import phrase_list_changed
from messaging.models import CaseStatus, Message, ModerationCase, Room, WordListEntry
from messaging.selectors import message_history
from messaging.services.messages import message_edit, message_send
from messaging.services.moderation.word_lists import word_list_changed

NEW_MEMBERS_HELD = override_settings(HN_NEW_MEMBER_HELD_MESSAGES=2, HN_NEW_MEMBER_LINK_DAYS=30)


def send(user, room, body, **kwargs):
    return message_send(actor=user, room_id=room.pk, body=body, **kwargs).message


@pytest.fixture
def word_list(db):
    def add(phrase: str, action: str) -> WordListEntry:
        entry = WordListEntry.objects.create(phrase=phrase, action=action)
        word_list_changed()
        return entry

    return add


@pytest.fixture
def crisis_phrase(db):
    SafeguardingPhrase.objects.get_or_create(phrase="end it all", category="suicide")
    phrase_list_changed()


# --- word lists -------------------------------------------------------------------------------------------------------


def test_a_blocked_word_stops_the_message_and_says_which_word(in_group, room, word_list):
    word_list("scumbag", "block")
    with pytest.raises(InvalidInput) as refused:
        send(in_group, room, "you absolute SCUMB@G")
    assert refused.value.code == "blocked_words"
    assert "scumbag" in refused.value.detail
    assert not Message.objects.filter(room=room).exists()


def test_a_held_word_keeps_the_message_from_everyone_but_its_author(in_group, friend, room, word_list):
    word_list("meet me alone", "hold")
    message = send(in_group, room, "meet me   alone after")

    assert (message.is_held, message.held_reason) == (True, "word_hold")
    case = ModerationCase.objects.get(message=message, status=CaseStatus.OPEN)
    assert case.reports.get().matched == "meet me alone"
    assert [m.pk for m in message_history(room=room, viewer=in_group).messages] == [message.pk]
    assert message_history(room=room, viewer=friend).messages == []


def test_a_flagged_word_lets_the_message_through_and_tells_moderators(in_group, friend, room, word_list):
    word_list("vape*", "flag")
    message = send(in_group, room, "anyone got vapes later?")

    assert message.is_held is False
    assert [m.pk for m in message_history(room=room, viewer=friend).messages] == [message.pk]
    assert ModerationCase.objects.get(message=message).reports.get().reason == "word_flag"


def test_moderators_are_not_screened(room, make_user, word_list):
    word_list("scumbag", "block")
    moderator = make_user(role=SiteRole.MODERATOR, display_name="Mo")
    message = send(moderator, room, "Please don't call people a scumbag here.")
    assert message.is_held is False


# --- crisis language --------------------------------------------------------------------------------------------------


def test_crisis_language_holds_the_message_sends_support_and_alerts(in_group, friend, room, make_user, crisis_phrase):
    on_duty = make_user(role=SiteRole.MODERATOR, display_name="Dee")
    on_duty.duties.create()
    lead = make_user(role=SiteRole.STAFF, display_name="Lea", is_safeguarding_lead=True)

    message = send(in_group, room, "i just want to end it all tonight")

    assert (message.is_held, message.held_reason) == (True, "crisis")
    assert message_history(room=room, viewer=friend).messages == []
    concern = SafeguardingConcern.objects.get(source="message", source_id=message.pk)
    assert concern.person == in_group
    assert "suicide" in concern.categories
    support = Notification.objects.get(user=in_group, kind="safeguarding_support")
    assert "Samaritans" in support.body
    alerted = set(Notification.objects.filter(kind="safeguarding_alert").values_list("user", flat=True))
    assert {on_duty.pk, lead.pk} <= alerted
    assert in_group.pk not in alerted and friend.pk not in alerted


def test_an_edit_into_crisis_language_withdraws_the_message_and_raises_a_concern(in_group, friend, room, crisis_phrase):
    message = send(in_group, room, "ok")
    message_edit(actor=in_group, message_id=message.pk, body="honestly I want to end it all")

    message.refresh_from_db()
    assert (message.is_held, message.held_reason) == (True, "crisis")
    assert message_history(room=room, viewer=friend).messages == []
    assert SafeguardingConcern.objects.filter(source_id=message.pk).exists()


def test_an_edit_into_blocked_words_is_refused_and_keeps_the_old_words(in_group, room, word_list):
    message = send(in_group, room, "hello")
    word_list("scumbag", "block")
    with pytest.raises(InvalidInput) as refused:
        message_edit(actor=in_group, message_id=message.pk, body="scumbag")
    assert refused.value.code == "blocked_words"
    message.refresh_from_db()
    assert message.body == "hello"


# --- new members ------------------------------------------------------------------------------------------------------


@NEW_MEMBERS_HELD
def test_a_new_members_first_messages_wait_for_review(in_group, friend, room):
    first = send(in_group, room, "hi everyone")
    second = send(in_group, room, "I'm new")
    assert (first.is_held, second.held_reason) == (True, "new_member")
    assert ModerationCase.objects.filter(subject=in_group, kind="message").count() == 2

    Message.objects.filter(pk__in=[first.pk, second.pk]).update(is_held=False)  # a moderator approved both
    third = send(in_group, room, "thanks for the welcome")
    assert third.is_held is False


@NEW_MEMBERS_HELD
def test_a_link_from_a_new_member_waits_for_review(in_group, room):
    Message.objects.bulk_create([Message(room=room, author=in_group, body=f"m{n}") for n in range(2)])
    plain = send(in_group, room, "see you there")
    link = send(in_group, room, "look at www.example.com/free")
    assert plain.is_held is False
    assert (link.is_held, link.held_reason) == (True, "new_member_link")


@NEW_MEMBERS_HELD
def test_a_direct_conversation_is_not_pre_moderated(in_group, friend):
    from messaging.services.direct import direct_room_open

    room = direct_room_open(actor=in_group, user_id=friend.pk).room
    assert send(in_group, room, "hi Kai").is_held is False


# --- slow mode --------------------------------------------------------------------------------------------------------


def test_slow_mode_allows_one_message_per_person_per_interval(in_group, friend, room, make_user):
    Room.objects.filter(pk=room.pk).update(slow_mode_seconds=30)
    send(in_group, room, "one")
    with pytest.raises(RateLimited) as refused:
        send(in_group, room, "two")
    assert refused.value.code == "slow_mode"
    assert 1 <= refused.value.retry_after <= 30
    send(friend, room, "someone else can still talk")
    moderator = make_user(role=SiteRole.MODERATOR, display_name="Mo")
    send(moderator, room, "moderators are exempt")
    send(moderator, room, "twice")


def test_slow_mode_over_rest_is_a_429_with_its_code(in_group, room, api_as):
    Room.objects.filter(pk=room.pk).update(slow_mode_seconds=60)
    client = api_as(in_group)
    assert client.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "one"}, format="json").status_code == 201
    response = client.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "two"}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "slow_mode"


# --- live -------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_a_held_message_reaches_only_its_authors_tabs(in_group, friend, room, open_socket):
    await database_sync_to_async(WordListEntry.objects.create)(phrase="meet me alone", action="hold")
    await database_sync_to_async(word_list_changed)()
    author_tab = await open_socket(in_group)
    other_tab = await open_socket(in_group)
    friend_socket = await open_socket(friend)
    for socket in (author_tab, friend_socket):
        await socket.subscribe(room.pk)

    await author_tab.send({"type": "message.send", "room": room.pk, "body": "meet me alone", "client_id": "h1"})

    for tab in (author_tab, other_tab):
        frame = await tab.receive_type("message.new")
        assert (frame["message"]["is_held"], frame["message"]["body"]) == (True, "meet me alone")
    assert await friend_socket.nothing(timeout=0.5)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_blocked_words_over_the_socket_are_an_error_frame(in_group, room, open_socket):
    await database_sync_to_async(WordListEntry.objects.create)(phrase="scumbag", action="block")
    await database_sync_to_async(word_list_changed)()
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)
    await socket.send({"type": "message.send", "room": room.pk, "body": "scumbag", "client_id": "b1"})
    error = await socket.receive_type("error")
    assert (error["code"], error["client_id"]) == ("blocked_words", "b1")

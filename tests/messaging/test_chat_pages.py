"""Chat pages: the room list (only my rooms, unread counts in words, conversation requests), a room page that works
without JavaScript, kind refusals, safe rendering of what people write, and the links from groups and events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from community.models import MembershipStatus
from messaging.models import DirectStatus, Message
from messaging.services.direct import direct_room_open
from messaging.services.messages import message_delete, message_send
from messaging.services.rooms import room_for_event, room_for_group
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def robin_client(client, in_group):
    client.force_login(in_group)
    return client


def _page(response) -> str:
    return response.content.decode()


# --- the room list ----------------------------------------------------------------------------------------------------


def test_the_room_list_needs_logging_in(client):
    response = client.get(reverse("messaging:room-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("community:login"))


def test_the_room_list_shows_only_my_rooms_with_unread_counts_in_words(
    robin_client, in_group, friend, group, make_group, make_user, add_member
):
    other_group = make_group(name="Night Owls")
    add_member(other_group, make_user(display_name="Stranger"))
    room = room_for_group(group=group)
    for n in range(3):
        message_send(actor=friend, room_id=room.pk, body=f"Hello {n}")
    room_for_group(group=other_group)

    page = _page(robin_client.get(reverse("messaging:room-list")))

    assert "Art Club" in page
    assert "3 new" in page
    assert "Night Owls" not in page
    assert reverse("messaging:room", args=[room.pk]) in page


def test_the_room_list_has_a_chat_nav_link_marked_current(robin_client):
    page = _page(robin_client.get(reverse("messaging:room-list")))
    assert f'<a href="{reverse("messaging:room-list")}" aria-current="page">Chat</a>' in page


def test_a_left_group_is_no_longer_in_the_list(robin_client, in_group, group):
    in_group.memberships.filter(group=group).update(status=MembershipStatus.LEFT)
    page = _page(robin_client.get(reverse("messaging:room-list")))
    assert "Art Club" not in page


def test_a_conversation_request_can_be_accepted_from_the_list(robin_client, in_group, friend):
    room = direct_room_open(actor=friend, user_id=in_group.pk).room
    message_send(actor=friend, room_id=room.pk, body="Hi Robin, fancy a chat?")

    page = _page(robin_client.get(reverse("messaging:room-list")))
    assert "People who'd like to talk to you" in page
    assert "Read Kai's message" in page

    response = robin_client.post(reverse("messaging:direct-accept", args=[room.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:room", args=[room.pk])
    room.refresh_from_db()
    assert room.direct_status == DirectStatus.ACCEPTED


def test_a_conversation_request_can_be_declined(robin_client, in_group, friend):
    room = direct_room_open(actor=friend, user_id=in_group.pk).room
    response = robin_client.post(reverse("messaging:direct-decline", args=[room.pk]), follow=True)
    room.refresh_from_db()
    assert room.direct_status == DirectStatus.DECLINED
    assert "You declined" in _page(response)


def test_the_asker_cannot_answer_their_own_request(client, in_group, friend):
    room = direct_room_open(actor=in_group, user_id=friend.pk).room
    client.force_login(in_group)
    response = client.post(reverse("messaging:direct-accept", args=[room.pk]), follow=True)
    room.refresh_from_db()
    assert room.direct_status == DirectStatus.REQUESTED
    assert "Only the person a request was sent to can answer it." in _page(response)


def test_answering_needs_post(robin_client, in_group, friend):
    room = direct_room_open(actor=friend, user_id=in_group.pk).room
    assert robin_client.get(reverse("messaging:direct-accept", args=[room.pk])).status_code == 405


# --- a room -----------------------------------------------------------------------------------------------------------


def test_a_room_shows_its_latest_messages_oldest_first(robin_client, friend, group):
    room = room_for_group(group=group)
    Message.objects.bulk_create(Message(room=room, author=friend, body=f"Message number {n:02d}") for n in range(55))

    response = robin_client.get(reverse("messaging:room", args=[room.pk]))
    page = _page(response)

    assert response.status_code == 200
    assert "Message number 04" not in page  # only the latest 50
    assert page.index("Message number 05") < page.index("Message number 54")
    assert 'aria-live="polite"' in page
    assert '<label for="id_body">Your message</label>' in page
    config = response.context["chat_config"]
    assert config["has_older"] is True
    assert len(config["messages"]) == 50


def test_a_non_member_gets_a_kind_refusal(client, make_user, group):
    room = room_for_group(group=group)
    client.force_login(make_user(display_name="Outsider"))
    response = client.get(reverse("messaging:room", args=[room.pk]))
    assert response.status_code == 403
    assert "Only people in this group or going to this event can use its chat." in _page(response)


def test_a_room_that_does_not_exist_is_a_kind_404(robin_client):
    response = robin_client.get(reverse("messaging:room", args=[999_999]))
    assert response.status_code == 404
    assert "We couldn&#x27;t find that chat" in _page(response)


def test_someone_elses_conversation_is_not_found(client, make_user, group, add_member, in_group, friend):
    room = direct_room_open(actor=friend, user_id=in_group.pk).room
    nosy = make_user(display_name="Nosy")
    add_member(group, nosy)
    client.force_login(nosy)
    assert client.get(reverse("messaging:room", args=[room.pk])).status_code == 404


def test_evaluators_never_read_a_room(client, evaluator, group):
    room = room_for_group(group=group)
    client.force_login(evaluator)
    assert client.get(reverse("messaging:room", args=[room.pk])).status_code == 403


def test_sending_without_javascript_stores_the_message_once(robin_client, in_group, group):
    room = room_for_group(group=group)
    url = reverse("messaging:room", args=[room.pk])
    form = {"body": "Hello from a plain form", "client_id": "page-abc123"}

    first = robin_client.post(url, form)
    again = robin_client.post(url, form)  # pressing Send twice, or resending the form

    stored = Message.objects.get(room=room)
    assert stored.author == in_group and stored.body == "Hello from a plain form"
    assert first.status_code == again.status_code == 302
    assert first["Location"] == f"{url}#message-{stored.pk}"
    assert "Hello from a plain form" in _page(robin_client.get(url))


def test_sending_an_empty_message_shows_what_to_do(robin_client, group):
    room = room_for_group(group=group)
    response = robin_client.post(reverse("messaging:room", args=[room.pk]), {"body": "   ", "client_id": "x-1"})
    assert response.status_code == 400
    assert "Write something first, then send." in _page(response)
    assert 'aria-invalid="true"' in _page(response)
    assert not Message.objects.exists()


def test_a_read_only_room_shows_why_and_no_form(robin_client, group):
    group.is_archived = True
    group.save(update_fields=["is_archived"])
    room = room_for_group(group=group)
    page = _page(robin_client.get(reverse("messaging:room", args=[room.pk])))
    assert "This chat is read-only now" in page
    assert 'id="chat-form"' not in page
    response = robin_client.post(reverse("messaging:room", args=[room.pk]), {"body": "Hi", "client_id": "ro-1"})
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_a_finished_event_room_is_read_only(client, in_group, group):
    event = make_event(group, starts_in=timedelta(days=-1))
    make_rsvp(event, in_group)
    room = room_for_event(event=event)
    client.force_login(in_group)
    page = _page(client.get(reverse("messaging:room", args=[room.pk])))
    assert "This event is over, so its chat is read-only now." in page
    assert 'id="chat-form"' not in page


def test_message_words_are_escaped_and_only_web_links_are_linked(robin_client, friend, group):
    room = room_for_group(group=group)
    message_send(
        actor=friend,
        room_id=room.pk,
        body='<script>alert(1)</script> see https://example.org/a?b=1&c=2. or javascript:alert(2) "><img src=x>',
    )
    response = robin_client.get(reverse("messaging:room", args=[room.pk]))
    page = _page(response)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x>" not in page
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">https://example.org/a?b=1&amp;c=2</a>.'
        in page
    )
    assert 'href="javascript' not in page
    # The data for the script is embedded as JSON that can't close the script element.
    assert "</script> see" not in page.split('id="chat-config"')[1]


def test_deleted_messages_show_a_placeholder(robin_client, friend, group):
    room = room_for_group(group=group)
    message = message_send(actor=friend, room_id=room.pk, body="Oops, wrong chat").message
    message_delete(actor=friend, message_id=message.pk)
    page = _page(robin_client.get(reverse("messaging:room", args=[room.pk])))
    assert "Message deleted" in page
    assert "Oops, wrong chat" not in page


def test_hidden_messages_say_a_moderator_removed_them(robin_client, friend, group):
    room = room_for_group(group=group)
    message = message_send(actor=friend, room_id=room.pk, body="Something unkind").message
    Message.objects.filter(pk=message.pk).update(is_hidden=True)
    page = _page(robin_client.get(reverse("messaging:room", args=[room.pk])))
    assert "Removed by a moderator" in page
    assert "Something unkind" not in page


def test_replies_quote_the_message_they_answer(robin_client, in_group, friend, group):
    room = room_for_group(group=group)
    first = message_send(actor=friend, room_id=room.pk, body="Who's coming tonight?").message
    message_send(actor=in_group, room_id=room.pk, body="Me!", reply_to_id=first.pk)
    page = _page(robin_client.get(reverse("messaging:room", args=[room.pk])))
    assert "Replying to Kai: Who&#x27;s coming tonight?" in page


def test_the_person_asked_sees_accept_and_decline_in_the_room(robin_client, in_group, friend):
    room = direct_room_open(actor=friend, user_id=in_group.pk).room
    message_send(actor=friend, room_id=room.pk, body="Hi!")
    page = _page(robin_client.get(reverse("messaging:room", args=[room.pk])))
    assert "Kai would like to talk to you." in page
    assert reverse("messaging:direct-accept", args=[room.pk]) in page
    assert "Accept the request first, then you can reply." in page


# --- links from groups and events -------------------------------------------------------------------------------------


def test_the_group_chat_link_opens_the_groups_room(robin_client, group):
    response = robin_client.get(reverse("messaging:group-room", args=[group.slug]))
    room = room_for_group(group=group)
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:room", args=[room.pk])


def test_the_group_chat_link_refuses_people_outside_the_group(client, make_user, group):
    client.force_login(make_user(display_name="Visitor"))
    response = client.get(reverse("messaging:group-room", args=[group.slug]))
    assert response.status_code == 403


def test_the_event_chat_link_opens_the_events_room_for_people_going(client, in_group, group):
    event = make_event(group)
    make_rsvp(event, in_group)
    client.force_login(in_group)
    response = client.get(reverse("messaging:event-room", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:room", args=[room_for_event(event=event).pk])


def test_the_event_chat_link_refuses_people_not_going(client, in_group, group):
    event = make_event(group)
    client.force_login(in_group)
    assert client.get(reverse("messaging:event-room", args=[event.pk])).status_code == 403


def test_the_group_page_links_to_its_chat_for_members(robin_client, group):
    page = _page(robin_client.get(reverse("community:group-detail", args=[group.slug])))
    assert f'href="{reverse("messaging:group-room", args=[group.slug])}"' in page


def test_the_event_page_links_to_its_chat_for_people_going(client, in_group, group):
    event = make_event(group)
    make_rsvp(event, in_group)
    client.force_login(in_group)
    page = _page(client.get(reverse("events:event-detail", args=[event.pk])))
    assert f'href="{reverse("messaging:event-room", args=[event.pk])}"' in page

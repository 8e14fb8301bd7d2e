"""The chat REST API: rooms, history pages, sending (with pictures), editing, deleting, reactions, reads, and
direct conversations. Who may call what is in tests/test_api_permission_matrix.py; this is what the answers hold."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from community.models import DirectMessagePolicy, Profile
from messaging.models import Message, Room
from messaging.services.direct import direct_room_open
from messaging.services.messages import message_send
from messaging.services.rooms import room_for_group
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


def say(user, room, body="Hello", **kwargs):
    return message_send(actor=user, room_id=room.pk, body=body, **kwargs).message


def picture(fmt: str = "PNG", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


# --- rooms ------------------------------------------------------------------------------------------------------------


def test_my_rooms_are_made_and_listed_with_unread_counts(api_as, in_group, friend, group):
    room = room_for_group(group=group)
    say(friend, room, "one")
    say(friend, room, "two")

    body = api_as(in_group).get("/api/v1/rooms/").json()

    assert body["count"] == 1
    [listed] = body["results"]
    assert (listed["id"], listed["kind"], listed["title"], listed["unread_count"]) == (room.pk, "group", "Art Club", 2)
    assert listed["group_slug"] == "art-club"


def test_event_and_direct_rooms_are_listed_too(api_as, in_group, friend, group):
    event = make_event(group, title="Picnic", starts_in=timedelta(hours=5))
    make_rsvp(event, in_group)
    direct_room_open(actor=friend, user_id=in_group.pk)

    results = api_as(in_group).get("/api/v1/rooms/").json()["results"]

    by_kind = {room["kind"]: room for room in results}
    assert set(by_kind) == {"group", "event", "direct"}
    assert by_kind["event"]["title"] == "Picnic"
    assert by_kind["event"]["opens_at"] and by_kind["event"]["closes_at"]
    assert by_kind["direct"]["title"] == "Kai"
    assert by_kind["direct"]["direct_status"] == "requested"


def test_the_room_list_costs_the_same_queries_for_more_rooms(api_as, in_group, make_group, add_member,
                                                             django_assert_max_num_queries):  # fmt: skip
    client = api_as(in_group)

    def add_groups(n):
        for _ in range(n):
            extra = make_group()
            add_member(extra, in_group)
            Message.objects.create(room=room_for_group(group=extra), author=in_group, body="hi")

    add_groups(2)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/rooms/").status_code == 200
    add_groups(10)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/rooms/").json()["count"] == 13  # and the Art Club


# --- history ----------------------------------------------------------------------------------------------------------


def test_history_is_newest_first_with_a_cursor(api_as, in_group, room):
    messages = Message.objects.bulk_create([Message(room=room, author=in_group, body=f"m{n}") for n in range(5)])
    client = api_as(in_group)

    first = client.get(f"/api/v1/rooms/{room.pk}/messages/?limit=2").json()
    second = client.get(f"/api/v1/rooms/{room.pk}/messages/?limit=2&before={first['next_before']}").json()
    last = client.get(f"/api/v1/rooms/{room.pk}/messages/?limit=2&before={second['next_before']}").json()

    ids = [m["id"] for page in (first, second, last) for m in page["results"]]
    assert ids == [m.pk for m in reversed(messages)]
    assert (first["has_more"], last["has_more"], last["next_before"]) == (True, False, None)


def test_history_query_count_does_not_grow(api_as, in_group, friend, room, django_assert_max_num_queries):
    Message.objects.bulk_create([Message(room=room, author=friend, body=f"m{n}") for n in range(60)])
    with django_assert_max_num_queries(5):
        assert len(api_as(in_group).get(f"/api/v1/rooms/{room.pk}/messages/?limit=50").json()["results"]) == 50


def test_a_bad_cursor_is_invalid(api_as, in_group, room):
    response = api_as(in_group).get(f"/api/v1/rooms/{room.pk}/messages/?before=abc")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert api_as(in_group).get(f"/api/v1/rooms/{room.pk}/messages/?limit=500").status_code == 400


def test_history_of_a_missing_room(api_as, in_group):
    response = api_as(in_group).get("/api/v1/rooms/999999/messages/")
    assert (response.status_code, response.json()["code"]) == (404, "room_not_found")


# --- sending ----------------------------------------------------------------------------------------------------------


def test_sending_and_resending(api_as, in_group, room):
    client = api_as(in_group)
    first = client.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "Hi!", "client_id": "c-9"}, format="json")
    again = client.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "Hi!", "client_id": "c-9"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["body"] == "Hi!"
    assert first.json()["author"] == {"id": in_group.pk, "display_name": "Robin"}


def test_refusals_have_codes(api_as, in_group, room):
    client = api_as(in_group)
    url = f"/api/v1/rooms/{room.pk}/messages/"
    too_long = client.post(url, {"body": "x" * 2001}, format="json")
    empty = client.post(url, {"body": ""}, format="json")
    bad_reply = client.post(url, {"body": "hi", "reply_to": 999999}, format="json")
    assert (too_long.status_code, too_long.json()["code"]) == (400, "too_long")
    assert (empty.status_code, empty.json()["code"]) == (400, "empty_message")
    assert (bad_reply.status_code, bad_reply.json()["code"]) == (404, "reply_not_found")


@override_settings(HN_CHAT_BURST_MESSAGES=1, HN_CHAT_BURST_SECONDS=30)
def test_sending_too_fast_is_429_with_retry_after(api_as, in_group, room):
    client = api_as(in_group)
    client.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "one"}, format="json")
    response = client.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": "two"}, format="json")
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    assert response.json()["retry_after"] >= 1


def test_sending_a_picture_stores_a_clean_copy(api_as, in_group, room):
    response = api_as(in_group).post(
        f"/api/v1/rooms/{room.pk}/messages/", {"body": "Look!", "image": picture()}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["image_url"]
    stored = Message.objects.get()
    assert not stored.image.name.endswith("photo.png"), "a random name, never the one sent"
    assert stored.image.name.startswith(f"chat/{room.pk}/")


def test_a_wide_picture_keeps_its_shape_and_loses_its_location(api_as, in_group, room, settings):
    settings.HN_CHAT_IMAGE_SIZE = 1024
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[34853] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}  # GPSInfo
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("wide.jpg", buffer.getvalue(), content_type="image/jpeg")

    response = api_as(in_group).post(f"/api/v1/rooms/{room.pk}/messages/", {"image": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    with Message.objects.get().image.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert image.size == (1024, 512), "scaled to fit, 2:1 like the original, not cropped square"
    assert len(image.getexif()) == 0
    assert b"Exif" not in data and b"PhoneMaker" not in data


def test_a_small_picture_is_not_enlarged(api_as, in_group, room):
    response = api_as(in_group).post(
        f"/api/v1/rooms/{room.pk}/messages/", {"image": picture(size=(40, 30))}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    with Message.objects.get().image.open("rb") as stored:
        assert Image.open(stored).size == (40, 30)


def test_a_picture_alone_is_a_message(api_as, in_group, room):
    response = api_as(in_group).post(f"/api/v1/rooms/{room.pk}/messages/", {"image": picture()}, format="multipart")
    assert response.status_code == 201


def test_a_file_that_is_not_a_picture_is_refused(api_as, in_group, room):
    fake = SimpleUploadedFile("photo.png", b"<html>not a picture</html>", content_type="image/png")
    response = api_as(in_group).post(f"/api/v1/rooms/{room.pk}/messages/", {"image": fake}, format="multipart")
    assert (response.status_code, response.json()["code"]) == (400, "unsupported_image")
    assert Message.objects.count() == 0


@override_settings(HN_CHAT_IMAGE_MAX_BYTES=100)
def test_a_picture_that_is_too_big_is_refused(api_as, in_group, room):
    response = api_as(in_group).post(
        f"/api/v1/rooms/{room.pk}/messages/", {"image": picture(size=(300, 300))}, format="multipart"
    )
    assert (response.status_code, response.json()["code"]) == (400, "image_too_large")


# --- changing messages ------------------------------------------------------------------------------------------------


def test_edit_then_delete(api_as, in_group, room):
    message = say(in_group, room, "Helo")
    client = api_as(in_group)

    edited = client.patch(f"/api/v1/messages/{message.pk}/", {"body": "Hello"}, format="json")
    deleted = client.delete(f"/api/v1/messages/{message.pk}/")

    assert edited.status_code == 200
    assert (edited.json()["body"], bool(edited.json()["edited_at"])) == ("Hello", True)
    assert deleted.status_code == 204
    history = client.get(f"/api/v1/rooms/{room.pk}/messages/").json()["results"]
    assert (history[0]["is_deleted"], history[0]["body"]) == (True, "")


def test_editing_someone_elses_message(api_as, in_group, friend, room):
    message = say(friend, room)
    response = api_as(in_group).patch(f"/api/v1/messages/{message.pk}/", {"body": "Mine now"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_your_message")


def test_reacting(api_as, in_group, friend, room):
    message = say(friend, room)
    client = api_as(in_group)
    on = client.post(f"/api/v1/messages/{message.pk}/reactions/", {"emoji": "🙏"}, format="json").json()
    off = client.post(f"/api/v1/messages/{message.pk}/reactions/", {"emoji": "🙏"}, format="json").json()
    bad = client.post(f"/api/v1/messages/{message.pk}/reactions/", {"emoji": "🍕"}, format="json")

    assert on == {"added": True, "reactions": [{"emoji": "🙏", "count": 1, "user_ids": [in_group.pk]}]}
    assert off == {"added": False, "reactions": []}
    assert (bad.status_code, bad.json()["code"]) == (400, "unknown_reaction")


def test_marking_read(api_as, in_group, friend, room):
    first = say(friend, room, "one")
    say(friend, room, "two")
    response = api_as(in_group).post(f"/api/v1/rooms/{room.pk}/read/", {"message": first.pk}, format="json")
    assert response.json() == {"room": room.pk, "last_read_message_id": first.pk, "unread_count": 1}


# --- direct conversations ---------------------------------------------------------------------------------------------


def test_a_conversation_from_request_to_reply(api_as, in_group, friend):
    opened = api_as(in_group).post("/api/v1/direct/", {"user_id": friend.pk}, format="json")
    assert opened.status_code == 201
    room_id = opened.json()["id"]
    assert (opened.json()["direct_status"], opened.json()["can_post"]) == ("requested", True)

    api_as(in_group).post(f"/api/v1/rooms/{room_id}/messages/", {"body": "Hi Kai"}, format="json")
    blocked = api_as(friend).post(f"/api/v1/rooms/{room_id}/messages/", {"body": "Hi"}, format="json")
    assert (blocked.status_code, blocked.json()["code"]) == (403, "dm_not_accepted")

    accepted = api_as(friend).post(f"/api/v1/direct/{room_id}/accept/")
    assert (accepted.status_code, accepted.json()["direct_status"], accepted.json()["can_post"]) == (
        200, "accepted", True,
    )  # fmt: skip
    assert api_as(friend).post(f"/api/v1/rooms/{room_id}/messages/", {"body": "Hi"}, format="json").status_code == 201


def test_declining(api_as, in_group, friend):
    room = direct_room_open(actor=in_group, user_id=friend.pk).room
    response = api_as(friend).post(f"/api/v1/direct/{room.pk}/decline/")
    assert (response.json()["direct_status"], response.json()["can_post"]) == ("declined", False)
    again = api_as(in_group).post("/api/v1/direct/", {"user_id": friend.pk}, format="json")
    assert (again.status_code, again.json()["code"]) == (403, "dm_declined")


def test_direct_messages_off(api_as, in_group, friend):
    Profile.objects.filter(user=friend).update(direct_messages=DirectMessagePolicy.OFF)
    response = api_as(in_group).post("/api/v1/direct/", {"user_id": friend.pk}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "dm_off")
    assert Room.objects.filter(kind="direct").count() == 0


def test_opening_needs_a_user_id(api_as, in_group):
    response = api_as(in_group).post("/api/v1/direct/", {"user_id": "Kai"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")

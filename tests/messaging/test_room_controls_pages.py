"""Moderators' pages for rooms, duty and the word list: they work with plain forms and say what happened."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from community.models import ModeratorDuty
from messaging.models import StaffedHours, WordListEntry
from messaging.services.moderation.room_controls import room_lock, room_staffed_hours_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def controls_url(room, rest: str = "") -> str:
    return reverse("messaging:moderation-room", args=[room.pk]) + rest


@pytest.mark.parametrize("who", ["member", "leader", "evaluator"])
def test_only_moderators_and_staff_see_the_pages(client, request, room, who):
    client.force_login(request.getfixturevalue(who))
    for url in (reverse("messaging:moderation-rooms"), controls_url(room), reverse("messaging:moderation-word-list")):
        assert client.get(url).status_code == 403
    assert client.post(controls_url(room, "lock/"), {"locked": "1"}).status_code == 403
    room.refresh_from_db()
    assert not room.is_locked


def test_the_rooms_page_lists_rooms_with_their_controls_and_links(mod_client, moderator, room):
    room_lock(actor=moderator, room_id=room.pk)
    page = mod_client.get(reverse("messaging:moderation-rooms")).content.decode()
    assert "Art Club" in page and "Locked" in page
    assert controls_url(room) in page
    assert "I'm on duty" in page


def test_slow_mode_and_lock_from_the_room_page(mod_client, room):
    response = mod_client.post(controls_url(room, "slow-mode/"), {"seconds": "30"}, follow=True)
    assert "Slow mode: one message every 30 seconds." in response.content.decode()
    response = mod_client.post(controls_url(room, "lock/"), {"locked": "1", "reason": "heated"}, follow=True)
    assert "Locked. Members can read but not post" in response.content.decode()
    room.refresh_from_db()
    assert (room.slow_mode_seconds, room.is_locked) == (30, True)
    mod_client.post(controls_url(room, "lock/"), {"locked": "0"})
    room.refresh_from_db()
    assert not room.is_locked


def test_a_slow_mode_that_is_not_offered_is_refused(mod_client, room):
    response = mod_client.post(controls_url(room, "slow-mode/"), {"seconds": "-4"})
    assert response.status_code == 400
    room.refresh_from_db()
    assert room.slow_mode_seconds == 0


def _hours(**rows) -> dict:
    data = {"enabled": "on"}
    for weekday in range(7):
        for slot in range(2):
            data[f"d{weekday}_{slot}_opens"] = ""
            data[f"d{weekday}_{slot}_closes"] = ""
    data.update(rows)
    return data


def test_the_weekly_schedule_form_saves_the_hours(mod_client, room):
    data = _hours(d1_0_opens="18:00", d1_0_closes="21:00", d4_0_opens="16:00", d4_0_closes="18:00",
                  d4_1_opens="19:00", d4_1_closes="20:30")  # fmt: skip
    response = mod_client.post(controls_url(room, "staffed-hours/"), data, follow=True)
    assert "Staffed hours saved" in response.content.decode()
    hours = [(h.weekday, h.opens_at, h.closes_at) for h in StaffedHours.objects.filter(room=room).order_by("pk")]
    assert sorted(hours) == [(1, time(18), time(21)), (4, time(16), time(18)), (4, time(19), time(20, 30))]
    room.refresh_from_db()
    assert room.staffed_hours_only
    page = mod_client.get(controls_url(room)).content.decode()
    assert 'value="19:00"' in page and "Staffed hours: " in page


@pytest.mark.parametrize(
    ("rows", "says"),
    [({"d1_0_opens": "18:00", "d1_0_closes": "21:00", "d1_1_opens": "20:00", "d1_1_closes": "22:00"}, "overlap"),
     ({"d2_0_opens": "21:00", "d2_0_closes": "18:00"}, "closing time must be after the opening time"),
     ({"d3_0_opens": "18:00"}, "give both an opening and a closing time")],
)  # fmt: skip
def test_a_schedule_that_does_not_work_is_explained_and_not_saved(mod_client, moderator, room, rows, says):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=[(0, time(9), time(10))])
    response = mod_client.post(controls_url(room, "staffed-hours/"), _hours(**rows))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert [(h.weekday, h.opens_at) for h in StaffedHours.objects.filter(room=room)] == [(0, time(9))]


def test_the_duty_switch_goes_on_and_off_and_comes_back_to_the_page(mod_client, moderator, room):
    response = mod_client.post(reverse("messaging:moderation-duty"), {"on": "1", "next": controls_url(room)})
    assert response["Location"] == controls_url(room)
    assert ModeratorDuty.objects.filter(moderator=moderator, ended_at__isnull=True).exists()
    assert "I'm off duty" in mod_client.get(controls_url(room)).content.decode()
    response = mod_client.post(reverse("messaging:moderation-duty"), {"on": "0", "next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("messaging:moderation-rooms")
    assert not ModeratorDuty.objects.filter(ended_at__isnull=True).exists()
    response = mod_client.post(
        reverse("messaging:moderation-duty"), {"on": "1", "next": "http://testserver/moderation/"}, secure=True
    )
    assert response["Location"] == reverse("messaging:moderation-rooms")  # not this site by plain http


def test_the_word_list_page_adds_tests_changes_and_removes(mod_client):
    url = reverse("messaging:moderation-word-list")
    response = mod_client.post(url, {"phrase": "muppet", "action": "hold", "note": ""}, follow=True)
    assert "Added “muppet”" in response.content.decode()
    entry = WordListEntry.objects.get()
    page = mod_client.get(url, {"text": "you MUPP3T"}).content.decode()
    assert "muppet (hold)" in page and "held for review" in page
    mod_client.post(reverse("messaging:moderation-word-edit", args=[entry.pk]),
                    {"phrase": "muppet", "action": "block", "note": "agreed at the meeting"})  # fmt: skip
    entry.refresh_from_db()
    assert (entry.action, entry.note) == ("block", "agreed at the meeting")
    mod_client.post(reverse("messaging:moderation-word-remove", args=[entry.pk]))
    assert not WordListEntry.objects.exists()


def test_a_duplicate_phrase_is_explained_on_the_form(mod_client):
    WordListEntry.objects.create(phrase="muppet", action="flag")
    response = mod_client.post(reverse("messaging:moderation-word-list"), {"phrase": "Muppet", "action": "block"})
    assert response.status_code == 400
    assert "already on the list" in response.content.decode()


# --- the chat page shows the room's state -----------------------------------------------------------------------------


def test_a_locked_chat_says_so_calmly_and_the_composer_is_switched_off(client, in_group, moderator, room):
    room_lock(actor=moderator, room_id=room.pk)
    client.force_login(in_group)
    page = client.get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert "A moderator has paused this chat for now. You can still read messages." in page
    assert 'id="chat-fieldset" disabled' in page


def test_a_closed_chat_says_when_it_opens(client, in_group, moderator, room):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=[])
    client.force_login(in_group)
    page = client.get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert "This chat is open when a moderator is around. You can still read messages." in page
    assert 'id="chat-fieldset" disabled' in page


@pytest.mark.parametrize(("seconds", "words"), [(30, "30 seconds"), (60, "minute"), (300, "5 minutes"), (3600, "hour")])
def test_slow_mode_is_shown_and_posting_stays_on(client, in_group, moderator, room, seconds, words):
    from messaging.services.moderation.room_controls import room_slow_mode_set

    room_slow_mode_set(actor=moderator, room_id=room.pk, seconds=seconds)
    client.force_login(in_group)
    page = client.get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert f"Slow mode: one message every {words}." in page
    assert 'id="chat-fieldset">' in page


def test_an_open_chat_with_no_controls_has_its_banner_hidden(client, in_group, room):
    client.force_login(in_group)
    page = client.get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert 'id="chat-room-state" hidden' in page

"""The moderators' API for room controls, duty and word lists: what it returns, and stable codes for bad input."""

from __future__ import annotations

import pytest

from community.models import AuditEntry, ModeratorDuty
from messaging.models import StaffedHours, WordListEntry

pytestmark = pytest.mark.django_db


def room_url(room) -> str:
    return f"/api/v1/moderation/rooms/{room.pk}/"


def test_a_moderator_reads_a_rooms_controls(api_as, moderator, room):
    body = api_as(moderator).get(room_url(room)).json()
    assert body["title"] == "Art Club"
    assert (body["slow_mode_seconds"], body["is_locked"], body["staffed_hours_only"], body["open_now"]) == (
        0, False, False, True,
    )  # fmt: skip


def test_patching_changes_only_what_is_sent(api_as, moderator, room):
    client = api_as(moderator)
    assert client.patch(room_url(room), {"slow_mode_seconds": 30}, format="json").json()["slow_mode_seconds"] == 30
    body = client.patch(room_url(room), {"is_locked": True, "lock_reason": "heated"}, format="json").json()
    assert (body["slow_mode_seconds"], body["is_locked"]) == (30, True)
    assert AuditEntry.objects.get(action="room.locked").data["reason"] == "heated"


def test_a_weekly_schedule_goes_in_and_comes_back(api_as, staff, room):
    schedule = [
        {"weekday": 4, "opens_at": "18:00", "closes_at": "21:30"},
        {"weekday": 1, "opens_at": "16:00", "closes_at": "18:00"},
    ]
    response = api_as(staff).patch(
        room_url(room), {"staffed_hours_only": True, "staffed_hours": schedule}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["staffed_hours"] == [
        {"weekday": 1, "day": "Tuesday", "opens_at": "16:00", "closes_at": "18:00"},
        {"weekday": 4, "day": "Friday", "opens_at": "18:00", "closes_at": "21:30"},
    ]
    assert StaffedHours.objects.filter(room=room).count() == 2


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"slow_mode_seconds": -5}, "invalid_slow_mode"),
        ({"slow_mode_seconds": 86400}, "invalid_slow_mode"),
        ({"slow_mode_seconds": "soon"}, "invalid"),
        ({"staffed_hours": [{"weekday": 1, "opens_at": "18:00", "closes_at": "21:00"},
                            {"weekday": 1, "opens_at": "20:00", "closes_at": "22:00"}]}, "staffed_hours_overlap"),
        ({"staffed_hours": [{"weekday": 1, "opens_at": "21:00", "closes_at": "18:00"}]}, "staffed_hours_order"),
        ({"staffed_hours": [{"weekday": 9, "opens_at": "18:00", "closes_at": "21:00"}]}, "invalid_staffed_hours"),
        ({"staffed_hours": [{"weekday": 1, "opens_at": "6pm", "closes_at": "21:00"}]}, "invalid"),
        ({"is_locked": True, "lock_reason": "x" * 201}, "reason_too_long"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_stable_code_and_changes_nothing(api_as, moderator, room, body, code):
    response = api_as(moderator).patch(room_url(room), {"slow_mode_seconds": 10, **body}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    room.refresh_from_db()
    assert (room.slow_mode_seconds, room.is_locked) == (0, False)


def test_a_direct_conversation_has_no_controls(api_as, moderator, in_group, friend):
    from messaging.services.direct import direct_room_open

    direct = direct_room_open(actor=in_group, user_id=friend.pk).room
    response = api_as(moderator).get(room_url(direct))
    assert (response.status_code, response.json()["code"]) == (404, "room_not_found")


def test_the_room_list_puts_controlled_rooms_first_and_makes_missing_group_rooms(api_as, moderator, make_group, room):
    make_group(name="Zebra Club")
    make_group(name="Bakers")
    api_as(moderator).patch(room_url(room), {"is_locked": True}, format="json")
    titles = [r["title"] for r in api_as(moderator).get("/api/v1/moderation/rooms/").json()["results"]]
    assert titles == ["Art Club", "Bakers", "Zebra Club"]  # locked first, then by name


def test_a_member_is_told_moderators_only(api_as, in_group, room):
    response = api_as(in_group).patch(room_url(room), {"is_locked": True}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "moderators_only")


# --- duty -------------------------------------------------------------------------------------------------------------


def test_duty_on_and_off_through_the_api(api_as, moderator, staff):
    client = api_as(moderator)
    assert client.get("/api/v1/moderation/duty/").json()["on_duty"] is False
    api_as(staff).post("/api/v1/moderation/duty/")
    body = client.post("/api/v1/moderation/duty/").json()
    assert body["on_duty"] is True and body["started_at"]
    assert [p["display_name"] for p in body["moderators_on_duty"]] == ["Mod Sam", "Staff Alex"]
    assert client.post("/api/v1/moderation/duty/").status_code == 200  # again: still on duty, one stretch
    assert ModeratorDuty.objects.filter(moderator=moderator).count() == 1
    assert client.delete("/api/v1/moderation/duty/").json()["on_duty"] is False
    assert client.delete("/api/v1/moderation/duty/").json()["on_duty"] is False


# --- word lists -------------------------------------------------------------------------------------------------------


def test_word_list_entries_are_added_changed_listed_and_removed(api_as, moderator):
    client = api_as(moderator)
    created = client.post("/api/v1/moderation/word-list/", {"phrase": "muppet", "action": "flag", "note": "mild"})
    assert created.status_code == 201
    entry_id = created.json()["id"]
    changed = client.patch(f"/api/v1/moderation/word-list/{entry_id}/", {"action": "hold"}, format="json")
    assert changed.json()["action"] == "hold"
    client.post("/api/v1/moderation/word-list/", {"phrase": "idiot", "action": "block"})
    assert [e["phrase"] for e in client.get("/api/v1/moderation/word-list/").json()] == ["idiot", "muppet"]
    assert client.delete(f"/api/v1/moderation/word-list/{entry_id}/").status_code == 204
    assert client.delete(f"/api/v1/moderation/word-list/{entry_id}/").status_code == 204
    assert client.get(f"/api/v1/moderation/word-list/{entry_id}/").json()["code"] == "word_not_found"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [({"phrase": "", "action": "block"}, 400, "phrase_empty"),
     ({"phrase": "?!", "action": "block"}, 400, "phrase_empty"),
     ({"phrase": "a" * 121, "action": "block"}, 400, "phrase_too_long"),
     ({"phrase": "muppet", "action": "ban"}, 400, "invalid_word_action"),
     ({"phrase": "MUPP3T", "action": "block"}, 409, "phrase_exists")],
)  # fmt: skip
def test_bad_phrases_get_stable_codes(api_as, moderator, body, status, code):
    WordListEntry.objects.create(phrase="muppet", action="flag")
    response = api_as(moderator).post("/api/v1/moderation/word-list/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_the_test_box_shows_matches_and_what_would_happen(api_as, moderator):
    client = api_as(moderator)
    client.post("/api/v1/moderation/word-list/", {"phrase": "muppet", "action": "hold"})
    body = client.post("/api/v1/moderation/word-list/test/", {"text": "You MÜPP3T"}, format="json").json()
    assert body["normalised"] == "you mupet"
    assert body["matches"] == [{"phrase": "muppet", "action": "hold"}]
    assert body["outcome"] == "held for review"


def test_the_schema_describes_the_moderation_endpoints(api_as, staff):
    paths = api_as(staff).get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"get", "patch"} <= set(paths["/api/v1/moderation/rooms/{room_id}/"])
    assert {"get", "post", "delete"} <= set(paths["/api/v1/moderation/duty/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/moderation/word-list/{entry_id}/"])
    assert "post" in paths["/api/v1/moderation/word-list/test/"]


def test_a_members_room_list_carries_the_moderation_state(api_as, moderator, in_group, room):
    api_as(moderator).patch(room_url(room), {"is_locked": True, "slow_mode_seconds": 30}, format="json")
    (listed,) = api_as(in_group).get("/api/v1/rooms/").json()["results"]
    assert (listed["id"], listed["is_locked"], listed["slow_mode_seconds"], listed["open_now"]) == (
        room.pk, True, 30, True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/moderation/word-list/"),
        ("patch", "/api/v1/moderation/word-list/{entry}/"),
        ("patch", "/api/v1/moderation/rooms/{room}/"),
    ],
)
def test_a_member_sending_a_bad_body_is_refused_as_not_a_moderator(api_as, in_group, room, method, url):
    entry = WordListEntry.objects.create(phrase="muppet", action="flag")
    response = getattr(api_as(in_group), method)(
        url.format(entry=entry.pk, room=room.pk), {"action": "shout", "slow_mode_seconds": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "moderators_only"

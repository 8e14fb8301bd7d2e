"""Room controls: slow mode, lock and staffed hours are moderator actions - checked, idempotent, audited, broadcast."""

from __future__ import annotations

from datetime import datetime, time
from unittest import mock

import pytest

from community.errors import Forbidden, InvalidInput, NotFound
from community.models import AuditEntry
from messaging.models import Room, StaffedHours
from messaging.permissions import post_refusal
from messaging.selectors import room_moderation_state, room_payload
from messaging.services.direct import direct_room_open
from messaging.services.moderation.room_controls import (
    moderator_duty_end,
    moderator_duty_start,
    room_controls_update,
    room_lock,
    room_slow_mode_set,
    room_staffed_hours_set,
    room_unlock,
)
from messaging.staffed_hours import LONDON

pytestmark = pytest.mark.django_db

TUESDAY_EVENING = [(1, time(18, 0), time(21, 0))]
# Monday 1 December 2025, 12:00 in London; the room opens on Tuesday 2 December at 18:00.
MONDAY_NOON = datetime(2025, 12, 1, 12, 0, tzinfo=LONDON)
TUESDAY_SEVEN_PM = datetime(2025, 12, 2, 19, 0, tzinfo=LONDON)


@pytest.fixture
def broadcasts():
    with mock.patch("messaging.realtime.broadcast_to_room") as sent:
        yield sent


def frames_to(broadcasts, room) -> list[dict]:
    return [call.args[1] for call in broadcasts.call_args_list if call.args[0] == room.pk]


# --- slow mode --------------------------------------------------------------------------------------------------------


def test_a_moderator_sets_slow_mode_and_subscribers_hear_it(
    moderator, room, broadcasts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        room_slow_mode_set(actor=moderator, room_id=room.pk, seconds=30)
    room.refresh_from_db()
    assert room.slow_mode_seconds == 30
    (frame,) = frames_to(broadcasts, room)
    assert frame["type"] == "room.updated"
    assert frame["changes"]["slow_mode_seconds"] == 30
    audit = AuditEntry.objects.get(action="room.slow_mode_set")
    assert audit.data == {"before": {"slow_mode_seconds": 0}, "after": {"slow_mode_seconds": 30}}
    assert audit.group_id == room.group_id


def test_setting_the_same_slow_mode_again_changes_nothing(
    moderator, room, broadcasts, django_capture_on_commit_callbacks
):
    room_slow_mode_set(actor=moderator, room_id=room.pk, seconds=30)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        room_slow_mode_set(actor=moderator, room_id=room.pk, seconds=30)
    assert callbacks == []
    assert AuditEntry.objects.filter(action="room.slow_mode_set").count() == 1


@pytest.mark.parametrize("seconds", [-1, 3601, 10**9, "30", 2.5, None, True])
def test_absurd_slow_mode_is_refused_with_a_stable_code(moderator, room, seconds):
    with pytest.raises(InvalidInput) as error:
        room_slow_mode_set(actor=moderator, room_id=room.pk, seconds=seconds)
    assert error.value.code == "invalid_slow_mode"
    room.refresh_from_db()
    assert room.slow_mode_seconds == 0


@pytest.mark.parametrize("who", ["member", "leader", "evaluator"])
def test_only_moderators_and_staff_control_rooms(request, room, who):
    with pytest.raises(Forbidden) as error:
        room_slow_mode_set(actor=request.getfixturevalue(who), room_id=room.pk, seconds=30)
    assert error.value.code == "moderators_only"


def test_a_direct_conversation_has_no_room_controls(moderator, in_group, friend):
    direct = direct_room_open(actor=in_group, user_id=friend.pk).room
    with pytest.raises(NotFound) as error:
        room_lock(actor=moderator, room_id=direct.pk)
    assert error.value.code == "room_not_found"


# --- lock -------------------------------------------------------------------------------------------------------------


def test_locking_stops_members_posting_but_not_moderators(moderator, staff, in_group, room):
    room_lock(actor=moderator, room_id=room.pk, reason="cooling off")
    room.refresh_from_db()
    assert post_refusal(in_group, room).code == "room_locked"
    assert post_refusal(moderator, room) is None
    assert post_refusal(staff, room) is None
    audit = AuditEntry.objects.get(action="room.locked")
    assert audit.data == {"before": {"is_locked": False}, "after": {"is_locked": True}, "reason": "cooling off"}


def test_locking_twice_and_unlocking_twice_are_harmless(staff, room):
    room_lock(actor=staff, room_id=room.pk)
    room_lock(actor=staff, room_id=room.pk)
    room_unlock(actor=staff, room_id=room.pk)
    room_unlock(actor=staff, room_id=room.pk)
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["room.locked", "room.unlocked"]
    room.refresh_from_db()
    assert not room.is_locked


# --- staffed hours ----------------------------------------------------------------------------------------------------


def test_staffed_hours_replace_the_schedule_at_once(moderator, room):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=[(0, time(9), time(12))])
    room_staffed_hours_set(
        actor=moderator, room_id=room.pk, enabled=True,
        openings=[(4, time(18), time(21)), (1, time(18), time(21)), (1, time(10), time(12))],
    )  # fmt: skip
    hours = list(StaffedHours.objects.filter(room=room).order_by("weekday", "opens_at"))
    assert [(h.weekday, h.opens_at, h.closes_at) for h in hours] == [
        (1, time(10), time(12)), (1, time(18), time(21)), (4, time(18), time(21)),
    ]  # fmt: skip
    audit = AuditEntry.objects.filter(action="room.staffed_hours_set").order_by("pk").last()
    assert audit.data["before"]["staffed_hours"] == [
        {"weekday": 0, "day": "Monday", "opens_at": "09:00", "closes_at": "12:00"}
    ]
    assert len(audit.data["after"]["staffed_hours"]) == 3


def test_the_same_schedule_again_changes_nothing(moderator, room):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    assert AuditEntry.objects.filter(action="room.staffed_hours_set").count() == 1


@pytest.mark.parametrize(
    ("openings", "code"),
    [
        ([(1, time(18), time(21)), (1, time(20), time(22))], "staffed_hours_overlap"),
        ([(1, time(18), time(21)), (1, time(18), time(21))], "staffed_hours_overlap"),
        ([(1, time(21), time(18))], "staffed_hours_order"),
        ([(1, time(18), time(18))], "staffed_hours_order"),
        ([(7, time(18), time(21))], "invalid_staffed_hours"),
        ([(-1, time(18), time(21))], "invalid_staffed_hours"),
        ([("Tuesday", time(18), time(21))], "invalid_staffed_hours"),
        ([(1, "18:00", "21:00")], "invalid_staffed_hours"),
        ([(1, time(18))], "invalid_staffed_hours"),
        ([(day % 7, time(hour), time(hour, 30)) for day in range(7) for hour in range(5)], "too_many_openings"),
    ],
)
def test_bad_staffed_hours_are_refused_and_nothing_changes(moderator, room, openings, code):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    with pytest.raises(InvalidInput) as error:
        room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=openings)
    assert error.value.code == code
    assert [(h.weekday, h.opens_at) for h in StaffedHours.objects.filter(room=room)] == [(1, time(18))]


def test_back_to_back_openings_do_not_overlap(moderator, room):
    room_staffed_hours_set(
        actor=moderator, room_id=room.pk, enabled=True, openings=[(1, time(18), time(20)), (1, time(20), time(22))]
    )
    assert StaffedHours.objects.filter(room=room).count() == 2


def test_outside_staffed_hours_a_member_is_told_when_the_room_opens(moderator, in_group, room):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    room.refresh_from_db()
    refusal = post_refusal(in_group, room, now=MONDAY_NOON)
    assert refusal.code == "room_closed"
    assert "Tuesday 2 December at 18:00" in refusal.detail
    assert post_refusal(in_group, room, now=TUESDAY_SEVEN_PM) is None
    assert post_refusal(moderator, room, now=MONDAY_NOON) is None


def test_the_room_state_says_whether_it_is_open_and_when_it_opens_or_closes(moderator, room):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    room = Room.objects.get(pk=room.pk)
    closed = room_moderation_state(room, now=MONDAY_NOON)
    assert closed["open_now"] is False
    assert closed["next_opening_at"] == "2025-12-02T18:00:00+00:00"
    assert closed["next_opening_text"] == "Tuesday 2 December at 18:00"
    assert closed["staffed_hours"] == [{"weekday": 1, "day": "Tuesday", "opens_at": "18:00", "closes_at": "21:00"}]
    opened = room_moderation_state(room, now=TUESDAY_SEVEN_PM)
    assert (opened["open_now"], opened["next_opening_at"]) == (True, None)
    assert opened["open_until"] == "2025-12-02T21:00:00+00:00"


def test_a_room_without_staffed_hours_is_open_and_costs_no_query(room, django_assert_num_queries):
    with django_assert_num_queries(0):
        state = room_moderation_state(room)
    assert state == {
        "slow_mode_seconds": 0, "is_locked": False, "staffed_hours_only": False, "open_now": True,
        "next_opening_at": None, "next_opening_text": None, "open_until": None, "staffed_hours": [],
    }  # fmt: skip


def test_room_payload_carries_the_moderation_state(moderator, in_group, room):
    room_lock(actor=moderator, room_id=room.pk)
    room.refresh_from_db()
    payload = room_payload(room, viewer=in_group, with_can_post=True)
    assert payload["is_locked"] is True
    assert payload["can_post"] is False
    assert payload["title"] == "Art Club"


def test_turning_staffed_hours_off_keeps_the_schedule_for_next_time(moderator, in_group, room):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=False, openings=TUESDAY_EVENING)
    room.refresh_from_db()
    assert not room.staffed_hours_only
    assert post_refusal(in_group, room, now=MONDAY_NOON) is None
    assert StaffedHours.objects.filter(room=room).count() == 1


# --- all at once ------------------------------------------------------------------------------------------------------


def test_several_controls_change_together_or_not_at_all(moderator, room):
    with pytest.raises(InvalidInput):
        room_controls_update(
            actor=moderator, room_id=room.pk, slow_mode_seconds=60, is_locked=True,
            staffed_hours_only=True, openings=[(1, time(21), time(18))],
        )  # fmt: skip
    room.refresh_from_db()
    assert (room.slow_mode_seconds, room.is_locked, room.staffed_hours_only) == (0, False, False)
    assert not AuditEntry.objects.exists()
    room = room_controls_update(actor=moderator, room_id=room.pk, slow_mode_seconds=60, is_locked=True)
    assert (room.slow_mode_seconds, room.is_locked) == (60, True)


# --- duty opens staffed rooms -----------------------------------------------------------------------------------------


def test_duty_starting_and_ending_tells_every_staffed_room(
    moderator, staff, room, make_group, broadcasts, django_capture_on_commit_callbacks
):
    room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    other = Room.objects.create(kind="group", group=make_group())  # no staffed hours: not told
    broadcasts.reset_mock()
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_NOON):
        with django_capture_on_commit_callbacks(execute=True):
            moderator_duty_start(actor=moderator)
        assert frames_to(broadcasts, room)[-1]["changes"]["open_now"] is True
        assert frames_to(broadcasts, other) == []

        broadcasts.reset_mock()
        with django_capture_on_commit_callbacks(execute=True):
            moderator_duty_start(actor=staff)  # someone was already on duty: nothing changes for rooms
            moderator_duty_start(actor=moderator)  # already on duty
        assert broadcasts.call_count == 0

        with django_capture_on_commit_callbacks(execute=True):
            moderator_duty_end(actor=staff)  # the moderator is still on duty
        assert broadcasts.call_count == 0
        with django_capture_on_commit_callbacks(execute=True):
            moderator_duty_end(actor=moderator)
        (frame,) = frames_to(broadcasts, room)
        assert frame["changes"]["open_now"] is False
        assert frame["changes"]["next_opening_at"] == "2025-12-02T18:00:00+00:00"


def test_telling_every_staffed_room_costs_the_same_few_queries_however_many_there_are(
    moderator, make_group, broadcasts, django_assert_num_queries
):
    from messaging.services.moderation.room_controls import staffed_rooms_announce

    for _ in range(4):
        room = Room.objects.create(kind="group", group=make_group())
        room_staffed_hours_set(actor=moderator, room_id=room.pk, enabled=True, openings=TUESDAY_EVENING)
    broadcasts.reset_mock()
    with django_assert_num_queries(3):  # anyone on duty, the rooms, their hours
        assert staffed_rooms_announce() == 4

"""Room controls take effect live: subscribers hear room.updated at once and posting follows the new rules."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from messaging import permissions, selectors
from messaging.services.moderation.room_controls import (
    moderator_duty_end,
    moderator_duty_start,
    room_lock,
    room_slow_mode_set,
    room_staffed_hours_set,
    room_unlock,
)
from messaging.staffed_hours import LONDON, describe_opening, next_opening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]

TUESDAY_SEVEN_PM = datetime(2025, 12, 2, 19, 0, tzinfo=LONDON)


def tomorrow_morning() -> list[tuple[int, time, time]]:
    """An opening tomorrow (London), so the room is closed now whatever the time."""
    tomorrow = (timezone.now().astimezone(LONDON) + timedelta(days=1)).weekday()
    return [(tomorrow, time(10), time(11))]


def frozen_clock(moment: datetime):
    """The posting rule and the room state read `moment` as now (the rest of the app keeps the real clock)."""
    clock = SimpleNamespace(now=lambda: moment, localtime=timezone.localtime)
    return mock.patch.object(permissions, "timezone", clock), mock.patch.object(selectors, "timezone", clock)


async def send(socket, room, body, client_id):
    await socket.send({"type": "message.send", "room": room.pk, "body": body, "client_id": client_id})


async def test_locking_reaches_subscribers_and_stops_members_but_not_moderators(in_group, moderator, room, open_socket):
    member_tab, moderator_tab = await open_socket(in_group), await open_socket(moderator)
    await member_tab.subscribe(room.pk)
    await moderator_tab.subscribe(room.pk)

    await database_sync_to_async(room_lock)(actor=moderator, room_id=room.pk, reason="cooling off")

    for tab in (member_tab, moderator_tab):
        frame = await tab.receive_type("room.updated")
        assert (frame["room"], frame["changes"]["is_locked"]) == (room.pk, True)
    await send(member_tab, room, "But why", "locked-1")
    error = await member_tab.receive_type("error")
    assert (error["code"], error["client_id"]) == ("room_locked", "locked-1")
    await send(moderator_tab, room, "Let's take a breather.", "mod-1")
    posted = await member_tab.receive_type("message.new")
    assert posted["message"]["body"] == "Let's take a breather."

    await database_sync_to_async(room_unlock)(actor=moderator, room_id=room.pk)
    assert (await member_tab.receive_type("room.updated"))["changes"]["is_locked"] is False
    await send(member_tab, room, "Thanks", "open-1")
    assert (await member_tab.receive_type("message.new"))["message"]["body"] == "Thanks"


async def test_a_new_subscriber_is_told_the_rooms_controls(in_group, moderator, room, open_socket):
    await database_sync_to_async(room_slow_mode_set)(actor=moderator, room_id=room.pk, seconds=45)
    await database_sync_to_async(room_lock)(actor=moderator, room_id=room.pk)
    socket = await open_socket(in_group)
    subscribed, _ = await socket.subscribe(room.pk)
    details = subscribed["details"]
    assert (details["slow_mode_seconds"], details["is_locked"], details["can_post"]) == (45, True, False)


async def test_slow_mode_reaches_subscribers(in_group, moderator, room, open_socket):
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await database_sync_to_async(room_slow_mode_set)(actor=moderator, room_id=room.pk, seconds=30)

    frame = await socket.receive_type("room.updated")
    assert frame["changes"]["slow_mode_seconds"] == 30
    await database_sync_to_async(room_slow_mode_set)(actor=moderator, room_id=room.pk, seconds=30)
    assert await socket.nothing(), "setting the same slow mode again sends nothing"


async def test_outside_staffed_hours_a_member_is_told_when_it_opens(in_group, moderator, room, open_socket):
    openings = tomorrow_morning()
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await database_sync_to_async(room_staffed_hours_set)(
        actor=moderator, room_id=room.pk, enabled=True, openings=openings
    )

    changes = (await socket.receive_type("room.updated"))["changes"]
    assert (changes["staffed_hours_only"], changes["open_now"]) == (True, False)
    assert changes["staffed_hours"][0]["opens_at"] == "10:00"
    await send(socket, room, "Anyone here?", "closed-1")
    error = await socket.receive_type("error")
    assert error["code"] == "room_closed"
    opens = next_opening([SimpleNamespace(weekday=w, opens_at=o, closes_at=c) for w, o, c in openings], timezone.now())
    assert f"It opens on {describe_opening(opens)}." in error["detail"]
    assert changes["next_opening_at"] == opens.isoformat()


async def test_inside_staffed_hours_a_member_can_post(in_group, moderator, room, open_socket):
    await database_sync_to_async(room_staffed_hours_set)(
        actor=moderator, room_id=room.pk, enabled=True, openings=[(1, time(18), time(21))]
    )
    socket = await open_socket(in_group)
    rule_clock, state_clock = frozen_clock(TUESDAY_SEVEN_PM)
    with rule_clock, state_clock:
        subscribed, _ = await socket.subscribe(room.pk)
        assert subscribed["details"]["open_now"] is True
        assert subscribed["details"]["open_until"] == "2025-12-02T21:00:00+00:00"
        await send(socket, room, "Evening all", "open-1")
        assert (await socket.receive_type("message.new"))["message"]["body"] == "Evening all"


async def test_a_moderator_on_duty_opens_a_staffed_room_and_going_off_duty_closes_it(
    in_group, moderator, room, open_socket
):
    await database_sync_to_async(room_staffed_hours_set)(
        actor=moderator, room_id=room.pk, enabled=True, openings=tomorrow_morning()
    )
    socket = await open_socket(in_group)
    await socket.subscribe(room.pk)

    await database_sync_to_async(moderator_duty_start)(actor=moderator)
    changes = (await socket.receive_type("room.updated"))["changes"]
    assert (changes["open_now"], changes["next_opening_at"]) == (True, None)
    await send(socket, room, "Hi Sam", "duty-1")
    assert (await socket.receive_type("message.new"))["message"]["body"] == "Hi Sam"

    await database_sync_to_async(moderator_duty_end)(actor=moderator)
    changes = (await socket.receive_type("room.updated"))["changes"]
    assert changes["open_now"] is False
    assert changes["next_opening_at"] is not None
    await send(socket, room, "Bye", "duty-2")
    assert (await socket.receive_type("error"))["code"] == "room_closed"


async def test_in_slow_mode_a_member_waits_between_messages_and_a_moderator_does_not(
    in_group, moderator, room, open_socket
):
    await database_sync_to_async(room_slow_mode_set)(actor=moderator, room_id=room.pk, seconds=30)
    member_tab, moderator_tab = await open_socket(in_group), await open_socket(moderator)
    await member_tab.subscribe(room.pk)
    await moderator_tab.subscribe(room.pk)

    await send(member_tab, room, "First", "slow-1")
    assert (await member_tab.receive_type("message.new"))["message"]["body"] == "First"
    await send(member_tab, room, "Second", "slow-2")
    error = await member_tab.receive_type("error")
    assert (error["code"], error["client_id"]) == ("slow_mode", "slow-2")
    assert 25 <= error["retry_after"] <= 30

    for n in range(3):
        await send(moderator_tab, room, f"Moderator {n}", f"mod-{n}")
    bodies = [(await moderator_tab.receive_type("message.new"))["message"]["body"] for _ in range(4)]
    assert bodies == ["First", "Moderator 0", "Moderator 1", "Moderator 2"]

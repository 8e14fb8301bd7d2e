"""Who reads and who posts in group, event and direct rooms, and when event rooms open and close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from community.errors import DomainError
from community.models import MembershipRole, MembershipStatus, User
from events.models import EventStatus, RsvpStatus
from messaging import permissions
from messaging.models import Room, RoomKind
from messaging.services.messages import message_send
from messaging.services.rooms import room_for_event, room_for_group, rooms_ensure_for_user
from tests.events.domain_factories import frozen_now, make_event, make_rsvp

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def post_code(user, room, now=None) -> str | None:
    refusal = permissions.post_refusal(fresh(user), room, now=now)
    return None if refusal is None else refusal.code


# --- group rooms ------------------------------------------------------------------------------------------------------


def test_group_room_readers(in_group, member, leader, moderator, staff, evaluator, make_user, group, add_member):
    room = room_for_group(group=group)
    outsider = make_user()
    pending = make_user()
    add_member(group, pending, status=MembershipStatus.PENDING)

    readers = {user.display_name for user in (in_group, leader, moderator, staff, evaluator, outsider, pending)
               if permissions.can_read_room(fresh(user), room)}  # fmt: skip

    assert readers == {in_group.display_name, leader.display_name, moderator.display_name, staff.display_name}


def test_access_room_tells_not_found_from_not_a_member(member, group, room):
    with pytest.raises(DomainError) as missing:
        permissions.access_room(user=member, room_id=room.pk + 1000)
    with pytest.raises(DomainError) as outside:
        permissions.access_room(user=member, room_id=room.pk)
    assert (missing.value.code, outside.value.code) == ("room_not_found", "not_a_member")


def test_room_for_group_is_made_once(group):
    assert room_for_group(group=group) == room_for_group(group=group)
    assert Room.objects.filter(kind=RoomKind.GROUP).count() == 1


# --- event rooms ------------------------------------------------------------------------------------------------------


@pytest.fixture
def event(group, leader):
    return make_event(group, created_by=leader, starts_in=timedelta(days=1))


def test_event_room_readers(event, in_group, friend, leader, moderator, evaluator, make_user, group, add_member):
    make_rsvp(event, in_group)
    make_rsvp(event, friend, RsvpStatus.WAITLISTED)
    room = room_for_event(event=event)

    assert permissions.can_read_room(fresh(in_group), room)
    assert permissions.can_read_room(fresh(leader), room)
    assert permissions.can_read_room(fresh(moderator), room)
    assert not permissions.can_read_room(fresh(friend), room), "waiting is not going"
    assert not permissions.can_read_room(fresh(evaluator), room)


@override_settings(HN_EVENT_ROOM_OPENS_HOURS=48)
def test_an_event_room_opens_48_hours_before_for_people_going(event, in_group, leader):
    make_rsvp(event, in_group)
    room = room_for_event(event=event)
    before_opening = event.starts_at - timedelta(hours=49)
    after_opening = event.starts_at - timedelta(hours=47)

    assert post_code(in_group, room, now=before_opening) == "room_not_open"
    assert post_code(leader, room, now=before_opening) is None, "organisers can set the room up early"
    assert post_code(in_group, room, now=after_opening) is None


def test_an_event_room_is_read_only_after_the_end_or_when_cancelled(event, in_group, leader):
    make_rsvp(event, in_group)
    room = room_for_event(event=event)

    assert post_code(in_group, room, now=event.ends_at + timedelta(minutes=1)) == "read_only"
    assert post_code(leader, room, now=event.ends_at + timedelta(minutes=1)) == "read_only"
    assert permissions.can_read_room(fresh(in_group), room), "people can still read it afterwards"

    event.status = EventStatus.CANCELLED
    event.save()
    room.refresh_from_db()
    assert post_code(in_group, room, now=event.starts_at) == "read_only"


def test_someone_who_stops_going_loses_the_event_room(event, in_group):
    rsvp = make_rsvp(event, in_group)
    room = room_for_event(event=event)
    rsvp.status = RsvpStatus.CANCELLED
    rsvp.save()
    assert post_code(in_group, room) == "not_a_member"


def test_sending_in_an_event_room_once_open(event, in_group):
    make_rsvp(event, in_group)
    room = room_for_event(event=event)
    with frozen_now(event.starts_at - timedelta(hours=1)):
        assert message_send(actor=in_group, room_id=room.pk, body="On my way!").created


# --- listing ----------------------------------------------------------------------------------------------------------


def test_the_rooms_in_my_list(in_group, group, make_group, add_member, leader, make_user):
    other_group = make_group()
    left_group = make_group()
    add_member(other_group, in_group)
    add_member(left_group, in_group, status=MembershipStatus.LEFT)
    soon = make_event(group, starts_in=timedelta(hours=3))
    far = make_event(group, starts_in=timedelta(days=30))
    long_ago = make_event(group, starts_in=timedelta(days=-20))
    for event in (soon, far, long_ago):
        make_rsvp(event, in_group)

    rooms_ensure_for_user(user=in_group)
    mine = Room.objects.filter(permissions.my_rooms_q(in_group))

    assert {room.group_id for room in mine if room.group_id} == {group.pk, other_group.pk}
    assert {room.event_id for room in mine if room.event_id} == {soon.pk}


def test_ensuring_rooms_twice_makes_them_once(in_group, group):
    rooms_ensure_for_user(user=in_group)
    rooms_ensure_for_user(user=in_group)
    assert Room.objects.count() == 1


def test_leaders_see_their_groups_event_rooms(group, leader, add_member, make_user):
    soon = make_event(group, starts_in=timedelta(hours=3))
    rooms_ensure_for_user(user=leader)
    assert Room.objects.filter(permissions.my_rooms_q(leader), event=soon).exists()


def test_evaluators_have_no_rooms(evaluator, group, add_member):
    add_member(group, evaluator, role=MembershipRole.MEMBER)
    rooms_ensure_for_user(user=evaluator)
    assert not Room.objects.filter(permissions.my_rooms_q(evaluator)).exists()


def test_opens_at_follows_the_setting(event):
    with override_settings(HN_EVENT_ROOM_OPENS_HOURS=2):
        assert permissions.event_room_opens_at(event) == event.starts_at - timedelta(hours=2)
    assert timezone.is_aware(permissions.event_room_opens_at(event))


@override_settings(HN_EVENT_ROOM_OPENS_HOURS=48)
def test_room_not_open_says_when_it_opens_in_uk_time(group, in_group):
    from tests.events.domain_factories import london

    event = make_event(group, starts_at=london(2030, 7, 20, 18, 30))
    make_rsvp(event, in_group)
    refusal = permissions.post_refusal(fresh(in_group), room_for_event(event=event), now=london(2030, 7, 1))
    assert refusal.code == "room_not_open"
    assert "Thursday 18 July at 18:30" in refusal.detail

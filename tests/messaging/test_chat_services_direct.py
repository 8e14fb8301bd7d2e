"""Direct conversations: who may start one, the request, accepting and declining."""

from __future__ import annotations

import pytest

from community.errors import DomainError
from community.models import AuditEntry, DirectMessagePolicy, Notification, Profile, ProfileVisibility
from messaging.models import DirectStatus, Message, Room
from messaging.services.direct import direct_accept, direct_decline, direct_room_open
from messaging.services.messages import message_send

pytestmark = pytest.mark.django_db


def refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, (caught.value.code, caught.value.detail)
    return caught.value


def open_with(actor, other):
    return direct_room_open(actor=actor, user_id=other.pk)


def say(actor, room, body="Hi!"):
    return message_send(actor=actor, room_id=room.pk, body=body)


def test_a_member_asks_someone_in_their_group(in_group, friend):
    result = open_with(in_group, friend)

    room = result.room
    assert result.created
    assert (room.direct_status, room.requested_by) == (DirectStatus.REQUESTED, in_group)
    assert set(room.participant_ids()) == {in_group.pk, friend.pk}
    assert AuditEntry.objects.filter(action="direct.opened", target_id=str(room.pk)).exists()


def test_opening_again_returns_the_same_conversation(in_group, friend):
    first = open_with(in_group, friend).room
    again = open_with(friend, in_group)
    assert (again.room.pk, again.created) == (first.pk, False)
    assert Room.objects.count() == 1


def test_the_first_message_is_the_request_and_the_recipient_is_told(in_group, friend):
    room = open_with(in_group, friend).room

    say(in_group, room, "Hi Kai, fancy the walk on Sunday?")

    notification = Notification.objects.get(user=friend, kind="direct_request")
    assert "Robin" in notification.title
    refused(lambda: say(in_group, room, "Hello??"), "dm_not_accepted")
    refused(lambda: say(friend, room, "Reply before accepting"), "dm_not_accepted")


def test_accepting_lets_both_write(in_group, friend):
    room = open_with(in_group, friend).room
    say(in_group, room)

    accepted = direct_accept(actor=friend, room_id=room.pk)

    assert accepted.direct_status == DirectStatus.ACCEPTED
    assert say(friend, room, "Yes!").created
    assert say(in_group, room, "Great").created
    assert AuditEntry.objects.filter(action="direct.accepted").exists()


def test_declining_stops_the_conversation_and_the_asker_cannot_ask_again(in_group, friend):
    room = open_with(in_group, friend).room
    say(in_group, room)

    direct_decline(actor=friend, room_id=room.pk)

    refused(lambda: say(in_group, room), "dm_declined")
    refused(lambda: say(friend, room), "dm_declined")
    refused(lambda: open_with(in_group, friend), "dm_declined")
    assert AuditEntry.objects.filter(action="direct.declined").exists()


def test_the_person_who_declined_can_start_afresh(in_group, friend):
    room = open_with(in_group, friend).room
    direct_decline(actor=friend, room_id=room.pk)

    reopened = open_with(friend, in_group).room

    assert (reopened.pk, reopened.direct_status, reopened.requested_by) == (room.pk, DirectStatus.REQUESTED, friend)


def test_only_the_recipient_answers(in_group, friend, make_user):
    room = open_with(in_group, friend).room
    refused(lambda: direct_accept(actor=in_group, room_id=room.pk), "not_the_recipient")
    refused(lambda: direct_decline(actor=in_group, room_id=room.pk), "not_the_recipient")
    refused(lambda: direct_accept(actor=make_user(), room_id=room.pk), "room_not_found")


def test_answering_twice_the_same_way_is_fine_but_not_the_other_way(in_group, friend):
    room = open_with(in_group, friend).room
    direct_accept(actor=friend, room_id=room.pk)
    assert direct_accept(actor=friend, room_id=room.pk).direct_status == DirectStatus.ACCEPTED
    refused(lambda: direct_decline(actor=friend, room_id=room.pk), "not_pending")


def test_answering_a_group_room_is_not_found(in_group, room):
    refused(lambda: direct_accept(actor=in_group, room_id=room.pk), "room_not_found")


def test_people_who_share_no_group_cannot_start_one(in_group, make_user):
    stranger = make_user()
    refused(lambda: open_with(in_group, stranger), "person_not_found")
    Profile.objects.filter(user=stranger).update(profile_visibility=ProfileVisibility.ALL_MEMBERS)
    refused(lambda: open_with(in_group, stranger), "no_shared_group")


def test_direct_messages_switched_off(in_group, friend, staff):
    Profile.objects.filter(user=friend).update(direct_messages=DirectMessagePolicy.OFF)
    refused(lambda: open_with(in_group, friend), "dm_off")
    assert open_with(staff, friend).room.direct_status == DirectStatus.ACCEPTED


def test_switching_off_later_stops_a_member_but_not_staff(in_group, friend):
    room = open_with(in_group, friend).room
    say(in_group, room)
    direct_accept(actor=friend, room_id=room.pk)
    Profile.objects.filter(user=friend).update(direct_messages=DirectMessagePolicy.OFF)
    refused(lambda: say(in_group, room), "dm_off")


def test_staff_and_moderators_can_always_start_one_and_need_no_accepting(moderator, make_user):
    loner = make_user()
    room = open_with(moderator, loner).room
    assert room.direct_status == DirectStatus.ACCEPTED
    assert say(moderator, room, "Checking in - how are you doing?").created
    assert say(loner, room, "OK thanks").created


def test_staff_opening_a_pending_request_accepts_it(in_group, staff, group, add_member):
    add_member(group, staff)
    room = open_with(in_group, staff).room
    assert room.direct_status == DirectStatus.REQUESTED
    assert open_with(staff, in_group).room.direct_status == DirectStatus.ACCEPTED


def test_nobody_can_message_themselves_or_an_evaluator(in_group, evaluator, group, add_member, staff):
    refused(lambda: open_with(in_group, in_group), "not_yourself")
    refused(lambda: open_with(staff, evaluator), "person_not_found")
    refused(lambda: direct_room_open(actor=in_group, user_id=999999), "person_not_found")


def test_evaluators_cannot_start_one(evaluator, in_group):
    refused(lambda: open_with(evaluator, in_group), "forbidden")


def test_leaving_the_shared_group_stops_member_conversations(in_group, friend, group):
    from community.models import MembershipStatus, User

    room = open_with(in_group, friend).room
    say(in_group, room)
    direct_accept(actor=friend, room_id=room.pk)
    friend.memberships.filter(group=group).update(status=MembershipStatus.LEFT)
    refused(lambda: say(User.objects.get(pk=in_group.pk), room), "no_shared_group")


def test_outsiders_cannot_read_or_write_a_conversation(in_group, friend, make_user, moderator):
    room = open_with(in_group, friend).room
    refused(lambda: say(make_user(), room), "room_not_found")
    refused(lambda: say(moderator, room), "room_not_found")
    assert Message.objects.count() == 0


def test_a_deactivated_person_makes_the_conversation_read_only(moderator, make_user):
    person = make_user()
    room = open_with(moderator, person).room
    person.is_active = False
    person.save()
    refused(lambda: say(moderator, room), "read_only")

"""Who may see an event, organise it, and see its exact address and joining link."""

from __future__ import annotations

import pytest

from community.errors import Forbidden, NotFound
from community.models import MembershipRole, MembershipStatus, SiteRole
from events.models import EventVisibility, RsvpStatus
from events.permissions import (
    access_event,
    access_event_as_organiser,
    can_organise_event,
    can_see_event,
    can_see_private_details,
    visible_events,
)
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(group, leader):
    return make_event(group, created_by=leader)


@pytest.fixture
def open_event(group, leader):
    return make_event(group, created_by=leader, visibility=EventVisibility.ALL_MEMBERS)


def test_group_event_is_seen_by_members_leaders_moderators_and_staff(
    event, group, leader, member, moderator, staff, add_member
):
    add_member(group, member)
    for user in (member, leader, moderator, staff):
        assert can_see_event(user, event)
        assert access_event(user=user, event_id=event.pk) == event


def test_group_event_is_hidden_from_outsiders_pending_members_evaluators_and_anonymous(
    event, group, make_user, evaluator, add_member
):
    from django.contrib.auth.models import AnonymousUser

    outsider = make_user()
    pending = make_user()
    add_member(group, pending, status=MembershipStatus.PENDING)
    for user in (outsider, pending, evaluator, AnonymousUser()):
        assert not can_see_event(user, event)
    with pytest.raises(NotFound) as error:
        access_event(user=outsider, event_id=event.pk)
    assert error.value.code == "event_not_found"


def test_missing_event_is_event_not_found(member):
    with pytest.raises(NotFound) as error:
        access_event(user=member, event_id=999_999)
    assert error.value.code == "event_not_found"


def test_all_members_event_is_seen_by_any_active_member_but_not_evaluators(open_event, make_user, evaluator):
    outsider = make_user()
    assert can_see_event(outsider, open_event)
    assert not can_see_event(evaluator, open_event)
    inactive = make_user(is_active=False)
    assert not can_see_event(inactive, open_event)


def test_visible_events_query_matches_the_rule(event, open_event, group, make_group, make_user, staff, evaluator):
    other_group_event = make_event(make_group())
    outsider = make_user()
    assert set(visible_events(outsider)) == {open_event}
    assert set(visible_events(staff)) == {event, open_event, other_group_event}
    assert list(visible_events(evaluator)) == []


def test_organisers_are_the_groups_leaders_and_staff(event, group, leader, member, moderator, staff, add_member):
    add_member(group, member)
    assert can_organise_event(leader, event)
    assert can_organise_event(staff, event)
    assert not can_organise_event(member, event)
    assert not can_organise_event(moderator, event)
    assert access_event_as_organiser(user=leader, event_id=event.pk) == event


def test_member_is_not_an_organiser(event, group, member, add_member):
    add_member(group, member)
    with pytest.raises(Forbidden) as error:
        access_event_as_organiser(user=member, event_id=event.pk)
    assert error.value.code == "not_an_organiser"


def test_leader_of_another_group_is_not_an_organiser(open_event, make_group, make_user, add_member):
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    with pytest.raises(Forbidden) as error:
        access_event_as_organiser(user=other_leader, event_id=open_event.pk)
    assert error.value.code == "not_an_organiser"


def test_leader_of_another_group_cannot_even_see_a_group_only_event(event, make_group, make_user, add_member):
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    with pytest.raises(NotFound) as error:
        access_event_as_organiser(user=other_leader, event_id=event.pk)
    assert error.value.code == "event_not_found"


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (RsvpStatus.GOING, True),
        (RsvpStatus.WAITLISTED, False),
        (RsvpStatus.PENDING, False),
        (RsvpStatus.CANCELLED, False),
        (None, False),
    ],
)
def test_private_details_only_for_people_going(event, group, member, add_member, status, shown):
    add_member(group, member)
    if status is not None:
        make_rsvp(event, member, status)
    assert can_see_private_details(member, event) is shown


def test_private_details_for_organisers_and_not_for_moderators(event, leader, staff, moderator):
    assert can_see_private_details(leader, event)
    assert can_see_private_details(staff, event)
    assert not can_see_private_details(moderator, event)


def test_evaluator_role_never_sees_events_even_if_in_group(event, group, make_user, add_member):
    evaluator = make_user(role=SiteRole.EVALUATOR)
    add_member(group, evaluator)
    assert not can_see_event(evaluator, event)

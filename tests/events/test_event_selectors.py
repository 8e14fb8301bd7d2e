"""Reads shared by pages and the API: what they return, and that their query counts don't grow with the rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.errors import Forbidden, NotFound
from community.models import MembershipRole
from events.models import Attendance, CheckInMethod, EventCategory, EventVisibility, Pulse, RsvpStatus
from events.selectors import attendees_for, event_detail_for, events_organised_by, my_rsvps, upcoming_events_for
from tests.events.domain_factories import london, make_event, make_rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(group, make_user, add_member):
    made = [make_user(display_name=name) for name in ("zoe", "Amir", "bea", "Cass")]
    for person in made:
        add_member(group, person)
    return made


def count_queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


# --- upcoming_events_for ---------------------------------------------------------------------------------------------


def test_upcoming_lists_visible_events_soonest_first_with_my_status(group, make_group, people, leader):
    later = make_event(group, starts_in=timedelta(days=5), title="Later")
    sooner = make_event(group, starts_in=timedelta(days=1), title="Sooner", capacity=5)
    ongoing = make_event(group, starts_in=-timedelta(minutes=30), title="Happening now")
    make_event(group, starts_in=-timedelta(days=2), title="Finished")
    cancelled = make_event(group, starts_in=timedelta(days=2), title="Called off", status="cancelled")
    make_event(make_group(), title="Another group's")
    open_to_all = make_event(make_group(), starts_in=timedelta(days=3), visibility=EventVisibility.ALL_MEMBERS)
    make_rsvp(sooner, people[0])
    make_rsvp(sooner, people[1])
    make_rsvp(later, people[0], RsvpStatus.WAITLISTED)

    events = list(upcoming_events_for(user=people[0]))
    assert events == [ongoing, sooner, cancelled, open_to_all, later]
    statuses = {event.pk: event.my_rsvp_status for event in events}
    assert statuses[sooner.pk] == "going" and statuses[later.pk] == "waitlisted" and statuses[ongoing.pk] is None
    assert next(e for e in events if e.pk == sooner.pk).going_count == 2
    assert cancelled not in upcoming_events_for(user=people[0], include_cancelled=False)


def test_upcoming_filters(group, make_group, people, add_member):
    other_group = make_group()
    add_member(other_group, people[0])
    social = make_event(group, starts_at=london(2031, 5, 10, 18), category=EventCategory.SOCIAL)
    learning = make_event(group, starts_at=london(2031, 5, 11, 23, 30), category=EventCategory.LEARNING)
    elsewhere = make_event(other_group, starts_at=london(2031, 5, 12, 0, 30))
    make_rsvp(learning, people[0], RsvpStatus.PENDING)
    make_rsvp(social, people[0], RsvpStatus.CANCELLED)

    user = people[0]
    assert list(upcoming_events_for(user=user, group=group)) == [social, learning]
    assert list(upcoming_events_for(user=user, category="learning")) == [learning]
    # UK calendar days, both ends included: 23:30 on the 11th is the 11th, 00:30 on the 12th is the 12th.
    assert list(upcoming_events_for(user=user, date_from=date(2031, 5, 11), date_to=date(2031, 5, 11))) == [learning]
    assert list(upcoming_events_for(user=user, date_from=date(2031, 5, 12))) == [elsewhere]
    assert list(upcoming_events_for(user=user, mine=True)) == [learning]


def test_upcoming_is_empty_for_evaluators(group, evaluator):
    make_event(group, visibility=EventVisibility.ALL_MEMBERS)
    assert list(upcoming_events_for(user=evaluator)) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_upcoming_query_count_does_not_grow_with_rows(group, people, rows, django_assert_max_num_queries):
    for n in range(rows):
        event = make_event(group, starts_in=timedelta(days=1, minutes=n))
        make_rsvp(event, people[n % len(people)])

    def read():
        events = list(upcoming_events_for(user=people[0]))
        assert len(events) == rows
        return [(e.group.name, e.my_rsvp_status, e.going_count) for e in events]

    with django_assert_max_num_queries(2):
        read()


def test_upcoming_same_query_count_for_3_and_30_rows(group, make_group, make_user, add_member):
    counts = []
    for rows in (3, 30):
        own_group = make_group()
        person = make_user()
        add_member(own_group, person)
        for n in range(rows):
            make_rsvp(make_event(own_group, starts_in=timedelta(days=1, minutes=n)), person)
        counts.append(
            count_queries(lambda p=person: [(e.group.slug, e.my_rsvp_status) for e in upcoming_events_for(user=p)])
        )
    assert counts[0] == counts[1]


# --- event_detail_for ------------------------------------------------------------------------------------------------


def test_detail_for_someone_going(group, people):
    event = make_event(group, starts_in=-timedelta(minutes=30), venue_address="1 High St")
    make_rsvp(event, people[0])
    Attendance.objects.create(event=event, user=people[0], method=CheckInMethod.SELF)
    Pulse.objects.create(event=event, user=people[0], feeling=4)
    detail = event_detail_for(user=people[0], event_id=event.pk)
    assert detail.event == event and detail.my_rsvp_status == "going"
    assert detail.can_see_private_details and not detail.is_organiser
    assert detail.is_checked_in and detail.has_pulse and detail.self_check_in_open
    assert detail.waitlist_position is None and not detail.attendance_open


def test_detail_for_someone_waiting_shows_their_place_in_the_queue(group, people):
    event = make_event(group, capacity=1)
    make_rsvp(event, people[0])
    now = timezone.now()
    make_rsvp(event, people[1], RsvpStatus.WAITLISTED, queued_at=now)
    make_rsvp(event, people[2], RsvpStatus.WAITLISTED, queued_at=now)
    make_rsvp(event, people[3], RsvpStatus.WAITLISTED, queued_at=now + timedelta(seconds=1))
    positions = [event_detail_for(user=p, event_id=event.pk).waitlist_position for p in people[1:]]
    assert positions == [1, 2, 3]
    assert not event_detail_for(user=people[1], event_id=event.pk).can_see_private_details


def test_detail_for_organiser_and_for_someone_without_an_rsvp(group, people, leader):
    event = make_event(group, starts_in=timedelta(minutes=30))
    detail = event_detail_for(user=leader, event_id=event.pk)
    assert detail.is_organiser and detail.can_see_private_details and detail.attendance_open
    member_detail = event_detail_for(user=people[0], event_id=event.pk)
    assert member_detail.my_rsvp is None and not member_detail.can_see_private_details
    assert not member_detail.is_checked_in


def test_detail_of_an_invisible_event(group, make_user):
    event = make_event(group)
    with pytest.raises(NotFound) as error:
        event_detail_for(user=make_user(), event_id=event.pk)
    assert error.value.code == "event_not_found"


def test_detail_query_count_is_small_and_fixed(group, people, django_assert_max_num_queries):
    event = make_event(group, capacity=1)
    make_rsvp(event, people[1])
    make_rsvp(event, people[0], RsvpStatus.WAITLISTED)
    with django_assert_max_num_queries(5):
        detail = event_detail_for(user=people[0], event_id=event.pk)
        assert detail.event.group.name and detail.waitlist_position == 1


# --- attendees_for ---------------------------------------------------------------------------------------------------


def test_attendees_grouped_and_ordered_with_check_ins(group, leader, people, make_user, add_member):
    event = make_event(group, starts_in=-timedelta(minutes=10), capacity=3)
    for person in people[:3]:
        make_rsvp(event, person)
    Attendance.objects.create(event=event, user=people[2], method=CheckInMethod.ORGANISER, checked_in_by=leader)
    now = timezone.now()
    late, early = make_user(display_name="Aaron"), make_user(display_name="Zed")
    for person in (late, early):
        add_member(group, person)
    make_rsvp(event, late, RsvpStatus.WAITLISTED, queued_at=now + timedelta(minutes=5))
    make_rsvp(event, early, RsvpStatus.WAITLISTED, queued_at=now)
    make_rsvp(event, people[3], RsvpStatus.PENDING)
    make_rsvp(event, make_user(), RsvpStatus.CANCELLED)

    result = attendees_for(organiser=leader, event=event)
    assert [r.user.display_name for r in result.going] == ["Amir", "bea", "zoe"]
    assert [r.user for r in result.waitlisted] == [early, late]
    assert [r.user for r in result.pending] == [people[3]]
    bea = next(r for r in result.going if r.user == people[2])
    assert bea.checked_in_at is not None and bea.check_in_method == "organiser"
    assert result.checked_in_count == 1
    assert [r.user for r in attendees_for(organiser=leader, event=event, search="BE").going] == [people[2]]


def test_attendees_only_for_organisers(group, people, make_group, make_user, add_member):
    event = make_event(group)
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    for user in (people[0], other_leader):
        with pytest.raises(Forbidden) as error:
            attendees_for(organiser=user, event=event)
        assert error.value.code == "not_an_organiser"


def test_attendees_same_query_count_for_3_and_30_people(group, leader, make_user, add_member):
    counts = []
    for rows in (3, 30):
        event = make_event(group, starts_in=-timedelta(minutes=10), capacity=rows // 2)
        for n in range(rows):
            person = make_user()
            add_member(group, person)
            status = RsvpStatus.GOING if n < rows // 2 else RsvpStatus.WAITLISTED
            make_rsvp(event, person, status)
            if n % 2 == 0 and status == RsvpStatus.GOING:
                Attendance.objects.create(event=event, user=person, method=CheckInMethod.SELF)

        def read(event=event):
            result = attendees_for(organiser=leader, event=event)
            return [(r.user.display_name, r.checked_in_at) for r in result.going + result.waitlisted]

        leader._membership_cache = {}
        counts.append(count_queries(read))
    assert counts[0] == counts[1] <= 2


# --- events_organised_by and my_rsvps --------------------------------------------------------------------------------


def test_events_organised_by_with_counts(group, leader, people, make_group, staff):
    event = make_event(group, capacity=1)
    make_rsvp(event, people[0])
    make_rsvp(event, people[1], RsvpStatus.WAITLISTED)
    make_rsvp(event, people[2], RsvpStatus.WAITLISTED)
    make_rsvp(event, people[3], RsvpStatus.PENDING)
    Attendance.objects.create(event=event, user=people[0], method=CheckInMethod.SELF)
    make_event(group, starts_in=-timedelta(days=3))
    staff_event = make_event(make_group(), created_by=staff)

    mine = list(events_organised_by(user=leader))
    assert mine == [event]
    assert (mine[0].waitlisted_count, mine[0].pending_count, mine[0].checked_in_count) == (2, 1, 1)
    assert len(events_organised_by(user=leader, include_past=True)) == 2
    assert list(events_organised_by(user=staff)) == [staff_event]
    assert list(events_organised_by(user=people[0])) == []


def test_events_organised_by_is_one_query(group, leader, django_assert_max_num_queries):
    for n in range(10):
        make_event(group, starts_in=timedelta(days=1, hours=n))
    with django_assert_max_num_queries(1):
        rows = [(e.group.name, e.waitlisted_count, e.checked_in_count) for e in events_organised_by(user=leader)]
    assert len(rows) == 10


def test_my_rsvps(group, people):
    going = make_event(group, starts_in=timedelta(days=2))
    waiting = make_event(group, starts_in=timedelta(days=1))
    past = make_event(group, starts_in=-timedelta(days=1))
    make_rsvp(going, people[0])
    make_rsvp(waiting, people[0], RsvpStatus.WAITLISTED)
    make_rsvp(past, people[0])
    make_rsvp(make_event(group), people[0], RsvpStatus.CANCELLED)
    assert [r.event for r in my_rsvps(user=people[0])] == [waiting, going]
    assert len(my_rsvps(user=people[0], upcoming_only=False)) == 3

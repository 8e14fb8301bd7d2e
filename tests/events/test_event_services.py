"""Creating, editing and cancelling events and series, and the one "event changed" notice per burst of edits."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest
from django.utils import timezone

from community.errors import Conflict, DomainError, Forbidden
from community.models import AuditEntry, MembershipRole, Notification
from community.reference import positive_destinations
from events.models import Event, EventCategory, EventStatus, Rsvp, RsvpStatus
from events.services.changes import event_change_notice_send, send_due_change_notices
from events.services.events import event_cancel, event_create, event_update
from tests.events.domain_factories import frozen_now, london, make_event, make_rsvp

pytestmark = pytest.mark.django_db

NOW = london(2030, 10, 1, 12, 0)


def create(actor, group, **overrides):
    values = {
        "title": "Film night",
        "category": EventCategory.SOCIAL,
        "starts_at": london(2030, 10, 17, 18, 0),
        "ends_at": london(2030, 10, 17, 20, 0),
    }
    values.update(overrides)
    return event_create(actor=actor, group=group, **values)


def local_times(events):
    return [(timezone.localtime(e.starts_at).time(), timezone.localtime(e.ends_at).time()) for e in events]


def kinds_for(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


# --- creating --------------------------------------------------------------------------------------------------------


def test_leader_creates_an_event_with_every_detail(group, leader):
    area_key = positive_destinations()[0][0]
    with frozen_now(NOW):
        event = create(
            leader,
            group,
            description="Bring snacks if you like.",
            destination_areas=[area_key, area_key],
            area="Near the station",
            venue_address="12 High Street",
            joining_link="https://meet.example.org/film",
            accessibility_info="Step-free entrance.",
            capacity=12,
            rsvp_mode="approval",
            rsvp_closes_at=london(2030, 10, 17, 12, 0),
            visibility="all_members",
        )
    stored = Event.objects.get(pk=event.pk)
    assert stored.group == group and stored.created_by == leader and stored.series is None
    assert stored.destination_areas == [area_key]
    assert stored.capacity == 12 and stored.rsvp_mode == "approval" and stored.visibility == "all_members"
    assert stored.venue_address == "12 High Street" and stored.status == EventStatus.SCHEDULED
    assert AuditEntry.objects.filter(action="event_created", target_id=str(event.pk)).exists()


def test_staff_can_create_in_any_group(group, staff):
    with frozen_now(NOW):
        event = create(staff, group)
    assert event.created_by == staff


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title": "   "}, "title_required"),
        ({"title": "x" * 121}, "too_long"),
        ({"starts_at": "tomorrow at six"}, "invalid_datetime"),
        ({"category": "partying"}, "invalid_category"),
        ({"destination_areas": ["moon_landing"]}, "invalid_destination_area"),
        ({"capacity": -1}, "invalid_capacity"),
        ({"rsvp_mode": "lottery"}, "invalid_rsvp_mode"),
        ({"visibility": "everyone_online"}, "invalid_visibility"),
        ({"joining_link": "javascript:alert(1)"}, "invalid_link"),
        ({"ends_at": london(2030, 10, 17, 17, 0)}, "ends_before_start"),
        ({"ends_at": london(2030, 10, 17, 18, 0)}, "ends_before_start"),
        ({"rsvp_closes_at": london(2030, 10, 17, 21, 0)}, "rsvp_closes_after_end"),
        ({"starts_at": london(2030, 9, 30, 18, 0), "ends_at": london(2030, 9, 30, 20, 0)}, "event_in_the_past"),
        ({"repeat": "daily", "repeat_count": 3}, "invalid_repeat"),
        ({"repeat": "weekly"}, "repeat_end_needed"),
        ({"repeat": "weekly", "repeat_count": 0}, "invalid_repeat_count"),
        ({"repeat": "weekly", "repeat_until": date(2030, 10, 1)}, "invalid_repeat_until"),
        ({"repeat": "weekly", "repeat_count": 53}, "too_many_occurrences"),
        ({"repeat": "weekly", "repeat_until": date(2032, 1, 1)}, "too_many_occurrences"),
    ],
)
def test_create_refuses_bad_details_and_writes_nothing(group, leader, overrides, code):
    with frozen_now(NOW), pytest.raises(DomainError) as error:
        create(leader, group, **overrides)
    assert error.value.code == code
    assert Event.objects.count() == 0


def test_member_cannot_create(group, member, add_member):
    add_member(group, member)
    with frozen_now(NOW), pytest.raises(Forbidden) as error:
        create(member, group)
    assert error.value.code == "not_an_organiser"


def test_leader_of_another_group_cannot_create_here(group, make_group, make_user, add_member):
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    with frozen_now(NOW), pytest.raises(Forbidden) as error:
        create(other_leader, group)
    assert error.value.code == "not_an_organiser"


def test_archived_group_cannot_have_new_events(group, leader):
    group.is_archived = True
    group.save()
    with frozen_now(NOW), pytest.raises(Forbidden) as error:
        create(leader, group)
    assert error.value.code == "group_archived"


# --- series ----------------------------------------------------------------------------------------------------------


def test_weekly_series_keeps_18_00_across_the_october_clock_change(group, leader):
    with frozen_now(NOW):
        first = create(leader, group, repeat="weekly", repeat_count=4)
    events = list(first.series.events.order_by("starts_at"))
    assert [timezone.localtime(e.starts_at).date() for e in events] == [
        date(2030, 10, 17),
        date(2030, 10, 24),
        date(2030, 10, 31),
        date(2030, 11, 7),
    ]
    assert local_times(events) == [(time(18), time(20))] * 4
    # In UTC the clock change shows: 17:00Z in British Summer Time, 18:00Z after it.
    assert events[1].starts_at.astimezone(UTC).hour == 17
    assert events[2].starts_at.astimezone(UTC).hour == 18
    assert first.series.frequency == "weekly" and first.series.created_by == leader


def test_fortnightly_series_keeps_18_00_across_the_march_clock_change(group, leader):
    with frozen_now(london(2031, 3, 1)):
        first = create(
            leader,
            group,
            starts_at=london(2031, 3, 20, 18),
            ends_at=london(2031, 3, 20, 20),
            repeat="fortnightly",
            repeat_until=date(2031, 4, 20),
        )
    events = list(first.series.events.order_by("starts_at"))
    assert [timezone.localtime(e.starts_at).date() for e in events] == [
        date(2031, 3, 20),
        date(2031, 4, 3),
        date(2031, 4, 17),
    ]
    assert local_times(events) == [(time(18), time(20))] * 3


def test_monthly_series_on_the_31st_clamps_to_the_end_of_shorter_months(group, leader):
    with frozen_now(london(2031, 1, 1)):
        first = create(
            leader,
            group,
            starts_at=london(2031, 1, 31, 18),
            ends_at=london(2031, 1, 31, 20),
            repeat="monthly",
            repeat_count=5,
        )
    days = [timezone.localtime(e.starts_at).date() for e in first.series.events.order_by("starts_at")]
    assert days == [date(2031, 1, 31), date(2031, 2, 28), date(2031, 3, 31), date(2031, 4, 30), date(2031, 5, 31)]


def test_series_keeps_an_overnight_end_and_the_rsvp_cut_off_distance(group, leader):
    with frozen_now(NOW):
        first = create(
            leader,
            group,
            starts_at=london(2030, 10, 19, 22),
            ends_at=london(2030, 10, 20, 1),
            rsvp_closes_at=london(2030, 10, 18, 12),
            repeat="weekly",
            repeat_count=3,
        )
    events = list(first.series.events.order_by("starts_at"))
    for event in events:
        start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        closes = timezone.localtime(event.rsvp_closes_at)
        assert (start.time(), end.time(), end.date() - start.date()) == (time(22), time(1), timedelta(days=1))
        assert (closes.time(), start.date() - closes.date()) == (time(12), timedelta(days=1))


def test_exactly_52_dates_are_allowed(group, leader):
    with frozen_now(NOW):
        first = create(leader, group, repeat="weekly", repeat_count=52)
    assert first.series.events.count() == 52


# --- editing ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def series(group, leader):
    with frozen_now(NOW):
        first = create(leader, group, repeat="weekly", repeat_count=4, capacity=10)
    return list(first.series.events.order_by("starts_at"))


def test_edit_this_date_only(series, leader):
    with frozen_now(NOW):
        updated = event_update(actor=leader, event=series[1], title="Film night: comedy special")
    titles = list(Event.objects.order_by("starts_at").values_list("title", flat=True))
    assert titles == ["Film night", "Film night: comedy special", "Film night", "Film night"]
    assert updated.sequence == 1 and updated.changed_at == NOW
    entry = AuditEntry.objects.get(action="event_updated")
    assert entry.data["fields"] == ["title"] and entry.data["event_ids"] == [series[1].pk]


def test_edit_following_moves_time_of_day_for_this_and_later_dates_only(series, leader):
    with frozen_now(NOW):
        event_update(
            actor=leader,
            event=series[1],
            scope="following",
            starts_at=london(2030, 10, 24, 19, 0),
            ends_at=london(2030, 10, 24, 21, 30),
            area="The new community centre",
        )
    events = list(Event.objects.order_by("starts_at"))
    assert local_times(events) == [(time(18), time(20))] + [(time(19), time(21, 30))] * 3
    assert [timezone.localtime(e.starts_at).date() for e in events] == [
        date(2030, 10, 17),
        date(2030, 10, 24),
        date(2030, 10, 31),
        date(2030, 11, 7),
    ]
    assert [e.area for e in events] == [
        "",
        "The new community centre",
        "The new community centre",
        "The new community centre",
    ]
    assert [e.sequence for e in events] == [0, 1, 1, 1]


def test_edit_following_can_move_the_day_and_skips_cancelled_dates(series, leader):
    with frozen_now(NOW):
        event_cancel(actor=leader, event=series[2])
        event_update(
            actor=leader,
            event=series[1],
            scope="following",
            starts_at=london(2030, 10, 25, 18, 0),
            ends_at=london(2030, 10, 25, 20, 0),
        )
    events = list(Event.objects.order_by("id"))
    days = [timezone.localtime(e.starts_at).date() for e in events]
    assert days == [date(2030, 10, 17), date(2030, 10, 25), date(2030, 10, 31), date(2030, 11, 8)]


def test_edit_that_changes_nothing_writes_nothing(series, leader):
    with frozen_now(NOW):
        event = event_update(actor=leader, event=series[0], title="Film night")
    assert event.sequence == 0 and event.changed_at is None
    assert not AuditEntry.objects.filter(action="event_updated").exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"colour": "red"}, "unknown_field"),
        ({"scope": "everything", "title": "New"}, "invalid_scope"),
        ({"ends_at": london(2030, 10, 17, 17)}, "ends_before_start"),
        ({"capacity": -3}, "invalid_capacity"),
        ({"category": "nope"}, "invalid_category"),
        ({"starts_at": london(2030, 9, 30, 18), "ends_at": london(2030, 9, 30, 20)}, "event_in_the_past"),
    ],
)
def test_edit_refuses_bad_changes_and_writes_nothing(series, leader, changes, code):
    with frozen_now(NOW), pytest.raises(DomainError) as error:
        event_update(actor=leader, event=series[0], **changes)
    assert error.value.code == code
    assert Event.objects.get(pk=series[0].pk).sequence == 0


def test_edit_a_cancelled_event_is_refused(series, leader):
    with frozen_now(NOW):
        event_cancel(actor=leader, event=series[0])
        with pytest.raises(Conflict) as error:
            event_update(actor=leader, event=series[0], title="Back on?")
    assert error.value.code == "event_cancelled"


def test_moving_a_finished_event_is_refused(group, leader):
    event = make_event(group, starts_at=timezone.now() - timedelta(days=2))
    with pytest.raises(Conflict) as error:
        event_update(actor=leader, event=event, starts_at=timezone.now() + timedelta(days=1))
    assert error.value.code == "event_past"


def test_member_and_other_groups_leader_cannot_edit(series, group, member, make_group, make_user, add_member):
    add_member(group, member)
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    for actor in (member, other_leader):
        with frozen_now(NOW), pytest.raises(Forbidden) as error:
            event_update(actor=actor, event=series[0], title="Mine now")
        assert error.value.code == "not_an_organiser"
    assert Event.objects.get(pk=series[0].pk).title == "Film night"


# --- capacity changes ------------------------------------------------------------------------------------------------


@pytest.fixture
def people(group, make_user, add_member):
    made = [make_user(display_name=f"Person {n}") for n in range(6)]
    for person in made:
        add_member(group, person)
    return made


def test_raising_capacity_promotes_the_waiting_list_in_arrival_order(group, leader, people):
    event = make_event(group, capacity=2)
    for person in people[:2]:
        make_rsvp(event, person)
    for offset, person in enumerate(people[2:5]):
        make_rsvp(event, person, RsvpStatus.WAITLISTED, queued_at=timezone.now() + timedelta(seconds=offset))
    event_update(actor=leader, event=event, capacity=4)
    event.refresh_from_db()
    assert event.going_count == 4
    statuses = {rsvp.user_id: rsvp.status for rsvp in Rsvp.objects.filter(event=event)}
    assert statuses[people[2].pk] == statuses[people[3].pk] == RsvpStatus.GOING
    assert statuses[people[4].pk] == RsvpStatus.WAITLISTED
    assert kinds_for(people[2]) == ["waitlist_promoted"]
    assert kinds_for(people[4]) == []


def test_removing_the_limit_promotes_everyone_waiting(group, leader, people):
    event = make_event(group, capacity=1)
    make_rsvp(event, people[0])
    make_rsvp(event, people[1], RsvpStatus.WAITLISTED)
    make_rsvp(event, people[2], RsvpStatus.WAITLISTED)
    event_update(actor=leader, event=event, capacity=None)
    event.refresh_from_db()
    assert event.going_count == 3


def test_lowering_capacity_keeps_everyone_going_and_opens_no_seat_until_below(group, leader, people):
    from events.services.rsvps import rsvp_cancel

    event = make_event(group, capacity=4)
    for person in people[:4]:
        make_rsvp(event, person)
    make_rsvp(event, people[4], RsvpStatus.WAITLISTED)
    event_update(actor=leader, event=event, capacity=2)
    event.refresh_from_db()
    assert event.going_count == 4
    rsvp_cancel(actor=people[0], event=event)  # 3 going, still above 2
    event.refresh_from_db()
    assert event.going_count == 3
    assert Rsvp.objects.get(event=event, user=people[4]).status == RsvpStatus.WAITLISTED
    rsvp_cancel(actor=people[1], event=event)  # 2 going: full, still no seat
    rsvp_cancel(actor=people[2], event=event)  # 1 going: a seat opens
    event.refresh_from_db()
    assert Rsvp.objects.get(event=event, user=people[4]).status == RsvpStatus.GOING
    assert event.going_count == 2


# --- cancelling ------------------------------------------------------------------------------------------------------


def test_cancelling_one_date_leaves_the_rest_and_tells_people_coming(series, leader, people):
    make_rsvp(series[1], people[0])
    make_rsvp(series[1], people[1], RsvpStatus.WAITLISTED)
    make_rsvp(series[1], people[2], RsvpStatus.PENDING)
    make_rsvp(series[1], people[3], RsvpStatus.CANCELLED)
    make_rsvp(series[1], leader)
    with frozen_now(NOW):
        cancelled = event_cancel(actor=leader, event=series[1], reason="The projector broke.")
    assert [event.pk for event in cancelled] == [series[1].pk]
    statuses = list(Event.objects.order_by("starts_at").values_list("status", flat=True))
    assert statuses == ["scheduled", "cancelled", "scheduled", "scheduled"]
    event = Event.objects.get(pk=series[1].pk)
    assert event.cancel_reason == "The projector broke." and event.cancelled_at == NOW and event.sequence == 1
    for person in people[:3]:
        assert kinds_for(person) == ["event_cancelled"]
    assert "The projector broke." in Notification.objects.filter(user=people[0]).get().body
    assert kinds_for(people[3]) == [] and kinds_for(leader) == []
    assert Rsvp.objects.filter(event=event).count() == 5  # kept, so calendars show the cancellation
    assert AuditEntry.objects.filter(action="event_cancelled").count() == 1


def test_cancelling_following_dates(series, leader):
    with frozen_now(NOW):
        cancelled = event_cancel(actor=leader, event=series[2], scope="following")
    assert [event.pk for event in cancelled] == [series[2].pk, series[3].pk]
    statuses = list(Event.objects.order_by("starts_at").values_list("status", flat=True))
    assert statuses == ["scheduled", "scheduled", "cancelled", "cancelled"]


def test_cancelling_again_changes_nothing(series, leader):
    with frozen_now(NOW):
        event_cancel(actor=leader, event=series[0])
        assert event_cancel(actor=leader, event=series[0]) == []
    assert AuditEntry.objects.filter(action="event_cancelled").count() == 1


def test_cancelling_a_finished_event_is_refused(group, leader):
    event = make_event(group, starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(Conflict) as error:
        event_cancel(actor=leader, event=event)
    assert error.value.code == "event_past"


def test_member_cannot_cancel(series, group, member, add_member):
    add_member(group, member)
    with frozen_now(NOW), pytest.raises(Forbidden) as error:
        event_cancel(actor=member, event=series[0])
    assert error.value.code == "not_an_organiser"
    assert Event.objects.get(pk=series[0].pk).status == EventStatus.SCHEDULED


def test_cancel_reason_has_a_limit(series, leader):
    with frozen_now(NOW), pytest.raises(DomainError) as error:
        event_cancel(actor=leader, event=series[0], reason="x" * 501)
    assert error.value.code == "too_long"
    assert Event.objects.get(pk=series[0].pk).status == EventStatus.SCHEDULED


def test_naive_times_are_taken_as_uk_time(group, leader):
    from datetime import datetime

    with frozen_now(NOW):
        event = create(leader, group, starts_at=datetime(2030, 10, 17, 18), ends_at=datetime(2030, 10, 17, 20))
    assert local_times([event]) == [(time(18), time(20))]


def test_cancel_refuses_a_bad_scope(series, leader):
    with frozen_now(NOW), pytest.raises(DomainError) as error:
        event_cancel(actor=leader, event=series[0], scope="all")
    assert error.value.code == "invalid_scope"


# --- the debounced "event changed" notice ----------------------------------------------------------------------------


def test_several_quick_edits_become_one_notice(group, leader, people):
    event = make_event(group, starts_at=london(2030, 10, 17, 18))
    make_rsvp(event, people[0])
    make_rsvp(event, people[1], RsvpStatus.WAITLISTED)
    make_rsvp(event, people[2], RsvpStatus.CANCELLED)
    for minute, area in enumerate(["Room 1", "Room 2", "Room 3"]):
        with frozen_now(NOW + timedelta(minutes=minute)):
            event_update(actor=leader, event=event, area=area)
    last_edit = NOW + timedelta(minutes=2)
    # A task scheduled after the first edit finds a later edit, so it waits for that edit's own task.
    assert event_change_notice_send(event_id=event.pk, now=NOW + timedelta(minutes=10)) == 0
    assert event_change_notice_send(event_id=event.pk, now=last_edit + timedelta(minutes=10)) == 2
    assert event_change_notice_send(event_id=event.pk, now=last_edit + timedelta(minutes=11)) == 0
    assert kinds_for(people[0]) == ["event_changed"]
    assert kinds_for(people[1]) == ["event_changed"]
    assert kinds_for(people[2]) == []
    assert "Room 3" in Notification.objects.get(user=people[0]).body

    with frozen_now(NOW + timedelta(hours=1)):
        event_update(actor=leader, event=event, title="Film night (moved)")
    assert event_change_notice_send(event_id=event.pk, now=NOW + timedelta(hours=2)) == 2
    assert kinds_for(people[0]) == ["event_changed", "event_changed"]


def test_description_and_capacity_changes_send_no_notice(group, leader, people):
    event = make_event(group, capacity=5)
    make_rsvp(event, people[0])
    event_update(actor=leader, event=event, description="More words", capacity=6)
    event.refresh_from_db()
    assert event.changed_at is None
    assert event_change_notice_send(event_id=event.pk, now=timezone.now() + timedelta(hours=1)) == 0


def test_a_cancelled_event_gets_no_change_notice(group, leader, people):
    event = make_event(group)
    make_rsvp(event, people[0])
    event_update(actor=leader, event=event, area="Elsewhere")
    event_cancel(actor=leader, event=event)
    assert event_change_notice_send(event_id=event.pk, now=timezone.now() + timedelta(hours=1)) == 0
    assert kinds_for(people[0]) == ["event_cancelled"]


def test_the_periodic_sweep_sends_notices_whose_task_was_lost(group, leader, people):
    event = make_event(group)
    make_rsvp(event, people[0])
    event_update(actor=leader, event=event, area="Elsewhere")
    assert send_due_change_notices(now=timezone.now()) == 0
    assert send_due_change_notices(now=timezone.now() + timedelta(minutes=15)) == 1
    assert send_due_change_notices(now=timezone.now() + timedelta(minutes=30)) == 0


def test_the_scheduled_task_sends_the_notice_after_commit(
    group, leader, people, settings, django_capture_on_commit_callbacks
):
    settings.HN_EVENT_CHANGE_NOTICE_MINUTES = 0
    event = make_event(group)
    make_rsvp(event, people[0])
    with django_capture_on_commit_callbacks(execute=True):
        event_update(actor=leader, event=event, area="Elsewhere")
    assert kinds_for(people[0]) == ["event_changed"]

"""The event list and the attendee list are built by plain functions, not serializer objects (events/api_events.py):
they must give exactly what the serializers that describe them in the OpenAPI schema give, on pages with every kind
of row. The RSVP answer reuses what the service hands back, and must still equal a fresh read of the event."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone, translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from community.errors import Forbidden
from community.models import MembershipRole, MembershipStatus, SiteRole, User
from events.api_events import (
    EventAttendeesOutputSerializer,
    EventOutputSerializer,
    api_datetime,
    attendees_body,
    event_list_items,
)
from events.models import (
    Attendance,
    CheckInMethod,
    Event,
    EventSeries,
    EventStatus,
    EventVisibility,
    Pulse,
    Rsvp,
    RsvpMode,
    RsvpStatus,
    SeriesFrequency,
)
from events.permissions import (
    can_organise_event,
    can_see_private_details,
    listed_event_shows_private_details,
    organised_by,
)
from events.selectors import (
    attendee_rows_for,
    attendees_for,
    event_detail_for,
    event_list_rows,
    upcoming_events_for,
)
from events.services.rsvps import rsvp_going
from events.wording import Today, day_words, when_in_words
from tests.events.domain_factories import london, make_event, make_rsvp

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def as_json(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.fixture
def robin(member, group, add_member):
    add_member(group, member)
    return member


@pytest.fixture
def book_club(make_group, robin, add_member):
    """A group Robin leads, so Robin organises its events."""
    club = make_group(name="Book Club", slug="book-club")
    add_member(club, robin, role=MembershipRole.LEADER)
    return club


@pytest.fixture
def mixed_page(group, leader, robin, book_club, make_group, make_user, add_member):
    """Upcoming events with every kind of row Robin can see: going, waiting, asking, organising, cancelled, online,
    no limit, open to all members, overnight, next summer (another year, British Summer Time), part of a series."""
    sky = make_user(display_name="Sky")
    add_member(group, sky)
    now = timezone.now()
    series = EventSeries.objects.create(group=group, frequency=SeriesFrequency.WEEKLY, created_by=leader)

    going = make_event(
        group,
        title="Pizza night",
        starts_in=timedelta(days=2),
        capacity=5,
        area="Town centre",
        venue_address="12 Secret Street",
        joining_link="https://meet.example.org/pizza",
        destination_areas=["work", "learning"],
        rsvp_closes_at=now + timedelta(days=1, minutes=7),
        accessibility_info="Step-free",
        description="Bring a friend.",
        series=series,
    )
    make_rsvp(going, robin)

    full = make_event(group, title="Climbing", starts_in=timedelta(days=3), capacity=1, venue_address="The wall")
    make_rsvp(full, sky)
    make_rsvp(full, robin, RsvpStatus.WAITLISTED)

    asking = make_event(group, title="Cooking", starts_in=timedelta(days=4), rsvp_mode=RsvpMode.APPROVAL, capacity=8)
    make_rsvp(asking, robin, RsvpStatus.PENDING)

    make_event(book_club, title="Book swap", starts_in=timedelta(days=5), venue_address="Library, room 2")

    cancelled = make_event(
        group,
        title="Picnic",
        starts_in=timedelta(days=6),
        status=EventStatus.CANCELLED,
        cancelled_at=now - timedelta(hours=1),
        cancel_reason="Rain all day.",
        venue_address="The park",
    )
    make_rsvp(cancelled, robin)

    make_event(
        group, title="Online quiz", starts_in=timedelta(days=7), is_online=True, joining_link="https://q.example"
    )

    open_to_all = make_event(
        make_group(name="Elsewhere"),
        title="Open day",
        starts_in=timedelta(days=8),
        visibility=EventVisibility.ALL_MEMBERS,
        venue_address="Somewhere private",
    )
    make_rsvp(open_to_all, robin, RsvpStatus.DECLINED)

    overnight_start = timezone.localtime(now + timedelta(days=9)).replace(hour=22, minute=30, second=0, microsecond=0)
    make_event(group, title="Stargazing", starts_at=overnight_start, ends_at=overnight_start + timedelta(hours=3))

    next_year = timezone.localtime(now).year + 1
    summer = london(next_year, 7, 4, 18)
    summer_event = make_event(group, title="Summer party", starts_at=summer, ends_at=summer + timedelta(hours=2))
    make_rsvp(summer_event, robin, RsvpStatus.CANCELLED)
    return going


def serializer_output(events, user: User) -> list:
    return EventOutputSerializer(events, many=True, context={"request": SimpleNamespace(user=user)}).data


@pytest.mark.parametrize("viewer", ["robin", "leader", "staff", "moderator"])
def test_event_list_items_equal_the_serializer_on_a_mixed_page(request, mixed_page, viewer):
    user = request.getfixturevalue(viewer)
    events = list(upcoming_events_for(user=user))
    assert len(events) >= 8
    fast = event_list_items(event_list_rows(upcoming_events_for(user=user), user=user))
    slow = serializer_output(events, user)
    assert fast == slow
    assert as_json(fast) == as_json(slow)  # the same keys in the same order, the same JSON


def test_the_mixed_page_has_every_kind_of_row(mixed_page, robin):
    rows = event_list_rows(upcoming_events_for(user=robin), user=robin)
    items = {item["title"]: item for item in event_list_items(rows)}
    assert items["Pizza night"]["venue_address"] == "12 Secret Street" and items["Pizza night"]["series_id"]
    assert items["Climbing"]["my_rsvp_status"] == "waitlisted" and items["Climbing"]["venue_address"] is None
    assert items["Cooking"]["my_rsvp_status"] == "pending"
    assert items["Book swap"]["is_organiser"] and items["Book swap"]["venue_address"] == "Library, room 2"
    assert items["Picnic"]["status"] == "cancelled" and items["Picnic"]["cancelled_at"]
    assert items["Online quiz"]["is_online"] and items["Online quiz"]["joining_link"] is None
    assert items["Online quiz"]["capacity"] is None and items["Online quiz"]["places_left"] is None
    assert items["Open day"]["my_rsvp_status"] == "declined"
    assert ", 10:30pm to " in items["Stargazing"]["when"] and items["Stargazing"]["when"].endswith(", 1:30am")
    summer = items["Summer party"]
    assert summer["starts_at"].endswith("+01:00") and str(timezone.localtime().year + 1) in summer["when"]


@pytest.fixture
def everyone(robin, leader, staff, moderator, evaluator, make_user, make_group, add_member, group):
    """Every kind of person the organiser rule tells apart."""
    other_leader = make_user(display_name="Other leader")
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    paused_leader = make_user(display_name="Paused leader")
    add_member(group, paused_leader, role=MembershipRole.LEADER, status=MembershipStatus.PENDING)
    gone_leader = make_user(display_name="Gone leader")
    add_member(group, gone_leader, role=MembershipRole.LEADER)
    gone_leader.is_active = False
    gone_leader.save(update_fields=["is_active"])
    gone_staff = make_user(role=SiteRole.STAFF, display_name="Gone staff", is_active=False)
    return [robin, leader, staff, moderator, evaluator, other_leader, paused_leader, gone_leader, gone_staff]


def test_organised_by_is_the_same_rule_as_can_organise_event(everyone, mixed_page, book_club):
    events = list(Event.objects.all())
    for user in [*everyone, AnonymousUser()]:
        marked = dict(Event.objects.annotate(organises=organised_by(user)).values_list("id", "organises"))
        assert marked == {event.pk: can_organise_event(user, event) for event in events}, user


def test_a_listed_event_shows_private_details_by_the_same_rule(everyone, mixed_page, book_club):
    for user in everyone:
        for event, row in zip(
            upcoming_events_for(user=user), event_list_rows(upcoming_events_for(user=user), user=user), strict=True
        ):
            shown = listed_event_shows_private_details(is_organiser=row[-1], rsvp_status=row[-2])
            assert shown == can_see_private_details(user, event, rsvp_status=event.my_rsvp_status or ""), user


@pytest.mark.parametrize("viewer", ["robin", "staff"])
def test_the_list_endpoint_answers_what_the_serializer_gives(request, api_as, mixed_page, book_club, viewer):
    user = request.getfixturevalue(viewer)
    for url, group in [(f"{API}events/?page_size=50", None), (f"{API}groups/book-club/events/", book_club)]:
        response = api_as(user).get(url)
        assert response.status_code == 200
        expected = serializer_output(upcoming_events_for(user=user, group=group), user)
        assert response.json()["results"] == json.loads(as_json(expected))


@pytest.mark.parametrize("viewer", ["robin", "staff"])
def test_the_list_reads_no_column_it_left_out(request, api_as, mixed_page, viewer):
    """The list loads only the columns it writes out: reading another one would cost a query per event."""
    user = request.getfixturevalue(viewer)

    def queries(page_size: int) -> int:
        client = api_as(User.objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}events/?page_size={page_size}").status_code == 200
        return len(captured.captured_queries)

    assert queries(1) == queries(50)


# --- the attendee list ----------------------------------------------------------------------------------------------


@pytest.fixture
def full_event(group, leader, make_user, add_member):
    """Two going (one checked in by an organiser, one by the code), two waiting, one asking, and people who left."""
    event = make_event(group, title="Pizza night", capacity=2, created_by=leader, starts_in=timedelta(hours=1))
    now = timezone.now()
    people = {}
    for name in ["zed", "Bea", "W2", "W1", "Ask", "Gone", "Nope", "Dot"]:
        people[name] = make_user(display_name=name)
        add_member(group, people[name])
    make_rsvp(event, people["zed"])
    make_rsvp(event, people["Bea"])
    make_rsvp(event, people["W2"], RsvpStatus.WAITLISTED, queued_at=now - timedelta(minutes=5))
    make_rsvp(event, people["W1"], RsvpStatus.WAITLISTED, queued_at=now - timedelta(minutes=30))
    make_rsvp(event, people["Ask"], RsvpStatus.PENDING)
    make_rsvp(event, people["Gone"], RsvpStatus.CANCELLED)
    make_rsvp(event, people["Nope"], RsvpStatus.DECLINED)
    make_rsvp(event, people["Dot"], RsvpStatus.PENDING, created_at=london(2026, 7, 1, 9, 15))
    Attendance.objects.create(event=event, user=people["zed"], method=CheckInMethod.ORGANISER, checked_in_by=leader)
    Attendance.objects.create(event=event, user=people["Bea"], method=CheckInMethod.SELF)
    # A check-in at another event must not show on this one.
    other = make_event(group, title="Other night", starts_in=timedelta(hours=1))
    make_rsvp(other, people["W1"])
    Attendance.objects.create(event=other, user=people["W1"], method=CheckInMethod.SELF)
    return event


def serializer_attendees(event, attendees) -> dict:
    """The attendee list as the endpoint wrote it before it stopped using the serializer."""
    body = {
        "event_id": event.pk,
        "capacity": event.capacity,
        "going_count": event.going_count,
        "checked_in_count": attendees.checked_in_count,
        "going": attendees.going,
        "waitlisted": attendees.waitlisted,
        "pending": attendees.pending,
    }
    return EventAttendeesOutputSerializer(body).data


@pytest.mark.parametrize("search", ["", "w", "zz"])
def test_attendees_body_equals_the_serializer(full_event, leader, search):
    fast = attendees_body(full_event, attendee_rows_for(organiser=leader, event=full_event, search=search))
    slow = serializer_attendees(full_event, attendees_for(organiser=leader, event=full_event, search=search))
    assert fast == slow
    assert as_json(fast) == as_json(slow)


@pytest.mark.parametrize("search", ["", "w"])
def test_attendee_rows_are_the_same_people_in_the_same_order_as_the_rsvps(full_event, leader, search):
    rows = attendee_rows_for(organiser=leader, event=full_event, search=search)
    rsvps = attendees_for(organiser=leader, event=full_event, search=search)
    for name in ("going", "waitlisted", "pending"):
        expected = [
            (r.id, r.user_id, r.user.display_name, r.status, r.queued_at, r.created_at, r.checked_in_at)
            for r in getattr(rsvps, name)
        ]
        assert [row[:7] for row in getattr(rows, name)] == expected
        assert [row.check_in_method for row in getattr(rows, name)] == [r.check_in_method for r in getattr(rsvps, name)]
    assert rows.checked_in_count == rsvps.checked_in_count


def test_attendee_rows_only_for_organisers(full_event, robin):
    with pytest.raises(Forbidden) as error:
        attendee_rows_for(organiser=robin, event=full_event)
    assert error.value.code == "not_an_organiser"


def test_attendees_body_has_every_kind_of_person(full_event, leader):
    body = attendees_body(full_event, attendee_rows_for(organiser=leader, event=full_event))
    assert [(p["display_name"], p["check_in_method"]) for p in body["going"]] == [("Bea", "self"), ("zed", "organiser")]
    assert all(p["checked_in_at"] for p in body["going"]) and body["checked_in_count"] == 2
    assert [p["display_name"] for p in body["waitlisted"]] == ["W1", "W2"]
    assert [(p["display_name"], p["checked_in_at"]) for p in body["waitlisted"]] == [("W1", None), ("W2", None)]
    assert [p["display_name"] for p in body["pending"]] == ["Ask", "Dot"]
    dot = body["pending"][1]
    assert dot["rsvp_at"] == "2026-07-01T09:15:00+01:00" and dot["check_in_method"] is None


def test_the_attendees_endpoint_answers_what_the_serializer_gives(api_as, full_event, leader):
    response = api_as(leader).get(f"{API}events/{full_event.pk}/attendees/")
    assert response.status_code == 200
    expected = serializer_attendees(full_event, attendees_for(organiser=leader, event=full_event))
    assert response.json() == json.loads(as_json(expected))


def test_attendees_load_only_the_name_of_each_person(full_event, leader):
    attendees = attendees_for(organiser=leader, event=full_event)
    person = attendees.going[0].user
    assert {"password", "email"} <= person.get_deferred_fields()
    assert "display_name" not in person.get_deferred_fields()


# --- datetimes and dates in words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        london(2026, 12, 4, 18),  # winter: UK time is UTC, written with Z
        london(2026, 7, 4, 18, 30),  # summer: +01:00
        datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC),  # a moment before the clocks go forward
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # after the clocks go back
        datetime(2026, 7, 4, 18, 0),  # naive: taken as UK time, as DRF does
        "2026-07-04 18:00:00",  # text is passed through, as DRF does
    ],
)
def test_api_datetime_writes_what_drf_writes(value):
    drf = serializers.DateTimeField(allow_null=True)
    expected = None if value is None else drf.to_representation(value)
    assert api_datetime(value, timezone.get_current_timezone()) == expected


def day_words_by_dateformat(moment: datetime) -> str:
    local = timezone.localtime(moment)
    text = dateformat.format(local, "l j F")
    return text if local.year == timezone.localtime().year else f"{text} {local.year}"


def test_day_words_says_what_dateformat_says_every_day_for_two_years():
    start = timezone.now() - timedelta(days=370)
    for day in range(740):
        moment = start + timedelta(days=day, hours=day % 24)
        assert day_words(moment) == day_words_by_dateformat(moment)


def test_day_words_follow_the_active_language():
    moment = london(2026, 12, 4, 18)
    with translation.override("de"):
        assert day_words(moment) == day_words_by_dateformat(moment) == "Freitag 4 Dezember"
    assert day_words(moment) == "Friday 4 December"


def test_when_in_words_is_the_same_with_today_worked_out_once():
    today = Today.now()
    assert today.year == timezone.localtime().year and today.tz == timezone.get_current_timezone()
    start = london(today.year + 1, 12, 4, 22)
    assert when_in_words(start, start + timedelta(hours=2), today=today) == when_in_words(
        start, start + timedelta(hours=2)
    )


def test_when_in_words_gives_the_year_only_when_it_is_not_this_year():
    in_2026 = replace(Today.now(), year=2026)
    friday = london(2026, 12, 4, 22)
    assert when_in_words(friday, friday + timedelta(hours=1), today=in_2026) == "Friday 4 December, 10pm to 11pm"
    assert when_in_words(friday, friday + timedelta(hours=2), today=in_2026) == (
        "Friday 4 December, 10pm to Saturday 5 December, 12am"
    )
    in_2025 = replace(in_2026, year=2025)
    assert when_in_words(friday, friday + timedelta(minutes=90), today=in_2025) == (
        "Friday 4 December 2026, 10pm to 11:30pm"
    )
    summer = london(2026, 6, 1, 18, 30)  # British Summer Time
    assert when_in_words(summer, summer + timedelta(minutes=90), today=in_2026) == "Monday 1 June, 6:30pm to 8pm"


# --- the RSVP answer ------------------------------------------------------------------------------------------------


def detail_fields(detail) -> dict:
    return {
        "event_id": detail.event.pk,
        "going_count": detail.event.going_count,
        "my_rsvp": detail.my_rsvp.pk if detail.my_rsvp else None,
        "my_rsvp_status": detail.my_rsvp_status,
        "is_organiser": detail.is_organiser,
        "can_see_private_details": detail.can_see_private_details,
        "waitlist_position": detail.waitlist_position,
        "is_checked_in": detail.is_checked_in,
        "has_pulse": detail.has_pulse,
        "self_check_in_open": detail.self_check_in_open,
        "attendance_open": detail.attendance_open,
    }


@pytest.mark.parametrize(
    ("status", "checked_in", "pulse"),
    [
        (RsvpStatus.GOING, True, True),
        (RsvpStatus.GOING, True, False),
        (RsvpStatus.GOING, False, False),
        (RsvpStatus.WAITLISTED, False, False),
        (RsvpStatus.PENDING, False, False),
    ],
)
def test_event_detail_for_with_the_services_rsvp_equals_a_fresh_read(
    group, robin, make_user, add_member, status, checked_in, pulse
):
    event = make_event(group, capacity=1, starts_in=timedelta(minutes=-30))  # on now: check-in is open
    for n in range(2):
        other = make_user()
        add_member(group, other)
        make_rsvp(event, other, RsvpStatus.WAITLISTED if n or status == RsvpStatus.GOING else RsvpStatus.GOING)
    make_rsvp(event, robin, status)
    if checked_in:
        Attendance.objects.create(event=event, user=robin, method=CheckInMethod.SELF)
    if pulse:
        Pulse.objects.create(event=event, user=robin, feeling=4)
    rsvp = rsvp_going(actor=robin, event=event)  # already answered: the service hands the RSVP back unchanged

    fresh = event_detail_for(user=robin, event_id=event.pk)
    reused = event_detail_for(user=robin, event_id=event.pk, event=rsvp.event, my_rsvp=rsvp)
    assert detail_fields(reused) == detail_fields(fresh)
    assert (fresh.is_checked_in, fresh.has_pulse) == (checked_in, pulse)


def _rsvp_then_read(api_as, user, event) -> tuple[dict, dict, list[str]]:
    client = api_as(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(f"{API}events/{event.pk}/rsvp/")
    assert answer.status_code == 200, answer.content
    queries = [query["sql"] for query in captured.captured_queries]  # before the next request resets the log
    read = api_as(User.objects.get(pk=user.pk)).get(f"{API}events/{event.pk}/")
    return answer.json(), read.json(), queries


@pytest.mark.parametrize(
    ("capacity", "mode", "visibility", "expected"),
    [
        (3, RsvpMode.OPEN, EventVisibility.GROUP, "going"),
        (None, RsvpMode.OPEN, EventVisibility.ALL_MEMBERS, "going"),
        (1, RsvpMode.OPEN, EventVisibility.GROUP, "waitlisted"),
        (3, RsvpMode.APPROVAL, EventVisibility.GROUP, "pending"),
    ],
)
def test_the_rsvp_answer_equals_reading_the_event_afterwards(
    api_as, group, robin, make_user, add_member, capacity, mode, visibility, expected
):
    event = make_event(
        group, capacity=capacity, rsvp_mode=mode, visibility=visibility, venue_address="12 Secret Street"
    )
    sky = make_user(display_name="Sky")
    add_member(group, sky)
    make_rsvp(event, sky)
    make_rsvp(event, make_user(), RsvpStatus.WAITLISTED) if capacity == 1 else None

    answer, read, queries = _rsvp_then_read(api_as, robin, event)
    assert answer["my_rsvp_status"] == expected
    assert answer == read
    assert answer["going_count"] == Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
    event_reads = [sql for sql in queries if sql.startswith("SELECT") and 'FROM "events_event"' in sql]
    assert len(event_reads) == 2  # checking access, then the service's lock; the answer does not read it again


def test_saying_going_again_while_checked_in_answers_as_before(api_as, group, robin):
    event = make_event(group, capacity=4, starts_in=timedelta(minutes=-30))
    make_rsvp(event, robin)
    Attendance.objects.create(event=event, user=robin, method=CheckInMethod.SELF)
    Pulse.objects.create(event=event, user=robin, feeling=5)

    answer, read, _ = _rsvp_then_read(api_as, robin, event)
    assert answer == read
    assert answer["is_checked_in"] and answer["has_pulse"] and answer["my_rsvp_status"] == "going"


def test_saying_going_after_cancelling_answers_as_before(api_as, group, robin):
    event = make_event(group, capacity=4)
    make_rsvp(event, robin, RsvpStatus.CANCELLED)

    answer, read, _ = _rsvp_then_read(api_as, robin, event)
    assert answer == read and answer["my_rsvp_status"] == "going" and answer["going_count"] == 1

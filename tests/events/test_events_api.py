"""Events API: lists, one event, planning, cancelling and RSVPs, for each role; private details; query counts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from community.models import Notification, User
from events.api_events import api_urlpatterns
from events.models import Attendance, CheckInMethod, Event, EventStatus, EventVisibility, Rsvp, RsvpStatus
from events.services.events import event_create
from events.services.ideas import idea_propose, idea_to_event
from tests.events.domain_factories import london, make_event, make_rsvp

pytestmark = pytest.mark.django_db

API = "/api/v1/"
SECRET_ADDRESS = "12 Secret Street"
SECRET_LINK = "https://meet.example.org/secret-room"


@pytest.fixture
def robin(member, group, add_member):
    add_member(group, member)
    return member


@pytest.fixture
def sky(make_user, group, add_member):
    user = make_user(display_name="Sky")
    add_member(group, user)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user(display_name="Outsider")


@pytest.fixture
def event(group, leader):
    return make_event(
        group,
        title="Pizza night",
        created_by=leader,
        capacity=2,
        area="Town centre",
        venue_address=SECRET_ADDRESS,
        joining_link=SECRET_LINK,
    )


def expect(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content
    if code is not None:
        assert response.json()["code"] == code
    return response.json() if response.content else None


def call(api_as, user, method: str, url: str, data=None):
    return getattr(api_as(user), method)(url, data if data is not None else {}, format="json")


def who(request, name: str | None):
    return request.getfixturevalue(name) if name else None


def count_queries(api_as, user, url: str) -> int:
    """Queries for one GET, as a fresh request would make them (no membership remembered from an earlier call)."""
    client = api_as(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        expect(client.get(url), 200)
    return len(captured.captured_queries)


def future_body(**overrides) -> dict:
    start = timezone.localtime(timezone.now() + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    return {
        "title": "Pizza and a film",
        "category": "social",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "area": "Town centre",
        "venue_address": "1 High Street",
        "capacity": 10,
        **overrides,
    }


# --- the list ------------------------------------------------------------------------------------------------------


def test_list_needs_login(api_as):
    expect(api_as(None).get(f"{API}events/"), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("name", "sees_group_event"),
    [("robin", True), ("leader", True), ("moderator", True), ("staff", True), ("outsider", False)],
)
def test_list_shows_what_each_role_can_see(request, api_as, event, make_group, name, sees_group_event):
    open_to_all = make_event(make_group(), title="Open day", visibility=EventVisibility.ALL_MEMBERS)
    rows = expect(call(api_as, who(request, name), "get", f"{API}events/"), 200)["results"]
    ids = [row["id"] for row in rows]
    assert (event.pk in ids) is sees_group_event
    assert open_to_all.pk in ids


def test_list_is_empty_for_evaluators(api_as, evaluator, event):
    make_event(event.group, visibility=EventVisibility.ALL_MEMBERS)
    assert expect(call(api_as, evaluator, "get", f"{API}events/"), 200)["results"] == []


def test_list_row_has_plain_words_and_my_status(api_as, robin, sky, event):
    make_rsvp(event, sky)
    make_rsvp(event, robin, RsvpStatus.WAITLISTED)
    row = expect(call(api_as, robin, "get", f"{API}events/"), 200)["results"][0]
    start = timezone.localtime(event.starts_at)
    assert row["when"].startswith(f"{start:%A} {start.day} {start:%B}")
    assert row["group"] == {"slug": "art-club", "name": "Art Club"}
    assert row["url"] == f"/events/{event.pk}/"
    assert row["going_count"] == 1 and row["places_left"] == 1 and row["capacity"] == 2
    assert row["my_rsvp_status"] == "waitlisted" and row["is_organiser"] is False
    assert row["status"] == "scheduled" and row["category"] == "social"


def test_list_filters(api_as, robin, group, make_group, add_member):
    other = make_group(slug="walkers")
    add_member(other, robin)
    social = make_event(group, starts_at=london(2031, 5, 10, 18))
    learning = make_event(group, category="learning", starts_at=london(2031, 5, 11, 23, 30))
    walk = make_event(other, starts_at=london(2031, 5, 12, 0, 30))
    make_rsvp(learning, robin, RsvpStatus.PENDING)

    def ids(query: str) -> list[int]:
        return [row["id"] for row in expect(call(api_as, robin, "get", f"{API}events/?{query}"), 200)["results"]]

    assert ids("") == [social.pk, learning.pk, walk.pk]
    assert ids("group=walkers") == [walk.pk]
    assert ids("category=learning") == [learning.pk]
    assert ids("from=2031-05-11&to=2031-05-11") == [learning.pk]
    assert ids("from=2031-05-12") == [walk.pk]
    assert ids("mine=true") == [learning.pk]


def test_list_filter_problems(api_as, robin, make_group):
    expect(call(api_as, robin, "get", f"{API}events/?from=soon"), 400, "invalid")
    expect(call(api_as, robin, "get", f"{API}events/?category=parties"), 400, "invalid")
    expect(call(api_as, robin, "get", f"{API}events/?group=nope"), 404, "group_not_found")
    make_group(slug="secret", is_listed=False)
    expect(call(api_as, robin, "get", f"{API}events/?group=secret"), 404, "group_not_found")


def test_list_page_size_is_at_most_50(api_as, robin, group):
    Event.objects.bulk_create(
        [
            Event(
                group=group,
                title=f"Meetup {n}",
                category="social",
                starts_at=timezone.now() + timedelta(days=1, minutes=n),
                ends_at=timezone.now() + timedelta(days=1, hours=2, minutes=n),
            )
            for n in range(60)
        ]
    )
    body = expect(call(api_as, robin, "get", f"{API}events/?page_size=100"), 200)
    assert body["count"] == 60 and len(body["results"]) == 50
    assert len(expect(call(api_as, robin, "get", f"{API}events/"), 200)["results"]) == 25


def test_list_query_count_does_not_grow(api_as, leader, robin, group, make_group, add_member, sky):
    """The viewer leads some of the groups, so each row asks who organises it: still one query for all rows."""

    def add_events(count: int):
        for n in range(count):
            other = make_group()
            add_member(other, leader, role="leader" if n % 2 else "member")
            made = make_event(other if n % 3 else group, capacity=5, starts_in=timedelta(days=1, minutes=n))
            make_rsvp(made, sky if n % 2 else leader)

    add_events(3)
    small = count_queries(api_as, leader, f"{API}events/")
    add_events(27)
    assert count_queries(api_as, leader, f"{API}events/?page_size=50") == small


def test_group_events_list(api_as, robin, event, make_group):
    elsewhere = make_event(make_group(slug="walkers"), visibility=EventVisibility.ALL_MEMBERS)
    ids = [row["id"] for row in expect(call(api_as, robin, "get", f"{API}groups/art-club/events/"), 200)["results"]]
    assert ids == [event.pk]
    ids = [row["id"] for row in expect(call(api_as, robin, "get", f"{API}groups/walkers/events/"), 200)["results"]]
    assert ids == [elsewhere.pk]
    expect(call(api_as, robin, "get", f"{API}groups/nope/events/"), 404, "group_not_found")


# --- private details -----------------------------------------------------------------------------------------------


def _dump(response) -> str:
    return json.dumps(response.json())


def test_address_and_link_only_for_people_going_and_organisers(api_as, robin, sky, leader, staff, event):
    make_rsvp(event, leader)
    make_rsvp(event, sky)  # full now: robin will wait
    not_going_answers = [
        call(api_as, robin, "get", f"{API}events/"),
        call(api_as, robin, "get", f"{API}groups/art-club/events/"),
        call(api_as, robin, "get", f"{API}events/{event.pk}/"),
        call(api_as, robin, "post", f"{API}events/{event.pk}/rsvp/"),
    ]
    assert not_going_answers[-1].json()["my_rsvp_status"] == "waitlisted"
    for answer in not_going_answers:
        assert answer.status_code == 200
        assert SECRET_ADDRESS not in _dump(answer) and "secret-room" not in _dump(answer)
    detail = not_going_answers[2].json()
    assert detail["venue_address"] is None and detail["joining_link"] is None and detail["area"] == "Town centre"

    for person in (sky, leader, staff):
        answer = call(api_as, person, "get", f"{API}events/{event.pk}/")
        assert answer.json()["venue_address"] == SECRET_ADDRESS and answer.json()["joining_link"] == SECRET_LINK
        listed = call(api_as, person, "get", f"{API}events/").json()["results"][0]
        assert listed["venue_address"] == SECRET_ADDRESS


def test_moderators_not_going_do_not_see_the_address(api_as, moderator, event):
    assert SECRET_ADDRESS not in _dump(call(api_as, moderator, "get", f"{API}events/{event.pk}/"))


# --- one event -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("robin", 200, None),
        ("leader", 200, None),
        ("moderator", 200, None),
        ("staff", 200, None),
        ("outsider", 404, "event_not_found"),
        ("evaluator", 404, "event_not_found"),
    ],
)
def test_detail_access(request, api_as, event, name, status, code):
    body = expect(call(api_as, who(request, name), "get", f"{API}events/{event.pk}/"), status, code)
    if status == 200:
        assert body["title"] == "Pizza night"
        assert body["is_organiser"] is (name in ("leader", "staff"))


def test_detail_has_my_place_and_the_idea(api_as, robin, sky, leader, make_user, add_member, group):
    idea = idea_propose(actor=robin, group=group, title="Bowling night")
    start = timezone.now() + timedelta(days=5)
    made = idea_to_event(
        actor=leader, idea=idea, title="Bowling", category="social", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    Event.objects.filter(pk=made.pk).update(capacity=1)
    make_rsvp(made, sky)
    make_rsvp(made, robin, RsvpStatus.WAITLISTED)
    body = expect(call(api_as, robin, "get", f"{API}events/{made.pk}/"), 200)
    assert body["idea_id"] == idea.pk and body["waitlist_position"] == 1
    assert body["is_checked_in"] is False and body["has_pulse"] is False and body["places_left"] == 0


def test_detail_query_count_does_not_grow_with_rsvps(api_as, robin, group, make_user, add_member):
    event = make_event(group, capacity=100)
    make_rsvp(event, robin, RsvpStatus.WAITLISTED)

    def add_people(count: int):
        for _ in range(count):
            person = make_user()
            add_member(group, person)
            make_rsvp(event, person, RsvpStatus.WAITLISTED, queued_at=timezone.now() - timedelta(hours=1))

    add_people(3)
    small = count_queries(api_as, robin, f"{API}events/{event.pk}/")
    add_people(27)
    assert count_queries(api_as, robin, f"{API}events/{event.pk}/") == small


# --- planning ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("leader", 201, None),
        ("staff", 201, None),
        ("robin", 403, "not_an_organiser"),
        ("moderator", 403, "not_an_organiser"),
        ("outsider", 403, "not_an_organiser"),
        ("evaluator", 403, "not_an_organiser"),
    ],
)
def test_create_access(request, api_as, group, name, status, code):
    response = call(api_as, who(request, name), "post", f"{API}groups/art-club/events/", future_body())
    body = expect(response, status, code)
    if status == 201:
        event = Event.objects.get()
        assert body["id"] == event.pk and body["is_organiser"] is True
        assert body["venue_address"] == "1 High Street"
        assert timezone.localtime(event.starts_at).hour == 18
    else:
        assert not Event.objects.exists()


def test_create_a_series(api_as, leader, group):
    body = expect(
        call(api_as, leader, "post", f"{API}groups/art-club/events/", future_body(repeat="weekly", repeat_count=4)), 201
    )
    assert body["series_id"] is not None
    assert Event.objects.filter(series_id=body["series_id"]).count() == 4


def test_naive_times_are_uk_time(api_as, leader, group):
    body = future_body(starts_at="2031-07-04T18:00:00", ends_at="2031-07-04T20:00:00")
    expect(call(api_as, leader, "post", f"{API}groups/art-club/events/", body), 201)
    assert timezone.localtime(Event.objects.get().starts_at).hour == 18


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ends_at": "2020-01-01T10:00:00+00:00"}, "ends_before_start"),
        ({"capacity": -1}, "invalid_capacity"),
        ({"starts_at": "2020-01-01T18:00:00+00:00", "ends_at": "2020-01-01T19:00:00+00:00"}, "event_in_the_past"),
        ({"repeat": "weekly"}, "repeat_end_needed"),
        ({"repeat": "weekly", "repeat_count": 53}, "too_many_occurrences"),
        ({"title": "  "}, "title_required"),
        ({"joining_link": "nope"}, "invalid_link"),
        ({"destination_areas": ["moon"]}, "invalid_destination_area"),
        ({"category": "parties"}, "invalid"),
    ],
)
def test_create_refusals(api_as, leader, group, overrides, code):
    expect(call(api_as, leader, "post", f"{API}groups/art-club/events/", future_body(**overrides)), 400, code)
    assert not Event.objects.exists()


def test_create_in_an_archived_group(api_as, leader, group):
    group.is_archived = True
    group.save(update_fields=["is_archived"])
    expect(call(api_as, leader, "post", f"{API}groups/art-club/events/", future_body()), 403, "group_archived")


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("leader", 200, None),
        ("staff", 200, None),
        ("robin", 403, "not_an_organiser"),
        ("moderator", 403, "not_an_organiser"),
        ("outsider", 404, "event_not_found"),
        ("evaluator", 404, "event_not_found"),
    ],
)
def test_update_access(request, api_as, event, name, status, code):
    expect(call(api_as, who(request, name), "patch", f"{API}events/{event.pk}/", {"title": "New"}), status, code)
    event.refresh_from_db()
    assert (event.title == "New") is (status == 200)


def test_update_this_and_following(api_as, leader, group):
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=18, minute=0, second=0, microsecond=0)
    first = event_create(
        actor=leader,
        group=group,
        title="Weekly",
        category="social",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        repeat="weekly",
        repeat_count=3,
    )
    dates = list(Event.objects.filter(series=first.series).order_by("starts_at"))
    body = expect(
        call(api_as, leader, "patch", f"{API}events/{dates[1].pk}/", {"title": "Changed", "scope": "following"}), 200
    )
    assert body["title"] == "Changed"
    assert [each.title for each in Event.objects.order_by("starts_at")] == ["Weekly", "Changed", "Changed"]


def test_update_refusals(api_as, leader, event):
    expect(call(api_as, leader, "patch", f"{API}events/{event.pk}/", {"scope": "everything"}), 400, "invalid")
    expect(call(api_as, leader, "patch", f"{API}events/{event.pk}/", {"capacity": -3}), 400, "invalid_capacity")
    body = {"ends_at": (event.starts_at - timedelta(hours=1)).isoformat()}
    expect(call(api_as, leader, "patch", f"{API}events/{event.pk}/", body), 400, "ends_before_start")
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    expect(call(api_as, leader, "patch", f"{API}events/{event.pk}/", {"title": "X"}), 409, "event_cancelled")


def test_raising_capacity_promotes_people_waiting(api_as, leader, robin, sky, event):
    make_rsvp(event, leader)
    make_rsvp(event, sky)
    make_rsvp(event, robin, RsvpStatus.WAITLISTED)
    body = expect(call(api_as, leader, "patch", f"{API}events/{event.pk}/", {"capacity": 3}), 200)
    assert body["going_count"] == 3
    assert Rsvp.objects.get(event=event, user=robin).status == RsvpStatus.GOING


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("leader", 200, None),
        ("staff", 200, None),
        ("robin", 403, "not_an_organiser"),
        ("moderator", 403, "not_an_organiser"),
        ("outsider", 404, "event_not_found"),
    ],
)
def test_cancel_access(request, api_as, event, robin, name, status, code):
    if name != "robin":
        make_rsvp(event, robin)
    body = expect(
        call(api_as, who(request, name), "post", f"{API}events/{event.pk}/cancel/", {"reason": "Snow"}), status, code
    )
    event.refresh_from_db()
    if status == 200:
        assert body["cancelled_event_ids"] == [event.pk]
        assert body["event"]["status"] == "cancelled" and body["event"]["cancel_reason"] == "Snow"
        assert Notification.objects.filter(user=robin, kind="event_cancelled").exists()
    else:
        assert event.status == EventStatus.SCHEDULED


def test_cancel_refusals(api_as, leader, group):
    past = make_event(group, starts_in=-timedelta(days=2))
    expect(call(api_as, leader, "post", f"{API}events/{past.pk}/cancel/", {}), 409, "event_past")
    soon = make_event(group)
    expect(call(api_as, leader, "post", f"{API}events/{soon.pk}/cancel/", {"scope": "all"}), 400, "invalid")
    expect(call(api_as, leader, "post", f"{API}events/{soon.pk}/cancel/", {"reason": "x" * 501}), 400, "too_long")


# --- RSVP ----------------------------------------------------------------------------------------------------------


def test_rsvp_going_waitlisted_and_repeat(api_as, robin, sky, leader, event):
    make_rsvp(event, leader)
    body = expect(call(api_as, robin, "post", f"{API}events/{event.pk}/rsvp/"), 200)
    assert body["my_rsvp_status"] == "going" and body["venue_address"] == SECRET_ADDRESS
    body = expect(call(api_as, sky, "post", f"{API}events/{event.pk}/rsvp/"), 200)
    assert body["my_rsvp_status"] == "waitlisted" and body["waitlist_position"] == 1
    expect(call(api_as, sky, "post", f"{API}events/{event.pk}/rsvp/"), 200)
    assert Rsvp.objects.filter(event=event).count() == 3


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"status": EventStatus.CANCELLED}, 409, "event_cancelled"),
        (
            {"starts_at": timezone.now() - timedelta(days=3), "ends_at": timezone.now() - timedelta(days=2)},
            409,
            "event_past",
        ),
        ({"rsvp_closes_at": timezone.now() - timedelta(minutes=1)}, 409, "rsvp_closed"),
    ],
    ids=["cancelled", "past", "closed"],
)
def test_rsvp_refusals(api_as, robin, event, change, status, code):
    Event.objects.filter(pk=event.pk).update(**change)
    expect(call(api_as, robin, "post", f"{API}events/{event.pk}/rsvp/"), status, code)
    assert not Rsvp.objects.exists()


def test_rsvp_after_a_decline_and_to_an_invisible_event(api_as, robin, outsider, evaluator, event):
    make_rsvp(event, robin, RsvpStatus.DECLINED)
    expect(call(api_as, robin, "post", f"{API}events/{event.pk}/rsvp/"), 409, "rsvp_declined")
    expect(call(api_as, outsider, "post", f"{API}events/{event.pk}/rsvp/"), 404, "event_not_found")
    expect(call(api_as, evaluator, "post", f"{API}events/{event.pk}/rsvp/"), 404, "event_not_found")
    expect(call(api_as, None, "post", f"{API}events/{event.pk}/rsvp/"), 401, "not_authenticated")


def test_cancel_rsvp_promotes_the_next_person(api_as, robin, sky, leader, event):
    make_rsvp(event, robin)
    make_rsvp(event, leader)
    make_rsvp(event, sky, RsvpStatus.WAITLISTED)
    body = expect(call(api_as, robin, "delete", f"{API}events/{event.pk}/rsvp/"), 200)
    assert body["my_rsvp_status"] == "cancelled" and body["venue_address"] is None
    assert Rsvp.objects.get(event=event, user=sky).status == RsvpStatus.GOING
    expect(call(api_as, robin, "delete", f"{API}events/{event.pk}/rsvp/"), 200)


def test_cancel_rsvp_refusals(api_as, robin, sky, outsider, group):
    now_on = make_event(group, starts_in=-timedelta(minutes=10))
    make_rsvp(now_on, robin)
    Attendance.objects.create(event=now_on, user=robin, method=CheckInMethod.SELF)
    expect(call(api_as, robin, "delete", f"{API}events/{now_on.pk}/rsvp/"), 409, "already_checked_in")
    expect(call(api_as, sky, "delete", f"{API}events/{now_on.pk}/rsvp/"), 404, "rsvp_not_found")
    expect(call(api_as, outsider, "delete", f"{API}events/{now_on.pk}/rsvp/"), 404, "event_not_found")
    past = make_event(group, starts_in=-timedelta(days=2))
    make_rsvp(past, sky)
    expect(call(api_as, sky, "delete", f"{API}events/{past.pk}/rsvp/"), 409, "event_past")


# --- schema --------------------------------------------------------------------------------------------------------


def test_schema_has_every_events_endpoint_without_warnings():
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include(api_urlpatterns))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned about the events API"
    paths = schema["paths"]
    assert "get" in paths["/api/v1/events/"]
    assert set(paths["/api/v1/groups/{slug}/events/"]) >= {"get", "post"}
    assert set(paths["/api/v1/events/{event_id}/"]) >= {"get", "patch"}
    assert set(paths["/api/v1/events/{event_id}/rsvp/"]) >= {"post", "delete"}
    for endpoint in ("cancel", "announce", "check-in", "pulse"):
        assert "post" in paths[f"/api/v1/events/{{event_id}}/{endpoint}/"]
    for endpoint in ("attendees/", "attendees.csv", "check-in-code/"):
        assert "get" in paths[f"/api/v1/events/{{event_id}}/{endpoint}"]
    assert "post" in paths["/api/v1/events/{event_id}/attendees/{user_id}/{action}/"]
    detail = schema["components"]["schemas"]["EventDetailOutput"]["properties"]
    assert detail["venue_address"]["nullable"] is True

"""Events API for organisers and on the day: attendees, actions, messages, CSV, check-in code, check-in, pulse."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Notification, User
from events.checkin_codes import current_code
from events.models import Attendance, CheckInMethod, Event, EventStatus, Pulse, Rsvp, RsvpStatus
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db

API = "/api/v1/"


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
    """Starts in half an hour, so check-in is open."""
    return make_event(group, title="Pizza night", created_by=leader, capacity=2, starts_in=timedelta(minutes=30))


def expect(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content
    if code is not None:
        assert response.json()["code"] == code
    if response.content and response["Content-Type"].startswith("application/json"):
        return response.json()
    return None


def call(api_as, user, method: str, url: str, data=None):
    return getattr(api_as(user), method)(url, data if data is not None else {}, format="json")


def who(request, name: str | None):
    return request.getfixturevalue(name) if name else None


ORGANISER_ROLES = [
    (None, 401, "not_authenticated"),
    ("leader", 200, None),
    ("staff", 200, None),
    ("robin", 403, "not_an_organiser"),
    ("moderator", 403, "not_an_organiser"),
    ("outsider", 404, "event_not_found"),
    ("evaluator", 404, "event_not_found"),
]


# --- attendees -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status", "code"), ORGANISER_ROLES)
def test_attendees_access(request, api_as, event, robin, name, status, code):
    make_rsvp(event, robin)
    body = expect(call(api_as, who(request, name), "get", f"{API}events/{event.pk}/attendees/"), status, code)
    if status == 200:
        assert [row["display_name"] for row in body["going"]] == ["Robin"]


def test_attendees_in_order_with_check_ins(api_as, leader, robin, sky, make_user, add_member, event):
    first, second, asker = make_user(display_name="W1"), make_user(display_name="W2"), make_user(display_name="Ask")
    for person in (first, second, asker):
        add_member(event.group, person)
    make_rsvp(event, sky)
    make_rsvp(event, robin)
    make_rsvp(event, second, RsvpStatus.WAITLISTED, queued_at=timezone.now() - timedelta(minutes=1))
    make_rsvp(event, first, RsvpStatus.WAITLISTED, queued_at=timezone.now() - timedelta(minutes=5))
    make_rsvp(event, asker, RsvpStatus.PENDING)
    Attendance.objects.create(event=event, user=sky, method=CheckInMethod.SELF)

    body = expect(call(api_as, leader, "get", f"{API}events/{event.pk}/attendees/"), 200)
    assert [row["display_name"] for row in body["going"]] == ["Robin", "Sky"]
    assert [row["display_name"] for row in body["waitlisted"]] == ["W1", "W2"]
    assert [row["display_name"] for row in body["pending"]] == ["Ask"]
    assert body["checked_in_count"] == 1 and body["going_count"] == 2 and body["capacity"] == 2
    sky_row = body["going"][1]
    assert sky_row["check_in_method"] == "self" and sky_row["checked_in_at"] is not None
    assert body["going"][0]["checked_in_at"] is None

    searched = expect(call(api_as, leader, "get", f"{API}events/{event.pk}/attendees/?search=sk"), 200)
    assert [row["display_name"] for row in searched["going"]] == ["Sky"] and searched["waitlisted"] == []


def test_attendees_query_count_does_not_grow(api_as, leader, make_user, add_member, group):
    event = make_event(group, capacity=100, created_by=leader)

    def add_people(count: int):
        for n in range(count):
            person = make_user()
            add_member(group, person)
            make_rsvp(event, person, [RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.PENDING][n % 3])

    def queries() -> int:
        client = api_as(User.objects.get(pk=leader.pk))
        with CaptureQueriesContext(connection) as captured:
            expect(client.get(f"{API}events/{event.pk}/attendees/"), 200)
        return len(captured.captured_queries)

    add_people(3)
    small = queries()
    add_people(27)
    assert queries() == small


# --- actions on one person -----------------------------------------------------------------------------------------


def _act(api_as, user, event, person_id: int, action: str):
    return call(api_as, user, "post", f"{API}events/{event.pk}/attendees/{person_id}/{action}/")


@pytest.mark.parametrize(("name", "status", "code"), ORGANISER_ROLES)
def test_approve_access(request, api_as, event, sky, name, status, code):
    make_rsvp(event, sky, RsvpStatus.PENDING)
    body = expect(_act(api_as, who(request, name), event, sky.pk, "approve"), status, code)
    if status == 200:
        assert body == {"user_id": sky.pk, "display_name": "Sky", "rsvp_status": "going", "checked_in": False}
    else:
        assert Rsvp.objects.get(user=sky).status == RsvpStatus.PENDING


def test_decline_remove_and_the_waiting_list(api_as, leader, robin, sky, make_user, add_member, event):
    third = make_user(display_name="Third")
    add_member(event.group, third)
    make_rsvp(event, robin)
    make_rsvp(event, sky)
    make_rsvp(event, third, RsvpStatus.WAITLISTED)
    body = expect(_act(api_as, leader, event, robin.pk, "remove"), 200)
    assert body["rsvp_status"] == "cancelled"
    assert Rsvp.objects.get(user=third).status == RsvpStatus.GOING
    assert expect(_act(api_as, leader, event, sky.pk, "decline"), 200)["rsvp_status"] == "declined"
    assert Notification.objects.filter(user=sky, kind="rsvp_decided").exists()


def test_check_in_and_undo(api_as, leader, robin, event):
    make_rsvp(event, robin)
    assert expect(_act(api_as, leader, event, robin.pk, "check-in"), 200)["checked_in"] is True
    assert Attendance.objects.get(user=robin).method == CheckInMethod.ORGANISER
    assert expect(_act(api_as, leader, event, robin.pk, "undo-check-in"), 200)["checked_in"] is False
    assert not Attendance.objects.exists()


def test_action_refusals(api_as, leader, robin, sky, group, event):
    make_rsvp(event, robin)
    expect(_act(api_as, leader, event, robin.pk, "approve"), 409, "not_pending")
    expect(_act(api_as, leader, event, sky.pk, "check-in"), 409, "not_going")
    expect(_act(api_as, leader, event, sky.pk, "remove"), 404, "rsvp_not_found")
    expect(_act(api_as, leader, event, 999999, "remove"), 404, "rsvp_not_found")
    expect(_act(api_as, leader, event, robin.pk, "promote"), 404, "unknown_action")
    later = make_event(group, created_by=leader, starts_in=timedelta(days=3))
    make_rsvp(later, robin)
    expect(_act(api_as, leader, later, robin.pk, "check-in"), 409, "checkin_window_closed")
    Attendance.objects.create(event=event, user=robin, method=CheckInMethod.SELF)
    expect(_act(api_as, leader, event, robin.pk, "remove"), 409, "already_checked_in")


def test_another_groups_leader_cannot_act(api_as, make_user, make_group, add_member, event, robin):
    other_leader = make_user()
    add_member(make_group(), other_leader, role="leader")
    add_member(event.group, other_leader)
    make_rsvp(event, robin)
    expect(_act(api_as, other_leader, event, robin.pk, "remove"), 403, "not_an_organiser")


# --- messages and CSV ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status", "code"), ORGANISER_ROLES)
def test_announce_access(request, api_as, event, robin, name, status, code):
    make_rsvp(event, robin)
    body = expect(
        call(api_as, who(request, name), "post", f"{API}events/{event.pk}/announce/", {"message": "Room 2"}),
        status,
        code,
    )
    told = Notification.objects.filter(user=robin, kind="event_announcement")
    if status == 200:
        assert body == {"recipients": 1} and told.get().body == "Room 2"
    else:
        assert not told.exists()


def test_announce_refusals(api_as, leader, event):
    url = f"{API}events/{event.pk}/announce/"
    expect(call(api_as, leader, "post", url, {"message": "  "}), 400, "message_required")
    expect(call(api_as, leader, "post", url, {"message": "x" * 1001}), 400, "too_long")
    for _ in range(10):
        expect(call(api_as, leader, "post", url, {"message": "Hi"}), 200)
    expect(call(api_as, leader, "post", url, {"message": "Hi"}), 429, "rate_limited")


@pytest.mark.parametrize(("name", "status", "code"), ORGANISER_ROLES)
def test_csv_access(request, api_as, event, robin, name, status, code):
    make_rsvp(event, robin)
    response = call(api_as, who(request, name), "get", f"{API}events/{event.pk}/attendees.csv")
    expect(response, status, code)
    if status == 200:
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows == [["Display name", "Status", "RSVP time", "Checked in"], ["Robin", "Going", rows[1][2], "No"]]


def test_csv_cells_cannot_run_as_formulas(api_as, leader, make_user, add_member, event):
    for name in ("+SUM(A1)", "-2+3", "@cmd", "=1+1"):
        person = make_user(display_name=name)
        add_member(event.group, person)
        make_rsvp(event, person, RsvpStatus.PENDING)
    response = call(api_as, leader, "get", f"{API}events/{event.pk}/attendees.csv")
    names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]
    assert sorted(names) == sorted(["'+SUM(A1)", "'-2+3", "'@cmd", "'=1+1"])


def test_csv_asked_for_as_csv_still_refuses_in_json(api_as, robin, event):
    response = api_as(robin).get(f"{API}events/{event.pk}/attendees.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 403 and b"not_an_organiser" in response.content


# --- check-in code and self check-in -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status", "code"), ORGANISER_ROLES)
def test_check_in_code_access(request, api_as, event, name, status, code):
    body = expect(call(api_as, who(request, name), "get", f"{API}events/{event.pk}/check-in-code/"), status, code)
    if status == 200:
        assert body["code"] == current_code(event.pk)
        assert body["qr_svg"].startswith("<svg") and body["self_check_in_open"] is True
        assert body["check_in_url"].endswith(f"/events/{event.pk}/check-in/?code={body['code']}")
        assert 0 < body["seconds_left"] <= 120


def test_check_in_code_says_when_it_is_closed(api_as, leader, group):
    later = make_event(group, created_by=leader, starts_in=timedelta(days=2))
    assert (
        expect(call(api_as, leader, "get", f"{API}events/{later.pk}/check-in-code/"), 200)["self_check_in_open"]
        is False
    )


def test_self_check_in(api_as, robin, event):
    make_rsvp(event, robin)
    url = f"{API}events/{event.pk}/check-in/"
    body = expect(call(api_as, robin, "post", url, {"code": current_code(event.pk)}), 200)
    assert body["event_id"] == event.pk and body["method"] == "self"
    expect(call(api_as, robin, "post", url, {"code": "wrong"}), 200)
    assert Attendance.objects.filter(user=robin).count() == 1


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("sky", 409, "not_going"),
        ("outsider", 404, "event_not_found"),
        ("evaluator", 404, "event_not_found"),
    ],
)
def test_self_check_in_refusals_by_who(request, api_as, event, name, status, code):
    body = {"code": current_code(event.pk)}
    expect(call(api_as, who(request, name), "post", f"{API}events/{event.pk}/check-in/", body), status, code)
    assert not Attendance.objects.exists()


def test_self_check_in_wrong_code_window_cancelled_and_rate_limit(api_as, robin, group, event):
    make_rsvp(event, robin)
    url = f"{API}events/{event.pk}/check-in/"
    expect(call(api_as, robin, "post", url, {"code": "AAAAAA"}), 400, "wrong_code")
    later = make_event(group, starts_in=timedelta(days=2))
    make_rsvp(later, robin)
    expect(
        call(api_as, robin, "post", f"{API}events/{later.pk}/check-in/", {"code": current_code(later.pk)}),
        409,
        "checkin_window_closed",
    )
    for _ in range(4):
        call(api_as, robin, "post", url, {"code": "AAAAAA"})
    expect(call(api_as, robin, "post", url, {"code": current_code(event.pk)}), 429, "rate_limited")
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    expect(call(api_as, robin, "post", url, {"code": current_code(event.pk)}), 409, "event_cancelled")
    assert not Attendance.objects.exists()


# --- pulse ---------------------------------------------------------------------------------------------------------


def test_pulse_after_check_in(api_as, robin, event):
    make_rsvp(event, robin)
    Attendance.objects.create(event=event, user=robin, method=CheckInMethod.SELF)
    url = f"{API}events/{event.pk}/pulse/"
    body = expect(call(api_as, robin, "post", url, {"feeling": 5, "connected": "not_sure", "note": "Great"}), 200)
    assert body["feeling"] == 5 and body["connected"] == "not_sure" and body["note"] == "Great"
    body = expect(call(api_as, robin, "post", url, {}), 200)
    assert body["feeling"] is None and Pulse.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"feeling": 9}, "invalid_feeling"),
        ({"feeling": 0}, "invalid_feeling"),
        ({"connected": "maybe"}, "invalid"),
        ({"note": "x" * 1001}, "too_long"),
    ],
)
def test_pulse_refusals(api_as, robin, event, data, code):
    make_rsvp(event, robin)
    Attendance.objects.create(event=event, user=robin, method=CheckInMethod.SELF)
    expect(call(api_as, robin, "post", f"{API}events/{event.pk}/pulse/", data), 400, code)
    assert not Pulse.objects.exists()


def test_pulse_needs_a_check_in(api_as, robin, outsider, event):
    make_rsvp(event, robin)
    expect(call(api_as, robin, "post", f"{API}events/{event.pk}/pulse/", {"feeling": 3}), 409, "not_checked_in")
    expect(call(api_as, outsider, "post", f"{API}events/{event.pk}/pulse/", {"feeling": 3}), 404, "event_not_found")
    expect(call(api_as, None, "post", f"{API}events/{event.pk}/pulse/", {"feeling": 3}), 401, "not_authenticated")

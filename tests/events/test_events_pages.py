"""Event pages: the list with filters, one event with its RSVP buttons, RSVPs, my events, and planning events."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Notification
from events.models import Attendance, CheckInMethod, Event, EventStatus, EventVisibility, Rsvp, RsvpMode, RsvpStatus
from events.services.events import event_create
from events.services.ideas import idea_propose, idea_to_event
from tests.events.domain_factories import frozen_now, london, make_event, make_rsvp

pytestmark = pytest.mark.django_db


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
        venue_address="12 Secret Street",
        accessibility_info="Step-free entrance.",
    )


def page_as(client, user, url: str, **extra):
    client.force_login(user)
    return client.get(url, **extra)


def text(response) -> str:
    """The page as a person reads it (entities like ' turned back into characters)."""
    return html.unescape(response.content.decode())


def message_texts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def follow_post(client, user, url: str, data=None):
    client.force_login(user)
    return client.post(url, data or {}, follow=True)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# --- the list ------------------------------------------------------------------------------------------------------


def test_list_needs_login(client):
    response = client.get("/events/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_shows_visible_events_with_plain_words(client, robin, event, make_group, sky):
    make_rsvp(event, sky)
    make_event(make_group(name="Chess"), title="Someone else's chess night")
    online = make_event(event.group, title="Online quiz", is_online=True, starts_in=timedelta(days=4))
    make_rsvp(online, robin, RsvpStatus.WAITLISTED)
    page = text(page_as(client, robin, "/events/"))
    assert page.count("<h1>") == 1
    assert "Pizza night" in page and "Online quiz" in page
    assert "Someone else's chess night" not in page
    start = timezone.localtime(event.starts_at)
    assert f"{start:%A} {start.day} {start:%B}" in page
    assert "Town centre" in page and "Online" in page
    assert "Art Club" in page and "Social and leisure" in page
    assert "1 place left" in page
    assert "You're on the waiting list" in page
    assert "12 Secret Street" not in page


def test_list_marks_cancelled_events_and_full_ones(client, robin, event, sky, leader):
    make_rsvp(event, sky)
    make_rsvp(event, leader)
    make_event(event.group, title="Called off", status=EventStatus.CANCELLED)
    page = text(page_as(client, robin, "/events/"))
    assert "Full: you can join the waiting list" in page
    assert "Cancelled" in page


def test_list_filters(client, robin, group, make_group, add_member):
    other = make_group(name="Walkers", slug="walkers")
    add_member(other, robin)
    make_event(group, title="Social thing", starts_at=london(2031, 5, 10, 18))
    learning = make_event(group, title="CV workshop", category="learning", starts_at=london(2031, 5, 11, 18))
    make_event(other, title="Hill walk", starts_at=london(2031, 5, 12, 10))
    make_rsvp(learning, robin, RsvpStatus.PENDING)

    def titles(query: str) -> set[str]:
        page = text(page_as(client, robin, f"/events/?{query}"))
        return {title for title in ("Social thing", "CV workshop", "Hill walk") if title in page}

    assert titles("group=walkers") == {"Hill walk"}
    assert titles("category=learning") == {"CV workshop"}
    assert titles("date_from=2031-05-11&date_to=2031-05-11") == {"CV workshop"}
    assert titles("mine=on") == {"CV workshop"}
    assert titles("") == {"Social thing", "CV workshop", "Hill walk"}


def test_list_filter_problems_are_shown_not_crashed(client, robin, event):
    response = page_as(client, robin, "/events/?date_from=not-a-date&category=nope")
    assert response.status_code == 200
    assert "Please enter a date." in text(response)
    assert "Pizza night" in text(response)


def test_list_is_paginated(client, robin, group):
    for n in range(22):
        make_event(group, title=f"Meetup {n:02d}", starts_in=timedelta(days=1, hours=n))
    first = text(page_as(client, robin, "/events/"))
    assert "Meetup 00" in first and "Meetup 21" not in first and "Later events" in first
    second = text(client.get("/events/?page=2"))
    assert "Meetup 21" in second and "Earlier events" in second


def test_list_empty_state_for_evaluators(client, evaluator, group):
    make_event(group, visibility=EventVisibility.ALL_MEMBERS, title="For everyone")
    page = text(page_as(client, evaluator, "/events/"))
    assert "For everyone" not in page and "Nothing is planned just yet" in page


def test_list_query_count_does_not_grow(client, robin, group, make_group, add_member, sky):
    def add_events(count: int):
        for n in range(count):
            other = make_group()
            add_member(other, robin)
            made = make_event(other if n % 2 else group, capacity=5, starts_in=timedelta(days=1, minutes=n))
            make_rsvp(made, sky if n % 3 else robin)

    add_events(3)
    client.force_login(robin)
    client.get("/me/password/")  # the policy gate remembers Robin's yes after their first request
    small = queries_for(client, "/events/")
    add_events(27)
    assert queries_for(client, "/events/") == small


# --- one event -----------------------------------------------------------------------------------------------------


def test_detail_hides_the_exact_address_until_you_are_going(client, robin, event):
    page = text(page_as(client, robin, f"/events/{event.pk}/"))
    assert "Pizza night" in page and "Step-free entrance." in page
    assert "12 Secret Street" not in page
    assert "The exact address shows here once you're going." in page
    assert "I'm going</button>" in page

    make_rsvp(event, robin)
    page = text(client.get(f"/events/{event.pk}/"))
    assert "12 Secret Street" in page
    assert "You're going." in page and "I can't go any more" in page
    assert f"/events/{event.pk}/calendar.ics" in page


def test_detail_shows_the_joining_link_only_to_people_going_and_organisers(client, robin, sky, leader, group):
    online = make_event(group, is_online=True, joining_link="https://meet.example.org/secret")
    assert "meet.example.org" not in text(page_as(client, robin, f"/events/{online.pk}/"))
    make_rsvp(online, sky)
    assert "meet.example.org" in text(page_as(client, sky, f"/events/{online.pk}/"))
    page = text(page_as(client, leader, f"/events/{online.pk}/"))
    assert "meet.example.org" in page and "For organisers" in page


def test_detail_of_an_event_you_cannot_see_is_a_friendly_not_found(client, outsider, event):
    response = page_as(client, outsider, f"/events/{event.pk}/")
    assert response.status_code == 404
    assert "We couldn't find that event" in text(response)


@pytest.mark.parametrize(
    ("setup", "button"),
    [
        ("full", "Join the waiting list"),
        ("approval", "Ask to come"),
        ("open", "I'm going"),
    ],
)
def test_detail_offers_the_right_button(client, robin, sky, leader, event, setup, button):
    if setup == "full":
        make_rsvp(event, sky)
        make_rsvp(event, leader)
    if setup == "approval":
        Event.objects.filter(pk=event.pk).update(rsvp_mode=RsvpMode.APPROVAL)
    assert f"{button}</button>" in text(page_as(client, robin, f"/events/{event.pk}/"))


def test_detail_shows_my_place_on_the_waiting_list(client, robin, sky, leader, make_user, add_member, event):
    make_rsvp(event, sky)
    make_rsvp(event, leader)
    first = make_user()
    add_member(event.group, first)
    make_rsvp(event, first, RsvpStatus.WAITLISTED, queued_at=timezone.now() - timedelta(minutes=5))
    make_rsvp(event, robin, RsvpStatus.WAITLISTED)
    page = text(page_as(client, robin, f"/events/{event.pk}/"))
    assert "You're on the waiting list, number 2." in page
    assert "Leave the waiting list" in page


def test_cancelled_event_says_so_with_the_reason_and_offers_no_buttons(client, robin, event):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED, cancel_reason="The venue flooded.")
    page = text(page_as(client, robin, f"/events/{event.pk}/"))
    assert "This event is cancelled." in page and "The venue flooded." in page
    assert '<button type="submit">I\'m going' not in page


def test_past_event_offers_no_buttons(client, robin, group):
    past = make_event(group, starts_in=-timedelta(days=2))
    page = text(page_as(client, robin, f"/events/{past.pk}/"))
    assert "This event has finished." in page and "I'm going</button>" not in page


def test_closed_sign_ups_are_explained(client, robin, group):
    closed = make_event(group, rsvp_closes_at=timezone.now() - timedelta(hours=1))
    page = text(page_as(client, robin, f"/events/{closed.pk}/"))
    assert "Sign-ups for this event have closed." in page and "I'm going</button>" not in page


def test_checked_in_member_is_offered_the_pulse(client, robin, group):
    now_on = make_event(group, starts_in=-timedelta(minutes=20))
    make_rsvp(now_on, robin)
    Attendance.objects.create(event=now_on, user=robin, method=CheckInMethod.SELF)
    page = text(page_as(client, robin, f"/events/{now_on.pk}/"))
    assert "You're checked in." in page and f"/events/{now_on.pk}/pulse/" in page
    assert "I can't go any more" not in page


def test_going_member_can_check_in_when_it_opens(client, robin, group):
    soon = make_event(group, starts_in=timedelta(minutes=20))
    make_rsvp(soon, robin)
    assert f'href="/events/{soon.pk}/check-in/">Check in' in text(page_as(client, robin, f"/events/{soon.pk}/"))


def test_detail_links_to_the_idea_it_came_from(client, robin, leader, group):
    idea = idea_propose(actor=robin, group=group, title="Bowling night")
    start = timezone.now() + timedelta(days=5)
    made = idea_to_event(
        actor=leader, idea=idea, title="Bowling", category="social", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    page = text(page_as(client, robin, f"/events/{made.pk}/"))
    assert f"/ideas/{idea.pk}/" in page and "Bowling night" in page


def test_detail_query_count_does_not_grow_with_rsvps(client, robin, group, make_user, add_member):
    event = make_event(group, capacity=100)
    make_rsvp(event, robin, RsvpStatus.WAITLISTED)

    def add_people(count: int):
        for _ in range(count):
            person = make_user()
            add_member(group, person)
            make_rsvp(event, person, RsvpStatus.WAITLISTED, queued_at=timezone.now() - timedelta(hours=1))

    add_people(3)
    client.force_login(robin)
    client.get("/me/password/")  # the policy gate remembers Robin's yes after their first request
    small = queries_for(client, f"/events/{event.pk}/")
    add_people(27)
    assert queries_for(client, f"/events/{event.pk}/") == small


# --- saying you're going, or not -----------------------------------------------------------------------------------


def test_rsvp_going_then_waitlisted(client, robin, sky, leader, event):
    make_rsvp(event, leader)
    response = follow_post(client, robin, f"/events/{event.pk}/rsvp/")
    assert "You're going! It's in your events now." in text(response)
    assert Rsvp.objects.get(event=event, user=robin).status == RsvpStatus.GOING

    response = follow_post(client, sky, f"/events/{event.pk}/rsvp/")
    assert "you're on the waiting list" in text(response)
    assert Rsvp.objects.get(event=event, user=sky).status == RsvpStatus.WAITLISTED


def test_rsvp_asks_when_approval_is_needed(client, robin, event):
    Event.objects.filter(pk=event.pk).update(rsvp_mode=RsvpMode.APPROVAL)
    response = follow_post(client, robin, f"/events/{event.pk}/rsvp/")
    assert "You've asked to come." in text(response)
    assert Rsvp.objects.get(event=event, user=robin).status == RsvpStatus.PENDING


def test_rsvp_needs_post(client, robin, event):
    assert page_as(client, robin, f"/events/{event.pk}/rsvp/").status_code == 405


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"status": EventStatus.CANCELLED}, "This event has been cancelled"),
        ({"starts_at": timezone.now() - timedelta(days=3), "ends_at": timezone.now() - timedelta(days=2)}, "already"),
        ({"rsvp_closes_at": timezone.now() - timedelta(minutes=1)}, "Sign-ups for this event have closed."),
    ],
    ids=["cancelled", "past", "closed"],
)
def test_rsvp_refusals_are_shown_kindly(client, robin, event, change, shown):
    Event.objects.filter(pk=event.pk).update(**change)
    response = follow_post(client, robin, f"/events/{event.pk}/rsvp/")
    assert response.status_code == 200
    assert any(shown in message for message in message_texts(response))
    assert not Rsvp.objects.filter(event=event).exists()


def test_rsvp_to_an_invisible_event_is_not_found(client, outsider, event):
    client.force_login(outsider)
    assert client.post(f"/events/{event.pk}/rsvp/").status_code == 404
    assert not Rsvp.objects.exists()


def test_cancelling_gives_the_place_to_the_next_person(client, robin, sky, leader, event):
    make_rsvp(event, robin)
    make_rsvp(event, leader)
    make_rsvp(event, sky, RsvpStatus.WAITLISTED)
    response = follow_post(client, robin, f"/events/{event.pk}/rsvp/cancel/")
    assert "Your place can go to someone else now." in text(response)
    assert Rsvp.objects.get(event=event, user=sky).status == RsvpStatus.GOING
    assert Notification.objects.filter(user=sky, kind="waitlist_promoted").exists()


def test_cancelling_without_an_rsvp_is_explained(client, robin, event):
    response = follow_post(client, robin, f"/events/{event.pk}/rsvp/cancel/")
    assert "You haven't said you're going to this event." in text(response)


# --- my events -----------------------------------------------------------------------------------------------------


def test_my_events_shows_going_waiting_and_went_to(client, robin, group):
    going = make_event(group, title="Going one")
    waiting = make_event(group, title="Waiting one")
    asked = make_event(group, title="Asked one")
    went = make_event(group, title="Went one", starts_in=-timedelta(days=3))
    make_event(group, title="Not mine")
    make_rsvp(going, robin)
    make_rsvp(waiting, robin, RsvpStatus.WAITLISTED)
    make_rsvp(asked, robin, RsvpStatus.PENDING)
    make_rsvp(went, robin)
    Attendance.objects.create(event=went, user=robin, method=CheckInMethod.ORGANISER)
    page = text(page_as(client, robin, "/me/events/"))
    assert page.index("Going one") < page.index("Waiting one") < page.index("Went one")
    assert "Asked one" in page and "Not mine" not in page
    assert page.count("<h1>") == 1


def test_my_events_empty(client, robin):
    page = text(page_as(client, robin, "/me/events/"))
    assert "You're not going to anything yet." in page


# --- planning: create ----------------------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "title": "Pizza and a film",
        "category": "social",
        "starts_at": f"{day:%Y-%m-%d}T18:00",
        "ends_at": f"{day:%Y-%m-%d}T20:30",
        "area": "Town centre",
        "venue_address": "1 High Street",
        "capacity": "12",
        "rsvp_mode": "open",
        "visibility": "group",
        "repeat": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_create_page_is_for_organisers_only(client, robin, group):
    response = page_as(client, robin, "/groups/art-club/events/new/")
    assert response.status_code == 403
    assert "Only this group's peer leaders and staff can plan its events." in text(response)
    client.force_login(robin)
    assert client.post("/groups/art-club/events/new/", _form()).status_code == 403
    assert not Event.objects.exists()


def test_create_page_for_a_hidden_group_is_not_found(client, leader, make_group):
    make_group(slug="secret", is_listed=False)
    assert page_as(client, leader, "/groups/secret/events/new/").status_code == 404


def test_leader_creates_an_event_in_uk_time(client, leader, group):
    page = page_as(client, leader, "/groups/art-club/events/new/")
    assert page.status_code == 200 and 'type="datetime-local"' in text(page)
    response = client.post("/groups/art-club/events/new/", _form(destination_areas=["learning", "job"]), follow=True)
    event = Event.objects.get()
    assert response.redirect_chain[-1][0] == f"/events/{event.pk}/"
    assert "Your event is on." in text(response)
    local = timezone.localtime(event.starts_at)
    assert (local.hour, local.minute) == (18, 0) and str(local.tzinfo) == "Europe/London"
    assert event.capacity == 12 and event.venue_address == "1 High Street" and event.created_by == leader
    assert event.destination_areas == ["learning", "job"]


def test_staff_create_an_event(client, staff, group):
    client.force_login(staff)
    response = client.post("/groups/art-club/events/new/", _form())
    assert response.status_code == 302 and Event.objects.get().created_by == staff


def test_create_a_weekly_series_across_the_clock_change(client, leader, group):
    with frozen_now(london(2030, 10, 1, 12)):
        client.force_login(leader)
        response = client.post(
            "/groups/art-club/events/new/",
            _form(starts_at="2030-10-20T18:00", ends_at="2030-10-20T20:00", repeat="weekly", repeat_count="3"),
        )
    assert response.status_code == 302
    events = list(Event.objects.order_by("starts_at"))
    assert len(events) == 3 and len({event.series_id for event in events}) == 1
    assert [timezone.localtime(event.starts_at).hour for event in events] == [18, 18, 18]
    assert [timezone.localtime(event.starts_at).date() for event in events] == [
        date(2030, 10, 20),
        date(2030, 10, 27),
        date(2030, 11, 3),
    ]


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"ends_at": "{day}T17:00"}, "The end time needs to be after the start time."),
        ({"capacity": "-1"}, "The number of places needs to be 0 or more"),
        ({"starts_at": "2020-01-01T18:00", "ends_at": "2020-01-01T19:00"}, "The start time has already passed."),
        ({"repeat": "weekly"}, "Please say how many times it repeats"),
        ({"repeat": "monthly", "repeat_count": "60"}, "That's more than 52 dates."),
        ({"joining_link": "not a link"}, "The joining link needs to be a full web address"),
        ({"title": ""}, "This field is required."),
        ({"starts_at": "2031-03-30T01:30", "ends_at": "2031-03-30T03:00"}, "The clocks go forward at that time"),
    ],
    ids=["ends-first", "capacity", "past", "repeat-end", "too-many", "link", "title", "skipped-hour"],
)
def test_create_refusals_are_shown_on_the_form(client, leader, group, overrides, field_message):
    day = f"{timezone.localdate() + timedelta(days=10):%Y-%m-%d}"
    data = _form(**{key: value.format(day=day) for key, value in overrides.items()})
    client.force_login(leader)
    response = client.post("/groups/art-club/events/new/", data)
    assert response.status_code == 200
    assert field_message in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert not Event.objects.exists()


def test_archived_group_cannot_have_new_events(client, leader, group):
    group.is_archived = True
    group.save(update_fields=["is_archived"])
    client.force_login(leader)
    response = client.post("/groups/art-club/events/new/", _form())
    assert "This group is closed now" in text(response)
    assert not Event.objects.exists()


# --- planning: edit and cancel -------------------------------------------------------------------------------------


def _series(leader, group, count: int = 3) -> list[Event]:
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=18, minute=0, second=0, microsecond=0)
    first = event_create(
        actor=leader,
        group=group,
        title="Weekly art",
        category="social",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        area="Library",
        repeat="weekly",
        repeat_count=count,
    )
    return list(Event.objects.filter(series=first.series).order_by("starts_at"))


def _edit_data(event: Event, **overrides) -> dict:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    data = {
        "title": event.title,
        "category": event.category,
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{end:%Y-%m-%dT%H:%M}",
        "area": event.area,
        "venue_address": event.venue_address,
        "joining_link": event.joining_link,
        "accessibility_info": event.accessibility_info,
        "description": event.description,
        "rsvp_mode": event.rsvp_mode,
        "visibility": event.visibility,
        "capacity": "" if event.capacity is None else str(event.capacity),
    }
    data.update(overrides)
    return data


def test_edit_is_for_organisers(client, robin, outsider, event):
    assert page_as(client, robin, f"/events/{event.pk}/edit/").status_code == 403
    assert page_as(client, outsider, f"/events/{event.pk}/edit/").status_code == 404


def test_edit_form_is_prefilled_in_uk_time(client, leader, event):
    page = text(page_as(client, leader, f"/events/{event.pk}/edit/"))
    assert f'value="{timezone.localtime(event.starts_at):%Y-%m-%dT%H:%M}"' in page
    assert 'value="Pizza night"' in page
    assert "Which dates should change?" not in page


def test_edit_one_event(client, leader, event):
    client.force_login(leader)
    response = client.post(f"/events/{event.pk}/edit/", _edit_data(event, title="Pizza and games"), follow=True)
    assert "Saved." in text(response)
    event.refresh_from_db()
    assert event.title == "Pizza and games" and event.venue_address == "12 Secret Street"


def test_edit_with_no_changes_saves_nothing(client, leader, event):
    client.force_login(leader)
    response = client.post(f"/events/{event.pk}/edit/", _edit_data(event), follow=True)
    assert "Nothing changed" in text(response)
    event.refresh_from_db()
    assert event.sequence == 0


def test_edit_a_series_this_and_following(client, leader, group):
    first, second, third = _series(leader, group)
    client.force_login(leader)
    page = text(client.get(f"/events/{second.pk}/edit/"))
    assert "Which dates should change?" in page
    new_start = timezone.localtime(second.starts_at).replace(hour=19)
    data = _edit_data(
        second,
        title="Weekly art (new time)",
        starts_at=f"{new_start:%Y-%m-%dT%H:%M}",
        ends_at=f"{new_start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        scope="following",
    )
    assert client.post(f"/events/{second.pk}/edit/", data).status_code == 302
    titles = [each.title for each in Event.objects.order_by("starts_at")]
    hours = [timezone.localtime(each.starts_at).hour for each in Event.objects.order_by("starts_at")]
    assert titles == ["Weekly art", "Weekly art (new time)", "Weekly art (new time)"]
    assert hours == [18, 19, 19]


def test_edit_a_series_just_this_date(client, leader, group):
    first, second, third = _series(leader, group)
    client.force_login(leader)
    client.post(f"/events/{second.pk}/edit/", _edit_data(second, title="Special", scope="this"))
    assert [each.title for each in Event.objects.order_by("starts_at")] == ["Weekly art", "Special", "Weekly art"]


def test_edit_refusal_is_shown_on_the_form(client, leader, event):
    client.force_login(leader)
    start = timezone.localtime(event.starts_at)
    response = client.post(
        f"/events/{event.pk}/edit/", _edit_data(event, ends_at=f"{start - timedelta(hours=1):%Y-%m-%dT%H:%M}")
    )
    assert response.status_code == 200 and "The end time needs to be after the start time." in text(response)


def test_cancelled_event_cannot_be_edited(client, leader, event):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    response = page_as(client, leader, f"/events/{event.pk}/edit/")
    assert response.status_code == 409 and "This event has been cancelled" in text(response)


def test_cancel_is_for_organisers(client, robin, event):
    assert page_as(client, robin, f"/events/{event.pk}/cancel/").status_code == 403
    client.force_login(robin)
    assert client.post(f"/events/{event.pk}/cancel/", {"reason": "No"}).status_code == 403
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED


def test_cancel_with_a_reason_tells_people(client, leader, robin, event):
    make_rsvp(event, robin)
    page = text(page_as(client, leader, f"/events/{event.pk}/cancel/"))
    assert "Cancel “Pizza night”?" in page and "Which dates are cancelled?" not in page
    response = client.post(f"/events/{event.pk}/cancel/", {"reason": "The venue flooded."}, follow=True)
    assert "The event is cancelled." in text(response)
    assert "The venue flooded." in text(response)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancel_reason == "The venue flooded."
    assert Notification.objects.filter(user=robin, kind="event_cancelled").exists()


def test_cancel_needs_a_reason(client, leader, event):
    client.force_login(leader)
    response = client.post(f"/events/{event.pk}/cancel/", {"reason": ""})
    assert response.status_code == 200 and "This field is required." in text(response)
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED


def test_cancel_this_and_following_dates_of_a_series(client, leader, group):
    first, second, third = _series(leader, group)
    client.force_login(leader)
    client.post(f"/events/{second.pk}/cancel/", {"reason": "Summer break", "scope": "following"})
    statuses = list(Event.objects.order_by("starts_at").values_list("status", flat=True))
    assert statuses == [EventStatus.SCHEDULED, EventStatus.CANCELLED, EventStatus.CANCELLED]


def test_cancel_one_date_of_a_series_leaves_the_rest(client, leader, group):
    first, second, third = _series(leader, group)
    client.force_login(leader)
    client.post(f"/events/{second.pk}/cancel/", {"reason": "Room booked", "scope": "this"})
    statuses = list(Event.objects.order_by("starts_at").values_list("status", flat=True))
    assert statuses == [EventStatus.SCHEDULED, EventStatus.CANCELLED, EventStatus.SCHEDULED]


def test_cancel_a_finished_event_is_refused_kindly(client, leader, group):
    past = make_event(group, starts_in=-timedelta(days=2))
    client.force_login(leader)
    response = client.post(f"/events/{past.pk}/cancel/", {"reason": "Oops"})
    assert response.status_code == 200 and "already happened" in text(response)


# --- links from elsewhere ------------------------------------------------------------------------------------------


def test_navigation_and_group_page_link_to_events(client, leader, robin, staff, group):
    page = text(page_as(client, robin, "/groups/art-club/"))
    assert 'href="/events/"' in page and "/events/?group=art-club" in page and "/groups/art-club/ideas/" in page
    assert "/groups/art-club/events/new/" not in page and 'href="/staff/people/"' not in page
    assert "/groups/art-club/events/new/" in text(page_as(client, leader, "/groups/art-club/"))
    assert 'href="/staff/people/"' in text(page_as(client, staff, "/events/"))

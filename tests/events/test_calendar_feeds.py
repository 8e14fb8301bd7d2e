"""iCalendar output, parsed back with the icalendar package: times across a clock change, statuses, what is hidden,
and the secret feed addresses (no login; reset stops the old one; 404 once the owner can no longer have it)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone

from community.models import MembershipStatus
from events.models import Event, EventStatus, EventVisibility, Rsvp, RsvpStatus
from events.services.calendar_tokens import calendar_token_issue, calendar_token_reset, calendar_token_revoke
from tests.events.test_ideas_urls import URLCONF

pytestmark = pytest.mark.urls(URLCONF)

LONDON = ZoneInfo("Europe/London")
NEXT_YEAR = timezone.now().year + 1


@pytest.fixture
def robin(member, group, add_member):
    add_member(group, member)
    return member


def make_event(group, *, starts_at=None, title="Meetup", hours=2, **fields):
    starts_at = starts_at or timezone.now() + timedelta(days=7)
    values = {
        "area": "Town centre",
        "venue_address": "12 Secret Street, AB1 2CD",
        "category": "social",
        **fields,
    }
    return Event.objects.create(
        group=group, title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **values
    )


def rsvp(event, user, status=RsvpStatus.GOING):
    return Rsvp.objects.create(event=event, user=user, status=status)


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def vevents(body: bytes) -> dict[str, icalendar.Event]:
    return {str(component["summary"]): component for component in parse(body).walk("VEVENT")}


def feed(client, token) -> bytes:
    response = client.get(f"/calendar/{token.token}.ics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


# --- one event as a download ---------------------------------------------------------------------


def test_event_download_keeps_uk_wall_clock_across_the_clock_change(client, robin, group):
    before = make_event(group, title="Before", starts_at=datetime(NEXT_YEAR, 10, 20, 18, 0, tzinfo=LONDON))
    after = make_event(group, title="After", starts_at=datetime(NEXT_YEAR, 11, 5, 18, 0, tzinfo=LONDON))
    client.force_login(robin)

    for event, utc_offset in ((before, timedelta(hours=1)), (after, timedelta(0))):
        response = client.get(f"/events/{event.pk}/calendar.ics")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'
        assert f"DTSTART;TZID=Europe/London:{NEXT_YEAR}{event.starts_at.astimezone(LONDON):%m%d}T180000" in (
            response.content.decode()
        )
        calendar = parse(response.content)
        (component,) = calendar.walk("VEVENT")
        assert component["dtstart"].params["TZID"] == "Europe/London"
        assert component["dtend"].params["TZID"] == "Europe/London"
        start = component.decoded("dtstart")
        assert (start.hour, start.minute) == (18, 0)
        assert start.utcoffset() == utc_offset
        assert start == event.starts_at
        assert component.decoded("dtend") == event.ends_at

        # The calendar carries its own definition of Europe/London, and it agrees.
        (zone,) = calendar.walk("VTIMEZONE")
        assert zone["tzid"] == "Europe/London"
        local = datetime(start.year, start.month, start.day, 18, 0)
        assert local.replace(tzinfo=zone.to_tz()).utcoffset() == utc_offset


def test_event_download_has_stable_uid_sequence_and_url(client, robin, group, settings):
    settings.HN_SITE_URL = "https://hereandnow.example"
    event = make_event(group, sequence=3)
    client.force_login(robin)
    (component,) = parse(client.get(f"/events/{event.pk}/calendar.ics").content).walk("VEVENT")
    assert str(component["uid"]) == f"event-{event.pk}@here-and-now"
    assert component["sequence"] == 3
    assert str(component["url"]) == f"https://hereandnow.example/events/{event.pk}/"
    assert component["status"] == "CONFIRMED"
    calendar = parse(client.get(f"/events/{event.pk}/calendar.ics").content)
    assert str(calendar.walk("VEVENT")[0]["uid"]) == f"event-{event.pk}@here-and-now"  # same again


def test_event_download_hides_the_address_unless_going(client, robin, group):
    event = make_event(group, joining_link="https://meet.example/abc")
    client.force_login(robin)
    (component,) = parse(client.get(f"/events/{event.pk}/calendar.ics").content).walk("VEVENT")
    assert str(component["location"]) == "Town centre"
    assert "Secret Street" not in client.get(f"/events/{event.pk}/calendar.ics").content.decode()
    assert "meet.example" not in str(component["description"])

    rsvp(event, robin)
    (component,) = parse(client.get(f"/events/{event.pk}/calendar.ics").content).walk("VEVENT")
    assert str(component["location"]) == "12 Secret Street, AB1 2CD"
    assert "https://meet.example/abc" in str(component["description"])


def test_event_download_marks_waitlisted_tentative_and_cancelled_cancelled(client, robin, group):
    waiting = make_event(group, title="Waiting")
    rsvp(waiting, robin, RsvpStatus.WAITLISTED)
    cancelled = make_event(group, title="Off", status=EventStatus.CANCELLED, cancel_reason="Venue flooded")
    client.force_login(robin)
    (component,) = parse(client.get(f"/events/{waiting.pk}/calendar.ics").content).walk("VEVENT")
    assert component["status"] == "TENTATIVE"
    (component,) = parse(client.get(f"/events/{cancelled.pk}/calendar.ics").content).walk("VEVENT")
    assert component["status"] == "CANCELLED"
    assert str(component["summary"]) == "Cancelled: Off"
    assert "Venue flooded" in str(component["description"])


def test_event_download_needs_login_and_a_visible_event(client, group, make_user, robin, make_group):
    event = make_event(group)
    response = client.get(f"/events/{event.pk}/calendar.ics")
    assert response.status_code == 302 and "/login/" in response["Location"]

    client.force_login(make_user(display_name="Outsider"))
    assert client.get(f"/events/{event.pk}/calendar.ics").status_code == 404
    open_to_all = make_event(make_group(), visibility=EventVisibility.ALL_MEMBERS)
    assert client.get(f"/events/{open_to_all.pk}/calendar.ics").status_code == 200
    assert client.get("/events/999999/calendar.ics").status_code == 404


def test_evaluator_cannot_download_an_event(client, group, evaluator):
    event = make_event(group, visibility=EventVisibility.ALL_MEMBERS)
    client.force_login(evaluator)
    assert client.get(f"/events/{event.pk}/calendar.ics").status_code == 404


# --- personal feed -------------------------------------------------------------------------------


def test_personal_feed_lists_my_events_with_statuses(client, robin, group):
    going = make_event(group, title="Going")
    waitlisted = make_event(group, title="Waitlisted")
    pending = make_event(group, title="Pending")
    cancelled = make_event(group, title="Cancelled meetup", status=EventStatus.CANCELLED)
    not_going = make_event(group, title="Said no")
    declined = make_event(group, title="Declined")
    make_event(group, title="Never answered")
    rsvp(going, robin)
    rsvp(waitlisted, robin, RsvpStatus.WAITLISTED)
    rsvp(pending, robin, RsvpStatus.PENDING)
    rsvp(cancelled, robin, RsvpStatus.CANCELLED)  # cancelling the event also cancelled the RSVP: still shown
    rsvp(not_going, robin, RsvpStatus.CANCELLED)
    rsvp(declined, robin, RsvpStatus.DECLINED)
    token = calendar_token_issue(actor=robin)

    body = feed(client, token)  # no login needed
    events = vevents(body)
    assert set(events) == {"Going", "Waitlisted", "Pending", "Cancelled: Cancelled meetup"}
    assert events["Going"]["status"] == "CONFIRMED"
    assert events["Waitlisted"]["status"] == "TENTATIVE"
    assert events["Pending"]["status"] == "TENTATIVE"
    assert events["Cancelled: Cancelled meetup"]["status"] == "CANCELLED"
    assert str(events["Going"]["location"]) == "12 Secret Street, AB1 2CD"
    assert str(events["Waitlisted"]["location"]) == "Town centre"
    assert "Secret Street" not in str(events["Waitlisted"].to_ical())
    calendar = parse(body)
    assert str(calendar["x-wr-calname"]) == "Here and Now: my events"
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_cancelled_event_stays_in_the_feed_as_cancelled(client, robin, group):
    event = make_event(group, title="Picnic")
    rsvp(event, robin)
    token = calendar_token_issue(actor=robin)
    assert vevents(feed(client, token))["Picnic"]["status"] == "CONFIRMED"
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.save()
    component = vevents(feed(client, token))["Cancelled: Picnic"]
    assert component["status"] == "CANCELLED"
    assert component["sequence"] == 1
    assert str(component["uid"]) == f"event-{event.pk}@here-and-now"


def test_personal_feed_keeps_times_across_the_clock_change(client, robin, group):
    for day, month in ((20, 10), (5, 11)):
        event = make_event(group, title=f"Meet {day}", starts_at=datetime(NEXT_YEAR, month, day, 18, 0, tzinfo=LONDON))
        rsvp(event, robin)
    events = vevents(feed(client, calendar_token_issue(actor=robin)))
    october, november = events["Meet 20"].decoded("dtstart"), events["Meet 5"].decoded("dtstart")
    assert (october.hour, november.hour) == (18, 18)
    assert (october.utcoffset(), november.utcoffset()) == (timedelta(hours=1), timedelta(0))
    assert events["Meet 5"]["dtstart"].params["TZID"] == "Europe/London"


def test_personal_feed_drops_events_i_can_no_longer_see(client, robin, group):
    event = make_event(group, title="Group only")
    rsvp(event, robin)
    token = calendar_token_issue(actor=robin)
    assert "Group only" in vevents(feed(client, token))
    group.memberships.filter(user=robin).update(status=MembershipStatus.LEFT)
    assert "Group only" not in vevents(feed(client, token))


def test_personal_feed_leaves_out_long_past_events(client, robin, group):
    old = make_event(group, title="Long ago", starts_at=timezone.now() - timedelta(days=200))
    recent = make_event(group, title="Last week", starts_at=timezone.now() - timedelta(days=7))
    rsvp(old, robin)
    rsvp(recent, robin)
    assert set(vevents(feed(client, calendar_token_issue(actor=robin)))) == {"Last week"}


def test_personal_feed_query_count_is_constant(client, robin, group, make_user, django_assert_max_num_queries):
    token = calendar_token_issue(actor=robin)

    def add(n):
        for i in range(n):
            event = make_event(group, title=f"E{Event.objects.count()}")
            rsvp(event, robin, RsvpStatus.GOING if i % 2 else RsvpStatus.WAITLISTED)
            rsvp(event, make_user())

    add(2)
    with django_assert_max_num_queries(3) as small:
        assert len(vevents(feed(client, token))) == 2
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(vevents(feed(client, token))) == 12


# --- group feed ----------------------------------------------------------------------------------


def test_group_feed_has_scheduled_and_cancelled_events(client, robin, group, make_group):
    make_event(group, title="On")
    make_event(group, title="Off", status=EventStatus.CANCELLED)
    going = make_event(group, title="Going")
    rsvp(going, robin)
    make_event(make_group(), title="Other group", visibility=EventVisibility.ALL_MEMBERS)
    token = calendar_token_issue(actor=robin, group=group)
    body = feed(client, token)
    events = vevents(body)
    assert set(events) == {"On", "Cancelled: Off", "Going"}
    assert events["On"]["status"] == "CONFIRMED"
    assert events["Cancelled: Off"]["status"] == "CANCELLED"
    assert str(events["On"]["location"]) == "Town centre"
    assert str(events["Going"]["location"]) == "12 Secret Street, AB1 2CD"
    assert str(parse(body)["x-wr-calname"]) == "Here and Now: Art Club"


def test_group_feed_query_count_is_constant(client, robin, group, make_user, django_assert_max_num_queries):
    token = calendar_token_issue(actor=robin, group=group)

    def add(n):
        for _ in range(n):
            event = make_event(group, title=f"E{Event.objects.count()}")
            rsvp(event, make_user())

    add(2)
    with django_assert_max_num_queries(4) as small:
        assert len(vevents(feed(client, token))) == 2
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(vevents(feed(client, token))) == 12


def test_group_feed_stops_when_the_owner_leaves_the_group(client, robin, group):
    token = calendar_token_issue(actor=robin, group=group)
    feed(client, token)
    group.memberships.filter(user=robin).update(status=MembershipStatus.REMOVED)
    assert client.get(f"/calendar/{token.token}.ics").status_code == 404


def test_feeds_stop_when_the_owner_is_deactivated(client, robin, group):
    personal = calendar_token_issue(actor=robin)
    group_token = calendar_token_issue(actor=robin, group=group)
    robin.is_active = False
    robin.save()
    assert client.get(f"/calendar/{personal.token}.ics").status_code == 404
    assert client.get(f"/calendar/{group_token.token}.ics").status_code == 404


# --- the secret link -----------------------------------------------------------------------------


def test_reset_stops_the_old_link(client, robin, group):
    old = calendar_token_issue(actor=robin)
    old_value = old.token
    feed(client, old)
    new = calendar_token_reset(actor=robin)
    assert new.token != old_value and len(new.token) >= 32
    assert client.get(f"/calendar/{old_value}.ics").status_code == 404
    feed(client, new)


def test_switched_off_link_stops(client, robin):
    token = calendar_token_issue(actor=robin)
    calendar_token_revoke(actor=robin)
    assert client.get(f"/calendar/{token.token}.ics").status_code == 404


def test_unknown_token_is_not_found(client, db):
    assert client.get("/calendar/not-a-real-token-at-all-not-a-real-token.ics").status_code == 404


def test_feed_response_is_private(client, robin):
    response = client.get(f"/calendar/{calendar_token_issue(actor=robin).token}.ics")
    assert response["Cache-Control"] == "private, no-cache"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_feed_fetches_are_rate_limited(client, robin):
    token = calendar_token_issue(actor=robin)
    for _ in range(120):
        assert client.get(f"/calendar/{token.token}.ics").status_code == 200
    response = client.get(f"/calendar/{token.token}.ics")
    assert response.status_code == 429


def test_feed_answers_head_but_not_post(client, robin):
    token = calendar_token_issue(actor=robin)
    assert client.head(f"/calendar/{token.token}.ics").status_code == 200
    assert client.post(f"/calendar/{token.token}.ics").status_code == 405

"""The events journey on a phone: a leader plans an event with one place, two members say they're going (the second
waits), the first can't go any more, the second gets the place, the leader marks them here, and they share how it
went. Every page on the way is scanned with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import MembershipRole
from events.checkin_codes import current_code
from events.models import Attendance, CheckInMethod, Event, Pulse, Rsvp, RsvpStatus
from events.services.events import event_create
from events.services.rsvps import rsvp_going

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(make_user, make_group, add_member):
    group = make_group(name="Art Club", slug="art-club")
    leader = make_user(display_name="Jo")
    robin = make_user(display_name="Robin")
    sky = make_user(display_name="Sky")
    add_member(group, leader, role=MembershipRole.LEADER)
    add_member(group, robin)
    add_member(group, sky)
    return {"leader": leader, "robin": robin, "sky": sky}


def test_plan_rsvp_waitlist_promotion_and_check_in(page, log_in, axe_check, people):
    def switch_to(user) -> None:
        page.context.clear_cookies()
        log_in(user.email)

    def main_text() -> str:
        return page.get_by_role("main").inner_text()

    # The leader plans an event with one place, starting soon so check-in is open.
    switch_to(people["leader"])
    page.goto("/groups/art-club/")
    page.get_by_role("link", name="Plan an event").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Plan an event for Art Club"
    axe_check(page)
    starts = timezone.localtime(timezone.now() + timedelta(minutes=40))
    page.get_by_label("Event name").fill("Pizza and board games")
    page.get_by_label("What kind of event is it?").select_option("social")
    page.get_by_label("Starts", exact=True).fill(f"{starts:%Y-%m-%dT%H:%M}")
    page.get_by_label("Ends", exact=True).fill(f"{starts + timedelta(hours=2):%Y-%m-%dT%H:%M}")
    page.get_by_label("Roughly where (optional)").fill("Town centre")
    page.get_by_label("Exact address (optional)").fill("12 High Street")
    page.get_by_label("How many places? (optional)").fill("1")
    page.get_by_role("button", name="Create the event").click()
    assert "Your event is on." in main_text()
    event = Event.objects.get()
    assert event.capacity == 1 and event.created_by == people["leader"]
    axe_check(page)

    # Robin finds it in the list and takes the only place.
    switch_to(people["robin"])
    page.goto("/events/")
    axe_check(page)
    page.get_by_role("link", name="Pizza and board games").click()
    axe_check(page)
    assert "12 High Street" not in main_text()
    page.get_by_role("button", name="I'm going").click()
    assert "You're going! It's in your events now." in main_text()
    assert "12 High Street" in main_text()

    # Sky is second, so joins the waiting list.
    switch_to(people["sky"])
    page.goto(f"/events/{event.pk}/")
    assert "Full: you can join the waiting list" in main_text()
    page.get_by_role("button", name="Join the waiting list").click()
    assert "you're on the waiting list" in main_text()
    assert "You're on the waiting list, number 1." in main_text()
    assert Rsvp.objects.get(event=event, user=people["sky"]).status == RsvpStatus.WAITLISTED

    # Robin can't go any more; the place goes to Sky at once.
    switch_to(people["robin"])
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("button", name="I can't go any more").click()
    assert "Your place can go to someone else now." in main_text()

    switch_to(people["sky"])
    page.goto(f"/events/{event.pk}/")
    assert "You're going." in main_text()
    assert "12 High Street" in main_text()
    assert Rsvp.objects.get(event=event, user=people["sky"]).status == RsvpStatus.GOING

    # The leader sees who's coming, then marks Sky here on the check-in screen.
    switch_to(people["leader"])
    page.goto(f"/events/{event.pk}/organise/")
    assert "Going (1)" in main_text()
    axe_check(page)
    page.get_by_role("link", name="Open the check-in screen").click()
    assert "changes every 2 minutes" in main_text()
    axe_check(page)
    page.get_by_label("Find someone").fill("sk")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=re.compile(r"Mark here\W*Sky")).click()
    assert "Sky is marked here." in main_text()
    attendance = Attendance.objects.get(event=event, user=people["sky"])
    assert attendance.method == CheckInMethod.ORGANISER

    # Sky says how it went, or could skip.
    switch_to(people["sky"])
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Tell us how it went (optional, 1 minute)").click()
    assert page.get_by_role("link", name="Skip", exact=True).is_visible()
    axe_check(page)
    page.get_by_label("4 – Good").check()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send").click()
    assert "Thank you for sharing." in main_text()
    pulse = Pulse.objects.get(event=event, user=people["sky"])
    assert (pulse.feeling, pulse.connected) == (4, "yes")


def test_self_check_in_by_scanning_and_my_events(page, log_in, axe_check, people):
    group = people["leader"].memberships.get().group
    starts = timezone.now() + timedelta(minutes=20)
    event = event_create(
        actor=people["leader"],
        group=group,
        title="Weekly art",
        category="social",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        repeat="weekly",
        repeat_count=3,
    )
    rsvp_going(actor=people["robin"], event=event)

    log_in(people["robin"].email)
    page.goto(f"/events/{event.pk}/check-in/?code={current_code(event.pk)}")
    axe_check(page)
    page.get_by_role("button", name="Check in").click()
    assert "You're checked in." in page.get_by_role("main").inner_text()
    assert Attendance.objects.get(event=event, user=people["robin"]).method == CheckInMethod.SELF
    page.goto("/me/events/")
    assert "Weekly art" in page.get_by_role("main").inner_text()
    axe_check(page)

    page.context.clear_cookies()
    log_in(people["leader"].email)
    page.goto(f"/events/{event.pk}/edit/")
    assert page.get_by_label("This date and all the dates after it").is_visible()
    axe_check(page)
    page.goto(f"/events/{event.pk}/cancel/")
    axe_check(page)

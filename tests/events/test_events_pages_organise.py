"""Organiser pages (dashboard, actions, messages, CSV), the check-in screen for organisers and members, the pulse."""

from __future__ import annotations

import csv
import html
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Notification
from events.checkin_codes import current_code
from events.models import Attendance, CheckInMethod, Event, EventStatus, Pulse, Rsvp, RsvpStatus
from tests.events.domain_factories import make_event, make_rsvp

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
    """Starts in half an hour, so check-in is open."""
    return make_event(group, title="Pizza night", created_by=leader, capacity=2, starts_in=timedelta(minutes=30))


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_as(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def post_as(client, user, url: str, data=None, follow: bool = True):
    client.force_login(user)
    return client.post(url, data or {}, follow=follow)


def status_of(event, user) -> str:
    return Rsvp.objects.get(event=event, user=user).status


# --- the dashboard -------------------------------------------------------------------------------------------------


def test_dashboard_is_for_organisers(client, robin, outsider, event, moderator):
    assert page_as(client, robin, f"/events/{event.pk}/organise/").status_code == 403
    assert "Only the organisers of this event can do that." in text(client.get(f"/events/{event.pk}/organise/"))
    assert page_as(client, moderator, f"/events/{event.pk}/organise/").status_code == 403
    assert page_as(client, outsider, f"/events/{event.pk}/organise/").status_code == 404


def test_dashboard_for_another_groups_leader_is_refused(client, make_user, make_group, add_member, event):
    other_leader = make_user()
    add_member(make_group(), other_leader, role="leader")
    add_member(event.group, other_leader)
    assert page_as(client, other_leader, f"/events/{event.pk}/organise/").status_code == 403


def test_dashboard_shows_going_waiting_in_order_and_requests(client, leader, robin, sky, make_user, add_member, event):
    first, second, asker = (
        make_user(display_name="Wai First"),
        make_user(display_name="Wai Second"),
        make_user(display_name="Asker"),
    )
    for person in (first, second, asker):
        add_member(event.group, person)
    make_rsvp(event, robin)
    make_rsvp(event, sky)
    make_rsvp(event, second, RsvpStatus.WAITLISTED, queued_at=timezone.now() - timedelta(minutes=1))
    make_rsvp(event, first, RsvpStatus.WAITLISTED, queued_at=timezone.now() - timedelta(minutes=9))
    make_rsvp(event, asker, RsvpStatus.PENDING)
    Attendance.objects.create(event=event, user=robin, method=CheckInMethod.ORGANISER)

    page = text(page_as(client, leader, f"/events/{event.pk}/organise/"))
    assert page.count("<h1>") == 1
    assert "Going (2)" in page and "Waiting list (2)" in page and "Asking to come (1)" in page
    assert page.index("Wai First") < page.index("Wai Second")
    assert 'Say yes<span class="visually-hidden"> to Asker' in page
    assert f"/events/{event.pk}/attendees.csv" in page and f"/events/{event.pk}/check-in/" in page
    assert "checked in" in page


def test_dashboard_query_count_does_not_grow(client, leader, make_user, add_member, group):
    event = make_event(group, capacity=100, created_by=leader, starts_in=timedelta(minutes=30))

    def add_people(count: int):
        for n in range(count):
            person = make_user()
            add_member(group, person)
            make_rsvp(event, person, [RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.PENDING][n % 3])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/events/{event.pk}/organise/").status_code == 200
        return len(captured.captured_queries)

    add_people(3)
    client.force_login(leader)
    client.get("/me/password/")  # the policy gate remembers the leader's yes after their first request
    small = queries()
    add_people(27)
    assert queries() == small


def test_approve_and_decline_requests(client, leader, robin, sky, event):
    make_rsvp(event, robin, RsvpStatus.PENDING)
    make_rsvp(event, sky, RsvpStatus.PENDING)
    response = post_as(client, leader, f"/events/{event.pk}/organise/{robin.pk}/approve/")
    assert response.redirect_chain[-1][0] == f"/events/{event.pk}/organise/"
    assert "Robin can come." in text(response)
    assert status_of(event, robin) == RsvpStatus.GOING
    response = post_as(client, leader, f"/events/{event.pk}/organise/{sky.pk}/decline/")
    assert "You've said not this time to Sky." in text(response)
    assert status_of(event, sky) == RsvpStatus.DECLINED
    assert Notification.objects.filter(user=sky, kind="rsvp_decided").exists()


def test_remove_gives_the_place_to_the_next_person(client, leader, robin, sky, make_user, add_member, event):
    make_rsvp(event, robin)
    make_rsvp(event, leader)
    make_rsvp(event, sky, RsvpStatus.WAITLISTED)
    response = post_as(client, leader, f"/events/{event.pk}/organise/{robin.pk}/remove/")
    assert "Robin is off the list now." in text(response)
    assert status_of(event, robin) == RsvpStatus.CANCELLED and status_of(event, sky) == RsvpStatus.GOING


def test_action_refusals_are_shown_kindly(client, leader, robin, event):
    make_rsvp(event, robin)
    response = post_as(client, leader, f"/events/{event.pk}/organise/{robin.pk}/approve/")
    assert "That request has already been answered." in text(response)
    response = post_as(client, leader, f"/events/{event.pk}/organise/999999/remove/")
    assert "That person hasn't asked to come to this event." in text(response)


def test_actions_are_for_organisers_and_known_actions_only(client, robin, sky, leader, event):
    make_rsvp(event, sky, RsvpStatus.PENDING)
    assert post_as(client, robin, f"/events/{event.pk}/organise/{sky.pk}/approve/").status_code == 403
    assert status_of(event, sky) == RsvpStatus.PENDING
    assert post_as(client, leader, f"/events/{event.pk}/organise/{sky.pk}/promote/").status_code == 404
    client.force_login(leader)
    assert client.get(f"/events/{event.pk}/organise/{sky.pk}/approve/").status_code == 405


def test_message_everyone_going(client, leader, robin, sky, event):
    make_rsvp(event, robin)
    make_rsvp(event, sky, RsvpStatus.WAITLISTED)
    response = post_as(client, leader, f"/events/{event.pk}/announce/", {"message": "We're in room 2 tonight."})
    assert "Sent to 1 person going." in text(response)
    note = Notification.objects.get(user=robin, kind="event_announcement")
    assert note.body == "We're in room 2 tonight."
    assert not Notification.objects.filter(user=sky, kind="event_announcement").exists()


def test_message_needs_words_and_an_organiser(client, leader, robin, event):
    client.force_login(leader)
    response = client.post(f"/events/{event.pk}/announce/", {"message": ""})
    assert response.status_code == 200 and "This field is required." in text(response)
    assert post_as(client, robin, f"/events/{event.pk}/announce/", {"message": "Hi"}).status_code == 403
    assert not Notification.objects.filter(kind="event_announcement").exists()


def test_message_with_nobody_going(client, leader, event):
    response = post_as(client, leader, f"/events/{event.pk}/announce/", {"message": "Anyone?"})
    assert "Nobody else is going yet" in text(response)


# --- CSV -----------------------------------------------------------------------------------------------------------


def test_csv_lists_everyone_and_is_safe_in_a_spreadsheet(client, leader, make_user, add_member, robin, event):
    sneaky = make_user(display_name="=HYPERLINK(1)")
    add_member(event.group, sneaky)
    make_rsvp(event, robin)
    make_rsvp(event, sneaky, RsvpStatus.WAITLISTED)
    Attendance.objects.create(event=event, user=robin, method=CheckInMethod.SELF)
    response = page_as(client, leader, f"/events/{event.pk}/attendees.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Display name", "Status", "RSVP time", "Checked in"]
    assert rows[1][0] == "Robin" and rows[1][1] == "Going" and rows[1][3] == "Yes"
    assert rows[2][0] == "'=HYPERLINK(1)" and rows[2][1] == "On the waiting list" and rows[2][3] == "No"
    assert len(rows) == 3


def test_csv_is_for_organisers(client, robin, outsider, event):
    assert page_as(client, robin, f"/events/{event.pk}/attendees.csv").status_code == 403
    assert page_as(client, outsider, f"/events/{event.pk}/attendees.csv").status_code == 404


# --- the check-in screen for organisers ----------------------------------------------------------------------------


def test_check_in_screen_shows_the_code_qr_and_people(client, leader, robin, sky, event):
    make_rsvp(event, robin)
    make_rsvp(event, sky)
    page = text(page_as(client, leader, f"/events/{event.pk}/check-in/"))
    assert page.count("<h1>") == 1
    assert current_code(event.pk) in page and "<svg" in page
    assert "changes every 2 minutes" in page
    assert 'Mark here<span class="visually-hidden">: Robin' in page and "Sky" in page
    assert "0 of 2 here." in page


def test_check_in_screen_search(client, leader, robin, sky, event):
    make_rsvp(event, robin)
    make_rsvp(event, sky)
    page = text(page_as(client, leader, f"/events/{event.pk}/check-in/?q=rob"))
    assert ": Robin" in page and ": Sky" not in page
    assert "Nobody going matches “zz”." in text(client.get(f"/events/{event.pk}/check-in/?q=zz"))


def test_mark_here_and_undo(client, leader, robin, event):
    make_rsvp(event, robin)
    response = post_as(client, leader, f"/events/{event.pk}/check-in/{robin.pk}/mark/", {"q": "rob"})
    assert response.redirect_chain[-1][0] == f"/events/{event.pk}/check-in/?q=rob"
    assert "Robin is marked here." in text(response)
    assert Attendance.objects.get(event=event, user=robin).method == CheckInMethod.ORGANISER
    assert 'Undo<span class="visually-hidden"> check-in for Robin' in text(response)

    response = post_as(client, leader, f"/events/{event.pk}/check-in/{robin.pk}/undo/")
    assert "Robin's check-in is undone." in text(response)
    assert not Attendance.objects.exists()


def test_mark_someone_not_going_is_refused_kindly(client, leader, robin, event):
    make_rsvp(event, robin, RsvpStatus.WAITLISTED)
    response = post_as(client, leader, f"/events/{event.pk}/check-in/{robin.pk}/mark/")
    assert "Only people going to this event can be checked in." in text(response)
    assert not Attendance.objects.exists()


def test_check_in_screen_before_it_opens(client, leader, robin, group):
    later = make_event(group, created_by=leader, starts_in=timedelta(days=2))
    make_rsvp(later, robin)
    page = text(page_as(client, leader, f"/events/{later.pk}/check-in/"))
    assert "Check-in opens at" in page and "Mark here" not in page
    response = post_as(client, leader, f"/events/{later.pk}/check-in/{robin.pk}/mark/")
    assert "Check-in hasn't opened yet." in text(response)
    assert not Attendance.objects.exists()


def test_check_in_person_actions_are_for_organisers(client, robin, sky, event):
    make_rsvp(event, sky)
    assert post_as(client, robin, f"/events/{event.pk}/check-in/{sky.pk}/mark/").status_code == 403
    assert post_as(client, robin, f"/events/{event.pk}/check-in/{sky.pk}/jump/").status_code == 404
    assert not Attendance.objects.exists()


# --- self check-in for members -------------------------------------------------------------------------------------


def test_scanned_code_is_kept_through_log_in(client, event):
    response = client.get(f"/events/{event.pk}/check-in/?code=ABC234")
    assert response.status_code == 302 and "code%3DABC234" in response["Location"]


def test_member_sees_the_form_with_the_scanned_code(client, robin, event):
    make_rsvp(event, robin)
    page = text(page_as(client, robin, f"/events/{event.pk}/check-in/?code=ABC234"))
    assert 'value="ABC234"' in page and "Check-in code" in page
    assert "<svg" not in page and "Mark here" not in page


def test_member_checks_in_with_the_code_and_is_offered_the_pulse(client, robin, event):
    make_rsvp(event, robin)
    response = post_as(client, robin, f"/events/{event.pk}/check-in/", {"code": current_code(event.pk).lower()})
    assert response.redirect_chain[-1][0] == f"/events/{event.pk}/pulse/"
    assert "You're checked in." in text(response) and "How are you feeling?" in text(response)
    assert Attendance.objects.get(event=event, user=robin).method == CheckInMethod.SELF


def test_wrong_code_is_shown_on_the_form(client, robin, event):
    make_rsvp(event, robin)
    client.force_login(robin)
    response = client.post(f"/events/{event.pk}/check-in/", {"code": "AAAAAA"})
    assert response.status_code == 200
    assert "That code doesn't match." in text(response) and 'aria-invalid="true"' in text(response)
    assert not Attendance.objects.exists()


def test_too_many_wrong_codes_are_slowed_down(client, robin, event):
    make_rsvp(event, robin)
    client.force_login(robin)
    for _ in range(5):
        client.post(f"/events/{event.pk}/check-in/", {"code": "AAAAAA"})
    response = client.post(f"/events/{event.pk}/check-in/", {"code": current_code(event.pk)})
    assert "That's a lot of tries." in text(response)
    assert not Attendance.objects.exists()


def test_member_not_going_is_told_to_ask_an_organiser(client, robin, event):
    page = text(page_as(client, robin, f"/events/{event.pk}/check-in/"))
    assert "Only people going to this event can check in." in page and "Check-in code" not in page
    response = client.post(f"/events/{event.pk}/check-in/", {"code": current_code(event.pk)})
    assert "Only people going to this event can be checked in." in text(response)
    assert not Attendance.objects.exists()


def test_member_check_in_outside_the_window(client, robin, group):
    later = make_event(group, starts_in=timedelta(days=2))
    make_rsvp(later, robin)
    page = text(page_as(client, robin, f"/events/{later.pk}/check-in/"))
    assert "Check-in isn't open right now." in page
    response = client.post(f"/events/{later.pk}/check-in/", {"code": current_code(later.pk)})
    assert "Check-in hasn't opened yet." in text(response)


def test_member_check_in_at_a_cancelled_event(client, robin, event):
    make_rsvp(event, robin)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    assert "This event is cancelled" in text(page_as(client, robin, f"/events/{event.pk}/check-in/"))
    response = client.post(f"/events/{event.pk}/check-in/", {"code": current_code(event.pk)})
    assert "This event has been cancelled." in text(response)


def test_check_in_of_an_invisible_event_is_not_found(client, outsider, event):
    assert page_as(client, outsider, f"/events/{event.pk}/check-in/").status_code == 404


# --- the pulse -----------------------------------------------------------------------------------------------------


@pytest.fixture
def checked_in(event, robin):
    make_rsvp(event, robin)
    Attendance.objects.create(event=event, user=robin, method=CheckInMethod.SELF)
    return robin


def test_pulse_needs_a_check_in(client, robin, event):
    make_rsvp(event, robin)
    response = page_as(client, robin, f"/events/{event.pk}/pulse/")
    assert response.status_code == 409
    assert "You can share how it went once you've been checked in." in text(response)


def test_pulse_form_is_optional_with_a_skip_link(client, checked_in, event):
    page = text(page_as(client, checked_in, f"/events/{event.pk}/pulse/"))
    assert page.count("<h1>") == 1
    assert "How are you feeling?" in page and "5 – Great" in page and "1 – Really low" in page
    assert "Did you connect with someone new?" in page and "Not sure" in page
    assert f'href="/events/{event.pk}/">Skip</a>' in page
    assert 'type="radio"' in page


def test_pulse_is_saved_and_can_be_changed(client, checked_in, event):
    response = post_as(
        client, checked_in, f"/events/{event.pk}/pulse/", {"feeling": "4", "connected": "yes", "note": "Loved it"}
    )
    assert response.redirect_chain[-1][0] == f"/events/{event.pk}/"
    assert "Thank you for sharing." in text(response)
    pulse = Pulse.objects.get(event=event, user=checked_in)
    assert (pulse.feeling, pulse.connected, pulse.note_to_organisers) == (4, "yes", "Loved it")

    page = text(client.get(f"/events/{event.pk}/pulse/"))
    assert "You've answered before." in page
    post_as(client, checked_in, f"/events/{event.pk}/pulse/", {"feeling": "", "connected": "not_sure"})
    pulse.refresh_from_db()
    assert (pulse.feeling, pulse.connected, pulse.note_to_organisers) == (None, "not_sure", "")


def test_pulse_with_nothing_answered_is_fine(client, checked_in, event):
    response = post_as(client, checked_in, f"/events/{event.pk}/pulse/", {})
    assert response.status_code == 200
    assert Pulse.objects.get(event=event, user=checked_in).feeling is None


def test_pulse_refuses_a_made_up_answer(client, checked_in, event):
    client.force_login(checked_in)
    response = client.post(f"/events/{event.pk}/pulse/", {"feeling": "9"})
    assert response.status_code == 200 and 'aria-invalid="true"' in text(response)
    assert not Pulse.objects.exists()

"""The post-event pulse, organisers' announcements, and the day-before reminders (sent once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.errors import Conflict, DomainError, Forbidden, NotFound, RateLimited
from community.models import AuditEntry, MembershipRole, Notification
from events.models import Attendance, CheckInMethod, Pulse, Rsvp, RsvpStatus
from events.services.announcements import event_announce
from events.services.pulse import pulse_delete, pulse_submit
from events.services.reminders import send_due_reminders
from events.tasks import send_event_reminders
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(group, make_user, add_member):
    made = [make_user(display_name=f"Person {n}") for n in range(4)]
    for person in made:
        add_member(group, person)
    return made


def kinds_for(user):
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


# --- pulse -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def attended(group, people):
    event = make_event(group, starts_in=-timedelta(hours=3))
    make_rsvp(event, people[0])
    Attendance.objects.create(event=event, user=people[0], method=CheckInMethod.SELF)
    return event


def test_pulse_is_stored(attended, people):
    pulse = pulse_submit(actor=people[0], event=attended, feeling=4, connected="yes", note="  Loved it.  ")
    stored = Pulse.objects.get(pk=pulse.pk)
    assert (stored.feeling, stored.connected, stored.note_to_organisers) == (4, "yes", "Loved it.")


def test_every_answer_is_optional(attended, people):
    pulse = pulse_submit(actor=people[0], event=attended)
    assert (pulse.feeling, pulse.connected, pulse.note_to_organisers) == (None, "", "")


def test_a_member_deletes_their_answers_and_only_theirs(attended, people):
    Attendance.objects.create(event=attended, user=people[1], method=CheckInMethod.SELF)
    pulse_submit(actor=people[0], event=attended, feeling=2, note="Quiet night")
    pulse_submit(actor=people[1], event=attended, feeling=5)

    assert pulse_delete(actor=people[0], event=attended) is True
    assert pulse_delete(actor=people[0], event=attended) is False  # nothing left: fine
    assert list(Pulse.objects.values_list("user", flat=True)) == [people[1].pk]


def test_the_pulse_page_deletes_answers(client, attended, people):
    pulse_submit(actor=people[0], event=attended, feeling=3)
    client.force_login(people[0])
    page = client.get(f"/events/{attended.pk}/pulse/").content.decode()
    assert "Delete my answers" in page
    response = client.post(f"/events/{attended.pk}/pulse/delete/")
    assert response.status_code == 302
    assert not Pulse.objects.filter(user=people[0]).exists()


def test_a_second_pulse_updates_the_first(attended, people):
    pulse_submit(actor=people[0], event=attended, feeling=2)
    pulse = pulse_submit(actor=people[0], event=attended, feeling=5, connected="not_sure")
    assert Pulse.objects.count() == 1
    assert (pulse.feeling, pulse.connected) == (5, "not_sure")


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"feeling": 0}, "invalid_feeling"),
        ({"feeling": 6}, "invalid_feeling"),
        ({"feeling": True}, "invalid_feeling"),
        ({"connected": "maybe"}, "invalid_connected"),
        ({"note": "x" * 1001}, "too_long"),
    ],
)
def test_pulse_refuses_bad_answers(attended, people, answers, code):
    with pytest.raises(DomainError) as error:
        pulse_submit(actor=people[0], event=attended, **answers)
    assert error.value.code == code
    assert not Pulse.objects.exists()


def test_pulse_needs_a_check_in(attended, people):
    make_rsvp(attended, people[1])
    with pytest.raises(Conflict) as error:
        pulse_submit(actor=people[1], event=attended, feeling=3)
    assert error.value.code == "not_checked_in"


def test_pulse_for_an_invisible_event(attended, make_user):
    with pytest.raises(NotFound) as error:
        pulse_submit(actor=make_user(), event=attended, feeling=3)
    assert error.value.code == "event_not_found"


# --- announcements ---------------------------------------------------------------------------------------------------


def test_announcement_reaches_everyone_going_except_the_sender(group, leader, people):
    event = make_event(group)
    make_rsvp(event, people[0])
    make_rsvp(event, people[1])
    make_rsvp(event, people[2], RsvpStatus.WAITLISTED)
    make_rsvp(event, leader)
    told = event_announce(actor=leader, event=event, message="  We're in room 2 today!  ")
    assert told == 2
    assert Notification.objects.get(user=people[0], kind="event_announcement").body == "We're in room 2 today!"
    assert kinds_for(people[2]) == [] and kinds_for(leader) == []
    assert AuditEntry.objects.get(action="event_announced").data["recipients"] == 2


@pytest.mark.parametrize(("message", "code"), [("   ", "message_required"), ("x" * 1001, "too_long")])
def test_announcement_needs_a_sensible_message(group, leader, message, code):
    event = make_event(group)
    with pytest.raises(DomainError) as error:
        event_announce(actor=leader, event=event, message=message)
    assert error.value.code == code


def test_only_organisers_announce(group, people, make_group, make_user, add_member):
    event = make_event(group)
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    for actor in (people[0], other_leader):
        with pytest.raises(Forbidden) as error:
            event_announce(actor=actor, event=event, message="Hello")
        assert error.value.code == "not_an_organiser"
    assert not Notification.objects.exists()


def test_announcements_are_rate_limited(group, leader, people):
    event = make_event(group)
    make_rsvp(event, people[0])
    for n in range(10):
        event_announce(actor=leader, event=event, message=f"Update {n}")
    with pytest.raises(RateLimited) as error:
        event_announce(actor=leader, event=event, message="One more")
    assert error.value.code == "rate_limited"
    assert Notification.objects.filter(user=people[0]).count() == 10


# --- reminders -------------------------------------------------------------------------------------------------------


def test_reminders_go_once_to_people_going_to_events_in_the_next_day(group, people):
    tomorrow = make_event(group, starts_in=timedelta(hours=20))
    make_rsvp(tomorrow, people[0])
    make_rsvp(tomorrow, people[1])
    make_rsvp(tomorrow, people[2], RsvpStatus.WAITLISTED)
    make_rsvp(tomorrow, people[3], RsvpStatus.CANCELLED)
    next_week = make_event(group, starts_in=timedelta(days=7))
    make_rsvp(next_week, people[0])
    cancelled = make_event(group, starts_in=timedelta(hours=5), status="cancelled")
    make_rsvp(cancelled, people[1])
    started = make_event(group, starts_in=-timedelta(minutes=5))
    make_rsvp(started, people[1])

    assert send_due_reminders() == 2
    assert kinds_for(people[0]) == ["event_reminder"]
    assert kinds_for(people[1]) == ["event_reminder"]
    assert kinds_for(people[2]) == [] and kinds_for(people[3]) == []
    assert Rsvp.objects.get(event=tomorrow, user=people[0]).reminder_sent_at is not None

    assert send_due_reminders() == 0
    assert send_due_reminders(now=timezone.now() + timedelta(hours=1)) == 0
    assert Notification.objects.filter(kind="event_reminder").count() == 2

    # A week later, next week's event is due - and only that one.
    assert send_due_reminders(now=next_week.starts_at - timedelta(hours=3)) == 1
    assert kinds_for(people[0]) == ["event_reminder", "event_reminder"]


def test_the_periodic_task_sends_reminders_once(group, people):
    event = make_event(group, starts_in=timedelta(hours=2))
    make_rsvp(event, people[0])
    assert send_event_reminders.call_local() == 1
    assert send_event_reminders.call_local() == 0
    assert kinds_for(people[0]) == ["event_reminder"]


def test_a_failed_send_leaves_the_reminder_due(group, people, monkeypatch):
    event = make_event(group, starts_in=timedelta(hours=2))
    make_rsvp(event, people[0])

    def broken(**kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr("events.services.reminders.notify_many", broken)
    with pytest.raises(RuntimeError):
        send_due_reminders()
    assert Rsvp.objects.get(event=event, user=people[0]).reminder_sent_at is None
    monkeypatch.undo()
    assert send_due_reminders() == 1

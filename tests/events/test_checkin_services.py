"""Check-in: organisers marking people present, self check-in with the rotating code, and what it records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.errors import Conflict, DomainError, Forbidden, NotFound, RateLimited
from community.models import AuditEntry, MembershipRole, ParticipationEntry, Tie
from events.checkin_codes import (
    ALPHABET,
    CODE_LENGTH,
    STEP_SECONDS,
    check_in_path,
    code_is_valid,
    current_code,
    qr_code_svg,
    seconds_until_next_code,
)
from events.models import Attendance, CheckInMethod, Rsvp, RsvpStatus
from events.services.checkin import attendance_mark, attendance_undo, self_check_in
from tests.events.domain_factories import frozen_now, make_event, make_rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(group, make_user, add_member):
    made = [make_user(display_name=f"Person {n}") for n in range(3)]
    for person in made:
        add_member(group, person)
    return made


@pytest.fixture
def event(group, people):
    """Started ten minutes ago, with everyone going."""
    event = make_event(group, starts_in=-timedelta(minutes=10), hours=2)
    for person in people:
        make_rsvp(event, person)
    return event


def wrong_code_for(event) -> str:
    right = current_code(event.pk)
    return "".join(ALPHABET[(ALPHABET.index(c) + 1) % len(ALPHABET)] for c in right)


# --- codes -----------------------------------------------------------------------------------------------------------


def test_codes_are_short_unambiguous_and_differ_per_event():
    code = current_code(1)
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(ALPHABET)
    assert not set("01OIL") & set(ALPHABET)
    assert current_code(1) != current_code(2)


def test_codes_rotate_and_the_previous_code_still_works():
    start = timezone.now().replace(microsecond=0)
    start = start - timedelta(seconds=int(start.timestamp()) % STEP_SECONDS)
    code = current_code(7, now=start)
    assert current_code(7, now=start + timedelta(seconds=STEP_SECONDS - 1)) == code
    assert current_code(7, now=start + timedelta(seconds=STEP_SECONDS)) != code
    assert code_is_valid(7, code, now=start + timedelta(seconds=STEP_SECONDS + 30))  # previous step
    assert not code_is_valid(7, code, now=start + timedelta(seconds=2 * STEP_SECONDS))  # expired
    assert seconds_until_next_code(now=start + timedelta(seconds=20)) == STEP_SECONDS - 20


def test_typed_codes_may_use_any_case_spaces_and_dashes():
    code = current_code(3)
    assert code_is_valid(3, f" {code[:3].lower()}-{code[3:]} ")
    assert not code_is_valid(3, code[:-1])
    assert not code_is_valid(3, "")


def test_qr_code_is_an_svg_of_the_check_in_link():
    svg = qr_code_svg(5)
    assert svg.startswith("<svg") and "QR code to check in" in svg
    assert check_in_path(5, "ABC234") == "/events/5/check-in/?code=ABC234"


# --- organisers mark attendance --------------------------------------------------------------------------------------


def test_organiser_marks_someone_present_and_it_is_recorded_and_audited(event, leader, people):
    attendance = attendance_mark(actor=leader, event=event, user=people[0])
    assert attendance.method == CheckInMethod.ORGANISER and attendance.checked_in_by == leader
    entry = ParticipationEntry.objects.get(user=people[0])
    assert entry.activity_key == f"event:{event.pk}"
    assert entry.group == event.group and entry.category == event.category and entry.occurred_at == event.starts_at
    assert AuditEntry.objects.get(action="attendance_marked").data == {"user_id": people[0].pk}


def test_marking_twice_is_a_no_op(event, leader, people):
    first = attendance_mark(actor=leader, event=event, user=people[0])
    second = attendance_mark(actor=leader, event=event, user=people[0])
    assert first.pk == second.pk
    assert Attendance.objects.count() == 1 and ParticipationEntry.objects.count() == 1


def test_marking_opens_an_hour_before_and_closes_days_after_the_end(group, leader, people, settings):
    settings.HN_ATTENDANCE_EDIT_DAYS = 3
    event = make_event(group, starts_in=timedelta(minutes=90))
    make_rsvp(event, people[0])
    with pytest.raises(Conflict) as error:
        attendance_mark(actor=leader, event=event, user=people[0])
    assert error.value.code == "checkin_window_closed"
    with frozen_now(event.starts_at - timedelta(minutes=59)):
        attendance_mark(actor=leader, event=event, user=people[0])
    make_rsvp(event, people[1])
    with frozen_now(event.ends_at + timedelta(days=3, minutes=-1)):
        attendance_mark(actor=leader, event=event, user=people[1])
    make_rsvp(event, people[2])
    with frozen_now(event.ends_at + timedelta(days=3, minutes=1)), pytest.raises(Conflict) as error:
        attendance_mark(actor=leader, event=event, user=people[2])
    assert error.value.code == "checkin_window_closed"
    assert Attendance.objects.count() == 2


@pytest.mark.parametrize("status", [None, RsvpStatus.WAITLISTED, RsvpStatus.PENDING, RsvpStatus.CANCELLED])
def test_only_people_going_can_be_marked(group, leader, people, status):
    event = make_event(group, starts_in=-timedelta(minutes=5))
    if status:
        make_rsvp(event, people[0], status)
    with pytest.raises(Conflict) as error:
        attendance_mark(actor=leader, event=event, user=people[0])
    assert error.value.code == "not_going"
    assert not ParticipationEntry.objects.exists()


def test_no_check_in_at_a_cancelled_event(group, leader, people):
    event = make_event(group, starts_in=-timedelta(minutes=5), status="cancelled")
    make_rsvp(event, people[0])
    with pytest.raises(Conflict) as error:
        attendance_mark(actor=leader, event=event, user=people[0])
    assert error.value.code == "event_cancelled"
    with pytest.raises(Conflict) as error:
        self_check_in(actor=people[0], event=event, code=current_code(event.pk))
    assert error.value.code == "event_cancelled"


def test_members_and_other_groups_leaders_cannot_mark_attendance(event, people, make_group, make_user, add_member):
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    for actor in (people[1], other_leader):
        with pytest.raises(Forbidden) as error:
            attendance_mark(actor=actor, event=event, user=people[0])
        assert error.value.code == "not_an_organiser"
        with pytest.raises(Forbidden) as error:
            attendance_undo(actor=actor, event=event, user=people[0])
        assert error.value.code == "not_an_organiser"
    assert not Attendance.objects.exists()


def test_undo_removes_the_attendance_and_the_participation(event, leader, people):
    attendance_mark(actor=leader, event=event, user=people[0])
    attendance_mark(actor=leader, event=event, user=people[1])
    assert Tie.objects.count() == 1
    assert attendance_undo(actor=leader, event=event, user=people[0]) is True
    assert not Attendance.objects.filter(user=people[0]).exists()
    assert not ParticipationEntry.objects.filter(user=people[0]).exists()
    assert Tie.objects.count() == 0
    assert AuditEntry.objects.filter(action="attendance_undone").count() == 1
    assert attendance_undo(actor=leader, event=event, user=people[0]) is False


def test_undo_outside_the_window_is_refused(group, leader, people, settings):
    settings.HN_ATTENDANCE_EDIT_DAYS = 1
    event = make_event(group, starts_in=-timedelta(days=3))
    make_rsvp(event, people[0])
    Attendance.objects.create(event=event, user=people[0], method=CheckInMethod.SELF)
    with pytest.raises(Conflict) as error:
        attendance_undo(actor=leader, event=event, user=people[0])
    assert error.value.code == "checkin_window_closed"
    assert Attendance.objects.count() == 1


# --- self check-in ---------------------------------------------------------------------------------------------------


def test_self_check_in_with_the_current_code(event, people):
    attendance = self_check_in(actor=people[0], event=event, code=current_code(event.pk))
    assert attendance.method == CheckInMethod.SELF and attendance.checked_in_by == people[0]
    assert ParticipationEntry.objects.filter(user=people[0], activity_key=f"event:{event.pk}").exists()


def test_second_self_check_in_is_a_no_op_even_with_an_old_code(event, people):
    first = self_check_in(actor=people[0], event=event, code=current_code(event.pk))
    second = self_check_in(actor=people[0], event=event, code="WHATEVER")
    assert first.pk == second.pk and Attendance.objects.count() == 1


def test_wrong_code(event, people):
    with pytest.raises(DomainError) as error:
        self_check_in(actor=people[0], event=event, code=wrong_code_for(event))
    assert error.value.code == "wrong_code"
    assert not Attendance.objects.exists() and not ParticipationEntry.objects.exists()


def test_an_expired_code_is_wrong(event, people):
    old = current_code(event.pk, now=timezone.now() - timedelta(seconds=2 * STEP_SECONDS))
    with pytest.raises(DomainError) as error:
        self_check_in(actor=people[0], event=event, code=old)
    assert error.value.code == "wrong_code"


def test_wrong_codes_are_rate_limited_per_person_even_the_right_code_then_waits(event, people):
    for _ in range(5):
        with pytest.raises(DomainError) as error:
            self_check_in(actor=people[0], event=event, code=wrong_code_for(event))
        assert error.value.code == "wrong_code"
    with pytest.raises(RateLimited) as error:
        self_check_in(actor=people[0], event=event, code=current_code(event.pk))
    assert error.value.code == "rate_limited" and error.value.retry_after > 0
    assert not Attendance.objects.exists()
    # Someone else is not held up by one person's mistakes.
    self_check_in(actor=people[1], event=event, code=current_code(event.pk))


def test_a_right_code_starts_the_count_again(event, group, people):
    for _ in range(4):
        with pytest.raises(DomainError):
            self_check_in(actor=people[0], event=event, code=wrong_code_for(event))
    self_check_in(actor=people[0], event=event, code=current_code(event.pk))
    other = make_event(group, starts_in=-timedelta(minutes=1))
    make_rsvp(other, people[0])
    for _ in range(5):
        with pytest.raises(DomainError) as error:
            self_check_in(actor=people[0], event=other, code=wrong_code_for(other))
        assert error.value.code == "wrong_code"


def test_wrong_codes_are_rate_limited_per_event(group, make_user, add_member):
    event = make_event(group, starts_in=-timedelta(minutes=5))
    guessers = []
    for _ in range(8):
        person = make_user()
        add_member(group, person)
        make_rsvp(event, person)
        guessers.append(person)
    codes = []
    for person in guessers:
        for _ in range(4):
            try:
                self_check_in(actor=person, event=event, code=wrong_code_for(event))
            except DomainError as error:
                codes.append(error.code)
    assert codes.count("wrong_code") == 30
    assert codes.count("rate_limited") == 2


def test_self_check_in_window(group, people):
    soon = make_event(group, starts_in=timedelta(minutes=61))
    make_rsvp(soon, people[0])
    with pytest.raises(Conflict) as error:
        self_check_in(actor=people[0], event=soon, code=current_code(soon.pk))
    assert error.value.code == "checkin_window_closed"
    finished = make_event(group, starts_in=-timedelta(hours=3), hours=2)
    make_rsvp(finished, people[0])
    with pytest.raises(Conflict) as error:
        self_check_in(actor=people[0], event=finished, code=current_code(finished.pk))
    assert error.value.code == "checkin_window_closed"
    opening = make_event(group, starts_in=timedelta(minutes=59))
    make_rsvp(opening, people[0])
    self_check_in(actor=people[0], event=opening, code=current_code(opening.pk))


@pytest.mark.parametrize("status", [None, RsvpStatus.WAITLISTED, RsvpStatus.PENDING])
def test_self_check_in_needs_a_place(group, people, status):
    event = make_event(group, starts_in=-timedelta(minutes=5))
    if status:
        make_rsvp(event, people[0], status)
    with pytest.raises(Conflict) as error:
        self_check_in(actor=people[0], event=event, code=current_code(event.pk))
    assert error.value.code == "not_going"


def test_self_check_in_to_an_invisible_event(event, make_user):
    with pytest.raises(NotFound) as error:
        self_check_in(actor=make_user(), event=event, code=current_code(event.pk))
    assert error.value.code == "event_not_found"


def test_check_in_keeps_the_rsvp_going(event, people):
    self_check_in(actor=people[0], event=event, code=current_code(event.pk))
    assert Rsvp.objects.get(event=event, user=people[0]).status == RsvpStatus.GOING

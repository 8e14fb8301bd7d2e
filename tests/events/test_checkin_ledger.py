"""Check-ins feed community's participation ledger and ties; undoing a check-in reverses exactly that."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.errors import Conflict
from community.models import AuditEntry, ParticipationEntry, Tie
from community.selectors.participation import peers_met_count, ties_for
from events.checkin_codes import current_code
from events.models import Attendance
from events.services.checkin import attendance_mark, attendance_undo, self_check_in
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio(group, make_user, add_member):
    people = [make_user(display_name=name) for name in ("Ana", "Ben", "Cal")]
    for person in people:
        add_member(group, person)
    return people


@pytest.fixture
def two_events(group, trio):
    first = make_event(group, starts_in=-timedelta(days=3))
    second = make_event(group, starts_in=-timedelta(minutes=15))
    for person in trio:
        make_rsvp(first, person)
        make_rsvp(second, person)
    return first, second


def ledger():
    entries = sorted(ParticipationEntry.objects.values_list("user_id", "activity_key", "occurred_at"))
    ties = sorted(Tie.objects.values_list("user_low_id", "user_high_id", "first_met_at", "last_met_at", "times_met"))
    return entries, ties


def times_met(a, b):
    low, high = sorted([a.pk, b.pk])
    tie = Tie.objects.filter(user_low_id=low, user_high_id=high).first()
    return tie.times_met if tie else 0


def test_three_people_two_events_repeat_ties_and_exact_undo(two_events, trio, leader):
    first, second = two_events
    ana, ben, cal = trio
    for person in trio:
        attendance_mark(actor=leader, event=first, user=person)
    self_check_in(actor=ana, event=second, code=current_code(second.pk))
    before = ledger()
    attendance_mark(actor=leader, event=second, user=ben)

    assert ParticipationEntry.objects.filter(activity_key=f"event:{second.pk}").count() == 2
    assert times_met(ana, ben) == 2
    assert times_met(ana, cal) == 1 and times_met(ben, cal) == 1
    ana_ben = next(tie for tie in ties_for(user=ana) if tie.peer == ben)
    assert (ana_ben.first_met_at, ana_ben.last_met_at) == (first.starts_at, second.starts_at)
    assert ana_ben.is_repeat
    assert peers_met_count(user=ana) == 2
    assert peers_met_count(user=ana, since=second.starts_at) == 1

    attendance_undo(actor=leader, event=second, user=ben)
    assert ledger() == before
    assert times_met(ana, ben) == 1


def test_undoing_everything_empties_the_ledger(two_events, trio, leader):
    first, _second = two_events
    for person in trio:
        attendance_mark(actor=leader, event=first, user=person)
    assert Tie.objects.count() == 3
    for person in trio:
        attendance_undo(actor=leader, event=first, user=person)
    assert ledger() == ([], [])


def test_a_refused_check_in_writes_nothing_to_the_ledger(two_events, leader, make_user):
    _first, second = two_events
    with pytest.raises(Conflict) as error:
        attendance_mark(actor=leader, event=second, user=make_user())
    assert error.value.code == "not_going"
    assert ledger() == ([], [])


def test_attendance_and_ledger_are_written_in_one_transaction(two_events, trio, leader, monkeypatch):
    _first, second = two_events

    def broken(**kwargs):
        raise RuntimeError("the ledger is unavailable")

    monkeypatch.setattr("events.services.checkin.participation_record", broken)
    with pytest.raises(RuntimeError):
        attendance_mark(actor=leader, event=second, user=trio[0])
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance_marked").exists()

"""Capacity is never exceeded: many people asking for the last places at once (PostgreSQL), and in turn (any DB)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from events.models import Event, Rsvp, RsvpStatus
from events.services.rsvps import rsvp_cancel, rsvp_going
from tests.events.domain_factories import make_event, make_rsvp

CAPACITY = 10
ALREADY_GOING = 7
NEWCOMERS = 20


def _setup(group, make_user, add_member):
    event = make_event(group, capacity=CAPACITY)
    for _ in range(ALREADY_GOING):
        person = make_user()
        add_member(group, person)
        make_rsvp(event, person)
    newcomers = []
    for _ in range(NEWCOMERS):
        person = make_user()
        add_member(group, person)
        newcomers.append(person)
    return event, newcomers


def _assert_exactly_capacity_going_and_the_rest_waiting_in_order(event, newcomers):
    event.refresh_from_db()
    going = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
    assert going == CAPACITY
    assert event.going_count == CAPACITY
    new_rsvps = list(Rsvp.objects.filter(event=event, user__in=newcomers).order_by("queued_at", "id"))
    assert len(new_rsvps) == NEWCOMERS
    statuses = [rsvp.status for rsvp in new_rsvps]
    seats = CAPACITY - ALREADY_GOING
    # Those who got a place were served before everyone put on the waiting list: arrival order is consistent.
    assert statuses == [RsvpStatus.GOING] * seats + [RsvpStatus.WAITLISTED] * (NEWCOMERS - seats)

    # The next place goes to the first person who waited.
    first_waiting = new_rsvps[seats]
    leaver = new_rsvps[0].user
    rsvp_cancel(actor=leaver, event=event)
    assert Rsvp.objects.get(pk=first_waiting.pk).status == RsvpStatus.GOING
    assert Event.objects.get(pk=event.pk).going_count == CAPACITY


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks: runs when DATABASE_URL is PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_rsvps_for_the_last_places_never_exceed_capacity(group, make_user, add_member):
    event, newcomers = _setup(group, make_user, add_member)
    start = threading.Barrier(NEWCOMERS)
    errors: list[BaseException] = []

    def ask(person):
        try:
            start.wait(timeout=30)
            rsvp_going(actor=person, event=event)
        except BaseException as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(person,)) for person in newcomers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    _assert_exactly_capacity_going_and_the_rest_waiting_in_order(event, newcomers)


@pytest.mark.django_db
def test_rsvps_one_after_another_for_the_last_places_never_exceed_capacity(group, make_user, add_member):
    event, newcomers = _setup(group, make_user, add_member)
    for person in newcomers:
        rsvp_going(actor=person, event=event)
    _assert_exactly_capacity_going_and_the_rest_waiting_in_order(event, newcomers)

"""The demo community comes with upcoming events, RSVPs and a waiting list, made through the events services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from events.models import Event, Rsvp, RsvpStatus


@pytest.mark.django_db
def test_seed_demo_adds_upcoming_events_with_people_going_and_waiting():
    call_command("seed_demo", stdout=StringIO())
    assert Event.objects.values("group").distinct().count() == 4
    assert Event.objects.filter(series__isnull=False).count() == 6, "a weekly series of six"
    assert Rsvp.objects.filter(status=RsvpStatus.WAITLISTED).exists()
    assert Rsvp.objects.filter(status=RsvpStatus.PENDING).exists(), "the approval-mode event has requests"
    over = Event.objects.annotate(n=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING))).filter(
        capacity__isnull=False, n__gt=F("capacity")
    )
    assert not over.exists()


@pytest.mark.django_db
def test_seeding_twice_adds_no_more_events():
    call_command("seed_demo", stdout=StringIO())
    count = Event.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Event.objects.count() == count

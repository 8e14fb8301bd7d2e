"""A pulse note with crisis language is held from organisers, raises a safeguarding concern, and the person is told
kindly (page and API); an everyday note is not held."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from community.models import ModeratorDuty, Notification, SafeguardingConcern, SiteRole
from events.models import Attendance, CheckInMethod, Pulse
from events.services.pulse import pulse_submit
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db

CRISIS_NOTE = "Nice evening but honestly i don't want to be here anymore"


@pytest.fixture
def attended(group, member, add_member):
    add_member(group, member)
    event = make_event(group, starts_in=-timedelta(hours=3))
    make_rsvp(event, member)
    Attendance.objects.create(event=event, user=member, method=CheckInMethod.SELF)
    return event


@pytest.fixture
def on_duty(make_user):
    moderator = make_user(role=SiteRole.MODERATOR)
    ModeratorDuty.objects.create(moderator=moderator)
    return moderator


def test_a_crisis_note_is_held_and_raises_a_concern(attended, member, on_duty, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pulse = pulse_submit(actor=member, event=attended, feeling=2, note=CRISIS_NOTE)

    stored = Pulse.objects.get(pk=pulse.pk)
    assert stored.note_held and stored.note_for_organisers == ""
    concern = SafeguardingConcern.objects.get()
    assert (concern.person, concern.source, concern.source_id) == (member, "pulse", pulse.pk)
    assert Notification.objects.filter(user=member, kind="safeguarding_support").exists()
    assert Notification.objects.filter(user=on_duty, kind="safeguarding_alert").exists()
    assert on_duty.email in {address for message in mail.outbox for address in message.to}


def test_an_everyday_note_is_not_held(attended, member, on_duty):
    pulse = pulse_submit(actor=member, event=attended, note="The quiz was killing me, so funny")

    assert not pulse.note_held and pulse.note_for_organisers == "The quiz was killing me, so funny"
    assert not SafeguardingConcern.objects.exists()


def test_sending_the_same_note_again_raises_no_second_concern_and_a_new_note_lifts_the_hold(attended, member):
    pulse_submit(actor=member, event=attended, note=CRISIS_NOTE)
    pulse_submit(actor=member, event=attended, feeling=3, note=CRISIS_NOTE)
    assert SafeguardingConcern.objects.count() == 1

    pulse = pulse_submit(actor=member, event=attended, note="Feeling better, thanks")
    assert not pulse.note_held


def test_the_api_tells_the_person_kindly(attended, member, api_as):
    response = api_as(member).post(f"/api/v1/events/{attended.pk}/pulse/", {"note": CRISIS_NOTE}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["note_held"] is True
    assert "people you can talk to" in body["message"]
    assert "not to the organisers" in body["message"]


def test_the_page_tells_the_person_kindly_and_shows_the_support_page(attended, member, client):
    client.force_login(member)
    response = client.post(
        f"/events/{attended.pk}/pulse/", {"note": CRISIS_NOTE, "feeling": "", "connected": ""}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "people you can talk to" in page
    assert "Samaritans" in page
    assert Pulse.objects.get().note_held


def test_the_admin_shows_a_held_note_to_nobody(client, attended, member, make_user):
    pulse = Pulse.objects.create(event=attended, user=member, note_to_organisers="private words", note_held=True)
    client.force_login(make_user(role=SiteRole.STAFF, is_superuser=True))

    response = client.get(f"/admin/events/pulse/{pulse.pk}/change/")

    assert response.status_code == 200
    assert "private words" not in response.content.decode()

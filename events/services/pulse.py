"""The optional post-event pulse: "How are you feeling?", "Did you connect with someone new?", and a note.

Only someone checked in can answer. Every answer is optional; answering again updates the same pulse.

A note with crisis language (community.services.safeguarding) is held: `note_held` is set, organisers never see it,
a safeguarding concern is raised (the person is sent the support contacts, moderators on duty are alerted), and the
page or API tells the person kindly.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from community.errors import Conflict, InvalidInput
from community.models import ConcernSource, User
from community.services.safeguarding import crisis_scan, safeguarding_concern_raise
from events.models import Attendance, Event, Pulse, PulseConnection
from events.permissions import can_see_event, event_not_found

NOTE_LIMIT = 1000
HELD_NOTE_MESSAGE = (
    "Thank you for telling us. It sounds like things might be hard at the moment, so we've sent you some people you "
    "can talk to, any time, and someone from our team may check in with you. Your note goes only to them, not to the "
    "organisers."
)


def _clean(*, feeling: int | None, connected: str, note: str) -> tuple[int | None, str, str]:
    if feeling is not None and (isinstance(feeling, bool) or not isinstance(feeling, int) or not 1 <= feeling <= 5):
        raise InvalidInput("Please choose a number from 1 to 5, or skip this question.", code="invalid_feeling")
    connected = connected or ""
    if connected and connected not in PulseConnection.values:
        raise InvalidInput("Please choose yes, no or not sure, or skip this question.", code="invalid_connected")
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise InvalidInput(f"Please keep your note to {NOTE_LIMIT} characters.", code="too_long")
    return feeling, connected, note


def pulse_submit(
    *, actor: User, event: Event, feeling: int | None = None, connected: str = "", note: str = ""
) -> Pulse:
    """Save (or update) your answers about an event you were checked in to.

    Refusals: event_not_found, not_checked_in, invalid_feeling, invalid_connected, too_long. A note with crisis
    language comes back with `note_held` set (see the module's docstring).
    """
    feeling, connected, note = _clean(feeling=feeling, connected=connected, note=note)
    scan = crisis_scan(text=note)
    with transaction.atomic():
        if not Attendance.objects.filter(event=event, user=actor).exists():
            if not can_see_event(actor, event):
                raise event_not_found()
            raise Conflict("You can share how it went once you've been checked in.", code="not_checked_in")
        pulse = Pulse.objects.select_for_update().filter(event=event, user=actor).first()
        earlier_note = None if pulse is None else pulse.note_to_organisers
        if pulse is None:
            try:
                with transaction.atomic():
                    pulse = Pulse.objects.create(
                        event=event,
                        user=actor,
                        feeling=feeling,
                        connected=connected,
                        note_to_organisers=note,
                        note_held=scan.is_crisis,
                    )
            except IntegrityError:  # sent twice at the same moment
                pulse = Pulse.objects.select_for_update().get(event=event, user=actor)
                earlier_note = pulse.note_to_organisers
        if earlier_note is not None:
            pulse.feeling, pulse.connected, pulse.note_to_organisers = feeling, connected, note
            pulse.note_held = scan.is_crisis
            pulse.save(update_fields=["feeling", "connected", "note_to_organisers", "note_held"])
        if scan.is_crisis and note != earlier_note:  # the same note sent again raises nothing new
            safeguarding_concern_raise(
                person=actor, source=ConcernSource.PULSE, source_id=pulse.pk, text=note, scan=scan
            )
    return pulse


def pulse_delete(*, actor: User, event: Event) -> bool:
    """Take back your answers about an event. Deleting when there is nothing to delete is fine (returns False).
    A safeguarding concern raised by a note stays with the moderators: it is a safety record, not an answer."""
    if not can_see_event(actor, event) and not Pulse.objects.filter(event=event, user=actor).exists():
        raise event_not_found()
    with transaction.atomic():
        deleted, _ = Pulse.objects.filter(event=event, user=actor).delete()
    return deleted > 0

"""Check-in and attendance: organisers mark people present, or members check themselves in with the event's code.

Like pretix's check-in, each path is one service that refuses with a coded error. Every check-in records the
person's participation with community's `participation_record` in the same transaction (which updates their ties
with everyone else there), and an undo reverses exactly that. Both hold the event's row lock, so check-ins for one
event happen one after another and every tie is counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.errors import Conflict, InvalidInput
from community.models import User
from community.ratelimit import rate_limit_hit, rate_limit_reset
from community.services.audit import audit_record
from community.services.participation import participation_record, participation_undo
from events.checkin_codes import code_is_valid
from events.models import Attendance, CheckInMethod, Event, Rsvp, RsvpStatus
from events.permissions import can_see_event, event_not_found, require_organiser
from events.services.shared import lock_event

WRONG_CODES_PER_PERSON = 5
WRONG_CODES_PER_EVENT = 30
WRONG_CODE_WINDOW_SECONDS = 10 * 60
SELF_CHECK_IN_CLOSES_AFTER_END = timedelta(minutes=30)


def check_in_opens_at(event: Event) -> datetime:
    minutes = getattr(settings, "HN_CHECK_IN_OPENS_MINUTES_BEFORE", 60)
    return event.starts_at - timedelta(minutes=minutes)


def self_check_in_window(event: Event) -> tuple[datetime, datetime]:
    """When members can check themselves in: from shortly before the start until a little after the end."""
    return check_in_opens_at(event), event.ends_at + SELF_CHECK_IN_CLOSES_AFTER_END


def attendance_window(event: Event) -> tuple[datetime, datetime]:
    """When organisers can mark or undo attendance: from the same opening until some days after the end."""
    days = getattr(settings, "HN_ATTENDANCE_EDIT_DAYS", 7)
    return check_in_opens_at(event), event.ends_at + timedelta(days=days)


def is_within(window: tuple[datetime, datetime], now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return window[0] <= now <= window[1]


def activity_key(event: Event) -> str:
    return f"event:{event.pk}"


# --- shared steps ----------------------------------------------------------------------------------------------------


def _require_window(window: tuple[datetime, datetime]) -> None:
    now = timezone.now()
    if now < window[0]:
        raise Conflict("Check-in hasn't opened yet. It opens shortly before the start.", code="checkin_window_closed")
    if now > window[1]:
        raise Conflict("Check-in for this event has closed.", code="checkin_window_closed")


def _require_not_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise Conflict("This event has been cancelled.", code="event_cancelled")


def _require_going(event: Event, user: User) -> None:
    if not Rsvp.objects.filter(event=event, user=user, status=RsvpStatus.GOING).exists():
        raise Conflict("Only people going to this event can be checked in.", code="not_going")


def _check_in(*, event: Event, user: User, method: str, by: User | None) -> Attendance:
    attendance = Attendance.objects.create(event=event, user=user, method=method, checked_in_by=by)
    participation_record(
        user=user,
        activity_key=activity_key(event),
        group=event.group,
        category=event.category,
        occurred_at=event.starts_at,
    )
    return attendance


# --- organisers ------------------------------------------------------------------------------------------------------


def attendance_mark(*, actor: User, event: Event, user: User) -> Attendance:
    """Mark someone going as present. Marking them again returns their existing attendance.

    Allowed from check-in opening until HN_ATTENDANCE_EDIT_DAYS (default 7) days after the end.
    Refusals: not_an_organiser, event_cancelled, checkin_window_closed, not_going.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        require_organiser(actor, locked)
        _require_not_cancelled(locked)
        _require_window(attendance_window(locked))
        _require_going(locked, user)
        existing = Attendance.objects.filter(event=locked, user=user).first()
        if existing is not None:
            return existing
        attendance = _check_in(event=locked, user=user, method=CheckInMethod.ORGANISER, by=actor)
        audit_record(
            actor=actor, action="attendance_marked", target=attendance, group=locked.group, data={"user_id": user.pk}
        )
    return attendance


def attendance_undo(*, actor: User, event: Event, user: User) -> bool:
    """Undo someone's check-in (theirs or an organiser's), taking it out of the participation record too.
    Returns False if they weren't checked in.

    Refusals: not_an_organiser, checkin_window_closed.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        require_organiser(actor, locked)
        _require_window(attendance_window(locked))
        attendance = Attendance.objects.select_for_update().filter(event=locked, user=user).first()
        if attendance is None:
            return False
        audit_record(
            actor=actor,
            action="attendance_undone",
            target=attendance,
            group=locked.group,
            data={"user_id": user.pk, "method": attendance.method},
        )
        attendance.delete()
        participation_undo(user=user, activity_key=activity_key(locked))
    return True


# --- members ---------------------------------------------------------------------------------------------------------


def self_check_in(*, actor: User, event: Event, code: str) -> Attendance:
    """Check yourself in with the code shown at the venue. Checking in again returns your existing attendance.

    Each person gets WRONG_CODES_PER_PERSON tries per 10 minutes (a right code starts the count again), and each
    event WRONG_CODES_PER_EVENT wrong codes, so a code cannot be guessed.
    Refusals: event_not_found, event_cancelled, checkin_window_closed, not_going, rate_limited, wrong_code.
    """
    with transaction.atomic():
        locked = lock_event(event.pk)
        if not can_see_event(actor, locked):
            raise event_not_found()
        _require_not_cancelled(locked)
        _require_window(self_check_in_window(locked))
        _require_going(locked, actor)
        existing = Attendance.objects.filter(event=locked, user=actor).first()
        if existing is not None:
            return existing

        person_key = f"event-check-in:person:{actor.pk}"
        rate_limit_hit(
            key=person_key,
            limit=WRONG_CODES_PER_PERSON,
            window_seconds=WRONG_CODE_WINDOW_SECONDS,
            detail="That's a lot of tries. Please wait a few minutes, or ask an organiser to check you in.",
        )
        if not code_is_valid(locked.pk, code):
            rate_limit_hit(
                key=f"event-check-in:event:{locked.pk}",
                limit=WRONG_CODES_PER_EVENT,
                window_seconds=WRONG_CODE_WINDOW_SECONDS,
                detail="Lots of wrong codes have been tried for this event. Please ask an organiser to check you in.",
            )
            raise InvalidInput(
                "That code doesn't match. Check the code on the organiser's screen - it changes every 2 minutes.",
                code="wrong_code",
            )
        rate_limit_reset(key=person_key, window_seconds=WRONG_CODE_WINDOW_SECONDS)
        attendance = _check_in(event=locked, user=actor, method=CheckInMethod.SELF, by=actor)
    return attendance

"""Room controls: slow mode, lock and staffed hours on group and event rooms, and moderator duty as rooms feel it.

Each control is a moderator action: it locks the room's row, changes only what differs (doing it twice is
harmless and writes nothing), writes the audit log with before and after, and on commit sends `room.updated` to the
room's subscribers with the room's moderation state (messaging.selectors.room_moderation_state). Posting obeys
them through messaging.permissions.post_refusal (locks, staffed hours) and the send path (slow mode).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time

from django.db import transaction

from community.errors import InvalidInput
from community.models import Group, User
from community.selectors.duty import anyone_on_duty
from community.services.audit import audit_record
from community.services.duty import DutyChange, duty_end, duty_start
from messaging import realtime
from messaging.models import Room, RoomKind, StaffedHours
from messaging.permissions import access_room_controls
from messaging.selectors import room_moderation_state, staffed_opening_payload

SLOW_MODE_MAX_SECONDS = 3600
LOCK_REASON_MAX_CHARS = 200
MAX_OPENINGS = 28  # four a day


def _group(room: Room):
    if room.group_id:
        return room.group
    return room.event.group if room.event_id else None


def _audit(*, actor: User, action: str, room: Room, before: dict, after: dict, reason: str = "") -> None:
    data = {"before": before, "after": after}
    if reason:
        data["reason"] = reason
    audit_record(actor=actor, action=action, target=room, group=_group(room), data=data)


def _announce(room: Room, *, on_duty: bool | None = None) -> None:
    realtime.on_commit_room_updated(room_id=room.pk, payload=room_moderation_state(room, on_duty=on_duty))


# --- slow mode --------------------------------------------------------------------------------------------------------


def _clean_slow_mode(seconds) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= SLOW_MODE_MAX_SECONDS:
        raise InvalidInput(
            f"Slow mode is a number of seconds from 0 (off) to {SLOW_MODE_MAX_SECONDS} (one message an hour).",
            code="invalid_slow_mode",
        )
    return seconds


def room_slow_mode_set(*, actor: User, room_id: int, seconds: int) -> Room:
    """One message every `seconds` per person in the room (moderators and staff exempt); 0 turns slow mode off.
    Codes: moderators_only, room_not_found, invalid_slow_mode."""
    seconds = _clean_slow_mode(seconds)
    with transaction.atomic():
        room = access_room_controls(user=actor, room_id=room_id, for_update=True)
        if room.slow_mode_seconds == seconds:
            return room
        before = room.slow_mode_seconds
        room.slow_mode_seconds = seconds
        room.save(update_fields=["slow_mode_seconds"])
        _audit(
            actor=actor,
            action="room.slow_mode_set",
            room=room,
            before={"slow_mode_seconds": before},
            after={"slow_mode_seconds": seconds},
        )
        _announce(room)
    return room


# --- lock -------------------------------------------------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > LOCK_REASON_MAX_CHARS:
        raise InvalidInput(f"Keep the reason to {LOCK_REASON_MAX_CHARS} characters or fewer.", code="reason_too_long")
    return reason


def _lock_set(*, actor: User, room_id: int, locked: bool, reason: str) -> Room:
    reason = _clean_reason(reason)
    with transaction.atomic():
        room = access_room_controls(user=actor, room_id=room_id, for_update=True)
        if room.is_locked == locked:
            return room
        room.is_locked = locked
        room.save(update_fields=["is_locked"])
        _audit(
            actor=actor,
            action="room.locked" if locked else "room.unlocked",
            room=room,
            before={"is_locked": not locked},
            after={"is_locked": locked},
            reason=reason,
        )
        _announce(room)
    return room


def room_lock(*, actor: User, room_id: int, reason: str = "") -> Room:
    """Make the room read-only for members (moderators and staff can still post). Locking twice changes nothing.
    Codes: moderators_only, room_not_found, reason_too_long."""
    return _lock_set(actor=actor, room_id=room_id, locked=True, reason=reason)


def room_unlock(*, actor: User, room_id: int, reason: str = "") -> Room:
    return _lock_set(actor=actor, room_id=room_id, locked=False, reason=reason)


# --- staffed hours ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Opening:
    weekday: int  # 0 = Monday
    opens_at: time  # Europe/London
    closes_at: time


def clean_openings(openings: Iterable) -> list[Opening]:
    """(weekday, opens_at, closes_at) rows, checked and sorted. Codes: invalid_staffed_hours,
    staffed_hours_order, staffed_hours_overlap, too_many_openings."""
    cleaned: list[Opening] = []
    for row in openings:
        try:
            weekday, opens_at, closes_at = row
        except (TypeError, ValueError):
            raise _invalid_hours("Each opening needs a day, an opening time and a closing time.") from None
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise _invalid_hours("Choose a day of the week for each opening.")
        if not isinstance(opens_at, time) or not isinstance(closes_at, time):
            raise _invalid_hours("Give opening and closing times like 18:00.")
        opens_at, closes_at = opens_at.replace(second=0, microsecond=0), closes_at.replace(second=0, microsecond=0)
        if opens_at.tzinfo is not None or closes_at.tzinfo is not None:
            raise _invalid_hours("Give times without a time zone: they are UK times.")
        if closes_at <= opens_at:
            raise InvalidInput(
                f"{_day(weekday)}: the closing time must be after the opening time (up to 23:59).",
                code="staffed_hours_order",
            )
        cleaned.append(Opening(weekday, opens_at, closes_at))
    if len(cleaned) > MAX_OPENINGS:
        raise InvalidInput(f"That's more than {MAX_OPENINGS} openings a week.", code="too_many_openings")
    cleaned.sort()
    for earlier, later in zip(cleaned, cleaned[1:], strict=False):
        if earlier.weekday == later.weekday and later.opens_at < earlier.closes_at:
            raise InvalidInput(
                f"{_day(later.weekday)}: {_hours(earlier)} and {_hours(later)} overlap. "
                "Join them into one, or change the times.",
                code="staffed_hours_overlap",
            )
    return cleaned


def _invalid_hours(detail: str) -> InvalidInput:
    return InvalidInput(detail, code="invalid_staffed_hours")


def _day(weekday: int) -> str:
    from messaging.staffed_hours import WEEKDAYS

    return WEEKDAYS[weekday]


def _hours(opening: Opening) -> str:
    return f"{opening.opens_at:%H:%M}-{opening.closes_at:%H:%M}"


def _hours_state(room: Room, openings: Sequence) -> dict:
    return {
        "staffed_hours_only": room.staffed_hours_only,
        "staffed_hours": [staffed_opening_payload(opening) for opening in openings],
    }


def room_staffed_hours_set(*, actor: User, room_id: int, enabled: bool, openings: Iterable) -> Room:
    """Turn staffed hours on or off and replace the weekly schedule, all at once. `openings`: (weekday 0-6 from
    Monday, opens_at, closes_at) in Europe/London. With staffed hours on, members can post only inside the hours or
    while a moderator is on duty; they can always read. The same schedule again changes nothing.
    Codes: moderators_only, room_not_found, invalid_staffed_hours, staffed_hours_order, staffed_hours_overlap,
    too_many_openings."""
    if not isinstance(enabled, bool):
        raise _invalid_hours("Say whether staffed hours are on or off.")
    wanted = clean_openings(openings)
    with transaction.atomic():
        room = access_room_controls(user=actor, room_id=room_id, for_update=True)
        current = list(StaffedHours.objects.filter(room=room).order_by("weekday", "opens_at"))
        have = [Opening(o.weekday, o.opens_at, o.closes_at) for o in current]
        if have == wanted and room.staffed_hours_only == enabled:
            return room
        before = _hours_state(room, current)
        if have != wanted:
            StaffedHours.objects.filter(room=room).delete()
            StaffedHours.objects.bulk_create(
                StaffedHours(room=room, weekday=o.weekday, opens_at=o.opens_at, closes_at=o.closes_at) for o in wanted
            )
        if room.staffed_hours_only != enabled:
            room.staffed_hours_only = enabled
            room.save(update_fields=["staffed_hours_only"])
        _audit(actor=actor, action="room.staffed_hours_set", room=room, before=before, after=_hours_state(room, wanted))
        _announce(room)
    return room


# --- all at once (the API's PATCH) -----------------------------------------------------------------------------------


def room_controls_update(
    *,
    actor: User,
    room_id: int,
    slow_mode_seconds: int | None = None,
    is_locked: bool | None = None,
    lock_reason: str = "",
    staffed_hours_only: bool | None = None,
    openings: Iterable | None = None,
) -> Room:
    """Change several controls together: either all of them change or none (a bad schedule leaves slow mode as it
    was). What is left out (None) stays. Leaving out `openings` keeps the schedule; leaving out
    `staffed_hours_only` keeps it on or off."""
    with transaction.atomic():
        room = access_room_controls(user=actor, room_id=room_id)
        if slow_mode_seconds is not None:
            room_slow_mode_set(actor=actor, room_id=room.pk, seconds=slow_mode_seconds)
        if is_locked is not None:
            _lock_set(actor=actor, room_id=room.pk, locked=is_locked, reason=lock_reason)
        if staffed_hours_only is not None or openings is not None:
            if openings is None:
                openings = [(o.weekday, o.opens_at, o.closes_at) for o in StaffedHours.objects.filter(room=room)]
            enabled = room.staffed_hours_only if staffed_hours_only is None else staffed_hours_only
            room_staffed_hours_set(actor=actor, room_id=room.pk, enabled=enabled, openings=openings)
        room.refresh_from_db(fields=["slow_mode_seconds", "is_locked", "staffed_hours_only"])
    return room


# --- duty -------------------------------------------------------------------------------------------------------------


def moderator_duty_start(*, actor: User) -> DutyChange:
    """Go on duty (community.services.duty.duty_start), and tell every staffed-hours room if that opened it.

    Why here and not in community: being on duty opens rooms with staffed hours, but community never imports
    messaging, so it cannot know about rooms. The duty pages and the duty API live in messaging and call this
    wrapper; community's duty_start stays the one write of the duty itself. After commit, if whether anyone is on
    duty changed, every room with staffed hours gets `room.updated` with its state (open_now) - read after the
    commit, so two moderators starting or ending at the same moment still leave every room told the truth.
    Codes: moderators_only."""
    return _duty_change(duty_start, actor=actor)


def moderator_duty_end(*, actor: User) -> DutyChange:
    """Go off duty; rooms with staffed hours outside their hours close if nobody else is on duty (see
    moderator_duty_start)."""
    return _duty_change(duty_end, actor=actor)


def _duty_change(change, *, actor: User) -> DutyChange:
    with transaction.atomic():
        before = anyone_on_duty()
        result = change(actor=actor)
        if result.changed:
            transaction.on_commit(lambda: staffed_rooms_announce(if_duty_changed_from=before), robust=True)
    return result


def staffed_rooms_announce(*, if_duty_changed_from: bool | None = None) -> int:
    """Send `room.updated` (moderation state) to every room with staffed hours; with `if_duty_changed_from`, only if
    whether anyone is on duty is no longer that. Returns how many rooms were told."""
    on_duty = anyone_on_duty()
    if if_duty_changed_from is not None and on_duty == if_duty_changed_from:
        return 0
    rooms = list(Room.objects.filter(staffed_hours_only=True).prefetch_related("staffed_hours"))
    for room in rooms:
        _announce(room, on_duty=on_duty)
    return len(rooms)


def rooms_ensure_for_moderation() -> None:
    """Make sure every active group has its room, so moderators can set controls before anyone has chatted.
    One query when nothing is missing."""
    missing = Group.objects.filter(is_archived=False, chat_room__isnull=True).values_list("pk", flat=True)
    rooms = [Room(kind=RoomKind.GROUP, group_id=pk) for pk in missing]
    if rooms:
        Room.objects.bulk_create(rooms, ignore_conflicts=True)

"""Direct conversations between two people.

A member can start one only with someone in a group with them who hasn't switched direct messages off; their first
message is a request, which the other person accepts or declines. Staff and moderators can always start one, and
theirs needs no accepting. Every change of who may talk to whom is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from community.errors import Conflict, Forbidden
from community.models import User
from community.permissions import is_moderator_or_staff
from community.services.audit import audit_record
from messaging import permissions, realtime
from messaging.models import DirectStatus, Room, RoomKind


@dataclass(frozen=True)
class DirectOpenResult:
    room: Room
    created: bool


def _tell_both(room: Room) -> None:
    """Both people's open tabs (subscribed to the room or not) hear that the conversation's status changed."""
    realtime.on_commit_room_updated(
        room_id=room.pk,
        payload={"direct_status": room.direct_status, "requested_by": room.requested_by_id},
        user_ids=room.participant_ids(),
    )


def _lock_room(*, low_id: int, high_id: int) -> Room | None:
    rooms = Room.objects.select_for_update().filter(kind=RoomKind.DIRECT)
    return rooms.filter(user_low_id=low_id, user_high_id=high_id).first()


def direct_room_open(*, actor: User, user_id: int) -> DirectOpenResult:
    """Open (or find) your conversation with someone. New: a request that waits for their answer (accepted at once
    when staff or a moderator opens it). Opening it again returns it as it is.

    Refusals: person_not_found, not_yourself, dm_off, no_shared_group, dm_declined (they said no to your request),
    forbidden (evaluators).
    """
    other = User.objects.select_related("profile").filter(pk=user_id).first() if isinstance(user_id, int) else None
    refusal = permissions.direct_open_refusal(actor, other)
    if refusal is not None:
        raise refusal
    low_id, high_id = sorted((actor.pk, other.pk))
    status = DirectStatus.ACCEPTED if is_moderator_or_staff(actor) else DirectStatus.REQUESTED
    with transaction.atomic():
        room = _lock_room(low_id=low_id, high_id=high_id)
        created = False
        if room is None:
            try:
                with transaction.atomic():
                    room = Room.objects.create(
                        kind=RoomKind.DIRECT,
                        user_low_id=low_id,
                        user_high_id=high_id,
                        requested_by=actor,
                        direct_status=status,
                    )
                    created = True
            except IntegrityError:  # the other person opened it a moment ago
                room = _lock_room(low_id=low_id, high_id=high_id)
        if created:
            audit_record(actor=actor, action="direct.opened", target=room, data=_audit_data(room))
        elif room.direct_status == DirectStatus.DECLINED:
            if room.requested_by_id == actor.pk and not is_moderator_or_staff(actor):
                raise Forbidden("They've said no to a conversation for now.", code="dm_declined")
            # The person who said no is asking now (or staff are): a fresh start.
            room.requested_by, room.direct_status = actor, status
            room.save(update_fields=["requested_by", "direct_status", "updated_at"])
            audit_record(actor=actor, action="direct.reopened", target=room, data=_audit_data(room))
            _tell_both(room)
        elif room.direct_status == DirectStatus.REQUESTED and is_moderator_or_staff(actor):
            room.direct_status = DirectStatus.ACCEPTED
            room.save(update_fields=["direct_status", "updated_at"])
            audit_record(actor=actor, action="direct.accepted", target=room, data=_audit_data(room))
            _tell_both(room)
    room = Room.objects.select_related("user_low", "user_high").get(pk=room.pk)
    return DirectOpenResult(room=room, created=created)


def _audit_data(room: Room) -> dict:
    return {"users": list(room.participant_ids()), "status": room.direct_status, "requested_by": room.requested_by_id}


def _answer(*, actor: User, room_id: int, status: str) -> Room:
    with transaction.atomic():
        found = permissions.access_room(user=actor, room_id=room_id)
        if not found.is_direct:
            raise permissions.room_not_found()
        room = Room.objects.select_for_update().get(pk=found.pk)
        room.user_low, room.user_high = found.user_low, found.user_high
        if not permissions.is_direct_recipient(actor, room):
            raise Forbidden("Only the person a request was sent to can answer it.", code="not_the_recipient")
        if room.direct_status == status:
            return room
        if room.direct_status != DirectStatus.REQUESTED:
            raise Conflict("That request has already been answered.", code="not_pending")
        room.direct_status = status
        room.save(update_fields=["direct_status", "updated_at"])
        action = "direct.accepted" if status == DirectStatus.ACCEPTED else "direct.declined"
        audit_record(actor=actor, action=action, target=room, data=_audit_data(room))
        _tell_both(room)
    return room


def direct_accept(*, actor: User, room_id: int) -> Room:
    """Say yes to a conversation request: you can both write freely now. Accepting twice is fine.

    Refusals: room_not_found, not_the_recipient, not_pending (already declined).
    """
    return _answer(actor=actor, room_id=room_id, status=DirectStatus.ACCEPTED)


def direct_decline(*, actor: User, room_id: int) -> Room:
    """Say no to a conversation request. They can't send more, and aren't told why. Declining twice is fine.

    Refusals: room_not_found, not_the_recipient, not_pending (already accepted).
    """
    return _answer(actor=actor, room_id=room_id, status=DirectStatus.DECLINED)

"""Personal controls: block and mute. A member's own choices about other people, never a moderator action.

- Block: the blocked person can't message you or see your profile, and their messages are hidden for you.
- Mute: you stop seeing their messages; nothing else changes.

The other person is never told (no notification, no audit entry they could see, the same answers as for anyone
else). Each call is idempotent: blocking someone already blocked changes nothing. After a change, the actor's open
sockets start or stop hiding that person's messages at once (`hidden_people.changed`, docs/realtime.md).
Moderators and staff can be muted but not blocked (community.permissions.can_block).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from community import permissions
from community.errors import Forbidden
from community.models import PersonBlock, PersonMute, User
from community.realtime import hidden_people_changed_on_commit


@dataclass(frozen=True)
class ControlChanged:
    person: User
    changed: bool  # False: it was already so


def person_block(*, actor: User, user_id: int) -> ControlChanged:
    other = permissions.access_person_to_control(actor=actor, user_id=user_id, adding=True)
    if not permissions.can_block(actor, other):
        raise Forbidden(
            "Moderators and staff can't be blocked, because they may need to reach you to help keep you safe. "
            "You can mute them instead.",
            code="cannot_block_staff",
        )
    with transaction.atomic():
        changed = _add(PersonBlock, blocker=actor, blocked=other)
        if changed:
            hidden_people_changed_on_commit(actor.pk, person_id=other.pk, hidden=True)
    return ControlChanged(other, changed)


def person_unblock(*, actor: User, user_id: int) -> ControlChanged:
    other = permissions.access_person_to_control(actor=actor, user_id=user_id, adding=False)
    with transaction.atomic():
        changed = PersonBlock.objects.filter(blocker=actor, blocked=other).delete()[0] > 0
        if changed:
            _tell_sockets(actor, other)
    return ControlChanged(other, changed)


def person_mute(*, actor: User, user_id: int) -> ControlChanged:
    other = permissions.access_person_to_control(actor=actor, user_id=user_id, adding=True)
    with transaction.atomic():
        changed = _add(PersonMute, muter=actor, muted=other)
        if changed:
            hidden_people_changed_on_commit(actor.pk, person_id=other.pk, hidden=True)
    return ControlChanged(other, changed)


def person_unmute(*, actor: User, user_id: int) -> ControlChanged:
    other = permissions.access_person_to_control(actor=actor, user_id=user_id, adding=False)
    with transaction.atomic():
        changed = PersonMute.objects.filter(muter=actor, muted=other).delete()[0] > 0
        if changed:
            _tell_sockets(actor, other)
    return ControlChanged(other, changed)


def _add(model, **pair) -> bool:
    if model.objects.filter(**pair).exists():
        return False
    try:
        with transaction.atomic():
            model.objects.create(**pair)
    except IntegrityError:  # made by another tab at the same moment
        return False
    return True


def _tell_sockets(actor: User, other: User) -> None:
    # Unblocking someone still muted (or the other way round) keeps them hidden.
    still_hidden = permissions.has_blocked(actor, other) or permissions.has_muted(actor, other)
    hidden_people_changed_on_commit(actor.pk, person_id=other.pk, hidden=still_hidden)

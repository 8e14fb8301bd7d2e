"""Creating rooms: lazily, the first time someone needs one (never in signals). Creating twice is harmless."""

from __future__ import annotations

from django.utils import timezone

from community.models import Group, Membership, User
from events.models import Event
from messaging import permissions
from messaging.models import Room, RoomKind


def room_for_group(*, group: Group) -> Room:
    room, _ = Room.objects.get_or_create(group=group, defaults={"kind": RoomKind.GROUP})
    return room


def room_for_event(*, event: Event) -> Room:
    room, _ = Room.objects.get_or_create(event=event, defaults={"kind": RoomKind.EVENT})
    return room


def rooms_ensure_for_user(*, user: User) -> None:
    """Make sure every room that belongs in `user`'s list exists. Two queries when nothing is missing."""
    if not user.is_authenticated:
        return
    group_ids = list(
        Group.objects.filter(pk__in=Membership.objects.active().filter(user=user).values("group"))
        .filter(chat_room__isnull=True)
        .values_list("pk", flat=True)
    )
    event_ids = list(
        permissions.listed_event_rooms_for(user, now=timezone.now())
        .filter(chat_room__isnull=True)
        .values_list("pk", flat=True)
    )
    missing = [Room(kind=RoomKind.GROUP, group_id=pk) for pk in group_ids]
    missing += [Room(kind=RoomKind.EVENT, event_id=pk) for pk in event_ids]
    if missing:
        Room.objects.bulk_create(missing, ignore_conflicts=True)

"""Reads that the socket and the REST API share: a person's rooms with unread counts, history pages, replays, and
the one shape of a message and a room that both send.

A message's shape never depends on who is looking, so a broadcast is encoded once for every subscriber. Deleted and
hidden messages are sent without their words (moderators read hidden ones through moderation tools, not here).
Which messages a person is shown does depend on them: a held message only to its author, and nothing from people
they blocked or muted (`visible_to`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from community.models import (
    MembershipRole,
    MembershipStatus,
    ModeratorDuty,
    PersonBlock,
    PersonMute,
    Profile,
    User,
)
from community.selectors.duty import anyone_on_duty, moderators_on_duty
from events.models import RsvpStatus
from messaging import permissions, staffed_hours
from messaging.models import (
    REACTIONS,
    Message,
    Reaction,
    ReadMarker,
    Room,
    RoomKind,
    StaffedHours,
    WordAction,
    WordListEntry,
)

REPLY_EXCERPT_CHARS = 120


# --- shapes -----------------------------------------------------------------------------------------------------------


def person_payload(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "display_name": user.display_name}


def reactions_payload(reactions) -> list[dict]:
    """[{emoji, count, user_ids}] in the fixed order; user_ids lets each app mark the ones that are yours."""
    by_emoji: dict[str, list[int]] = {}
    for reaction in reactions:
        by_emoji.setdefault(reaction.emoji, []).append(reaction.user_id)
    return [
        {"emoji": emoji, "count": len(by_emoji[emoji]), "user_ids": sorted(by_emoji[emoji])}
        for emoji in REACTIONS
        if emoji in by_emoji
    ]


def _shows_words(message: Message) -> bool:
    return not message.is_deleted and not message.is_hidden


def reply_payload(message: Message | None) -> dict | None:
    if message is None:
        return None
    return {
        "id": message.pk,
        "author": person_payload(message.author),
        # A reply is seen by the whole room: never the words of a message held for review (held by a later edit).
        "excerpt": message.body[:REPLY_EXCERPT_CHARS] if _shows_words(message) and not message.is_held else "",
        "is_deleted": message.is_deleted,
        "is_hidden": message.is_hidden,
    }


def message_payload(message: Message, *, reactions=None) -> dict:
    """A message as the socket and the API send it. Pass `reactions` to avoid reading them again."""
    shows = _shows_words(message)
    if reactions is None:
        reactions = message.reactions.all()
    return {
        "id": message.pk,
        "room": message.room_id,
        "author": person_payload(message.author),
        "body": message.body if shows else "",
        "image_url": message.image.url if message.image and shows else None,
        "reply_to": reply_payload(message.reply_to) if message.reply_to_id else None,
        "client_id": message.client_id or None,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "is_deleted": message.is_deleted,
        "is_hidden": message.is_hidden,
        "hidden_reason": message.hidden_reason or None if message.is_hidden else None,
        "is_held": message.is_held,
        "reactions": reactions_payload(reactions) if shows else [],
    }


def room_title(room: Room, *, viewer: User) -> str:
    if room.kind == RoomKind.GROUP:
        return room.group.name
    if room.kind == RoomKind.EVENT:
        return room.event.title
    other = room.user_high if viewer.pk == room.user_low_id else room.user_low
    return other.display_name if other is not None else "Conversation"


def room_payload(room: Room, *, viewer: User, with_can_post: bool = False) -> dict:
    """A room as one person sees it (its title in a direct conversation is the other person's name).
    `with_can_post` adds whether they may post now (a few queries: for one room, not for lists)."""
    other_id = room.other_participant_id(viewer.pk) if room.is_direct else None
    event = room.event if room.kind == RoomKind.EVENT else None
    payload = {
        "id": room.pk,
        "kind": room.kind,
        "title": room_title(room, viewer=viewer),
        "group_slug": room.group.slug if room.kind == RoomKind.GROUP else None,
        "event_id": room.event_id,
        "opens_at": permissions.event_room_opens_at(event).isoformat() if event else None,
        "closes_at": event.ends_at.isoformat() if event else None,
        "other_person": person_payload(room.user_high if other_id == room.user_high_id else room.user_low)
        if other_id
        else None,
        "direct_status": room.direct_status or None,
        "requested_by": room.requested_by_id,
    }
    payload.update(room_moderation_state(room))
    if with_can_post:
        payload["can_post"] = permissions.post_refusal(viewer, room) is None
    return payload


def room_moderation_state(room: Room, *, now: datetime | None = None, on_duty: bool | None = None) -> dict:
    """A room's slow mode, lock and staffed hours, as room payloads and `room.updated` carry them.

    `open_now`: a room without staffed hours is always open; one with them is open inside its weekly hours or while
    a moderator is on duty. `next_opening_at`: when a closed room next opens by the clock (`next_opening_text`: the
    same in words, UK time, e.g. "Tuesday 2 December at 18:00"); `open_until`: when the
    current weekly opening ends (the app checks again then). No query unless the room has staffed hours (its hours
    are read from a prefetch of `staffed_hours` when there is one; pass `on_duty` when it is already known)."""
    state = {
        "slow_mode_seconds": room.slow_mode_seconds,
        "is_locked": room.is_locked,
        "staffed_hours_only": room.staffed_hours_only,
        "open_now": True,
        "next_opening_at": None,
        "next_opening_text": None,
        "open_until": None,
        "staffed_hours": [],
    }
    if room.is_direct or not room.staffed_hours_only:
        return state
    now = now or timezone.now()
    openings = sorted(room.staffed_hours.all(), key=lambda o: (o.weekday, o.opens_at))
    by_clock = staffed_hours.is_open_at(openings, now)
    open_now = by_clock or (anyone_on_duty() if on_duty is None else on_duty)
    until = staffed_hours.open_until(openings, now) if by_clock else None
    opens = None if open_now else staffed_hours.next_opening(openings, now)
    state.update(
        open_now=open_now,
        next_opening_at=opens.isoformat() if opens else None,
        next_opening_text=staffed_hours.describe_opening(opens) or None,
        open_until=until.isoformat() if until else None,
        staffed_hours=[staffed_opening_payload(o) for o in openings],
    )
    return state


def staffed_opening_payload(opening) -> dict:
    return {
        "weekday": opening.weekday,
        "day": staffed_hours.WEEKDAYS[opening.weekday],
        "opens_at": opening.opens_at.strftime("%H:%M"),
        "closes_at": opening.closes_at.strftime("%H:%M"),
    }


# --- rooms ------------------------------------------------------------------------------------------------------------


def hidden_author_ids(user: User) -> QuerySet:
    """The people whose messages `user` chose not to see (blocked or muted), as a subquery."""
    return (
        PersonBlock.objects.filter(blocker=user)
        .values("blocked")
        .union(PersonMute.objects.filter(muter=user).values("muted"))
    )


def hidden_author_id_set(*, user: User) -> set[int]:
    return set(hidden_author_ids(user).values_list("blocked", flat=True))


def visible_to(messages: QuerySet[Message], viewer: User) -> QuerySet[Message]:
    """Leave out what `viewer` isn't shown: other people's held messages, and people they blocked or muted."""
    blocked = PersonBlock.objects.filter(blocker=viewer).values("blocked")
    muted = PersonMute.objects.filter(muter=viewer).values("muted")
    return (
        messages.exclude(Q(is_held=True) & ~Q(author=viewer))
        .exclude(author__in=Subquery(blocked))
        .exclude(author__in=Subquery(muted))
    )


def _unread_subquery(user: User):
    # Inside the message subquery, OuterRef("room") is the message's room.
    last_read = ReadMarker.objects.filter(room=OuterRef("room"), user=user).values("last_read_message_id")[:1]
    unread = (
        visible_to(Message.objects.filter(room=OuterRef("pk"), deleted_at__isnull=True, is_hidden=False), user)
        .exclude(author=user)
        .filter(pk__gt=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)))
        .order_by()
        .values("room")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def _last_message_subquery():
    return Subquery(Message.objects.filter(room=OuterRef("pk"), is_held=False).order_by("-pk").values("pk")[:1])


def rooms_for_user(*, user: User) -> QuerySet[Room]:
    """The person's rooms with `unread_count` and `last_message_id`, most recently active first. One query."""
    return (
        Room.objects.filter(permissions.my_rooms_q(user))
        .select_related("group", "event", "event__group", "user_low", "user_high")
        .annotate(unread_count=_unread_subquery(user), last_message_id=_last_message_subquery())
        .order_by(Coalesce("last_message_id", Value(0)).desc(), "-pk")
    )


def unread_count_for(*, user: User, room: Room) -> int:
    return Room.objects.filter(pk=room.pk).annotate(unread=_unread_subquery(user)).values_list("unread", flat=True)[0]


# --- messages ---------------------------------------------------------------------------------------------------------


def _messages(room: Room) -> QuerySet[Message]:
    return (
        Message.objects.filter(room=room)
        .select_related("author", "reply_to", "reply_to__author")
        .prefetch_related(Prefetch("reactions", queryset=Reaction.objects.order_by("id")))
    )


@dataclass(frozen=True)
class MessagePage:
    messages: list[Message]  # in the order asked for
    has_more: bool


def message_history(*, room: Room, viewer: User, before: int | None = None, limit: int = 50) -> MessagePage:
    """Newest first; `before` is the cursor (a message id): the page holds messages older than it. Three queries."""
    messages = visible_to(_messages(room), viewer).order_by("-pk")
    if before is not None:
        messages = messages.filter(pk__lt=before)
    page = list(messages[: limit + 1])
    return MessagePage(messages=page[:limit], has_more=len(page) > limit)


def message_replay(*, room: Room, viewer: User, after: int | None, limit: int) -> MessagePage:
    """What a reconnecting socket missed, oldest first. More than `limit` missed: the newest `limit` and
    has_more=True (the app pages older history through the REST API). No `after`: the latest `limit`."""
    messages = visible_to(_messages(room), viewer).order_by("-pk")
    if after is not None:
        messages = messages.filter(pk__gt=after)
    page = list(messages[: limit + 1])
    newest = page[:limit]
    newest.reverse()
    return MessagePage(messages=newest, has_more=len(page) > limit)


def message_with_details(*, message_id: int) -> Message:
    return Message.objects.select_related("author", "reply_to", "reply_to__author").get(pk=message_id)


# --- presence ---------------------------------------------------------------------------------------------------------


def shows_online(*, user: User) -> bool:
    return bool(Profile.objects.filter(user=user, show_online=True).exists())


def room_people_showing_online(*, room: Room) -> list[int]:
    """Ids of the people in a room who chose to show when they're online (who is, the cache knows). One query."""
    profiles = Profile.objects.filter(show_online=True, user__is_active=True)
    if room.kind == RoomKind.DIRECT:
        profiles = profiles.filter(user_id__in=room.participant_ids())
    elif room.kind == RoomKind.GROUP:
        profiles = profiles.filter(
            user__memberships__group_id=room.group_id, user__memberships__status=MembershipStatus.ACTIVE
        )
    else:
        going = Q(user__rsvps__event_id=room.event_id, user__rsvps__status=RsvpStatus.GOING)
        leading = Q(
            user__memberships__group_id=room.event.group_id,
            user__memberships__status=MembershipStatus.ACTIVE,
            user__memberships__role=MembershipRole.LEADER,
        )
        profiles = profiles.filter(going | leading)
    return sorted(set(profiles.values_list("user_id", flat=True)))


# --- room controls, duty and word lists (moderators) ------------------------------------------------------------------


def rooms_for_moderation(*, now: datetime | None = None) -> QuerySet[Room]:
    """Group rooms of active groups and event rooms of events not long over, for the moderators' room list:
    controlled rooms (locked, slow, staffed hours) first, then by name. Staffed hours are prefetched."""
    now = now or timezone.now()
    controlled = Q(is_locked=True) | Q(slow_mode_seconds__gt=0) | Q(staffed_hours_only=True)
    return (
        Room.objects.filter(
            Q(kind=RoomKind.GROUP, group__is_archived=False)
            | Q(kind=RoomKind.EVENT, event__ends_at__gte=now - timedelta(days=7), event__cancelled_at__isnull=True)
        )
        .select_related("group", "event", "event__group")
        .prefetch_related(Prefetch("staffed_hours", queryset=StaffedHours.objects.order_by("weekday", "opens_at")))
        .annotate(is_controlled=ExpressionWrapper(controlled, output_field=BooleanField()))
        .order_by("-is_controlled", Coalesce("group__name", "event__title"), "pk")
    )


def duty_payload(*, user: User) -> dict:
    """Whether `user` is on duty (and since when), and who is on duty now (display names)."""
    on_duty = list(moderators_on_duty().order_by("display_name").values_list("pk", "display_name"))
    mine = ModeratorDuty.objects.filter(moderator=user, ended_at__isnull=True).values_list("started_at", flat=True)
    started = next(iter(mine), None)
    return {
        "on_duty": started is not None,
        "started_at": started.isoformat() if started else None,
        "moderators_on_duty": [{"id": pk, "display_name": name} for pk, name in on_duty],
    }


def word_list_entries() -> list[WordListEntry]:
    """Every word-list entry: blocks first, then holds, then flags, each by phrase."""
    order = {WordAction.BLOCK: 0, WordAction.HOLD: 1, WordAction.FLAG: 2}
    entries = WordListEntry.objects.select_related("created_by")
    return sorted(entries, key=lambda entry: (order.get(entry.action, 9), entry.phrase.casefold()))


def word_list_entry(*, entry_id: int) -> WordListEntry | None:
    return WordListEntry.objects.filter(pk=entry_id).first() if isinstance(entry_id, int) else None

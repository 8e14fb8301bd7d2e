"""Every permission rule for chat, in one place.

Who reads a room:
- a group's room: the group's active members, and moderators and staff;
- an event's room: people going, the event's organisers (the group's peer leaders and staff), and moderators;
- a direct conversation: only the two people in it.
Evaluators never read a room (they only ever see aggregates).

Who may post in a room *now* is decided by one function, `post_refusal`, which also holds moderation's rules (a
suspension, a site-wide silence, a mute in the room, a locked room, staffed hours, blocks between two people), so every
path - socket, REST, admin - obeys them. Slow mode is a rate, taken in messaging.services.messages.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from community.errors import DomainError, Forbidden, NotFound
from community.models import DirectMessagePolicy, Membership, SiteRole, User
from community.permissions import (
    can_see_profile,
    either_blocked,
    has_blocked,
    is_active_member,
    is_moderator_or_staff,
    is_site_staff,
    shares_active_group,
)
from community.queries import one_or_none
from community.selectors.duty import anyone_on_duty
from community.services.suspension import describe_until
from events.models import Event, Rsvp, RsvpStatus
from events.permissions import can_organise_event
from messaging import staffed_hours
from messaging.models import DirectStatus, Message, Room, RoomKind, Sanction, SanctionKind, StaffedHours

# --- settings ---------------------------------------------------------------------------------------------------------


def event_room_opens_hours() -> int:
    return int(getattr(settings, "HN_EVENT_ROOM_OPENS_HOURS", 48))


def message_edit_minutes() -> int:
    return int(getattr(settings, "HN_MESSAGE_EDIT_MINUTES", 15))


def event_room_opens_at(event: Event) -> datetime:
    return event.starts_at - timedelta(hours=event_room_opens_hours())


# --- refusals ---------------------------------------------------------------------------------------------------------


def room_not_found() -> NotFound:
    return NotFound("We couldn't find that chat. It may have closed, or be one you're not in.", code="room_not_found")


def not_a_member() -> Forbidden:
    return Forbidden("Only people in this group or going to this event can use its chat.", code="not_a_member")


def message_not_found() -> NotFound:
    return NotFound("We couldn't find that message. It may have been removed.", code="message_not_found")


def read_only() -> Forbidden:
    return Forbidden("This chat is read-only now, so new messages can't be added.", code="read_only")


# --- reading ----------------------------------------------------------------------------------------------------------


def _is_active_person(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_going(user: User, event: Event) -> bool:
    return Rsvp.objects.filter(event=event, user=user, status=RsvpStatus.GOING).exists()


def can_read_room(user: User, room: Room) -> bool:
    if not _is_active_person(user) or user.site_role == SiteRole.EVALUATOR:
        return False
    if room.kind == RoomKind.DIRECT:
        return user.pk in room.participant_ids()
    if is_moderator_or_staff(user):
        return True
    if room.kind == RoomKind.GROUP:
        return is_active_member(user, room.group)
    return can_organise_event(user, room.event) or is_going(user, room.event)


def _rooms_queryset():
    return Room.objects.select_related("group", "event", "event__group", "user_low", "user_high")


def access_room(*, user: User, room_id: int, for_update: bool = False) -> Room:
    """The room if `user` may read it. A room that doesn't exist, or someone else's direct conversation, is
    `room_not_found`; a group or event room they're not in is `not_a_member`. `for_update` locks the room's row
    until the transaction ends (PostgreSQL; SQLite writes one transaction at a time anyway)."""
    rooms = _rooms_queryset().select_for_update(of=("self",)) if for_update else _rooms_queryset()
    room = one_or_none(rooms.filter(pk=room_id)) if isinstance(room_id, int) else None
    if room is None or (room.is_direct and user.pk not in room.participant_ids()):
        raise room_not_found()
    if not can_read_room(user, room):
        raise not_a_member()
    return room


def access_message(*, user: User, message_id: int) -> Message:
    """The message if `user` may read its room. A hidden message is only found by moderators; a message held for
    review only by its author and moderators (nobody else has seen it)."""
    message = (
        Message.objects.select_related("room", "room__group", "room__event", "room__event__group", "author")
        .filter(pk=message_id)
        .first()
        if isinstance(message_id, int)
        else None
    )
    if message is None or not can_read_room(user, message.room) or is_kept_from(user, message):
        raise message_not_found()
    return message


def is_kept_from(user: User, message: Message) -> bool:
    """A hidden message is only for moderators; a held one only for its author and moderators. Checked again on the
    locked row before changing a message (a moderator may have hidden it since it was read)."""
    if message.is_hidden and not is_moderator_or_staff(user):
        return True
    return message.is_held and message.author_id != user.pk and not is_moderator_or_staff(user)


# --- posting ----------------------------------------------------------------------------------------------------------


def post_refusal(user: User, room: Room, *, now: datetime | None = None) -> DomainError | None:
    """Why `user` may not post in `room` right now, or None if they may. The one rule for posting.

    Codes: not_a_member, room_not_found, read_only, room_not_open, dm_not_accepted, dm_declined, dm_off,
    no_shared_group, cannot_message, you_blocked_them, suspended, silenced, muted_in_room, room_locked, room_closed.
    """
    if room.is_direct and user.pk not in room.participant_ids():
        return room_not_found()
    if not can_read_room(user, room):
        return not_a_member()
    now = now or timezone.now()
    if room.kind == RoomKind.GROUP:
        refusal = read_only() if room.group.is_archived else None
    elif room.kind == RoomKind.EVENT:
        refusal = _event_post_refusal(user, room.event, now=now)
    else:
        refusal = _direct_post_refusal(user, room)
    return refusal or _moderation_post_refusal(user, room, now=now)


def require_can_post(*, user: User, room: Room, now: datetime | None = None) -> None:
    refusal = post_refusal(user, room, now=now)
    if refusal is not None:
        raise refusal


def can_post(user: User, room: Room) -> bool:
    return post_refusal(user, room) is None


def _moderation_post_refusal(user: User, room: Room, *, now: datetime) -> DomainError | None:
    if user.is_suspended:
        return Forbidden("Your account is suspended at the moment.", code="suspended")
    sanction = _sanction_in_force(user, room, now=now)
    if sanction is not None:
        return _sanction_refusal(sanction)
    if is_moderator_or_staff(user):
        return None
    if room.is_locked:
        return Forbidden(
            "A moderator has paused this chat for now. You can still read it, and it will open again soon.",
            code="room_locked",
        )
    if room.staffed_hours_only:
        return staffed_hours_refusal(room, now=now)
    return None


def _sanction_in_force(user: User, room: Room, *, now: datetime) -> Sanction | None:
    return (
        Sanction.objects.filter(user=user, lifted_at__isnull=True, starts_at__lte=now)
        .filter(Q(kind=SanctionKind.SILENCE) | Q(kind=SanctionKind.ROOM_MUTE, room=room))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-kind")  # silence before room_mute
        .first()
    )


def _sanction_refusal(sanction: Sanction) -> Forbidden:
    until = f" {describe_until(sanction.ends_at)}" if sanction.ends_at else " for now"
    if sanction.kind == SanctionKind.SILENCE:
        return Forbidden(
            f"A moderator has paused your messages{until}. You can still read everything.", code="silenced"
        )
    return Forbidden(
        f"A moderator has paused your messages in this chat{until}. You can still read it.", code="muted_in_room"
    )


def room_is_open_now(room: Room, *, now: datetime | None = None) -> bool:
    """A room with staffed hours is open inside its weekly hours, or while any moderator is on duty."""
    if not room.staffed_hours_only:
        return True
    now = now or timezone.now()
    return staffed_hours.is_open_at(StaffedHours.objects.filter(room=room), now) or anyone_on_duty()


def staffed_hours_refusal(room: Room, *, now: datetime) -> DomainError | None:
    if room_is_open_now(room, now=now):
        return None
    opens = staffed_hours.next_opening(StaffedHours.objects.filter(room=room), now)
    when = f" It opens on {staffed_hours.describe_opening(opens)}." if opens else ""
    return Forbidden(
        f"This chat is open when a moderator is around, so you can read it but not post right now.{when}",
        code="room_closed",
    )


def _event_post_refusal(user: User, event: Event, *, now: datetime) -> DomainError | None:
    if event.is_cancelled or event.ends_at <= now:
        return Forbidden("This event is over, so its chat is read-only now.", code="read_only")
    if now < event_room_opens_at(event) and not (is_moderator_or_staff(user) or can_organise_event(user, event)):
        opens = timezone.localtime(event_room_opens_at(event))
        return Forbidden(
            f"This chat opens {event_room_opens_hours()} hours before the event, "
            f"on {opens:%A} {opens.day} {opens:%B} at {opens:%H:%M}.",
            code="room_not_open",
        )
    return None


def _direct_post_refusal(user: User, room: Room) -> DomainError | None:
    if room.direct_status == DirectStatus.DECLINED:
        return Forbidden("This conversation request was declined, so messages can't be sent.", code="dm_declined")
    other = User.objects.select_related("profile").filter(pk=room.other_participant_id(user.pk)).first()
    if other is None or not other.is_active:
        return read_only()
    if room.direct_status == DirectStatus.REQUESTED:
        if room.requested_by_id != user.pk:
            return Forbidden("Accept the request first, then you can reply.", code="dm_not_accepted")
        if Message.objects.filter(room=room).exists():
            return Forbidden(
                "Your request has been sent. You can write more once they accept it.", code="dm_not_accepted"
            )
    if is_moderator_or_staff(user) or is_moderator_or_staff(other):
        return None  # a conversation with staff or a moderator is never stopped by settings, groups or blocks
    blocked = _block_refusal(user, other)
    if blocked is not None:
        return blocked
    if _direct_messages_off(other):
        return _dm_off()
    if not shares_active_group(user, other):
        return _no_shared_group()
    return None


def _block_refusal(user: User, other: User) -> DomainError | None:
    """A block either way stops a conversation. The person who was blocked is never told so: they get the same
    answer as for any conversation that can't happen now."""
    if not either_blocked(user, other):
        return None
    if has_blocked(user, other):
        return Forbidden("You've blocked them. You can unblock them in your settings.", code="you_blocked_them")
    return Forbidden("You can't message this person at the moment.", code="cannot_message")


def _direct_messages_off(user: User) -> bool:
    profile = getattr(user, "profile", None)
    return profile is not None and profile.direct_messages == DirectMessagePolicy.OFF


def _dm_off() -> Forbidden:
    return Forbidden("They've switched off direct messages, so you can't message them now.", code="dm_off")


def _no_shared_group() -> Forbidden:
    return Forbidden("You can only message people who are in a group with you.", code="no_shared_group")


# --- direct conversations ---------------------------------------------------------------------------------------------


def direct_open_refusal(actor: User, other: User | None) -> DomainError | None:
    """Why `actor` may not start a conversation with `other`, or None.

    Staff and moderators can always reach a member. A member can start one only with someone whose profile they
    can see, who hasn't switched direct messages off, and who shares an active group with them.
    """
    if not _is_active_person(actor) or actor.site_role == SiteRole.EVALUATOR:
        return Forbidden("Evaluators don't use chat.", code="forbidden")
    if other is None or not other.is_active or other.site_role == SiteRole.EVALUATOR:
        return NotFound("We couldn't find that person.", code="person_not_found")
    if other.pk == actor.pk:
        return Forbidden("You can't start a conversation with yourself.", code="not_yourself")
    if is_moderator_or_staff(actor):
        return None
    if not can_see_profile(actor, other):
        return NotFound("We couldn't find that person.", code="person_not_found")
    blocked = _block_refusal(actor, other)
    if blocked is not None:
        return blocked
    if _direct_messages_off(other):
        return _dm_off()
    if not shares_active_group(actor, other):
        return _no_shared_group()
    return None


def is_direct_recipient(user: User, room: Room) -> bool:
    """The person a request was sent to (the participant who did not ask)."""
    return room.is_direct and user.pk in room.participant_ids() and room.requested_by_id != user.pk


# --- changing messages ------------------------------------------------------------------------------------------------


def edit_refusal(user: User, message: Message, *, now: datetime | None = None) -> DomainError | None:
    """Why `user` may not edit `message` now (codes: not_your_message, message_deleted, edit_window_closed,
    and everything `post_refusal` says), or None."""
    if message.author_id != user.pk:
        return Forbidden("You can only change your own messages.", code="not_your_message")
    if message.is_deleted:
        return Forbidden("That message has been deleted.", code="message_deleted")
    now = now or timezone.now()
    if now > message.created_at + timedelta(minutes=message_edit_minutes()):
        return Forbidden(
            f"Messages can be changed for {message_edit_minutes()} minutes after sending. "
            "You can delete it and send a new one instead.",
            code="edit_window_closed",
        )
    return post_refusal(user, message.room, now=now)


def delete_refusal(user: User, message: Message) -> DomainError | None:
    if message.author_id != user.pk:
        return Forbidden("You can only delete your own messages.", code="not_your_message")
    return None


def react_refusal(user: User, message: Message) -> DomainError | None:
    if message.is_held:  # not in the room yet: a reaction would show it to everyone
        return message_not_found()
    if message.is_deleted:
        return Forbidden("That message has been deleted.", code="message_deleted")
    return post_refusal(user, message.room)


# --- lists ------------------------------------------------------------------------------------------------------------


def my_rooms_q(user: User, *, now: datetime | None = None) -> Q:
    """The rooms a person belongs to, for their room list: their active groups, events they're going to or organise
    that are open now or ended in the last week, and their direct conversations. (Moderators and staff may read more
    rooms than these; the list is for rooms they are part of.)"""
    if not _is_active_person(user) or user.site_role == SiteRole.EVALUATOR:
        return Q(pk__in=[])
    now = now or timezone.now()
    my_groups = Membership.objects.active().filter(user=user).values("group")
    return (
        Q(kind=RoomKind.GROUP, group__in=my_groups)
        | Q(kind=RoomKind.EVENT, event__in=listed_event_rooms_for(user, now=now).values("pk"))
        | Q(kind=RoomKind.DIRECT, user_low=user)
        | Q(kind=RoomKind.DIRECT, user_high=user)
    )


def listed_event_rooms_for(user: User, *, now: datetime) -> QuerySet[Event]:
    """Events whose room belongs in `user`'s list: going, a peer leader of the group, or (staff) its creator."""
    led_groups = Membership.objects.leaders().filter(user=user).values("group")
    going = Rsvp.objects.filter(user=user, status=RsvpStatus.GOING).values("event")
    mine = Q(pk__in=going) | Q(group__in=led_groups)
    if is_site_staff(user):
        mine |= Q(created_by=user)
    return Event.objects.filter(
        mine,
        starts_at__lte=now + timedelta(hours=event_room_opens_hours()),
        ends_at__gte=now - timedelta(days=7),
    )


# --- moderation -------------------------------------------------------------------------------------------------------


def can_moderate(user: User) -> bool:
    """Moderators and staff use the moderation queue, actions, sanctions and the audit log."""
    return is_moderator_or_staff(user) and not user.is_suspended


def require_moderator(user: User) -> None:
    if not can_moderate(user):
        raise Forbidden("Only moderators and staff can do that.", code="moderators_only")


def sanction_refusal(actor: User, subject: User) -> DomainError | None:
    """Why `actor` may not warn, mute, silence, suspend or ban `subject`, or None.

    Moderators sanction members and peer leaders; only staff sanction a moderator; nobody sanctions staff here (their
    accounts are a partnership matter) or an evaluator (they never take part, so there is nothing to sanction).
    Codes: moderators_only, person_not_found, not_yourself, cannot_sanction_staff, cannot_sanction_moderator,
    cannot_sanction_evaluator.
    """
    if not can_moderate(actor):
        return Forbidden("Only moderators and staff can do that.", code="moderators_only")
    if subject is None or not subject.is_active:
        return NotFound("We couldn't find that person.", code="person_not_found")
    if subject.pk == actor.pk:
        return Forbidden("You can't take moderation action about yourself.", code="not_yourself")
    if subject.site_role == SiteRole.STAFF:
        return Forbidden(
            "Staff accounts can't be sanctioned here. Please talk to the partnership lead.",
            code="cannot_sanction_staff",
        )
    if subject.site_role == SiteRole.MODERATOR and not is_site_staff(actor):
        return Forbidden("Only staff can take action about a moderator.", code="cannot_sanction_moderator")
    if subject.site_role == SiteRole.EVALUATOR:
        return Forbidden(
            "Evaluators don't take part in chat or groups, so there's nothing to sanction.",
            code="cannot_sanction_evaluator",
        )
    return None


# --- room controls (slow mode, lock, staffed hours) -------------------------------------------------------------------


def can_control_room(user: User, room: Room) -> bool:
    """Moderators and staff set slow mode, lock and staffed hours on group and event rooms (never on a direct
    conversation: two people who both said yes)."""
    return can_moderate(user) and not room.is_direct


def access_room_controls(*, user: User, room_id: int, for_update: bool = False) -> Room:
    """The room if `user` may change its controls. Codes: moderators_only, room_not_found (no such room, or a direct
    conversation)."""
    require_moderator(user)
    rooms = _rooms_queryset().select_for_update(of=("self",)) if for_update else _rooms_queryset()
    room = one_or_none(rooms.filter(pk=room_id)) if isinstance(room_id, int) else None
    if room is None or not can_control_room(user, room):
        raise room_not_found()
    return room

"""Sanctions: warn, mute in a room, silence everywhere, suspend, ban from a group - and lifting them.

Each one is for moderators and staff (messaging.permissions.sanction_refusal says who may sanction whom), writes a
Sanction row and an audit entry, and tells the person kindly what happened and until when - never who reported
them. They take effect at once: mute and silence on the person's next message (messaging.permissions.post_refusal
checks the Sanction rows), a suspension closes their open sockets with 4403 and signs them out everywhere
(community.services.suspension), a ban takes them out of the group and its chat.

Acting twice changes nothing: a sanction of the same kind (and room or group) already in force that lasts at least
as long is returned as it is, with no second audit entry; a longer one extends it. Durations are whole numbers in a
bounded range (`invalid_duration` otherwise).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community.errors import Conflict, InvalidInput, NotFound
from community.models import Group, User
from community.services.audit import audit_record
from community.services.memberships import membership_ban, membership_unban
from community.services.notifications import notify
from community.services.suspension import UNTIL_LIFTED, account_suspend, account_unsuspend, describe_until
from messaging import permissions
from messaging.models import ModerationCase, Room, Sanction, SanctionKind
from messaging.selectors import room_title
from messaging.services.moderation.common import clean_reason, room_group

MUTE_MINUTES_MAX = 43_200  # 30 days
SUSPEND_HOURS_MAX = 8_760  # a year
WARN_REPEAT_MINUTES = 10  # the same warning again within this time is the same warning (a double tap)


# --- checks -----------------------------------------------------------------------------------------------------------


def check_duration(value, *, most: int, unit: str) -> int:
    """A whole number from 1 to `most`. Code: invalid_duration."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise InvalidInput(
            f"The time needs to be a whole number of {unit} from 1 to {most:,}.",
            code="invalid_duration",
            fields={"duration": [f"A whole number of {unit} from 1 to {most:,}."]},
        )
    return value


def _subject(actor: User, user_id: int) -> User:
    user = (
        User.objects.filter(pk=user_id).first() if isinstance(user_id, int) and not isinstance(user_id, bool) else None
    )
    refusal = permissions.sanction_refusal(actor, user)
    if refusal is not None:
        raise refusal
    return user


def _case(case_id: int | None) -> ModerationCase | None:
    if case_id is None:
        return None
    case = ModerationCase.objects.filter(pk=case_id).first() if isinstance(case_id, int) else None
    if case is None:
        raise NotFound("We couldn't find that case.", code="case_not_found")
    return case


def _room(room_id: int) -> Room:
    room = (
        Room.objects.select_related("group", "event", "event__group", "user_low", "user_high")
        .filter(pk=room_id)
        .first()
        if isinstance(room_id, int) and not isinstance(room_id, bool)
        else None
    )
    if room is None:
        raise permissions.room_not_found()
    return room


def _describe(sanction: Sanction) -> dict:
    return {
        "kind": sanction.kind,
        "room_id": sanction.room_id,
        "group_id": sanction.group_id,
        "ends_at": sanction.ends_at.isoformat() if sanction.ends_at else None,
        "lifted_at": sanction.lifted_at.isoformat() if sanction.lifted_at else None,
    }


def _until(ends_at: datetime | None) -> str:
    return describe_until(ends_at) if ends_at else "until a moderator lifts it"


# --- the one way a sanction is made -----------------------------------------------------------------------------------


def _in_force(*, user: User, kind: str, room: Room | None, group: Group | None, now: datetime):
    return (
        Sanction.objects.select_for_update()
        .filter(user=user, kind=kind, room=room, group=group, lifted_at__isnull=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-id")
        .first()
    )


def _sanction_apply(
    *,
    actor: User,
    user: User,
    kind: str,
    reason: str,
    ends_at: datetime | None,
    now: datetime,
    room: Room | None = None,
    group: Group | None = None,
    case: ModerationCase | None = None,
) -> tuple[Sanction, bool]:
    """Make the sanction, or extend the one in force. Returns (sanction, changed). Runs inside a transaction."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one sanction change per person at a time
    existing = _in_force(user=user, kind=kind, room=room, group=group, now=now)
    audit_group = group or room_group(room)
    if existing is not None:
        if existing.ends_at is None or (ends_at is not None and existing.ends_at >= ends_at):
            return existing, False
        before = _describe(existing)
        existing.ends_at = ends_at
        existing.save(update_fields=["ends_at"])
        audit_record(
            actor=actor,
            action=f"sanction.{kind}.extended",
            target=existing,
            group=audit_group,
            data={"user_id": user.pk, "before": before, "after": _describe(existing), "reason": reason},
        )
        return existing, True
    sanction = Sanction.objects.create(
        user=user,
        kind=kind,
        room=room,
        group=group,
        case=case,
        reason=reason,
        starts_at=now,
        ends_at=ends_at,
        created_by=actor,
    )
    _audit_new(actor=actor, sanction=sanction, group=audit_group)
    return sanction, True


def _audit_new(*, actor: User, sanction: Sanction, group: Group | None = None) -> None:
    audit_record(
        actor=actor,
        action=f"sanction.{sanction.kind}",
        target=sanction,
        group=group,
        data={
            "user_id": sanction.user_id,
            "case_id": sanction.case_id,
            "before": None,
            "after": _describe(sanction),
            "reason": sanction.reason,
        },
    )


def _tell(user: User, *, title: str, body: str, url: str = "") -> None:
    notify(user=user, kind="moderation_notice", title=title, body=body, url=url)


# --- the sanctions ----------------------------------------------------------------------------------------------------


def member_warn(*, actor: User, user_id: int, reason: str, case_id: int | None = None) -> Sanction:
    """A private, kind notice to the person. The same warning again (same case, or the same words within a few
    minutes) is not sent twice."""
    reason = clean_reason(reason)
    user = _subject(actor, user_id)
    case = _case(case_id)
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        earlier = Sanction.objects.filter(user=user, kind=SanctionKind.WARN, lifted_at__isnull=True)
        same = (
            earlier.filter(case=case).first()
            if case is not None
            else earlier.filter(reason=reason, starts_at__gte=now - timedelta(minutes=WARN_REPEAT_MINUTES)).first()
        )
        if same is not None:
            return same
        sanction = Sanction.objects.create(
            user=user, kind=SanctionKind.WARN, case=case, reason=reason, starts_at=now, created_by=actor
        )
        _audit_new(actor=actor, sanction=sanction)
        _tell(
            user,
            title="A note from the moderators",
            body=(
                f"{reason}\n\nThis is a friendly reminder about how we look after each other here - you're not in "
                "trouble. If you'd like to talk about it, you can message a moderator or a member of staff."
            ),
        )
    return sanction


def member_mute_in_room(
    *, actor: User, user_id: int, room_id: int, minutes: int, reason: str, case_id: int | None = None
) -> Sanction:
    """Stop the person posting in one room for a while (they can still read it)."""
    minutes = check_duration(minutes, most=MUTE_MINUTES_MAX, unit="minutes")
    reason = clean_reason(reason)
    user = _subject(actor, user_id)
    room = _room(room_id)
    case = _case(case_id)
    now = timezone.now()
    with transaction.atomic():
        sanction, changed = _sanction_apply(
            actor=actor,
            user=user,
            kind=SanctionKind.ROOM_MUTE,
            reason=reason,
            ends_at=now + timedelta(minutes=minutes),
            now=now,
            room=room,
            case=case,
        )
        if changed:
            _tell(
                user,
                title=f"You can't post in {room_title(room, viewer=user)} for a while",
                body=(
                    f"A moderator has paused your messages in this chat {_until(sanction.ends_at)}. You can still "
                    f"read it, and post everywhere else.\n\nWhy: {reason}"
                ),
                url=reverse("messaging:room", args=[room.pk]),
            )
    return sanction


def member_silence(*, actor: User, user_id: int, minutes: int, reason: str, case_id: int | None = None) -> Sanction:
    """Stop the person posting anywhere for a while (they can still read everything)."""
    minutes = check_duration(minutes, most=MUTE_MINUTES_MAX, unit="minutes")
    reason = clean_reason(reason)
    user = _subject(actor, user_id)
    case = _case(case_id)
    now = timezone.now()
    with transaction.atomic():
        sanction, changed = _sanction_apply(
            actor=actor,
            user=user,
            kind=SanctionKind.SILENCE,
            reason=reason,
            ends_at=now + timedelta(minutes=minutes),
            now=now,
            case=case,
        )
        if changed:
            _tell(
                user,
                title="Your messages are paused for a while",
                body=(
                    f"A moderator has paused your messages {_until(sanction.ends_at)}. You can still read "
                    f"everything.\n\nWhy: {reason}"
                ),
            )
    return sanction


def member_suspend(
    *, actor: User, user_id: int, hours: int | None, reason: str, case_id: int | None = None
) -> Sanction:
    """The person can't sign in until then (`hours` None: until lifted). They are signed out everywhere and their
    open sockets are closed with 4403 at once."""
    if hours is not None:
        hours = check_duration(hours, most=SUSPEND_HOURS_MAX, unit="hours")
    reason = clean_reason(reason)
    user = _subject(actor, user_id)
    case = _case(case_id)
    now = timezone.now()
    ends_at = now + timedelta(hours=hours) if hours is not None else None
    with transaction.atomic():
        sanction, changed = _sanction_apply(
            actor=actor,
            user=user,
            kind=SanctionKind.SUSPEND,
            reason=reason,
            ends_at=ends_at,
            now=now,
            case=case,
        )
        if changed:
            account_suspend(actor=actor, user=user, until=sanction.ends_at or UNTIL_LIFTED, reason=reason)
            _tell(
                user,
                title="Your Here and Now account is suspended",
                body=(
                    f"A moderator has suspended your account {_until(sanction.ends_at)}, so you can't sign in for "
                    f"now.\n\nWhy: {reason}\n\nIf you think this is a mistake, or you'd like to talk about it, "
                    "please contact a member of staff."
                ),
            )
    return sanction


def member_ban_from_group(
    *, actor: User, user_id: int, group_slug: str, reason: str, case_id: int | None = None
) -> Sanction:
    """Take the person out of a group and keep them out until lifted (community.services.memberships)."""
    reason = clean_reason(reason)
    user = _subject(actor, user_id)
    group = Group.objects.filter(slug=group_slug).first() if isinstance(group_slug, str) else None
    if group is None:
        raise NotFound("We couldn't find that group.", code="group_not_found")
    case = _case(case_id)
    now = timezone.now()
    with transaction.atomic():
        sanction, changed = _sanction_apply(
            actor=actor,
            user=user,
            kind=SanctionKind.GROUP_BAN,
            reason=reason,
            ends_at=None,
            now=now,
            group=group,
            case=case,
        )
        if changed:
            membership_ban(actor=actor, group=group, user=user, tell=False)  # this notice says why and until when
            _tell(
                user,
                title=f"You can't take part in {group.name} for now",
                body=(
                    f"A moderator has stopped you taking part in {group.name} until they lift it.\n\nWhy: {reason}"
                    "\n\nYou're still welcome in your other groups. If you'd like to talk about it, please contact "
                    "a member of staff."
                ),
            )
    return sanction


def sanction_lift(*, actor: User, sanction_id: int, reason: str) -> Sanction:
    """End a sanction now (a suspension or a ban is undone too). Lifting twice is fine."""
    permissions.require_moderator(actor)
    reason = clean_reason(reason)
    with transaction.atomic():
        sanction = (
            Sanction.objects.select_for_update(of=("self",))
            .select_related("user", "room", "group")
            .filter(pk=sanction_id)
            .first()
            if isinstance(sanction_id, int) and not isinstance(sanction_id, bool)
            else None
        )
        if sanction is None:
            raise NotFound("We couldn't find that sanction.", code="sanction_not_found")
        refusal = permissions.sanction_refusal(actor, sanction.user)
        if refusal is not None and refusal.code != "person_not_found":
            raise refusal
        if sanction.lifted_at is not None:
            return sanction
        before = _describe(sanction)
        was_in_force = sanction.is_in_force()
        sanction.lifted_at = timezone.now()
        sanction.lifted_by = actor
        sanction.save(update_fields=["lifted_at", "lifted_by"])
        audit_record(
            actor=actor,
            action=f"sanction.{sanction.kind}.lifted",
            target=sanction,
            group=sanction.group or room_group(sanction.room),
            data={"user_id": sanction.user_id, "before": before, "after": _describe(sanction), "reason": reason},
        )
        _undo(actor=actor, sanction=sanction, reason=reason)
        if was_in_force and sanction.kind != SanctionKind.WARN:
            _tell_lifted(sanction)
    return sanction


def _undo(*, actor: User, sanction: Sanction, reason: str) -> None:
    user = sanction.user
    if sanction.kind == SanctionKind.SUSPEND:
        still = Sanction.objects.filter(user=user, kind=SanctionKind.SUSPEND, lifted_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())
        )
        if not still.exists():
            account_unsuspend(actor=actor, user=user, reason=reason)
    elif sanction.kind == SanctionKind.GROUP_BAN and sanction.group is not None and user.is_active:
        try:
            membership_unban(actor=actor, group=sanction.group, user=user)
        except Conflict:  # the ban was already lifted on the group's page
            pass


def _tell_lifted(sanction: Sanction) -> None:
    user = sanction.user
    if sanction.kind == SanctionKind.ROOM_MUTE and sanction.room is not None:
        title = f"You can post in {room_title(sanction.room, viewer=user)} again"
    elif sanction.kind == SanctionKind.SILENCE:
        title = "You can post again"
    elif sanction.kind == SanctionKind.SUSPEND:
        title = "Your account is no longer suspended"
    else:
        title = f"You can take part in {sanction.group.name} again" if sanction.group else "A sanction was lifted"
    _tell(user, title=title, body="A moderator has lifted it. Welcome back.")

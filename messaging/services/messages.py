"""Sending, editing and deleting messages.

Words are plain text: control characters are removed, nothing is ever rendered as HTML. A resend with the same
`client_id` returns the stored message instead of storing it twice. Every change is broadcast to the room once the
transaction commits (messaging.realtime), whichever path made it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.errors import InvalidInput, NotFound
from community.images import harden_image
from community.models import User
from community.queries import one_or_none
from community.services.notifications import notify
from messaging import permissions, realtime
from messaging.models import DirectStatus, Message, MessageEdit, MessageEditKind, Room
from messaging.ratelimit import message_rate_limit, slow_mode_take
from messaging.selectors import message_payload
from messaging.services.moderation.screening import message_screen, screening_apply

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 2000
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Invisible characters that reorder text (they can disguise links and words); other format characters such as the
# zero-width joiner inside emoji are kept.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


@dataclass(frozen=True)
class SendResult:
    message: Message
    created: bool  # False: a resend of a message already stored (same client_id)


# --- checks -----------------------------------------------------------------------------------------------------------


def clean_body(body: str) -> str:
    """The words as stored: newlines made plain, control characters removed, spaces trimmed at the ends.

    Refusals: too_long (over 2,000 characters).
    """
    if not isinstance(body, str):
        raise InvalidInput("A message needs to be text.", code="invalid")
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch for ch in text if ch in "\n\t" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _BIDI_CONTROLS)
    ).strip()
    if len(text) > MAX_BODY_CHARS:
        raise InvalidInput(
            f"That message is {len(text):,} characters long. Messages can be up to {MAX_BODY_CHARS:,} characters, "
            "so please make it shorter or split it in two.",
            code="too_long",
        )
    return text


def _empty() -> InvalidInput:
    return InvalidInput("Write something first, then send.", code="empty_message")


def check_client_id(client_id: str) -> str:
    if client_id in ("", None):
        return ""
    if not isinstance(client_id, str) or not CLIENT_ID_PATTERN.match(client_id):
        raise InvalidInput(
            "client_id must be 1 to 64 letters, digits, dots, dashes, colons or underscores.",
            code="invalid_client_id",
        )
    return client_id


def _harden_chat_image(image):
    return harden_image(
        image,
        max_bytes=int(getattr(settings, "HN_CHAT_IMAGE_MAX_BYTES", 5 * 1024 * 1024)),
        max_pixels=int(getattr(settings, "HN_CHAT_IMAGE_MAX_PIXELS", 40_000_000)),
        size=int(getattr(settings, "HN_CHAT_IMAGE_SIZE", 1024)),
        crop_square=False,  # chat pictures keep their shape: scaled down to fit, never cropped or enlarged
    )


def _lock(*, actor: User, message_id: int) -> Message:
    """The message `actor` may see, its row locked until the transaction ends, keeping the room and author already
    read. The locked row is checked again: a moderator hiding it between the read and the lock wins, and the change
    is refused as for any hidden message (tests/reliability/test_races.py)."""
    message = permissions.access_message(user=actor, message_id=message_id)
    locked = Message.objects.select_for_update().filter(pk=message.pk).first()
    if locked is None or permissions.is_kept_from(actor, locked):
        raise permissions.message_not_found()
    locked.room = message.room
    locked.author = message.author
    return locked


def _payload(message: Message) -> dict:
    if message.reply_to_id:
        message.reply_to = Message.objects.select_related("author").filter(pk=message.reply_to_id).first()
    return message_payload(message)


# --- sending ----------------------------------------------------------------------------------------------------------


def message_send(
    *,
    actor: User,
    room_id: int,
    body: str,
    client_id: str = "",
    reply_to_id: int | None = None,
    image=None,
) -> SendResult:
    """Post a message in a room. A resend with a `client_id` already stored returns that message (created=False).

    The words are screened first (messaging.services.moderation.screening): a held message is stored with
    is_held and shown only to its author (their other tabs included) until a moderator approves it.

    Refusals: room_not_found, not_a_member, too_long, empty_message, invalid_client_id, reply_not_found,
    rate_limited, slow_mode, blocked_words, image errors (unsupported_image, image_too_large, ...), and every code of
    messaging.permissions.post_refusal (read_only, room_not_open, dm_not_accepted, room_locked, silenced, ...).
    """
    text = clean_body(body)
    client_id = check_client_id(client_id)
    if not text and image is None:
        raise _empty()
    clean_image = _harden_chat_image(image) if image is not None else None

    with transaction.atomic():
        # The room's row stays locked until the commit, so a room's messages commit in id order (also across server
        # processes) and are broadcast in that order: a client that catches up with `after` (the highest id it has
        # seen) can't miss one committed later with a lower id. It also stops two first messages of a direct request
        # arriving at once from both counting as "the first".
        room = permissions.access_room(user=actor, room_id=room_id, for_update=True)
        if client_id:
            existing = one_or_none(Message.objects.filter(room=room, author=actor, client_id=client_id))
            if existing is not None:
                return SendResult(existing, created=False)
        permissions.require_can_post(user=actor, room=room)
        reply_to = _reply_target(room=room, reply_to_id=reply_to_id)
        screening = message_screen(actor=actor, room=room, text=text, has_image=clean_image is not None)
        if not permissions.is_moderator_or_staff(actor):
            slow_mode_take(user_id=actor.pk, room_id=room.pk, seconds=room.slow_mode_seconds)
        message_rate_limit(user_id=actor.pk)
        message = Message(
            room=room,
            author=actor,
            body=text,
            client_id=client_id,
            reply_to=reply_to,
            is_held=screening.holds,
            held_reason=screening.hold_reason,
        )
        if clean_image is not None:
            message.image.save(clean_image.name, clean_image, save=False)
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:  # the same client_id arrived twice at once; the other one won
            existing = Message.objects.filter(room=room, author=actor, client_id=client_id).first()
            if existing is None:
                raise
            return SendResult(existing, created=False)
        screening_apply(screening=screening, message=message, actor=actor)
        if message.is_held:
            _tell_author_only(message)
            return SendResult(message, created=True)
        if room.is_direct and room.direct_status == DirectStatus.REQUESTED:
            _tell_about_request(actor=actor, room=room)
        realtime.on_commit_message_new(room_id=room.pk, payload=message_payload(message, reactions=[]))
    return SendResult(message, created=True)


def _tell_author_only(message: Message) -> None:
    """A held message goes to its author's tabs only, with is_held, so they see it waiting."""
    frame = {"type": "message.new", "room": message.room_id, "message": message_payload(message, reactions=[])}
    realtime.on_commit_to_user(user_id=message.author_id, frame=frame)


def _reply_target(*, room: Room, reply_to_id: int | None) -> Message | None:
    if reply_to_id is None:
        return None
    target = (
        Message.objects.select_related("author").filter(pk=reply_to_id, room=room).first()
        if isinstance(reply_to_id, int)
        else None
    )
    if target is None or target.is_hidden or target.is_held:  # a held message is its author's alone for now
        raise NotFound("We couldn't find the message you're replying to in this chat.", code="reply_not_found")
    return target


def _tell_about_request(*, actor: User, room: Room) -> None:
    recipient = room.user_high if actor.pk == room.user_low_id else room.user_low
    notify(
        user=recipient,
        kind="direct_request",
        title=f"{actor.display_name} would like to message you",
        body="You can read their message, then accept or decline. If you decline, they won't be told why.",
    )


# --- editing and deleting ---------------------------------------------------------------------------------------------


def message_edit(*, actor: User, message_id: int, body: str) -> Message:
    """Change the words of your own message, within HN_MESSAGE_EDIT_MINUTES of sending. The earlier words are kept
    (MessageEdit) for moderators. Saving the same words changes nothing.

    Refusals: message_not_found, not_your_message, message_deleted, edit_window_closed, too_long, empty_message,
    rate_limited, and the posting codes (read_only, not_a_member, ...).
    """
    text = clean_body(body)
    with transaction.atomic():
        message = _lock(actor=actor, message_id=message_id)
        refusal = permissions.edit_refusal(actor, message)
        if refusal is not None:
            raise refusal
        if not text and not message.image:
            raise _empty()
        if text == message.body:
            return message
        screening = message_screen(actor=actor, room=message.room, text=text, editing=True)
        message_rate_limit(user_id=actor.pk)
        MessageEdit.objects.create(
            message=message, kind=MessageEditKind.EDIT, previous_body=message.body, edited_by=actor
        )
        was_held = message.is_held
        message.body = text
        message.edited_at = timezone.now()
        fields = ["body", "edited_at"]
        if screening.holds and not was_held:
            message.is_held, message.held_reason = True, screening.hold_reason
            fields += ["is_held", "held_reason"]
        message.save(update_fields=fields)
        screening_apply(screening=screening, message=message, actor=actor)
        _broadcast_change(message, newly_held=message.is_held and not was_held)
    return message


def _broadcast_change(message: Message, *, newly_held: bool = False) -> None:
    """An edit or deletion: to the room, unless the message is held (then to its author only). A message that an
    edit has just held is withdrawn from everyone else's view: they get it without its words, marked held."""
    payload = _payload(message)
    if message.is_held and not newly_held:
        realtime.on_commit_to_user(
            user_id=message.author_id, frame={"type": "message.updated", "room": message.room_id, "message": payload}
        )
        return
    if newly_held:
        withdrawn = {**payload, "body": "", "image_url": None, "reactions": [], "reply_to": None}
        realtime.on_commit_message_updated(room_id=message.room_id, payload=withdrawn)
        realtime.on_commit_to_user(
            user_id=message.author_id, frame={"type": "message.updated", "room": message.room_id, "message": payload}
        )
        return
    realtime.on_commit_message_updated(room_id=message.room_id, payload=payload)


def message_delete(*, actor: User, message_id: int) -> Message:
    """Delete your own message: everyone sees "message deleted" in its place. The words are kept for moderators
    (MessageEdit). Deleting twice is fine.

    Refusals: message_not_found, not_your_message.
    """
    with transaction.atomic():
        message = _lock(actor=actor, message_id=message_id)
        refusal = permissions.delete_refusal(actor, message)
        if refusal is not None:
            raise refusal
        if message.is_deleted:
            return message
        MessageEdit.objects.create(
            message=message, kind=MessageEditKind.DELETE, previous_body=message.body, edited_by=actor
        )
        image_name = message.image.name if message.image else ""
        message.body = ""
        message.image = ""
        message.deleted_at = timezone.now()
        message.save(update_fields=["body", "image", "deleted_at"])
        if image_name:
            transaction.on_commit(lambda: _remove_file(message, image_name), robust=True)
        _broadcast_change(message)
    return message


def _remove_file(message: Message, name: str) -> None:
    try:
        message.image.storage.delete(name)
    except Exception:  # the row no longer points at it; a leftover file is only disk space
        logger.exception("Could not remove the picture of deleted message %s", message.pk)

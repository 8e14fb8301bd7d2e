"""Reactions: one of a small fixed set, toggled on and off."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from community.errors import InvalidInput
from community.models import User
from messaging import permissions, realtime
from messaging.models import REACTIONS, Message, Reaction
from messaging.ratelimit import reaction_rate_limit
from messaging.selectors import message_payload, reactions_payload

_VARIATION_SELECTOR = "\ufe0f"
_BY_BARE_FORM = {emoji.replace(_VARIATION_SELECTOR, ""): emoji for emoji in REACTIONS}


@dataclass(frozen=True)
class ToggleResult:
    message: Message
    added: bool
    reactions: list[dict]


def reaction_choice(emoji: str) -> str:
    """The stored form of a reaction (❤ and ❤️ are the same), or `unknown_reaction`."""
    bare = emoji.strip().replace(_VARIATION_SELECTOR, "") if isinstance(emoji, str) else ""
    if bare not in _BY_BARE_FORM:
        raise InvalidInput(f"Please choose one of these reactions: {' '.join(REACTIONS)}", code="unknown_reaction")
    return _BY_BARE_FORM[bare]


def reaction_toggle(*, actor: User, message_id: int, emoji: str) -> ToggleResult:
    """Add your reaction to a message, or take it away if it's already there. Everyone in the room sees the change.

    Refusals: unknown_reaction, message_not_found, message_deleted, rate_limited, and the posting codes
    (read_only, not_a_member, ...).
    """
    choice = reaction_choice(emoji)
    with transaction.atomic():
        found = permissions.access_message(user=actor, message_id=message_id)
        # Locking the message queues toggles on it, so the counts broadcast are never out of order.
        message = Message.objects.select_for_update().filter(pk=found.pk).first()
        if message is None:
            raise permissions.message_not_found()
        message.room, message.author = found.room, found.author
        refusal = permissions.react_refusal(actor, message)
        if refusal is not None:
            raise refusal
        reaction_rate_limit(user_id=actor.pk)
        removed, _ = Reaction.objects.filter(message=message, user=actor, emoji=choice).delete()
        added = not removed
        if added:
            try:
                with transaction.atomic():
                    Reaction.objects.create(message=message, user=actor, emoji=choice)
            except IntegrityError:
                pass  # added a moment ago by the same person in another tab
        reactions = list(Reaction.objects.filter(message=message).order_by("id"))
        if message.reply_to_id:
            message.reply_to = Message.objects.select_related("author").filter(pk=message.reply_to_id).first()
        realtime.on_commit_message_updated(
            room_id=message.room_id, payload=message_payload(message, reactions=reactions)
        )
    return ToggleResult(message=message, added=added, reactions=reactions_payload(reactions))

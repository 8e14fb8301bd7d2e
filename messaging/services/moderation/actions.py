"""Moderator actions on one message: hide and restore, remove, and approve or reject a held message.

Each action is for moderators and staff only, locks the message's row, saves only what changed, writes an audit
entry (before, after, reason) and reaches every connected client once the transaction commits. Acting twice changes
nothing and writes no second audit entry.

What people see:
- hidden: everyone gets message.updated with is_hidden, hidden_reason "moderator" and no words: "Removed by a
  moderator". Restored: the words come back (also for a message hidden automatically by reports).
- removed: like the author deleting it - the words are erased for good (kept in MessageEdit for the record) - but
  shown as "Removed by a moderator". It can't be restored.
- a held message approved: is_held False and message.new to the room, with its original id. Clients place it by id,
  so it appears in its place in the conversation. A client that was offline when it was approved and has already
  seen later messages won't get it by catching up with `after` (that replays ids above the newest it saw); it
  appears when the room's history is loaded again (a page load, or the REST history).
- a held message rejected: nobody else ever sees it; its author's tabs get message.updated showing it was removed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from community.errors import Conflict
from community.models import User
from community.services.audit import audit_record
from messaging import permissions, realtime
from messaging.models import (
    CaseKind,
    CaseOutcome,
    CaseStatus,
    Message,
    MessageEdit,
    MessageEditKind,
    ModerationCase,
)
from messaging.services.moderation.common import clean_reason, on_commit_changed, payload_for, room_group

HIDDEN_BY_MODERATOR = "moderator"


def _lock(message_id: int) -> Message:
    """The message's row, locked until the transaction ends. Moderators reach messages in every room (direct
    conversations too: a reported message must be actionable)."""
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("room", "room__group", "room__event", "room__event__group", "author")
        .filter(pk=message_id)
        .first()
        if isinstance(message_id, int) and not isinstance(message_id, bool)
        else None
    )
    if message is None:
        raise permissions.message_not_found()
    return message


def _state(message: Message) -> dict:
    return {
        "is_hidden": message.is_hidden,
        "hidden_reason": message.hidden_reason,
        "is_held": message.is_held,
        "is_deleted": message.is_deleted,
    }


def _audit(*, actor: User, action: str, message: Message, before: dict, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        target=message,
        group=room_group(message.room),
        data={
            "room_id": message.room_id,
            "author_id": message.author_id,
            "before": before,
            "after": _state(message),
            "reason": reason,
        },
    )


def message_hide(*, actor: User, message_id: int, reason: str) -> Message:
    """Hide a message from everyone ("Removed by a moderator"). Hiding one that reports hid automatically makes it a
    moderator's decision. Refusals: moderators_only, message_not_found, reason_required, reason_too_long."""
    permissions.require_moderator(actor)
    reason = clean_reason(reason)
    with transaction.atomic():
        message = _lock(message_id)
        if message.is_hidden and message.hidden_reason == HIDDEN_BY_MODERATOR:
            return message
        before = _state(message)
        message.is_hidden = True
        message.hidden_reason = HIDDEN_BY_MODERATOR
        message.hidden_by = actor
        message.hidden_at = timezone.now()
        message.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        _audit(actor=actor, action="message.hidden", message=message, before=before, reason=reason)
        on_commit_changed(message)
    return message


def message_restore(*, actor: User, message_id: int, reason: str = "") -> Message:
    """Bring a hidden message back for everyone (hidden by a moderator or by reports).
    Refusals: moderators_only, message_not_found, message_removed (its words were removed for good)."""
    permissions.require_moderator(actor)
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        message = _lock(message_id)
        if not message.is_hidden:
            return message
        if message.is_deleted:
            raise Conflict("That message was removed, so there's nothing to bring back.", code="message_removed")
        before = _state(message)
        message.is_hidden = False
        message.hidden_reason = ""
        message.hidden_by = None
        message.hidden_at = None
        message.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        _audit(actor=actor, action="message.restored", message=message, before=before, reason=reason)
        on_commit_changed(message)
    return message


def message_remove(*, actor: User, message_id: int, reason: str) -> Message:
    """Remove a message for good: its words and picture are erased (the words kept in MessageEdit for the record)
    and everyone sees "Removed by a moderator". Refusals: moderators_only, message_not_found, reason_required."""
    permissions.require_moderator(actor)
    reason = clean_reason(reason)
    with transaction.atomic():
        message = _lock(message_id)
        if message.is_deleted and message.is_hidden:
            return message
        before = _state(message)
        fields = ["is_hidden", "hidden_reason", "hidden_by", "hidden_at"]
        if not message.is_deleted:
            MessageEdit.objects.create(
                message=message, kind=MessageEditKind.DELETE, previous_body=message.body, edited_by=actor
            )
            image_name = message.image.name if message.image else ""
            message.body = ""
            message.image = ""
            message.deleted_at = timezone.now()
            fields += ["body", "image", "deleted_at"]
            if image_name:
                storage = message.image.storage
                transaction.on_commit(lambda: storage.delete(image_name), robust=True)
        message.is_hidden = True
        message.hidden_reason = HIDDEN_BY_MODERATOR
        message.hidden_by = actor
        message.hidden_at = timezone.now()
        message.save(update_fields=fields)
        _audit(actor=actor, action="message.removed", message=message, before=before, reason=reason)
        on_commit_changed(message)
    return message


def held_message_approve(*, actor: User, message_id: int) -> Message:
    """Show a held message to everyone: message.new to the room with its original id, and the open case about it
    resolved as approved. Refusals: moderators_only, message_not_found, already_rejected."""
    permissions.require_moderator(actor)
    with transaction.atomic():
        message = _lock(message_id)
        if not message.is_held:
            return message
        if message.is_hidden:
            raise Conflict("That message was already turned down, so it can't be shown now.", code="already_rejected")
        before = _state(message)
        message.is_held = False
        message.save(update_fields=["is_held"])
        _audit(actor=actor, action="message.approved", message=message, before=before)
        payload = payload_for(message)
        realtime.on_commit_message_new(room_id=message.room_id, payload=payload)
        _resolve_open_case(actor=actor, message=message, outcome=CaseOutcome.APPROVED)
    return message


def held_message_reject(*, actor: User, message_id: int, reason: str) -> Message:
    """Keep a held message from everyone for good; its author sees it as removed by a moderator. The open case
    about it is resolved. Refusals: moderators_only, message_not_found, not_held, reason_required."""
    permissions.require_moderator(actor)
    reason = clean_reason(reason)
    with transaction.atomic():
        message = _lock(message_id)
        if not message.is_held:
            raise Conflict("That message isn't waiting for review any more. You can hide it instead.", code="not_held")
        if message.is_hidden:  # already kept from everyone (hidden earlier): only the case is left to close
            _resolve_open_case(actor=actor, message=message, outcome=CaseOutcome.HIDDEN, note=reason)
            return message
        before = _state(message)
        message.is_hidden = True
        message.hidden_reason = HIDDEN_BY_MODERATOR
        message.hidden_by = actor
        message.hidden_at = timezone.now()
        message.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
        _audit(actor=actor, action="message.rejected", message=message, before=before, reason=reason)
        on_commit_changed(message)
        _resolve_open_case(actor=actor, message=message, outcome=CaseOutcome.HIDDEN, note=reason)
    return message


def _resolve_open_case(*, actor: User, message: Message, outcome: str, note: str = "") -> None:
    case_id = (
        ModerationCase.objects.filter(kind=CaseKind.MESSAGE, message=message, status=CaseStatus.OPEN)
        .values_list("pk", flat=True)
        .first()
    )
    if case_id is not None:
        from messaging.services.moderation.case_review import case_resolve

        case_resolve(actor=actor, case_id=case_id, outcome=outcome, note=note)

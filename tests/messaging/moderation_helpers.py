"""Helpers shared by the moderation tests."""

from __future__ import annotations

from community.models import AuditEntry
from messaging.models import Message


def audit_actions(target) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def held_message(room, author, body="Hello everyone, I'm new") -> Message:
    return Message.objects.create(room=room, author=author, body=body, is_held=True, held_reason="new_member")

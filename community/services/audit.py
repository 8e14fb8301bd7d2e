"""The append-only audit log."""

from __future__ import annotations

from django.db import models

from community.models import AuditEntry, Group, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    group: Group | None = None,
    data: dict | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        group=group,
        data=data or {},
    )

"""Notifications: the shared way every feature tells a person something."""

from __future__ import annotations

from community.models import Notification, User
from community.notification_kinds import get_kind


def notify(*, user: User, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Store an in-app notification for `user` (email and live delivery are layered on by this module)."""
    get_kind(kind)
    return Notification.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url[:300])

"""Reads about notifications that the pages, the API and the live push share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.db.models import Count, QuerySet

from community.models import Notification, NotificationPreference, Profile, User
from community.notification_kinds import all_kinds


def notification_list_for_user(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's own notifications, newest first. One query per page whatever the number of rows."""
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    if unread_only:
        notifications = notifications.unread()
    return notifications


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.unread().filter(user=user).count()


def unread_counts(*, user_ids: list[int]) -> dict[int, int]:
    """Unread counts for many people in one query (people with none are missing from the answer)."""
    rows = (
        Notification.objects.unread()
        .filter(user_id__in=set(user_ids))
        .values("user_id")
        .annotate(unread=Count("id"))
        .values_list("user_id", "unread")
    )
    return dict(rows)


def notification_payload(notification: Notification) -> dict:
    """A notification as the socket sends it: the same fields as the API."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
        "is_read": notification.read_at is not None,
    }


@dataclass(frozen=True)
class KindPreference:
    key: str
    label: str
    email: bool
    safety_critical: bool


@dataclass(frozen=True)
class NotificationPreferences:
    kinds: list[KindPreference]
    quiet_hours_start: time | None
    quiet_hours_end: time | None


def notification_preferences_for_user(*, user: User) -> NotificationPreferences:
    """Every kind, with whether `user` gets it by email, and their quiet hours. Two queries."""
    choices = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    profile = Profile.objects.filter(user=user).values("quiet_hours_start", "quiet_hours_end").first() or {}
    kinds = [
        KindPreference(
            key=kind.key,
            label=kind.label,
            email=True if kind.safety_critical else choices.get(kind.key, kind.email_by_default),
            safety_critical=kind.safety_critical,
        )
        for kind in all_kinds()
    ]
    return NotificationPreferences(
        kinds=kinds,
        quiet_hours_start=profile.get("quiet_hours_start"),
        quiet_hours_end=profile.get("quiet_hours_end"),
    )

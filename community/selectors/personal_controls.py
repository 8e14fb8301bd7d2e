"""Reads about a person's own blocks and mutes, shared by the settings page, the profile page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from community import permissions
from community.models import PersonBlock, PersonMute, User


def my_blocks(*, user: User) -> QuerySet[PersonBlock]:
    """The people `user` blocked, newest first, with each person loaded (one query)."""
    return PersonBlock.objects.filter(blocker_id=user.pk).select_related("blocked").order_by("-created_at", "-id")


def my_mutes(*, user: User) -> QuerySet[PersonMute]:
    return PersonMute.objects.filter(muter_id=user.pk).select_related("muted").order_by("-created_at", "-id")


@dataclass(frozen=True)
class ControlState:
    """What `viewer` has chosen about one person, and what they may choose (for buttons on a profile)."""

    blocked: bool
    muted: bool
    can_block: bool
    can_mute: bool


def control_state(*, viewer: User, person: User) -> ControlState:
    if not permissions.can_use_personal_controls(viewer) or viewer.pk == person.pk:
        return ControlState(blocked=False, muted=False, can_block=False, can_mute=False)
    return ControlState(
        blocked=permissions.has_blocked(viewer, person),
        muted=permissions.has_muted(viewer, person),
        can_block=permissions.can_block(viewer, person),
        can_mute=True,
    )

"""Reads of the participation ledger and ties: who someone has met at activities, and how often."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from community.models import ParticipationEntry, Tie, User


@dataclass(frozen=True)
class PeerTie:
    """A tie seen from one person's side: the other person, and when and how often they were at the same thing."""

    peer: User
    first_met_at: datetime
    last_met_at: datetime
    times_met: int

    @property
    def is_repeat(self) -> bool:
        return self.times_met >= 2


def ties_for(*, user: User) -> list[PeerTie]:
    """Everyone `user` has been at an activity with, most recently met first. One query whatever the number."""
    ties = list(
        Tie.objects.filter(Q(user_low=user) | Q(user_high=user))
        .select_related("user_low", "user_high")
        .order_by("-last_met_at", "-times_met", "id")
    )
    return [
        PeerTie(
            peer=tie.user_high if tie.user_low_id == user.pk else tie.user_low,
            first_met_at=tie.first_met_at,
            last_met_at=tie.last_met_at,
            times_met=tie.times_met,
        )
        for tie in ties
    ]


def peers_met_count(*, user: User, since: datetime | None = None) -> int:
    """How many different people `user` has been at an activity with (only activities from `since`, if given)."""
    if since is None:
        return Tie.objects.filter(Q(user_low=user) | Q(user_high=user)).count()
    my_activities = ParticipationEntry.objects.filter(user=user, occurred_at__gte=since).values("activity_key")
    return (
        ParticipationEntry.objects.filter(activity_key__in=my_activities)
        .exclude(user=user)
        .values("user_id")
        .distinct()
        .count()
    )

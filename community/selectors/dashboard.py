"""My dashboard: one member's own wellbeing over time, their connections in plain numbers, and their goals.

Only ever about the person asking (there is no argument that names anyone else); community.permissions
require_own_dashboard refuses evaluators and visitors. A fixed number of queries whatever the history's length.

Connections come from community.metrics.connections.member_connections (docs/metrics.md): events attended, distinct
peers met, and repeat ties (met at two or more events). Everyone met counts, whatever that person's consent: this view
never leaves the member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Prefetch
from django.utils import timezone

from community import permissions
from community.metrics.connections import member_connections
from community.models import DestinationArea, Goal, GoalStep, User, WellbeingCheckIn
from community.services.destinations import activity_status_current, activity_words, area_labels

CHECKINS_SHOWN = 200  # the newest; far more than anyone records (at most one invitation every four weeks)
ONS_FIELDS = ("ons_life_satisfaction", "ons_worthwhile", "ons_happiness", "ons_anxiety")


@dataclass(frozen=True)
class MyConnections:
    events_attended: int
    people_met: int
    met_more_than_once: int

    @property
    def sentence(self) -> str:
        """ "You've been to 6 events and met 14 people, 5 of them more than once." in kind, plain words."""
        if not self.events_attended:
            return "You haven't been to an event yet. When you do, you'll see here how many people you've met."
        events = "1 event" if self.events_attended == 1 else f"{self.events_attended} events"
        if not self.people_met:
            return f"You've been to {events}."
        people = "1 person" if self.people_met == 1 else f"{self.people_met} people"
        sentence = f"You've been to {events} and met {people}"
        if self.met_more_than_once:
            if self.people_met == 1:
                return f"{sentence}, more than once."
            return f"{sentence}, {self.met_more_than_once} of them more than once."
        return f"{sentence}."


@dataclass(frozen=True)
class CheckInPoint:
    when: datetime  # local time
    swemwbs_metric: Decimal | None
    ons: dict[str, int | None]
    ucla_total: int | None


@dataclass(frozen=True)
class MyDashboard:
    checkins: list[CheckInPoint]
    swemwbs_first: Decimal | None
    meaningful_change: Decimal
    connections: MyConnections
    goals: list[Goal]
    areas: list[tuple[str, str]]  # (key, label) chosen, in the published order
    activity_code: str | None
    activity_words: str

    @property
    def swemwbs_band(self) -> tuple[Decimal, Decimal] | None:
        if self.swemwbs_first is None:
            return None
        return (self.swemwbs_first - self.meaningful_change, self.swemwbs_first + self.meaningful_change)


def meaningful_change() -> Decimal:
    return Decimal(str(getattr(settings, "HN_SWEMWBS_MEANINGFUL_CHANGE", 3)))


def my_connections(*, user: User) -> MyConnections:
    """Ever, from the connection metrics (community.metrics.connections.member_connections, docs/metrics.md)."""
    measures = member_connections(user=user)
    return MyConnections(
        events_attended=measures.events_attended,
        people_met=measures.peers_met,
        met_more_than_once=measures.repeat_ties,
    )


def my_checkin_points(*, user: User) -> list[CheckInPoint]:
    rows = (
        WellbeingCheckIn.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values("created_at", "swemwbs_metric", "ucla_total", *ONS_FIELDS)[:CHECKINS_SHOWN]
    )
    points = [
        CheckInPoint(
            when=timezone.localtime(row["created_at"]),
            swemwbs_metric=row["swemwbs_metric"],
            ons={name: row[name] for name in ONS_FIELDS},
            ucla_total=row["ucla_total"],
        )
        for row in rows
    ]
    points.reverse()
    return points


def my_goals(*, user: User) -> list[Goal]:
    """Open goals first (newest first), then reached ones; each with its steps and `steps_done`. Two queries."""
    goals = list(
        Goal.objects.filter(user=user)
        .prefetch_related(Prefetch("steps", queryset=GoalStep.objects.order_by("position", "id")))
        .order_by(F("achieved_at").asc(nulls_first=True), "-created_at", "-id")
    )
    for goal in goals:
        goal.steps_done = sum(1 for step in goal.steps.all() if step.done_at is not None)
    return goals


def my_areas(*, user: User) -> list[tuple[str, str]]:
    chosen = set(DestinationArea.objects.filter(user=user).values_list("area", flat=True))
    return [(key, label) for key, label in area_labels().items() if key in chosen]


def my_dashboard(*, user: User) -> MyDashboard:
    permissions.require_own_dashboard(user)
    checkins = my_checkin_points(user=user)
    first = next((point.swemwbs_metric for point in checkins if point.swemwbs_metric is not None), None)
    activity = activity_status_current(user=user)
    return MyDashboard(
        checkins=checkins,
        swemwbs_first=first,
        meaningful_change=meaningful_change(),
        connections=my_connections(user=user),
        goals=my_goals(user=user),
        areas=my_areas(user=user),
        activity_code=activity.code if activity else None,
        activity_words=activity_words(activity.code) if activity else "",
    )

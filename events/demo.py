"""Demo events for `manage.py seed_demo`: a few upcoming meetups per group, made through the events services."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from community.models import Group, Membership, MembershipStatus, User
from events.models import Event, EventCategory
from events.services.events import event_create
from events.services.rsvps import rsvp_going

LONDON = ZoneInfo("Europe/London")

# Per group name: (title, category, days from today, start hour, hours long, capacity, extra event_create arguments)
PLANS = {
    "Friday Social": [
        ("Games and pizza night", EventCategory.SOCIAL, 4, 18, 2, 12, {"repeat": "weekly", "repeat_count": 6}),
        ("Bowling trip", EventCategory.SOCIAL, 12, 14, 3, 4, {"area": "City centre"}),
    ],
    "Cooking on a Budget": [
        ("Curry for under £5", EventCategory.INDEPENDENT_LIVING, 6, 17, 2, 8,
         {"destination_areas": ["independence", "healthy"]}),
    ],
    "Creative Corner": [
        ("Zine-making afternoon", EventCategory.WELLBEING, 9, 13, 3, None, {"rsvp_mode": "approval"}),
    ],
    "Next Steps": [
        ("CV drop-in with a careers adviser", EventCategory.WORK, 5, 16, 2, 10, {"destination_areas": ["job"]}),
        ("Online: applying for college", EventCategory.LEARNING, 15, 18, 1, None,
         {"is_online": True, "joining_link": "https://meet.example.org/next-steps"}),
    ],
}  # fmt: skip


def _local(days_ahead: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def seed_demo_events(*, staff: User) -> int:
    """Create the demo events for groups that have none yet; returns how many groups got events."""
    seeded = 0
    for group in Group.objects.filter(name__in=PLANS):
        if Event.objects.filter(group=group).exists():
            continue
        leader = Membership.objects.leaders().filter(group=group).select_related("user").first()
        organiser = leader.user if leader else staff
        members = [
            m.user
            for m in Membership.objects.filter(group=group, status=MembershipStatus.ACTIVE)
            .exclude(user=organiser)
            .select_related("user")
            .order_by("user__display_name")
        ]
        for title, category, days, hour, hours, capacity, extra in PLANS[group.name]:
            starts_at = _local(days, hour)
            event = event_create(
                actor=organiser,
                group=group,
                title=title,
                category=category,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=hours),
                description=f"{title}. Everyone's welcome - come as you are, and bring a friend from the group.",
                area=extra.pop("area", "" if extra.get("is_online") else "The community hub"),
                venue_address="" if extra.get("is_online") else "The Hub, 1 Example Street (ring the green door bell)",
                accessibility_info="Step-free entrance and an accessible toilet. Quiet room available.",
                capacity=capacity,
                **extra,
            )
            for person in members[: (capacity or 6) + 2]:
                rsvp_going(actor=person, event=event)
        seeded += 1
    return seeded

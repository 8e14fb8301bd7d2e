"""Synthetic data for the benchmark: members, groups, events, RSVPs and check-ins, written with bulk_create.

Deterministic for a given size and random seed (times are relative to the hour the run starts). Everything is made
up: names are like "Robin 00042", emails end in example.org. A few rows are placed on purpose so each measurement has
exactly the shape it needs:

- `member` (a member of three groups, leading none) lists upcoming events; hundreds are visible to them.
- `organiser` leads the first group; `big_event` there has exactly `big_event_people` (200) people on its lists
  (150 going, 40 waiting, 10 asking; 60 checked in) plus a few who cancelled or were declined.
- `sized_events[10]` and `sized_events[50]` have exactly 10 and 50 people, for query counts that must not depend
  on the size.
- `contention_events` each have capacity `CONTENTION_CAPACITY` and all but `CONTENTION_SEATS_LEFT` places taken;
  `contenders` (members with no RSVPs at all) race for the last places.
"""

from __future__ import annotations

import binascii
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from community.models import Group, JoinPolicy, Membership, MembershipRole, MembershipStatus, Profile, SiteRole, User
from events.models import (
    Attendance,
    CheckInMethod,
    Event,
    EventCategory,
    EventStatus,
    EventVisibility,
    Rsvp,
    RsvpMode,
    RsvpStatus,
)

DEFAULT_SEED = 20240903
CONTENTION_CAPACITY = 20
CONTENTION_SEATS_LEFT = 2
AREAS = ["Leeds", "Bradford", "Manchester", "Salford", "Bristol", "Cardiff", "Glasgow", "Newcastle", "Hackney", "Luton"]
NAMES = ["Alex", "Sam", "Jo", "Robin", "Kai", "Rae", "Jesse", "Charlie", "Drew", "Morgan", "Ash", "Bea", "Cam", "Dee"]
CATEGORIES = [choice.value for choice in EventCategory]
DESCRIPTION = (
    "Come as you are. We'll have food, music and a quiet room if you need a break. "
    "Bring a friend from the group if you like. Nobody has to talk if they don't want to; "
    "there'll be a peer leader at the door to say hello and show you round. "
)


@dataclass(frozen=True)
class SeedSize:
    members: int = 2_000
    events: int = 5_000
    rsvps: int = 100_000
    contention_events: int = 80
    contenders: int = 64
    big_event_people: int = 200  # on the organiser's attendee list (going, waiting or asking)

    @property
    def groups(self) -> int:
        return max(3, self.members // 50)


@dataclass
class Seeded:
    member_id: int
    member_token: str
    organiser_id: int
    organiser_token: str
    big_event_id: int
    big_event_people: int
    sized_events: dict[int, int]
    contention_event_ids: list[int]
    contender_ids: list[int]
    contender_tokens: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _token_key(rng: random.Random) -> str:
    return binascii.hexlify(rng.randbytes(20)).decode()


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven whole numbers that add up exactly (largest remainder)."""
    if parts <= 0:
        return []
    weights = [rng.uniform(0.2, 1.8) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [int(weight * scale) for weight in weights]
    for index in rng.sample(range(parts), total - sum(shares)):
        shares[index] += 1
    return shares


def accept_current_policies(user_ids: list[int]) -> None:
    """Seeded people have accepted the current community agreement and privacy notice, as at sign-up (otherwise the
    policy gate answers their requests 403 policies_not_accepted)."""
    from community.models import PolicyAcceptance
    from community.services.policies import policies_current

    documents = policies_current()
    PolicyAcceptance.objects.bulk_create(
        [PolicyAcceptance(user_id=pk, document=document) for pk in user_ids for document in documents],
        batch_size=1000,
    )


class _Builder:
    def __init__(self, size: SeedSize, seed: int):
        self.size = size
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.rsvps: list[Rsvp] = []
        self.going: dict[int, int] = {}
        self.attendances: list[Attendance] = []

    # --- people and groups --------------------------------------------------------------------------------------

    def people(self) -> None:
        password = make_password("bench-not-a-real-password")
        joined = self.now - timedelta(days=400)
        users = [
            User(
                email=f"bench-member-{n:05d}@example.org",
                display_name=f"{NAMES[n % len(NAMES)]} {n:05d}",
                password=password,
                site_role=SiteRole.MEMBER,
                date_joined=joined + timedelta(minutes=n),
            )
            for n in range(self.size.members)
        ]
        self.users = [user.pk for user in User.objects.bulk_create(users, batch_size=1000)]
        Profile.objects.bulk_create([Profile(user_id=pk) for pk in self.users], batch_size=1000)
        accept_current_policies(self.users)
        self.contenders = self.users[-self.size.contenders :]
        self.regular_people = self.users[: -self.size.contenders]

    def groups(self) -> None:
        groups = [
            Group(name=f"Bench group {n:03d}", slug=f"bench-group-{n:03d}", join_policy=JoinPolicy.REQUEST)
            for n in range(self.size.groups)
        ]
        self.group_ids = [group.pk for group in Group.objects.bulk_create(groups)]
        self.group_members: dict[int, list[int]] = {pk: [] for pk in self.group_ids}
        member, organiser = self.regular_people[0], self.regular_people[1]
        self.member_id, self.organiser_id = member, organiser
        memberships = []
        joined = self.now - timedelta(days=300)
        for user_id in self.users:
            if user_id == member:
                chosen = self.group_ids[:3]
            else:
                chosen = self.rng.sample(self.group_ids, self.rng.randint(1, min(4, len(self.group_ids))))
            for group_id in chosen:
                self.group_members[group_id].append(user_id)
        for group_id, people in self.group_members.items():
            if group_id == self.group_ids[0]:
                leaders = {organiser}
            else:  # the member leads nothing: they measure as a plain member
                leaders = set([person for person in people if person != member][:2])
            if group_id == self.group_ids[0] and organiser not in people:
                people.append(organiser)
            memberships += [
                Membership(
                    group_id=group_id,
                    user_id=user_id,
                    role=MembershipRole.LEADER if user_id in leaders else MembershipRole.MEMBER,
                    status=MembershipStatus.ACTIVE,
                    joined_at=joined,
                )
                for user_id in people
            ]
        Membership.objects.bulk_create(memberships, batch_size=2000)
        contenders = set(self.contenders)  # they never RSVP, so every race starts from the same place
        self.rsvp_pool = {
            group_id: [user_id for user_id in people if user_id not in contenders]
            for group_id, people in self.group_members.items()
        }

    # --- events ------------------------------------------------------------------------------------------------

    def _event(self, n: int, *, group_id: int, starts_at: datetime, **fields) -> Event:
        category = CATEGORIES[n % len(CATEGORIES)]
        values = {
            "group_id": group_id,
            "title": f"{EventCategory(category).label} meet-up {n:05d}",
            "description": DESCRIPTION * (1 + n % 3),
            "category": category,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=1 + n % 4),
            "area": AREAS[n % len(AREAS)],
            "venue_address": f"{n} High Street, {AREAS[n % len(AREAS)]}",
            "accessibility_info": "Step-free entrance and a quiet room.",
            "created_by_id": self.organiser_id if group_id == self.group_ids[0] else None,
            "created_at": starts_at - timedelta(days=21),
        }
        values.update(fields)
        return Event(**values)

    def events(self) -> None:
        first_group = self.group_ids[0]
        special = [
            self._event(
                0,
                group_id=first_group,
                starts_at=self.now - timedelta(minutes=30),
                capacity=self._big_lists()[RsvpStatus.GOING],
                rsvp_mode=RsvpMode.APPROVAL,
                visibility=EventVisibility.ALL_MEMBERS,
            ),
            self._event(1, group_id=first_group, starts_at=self.now + timedelta(days=2), capacity=10),
            self._event(2, group_id=first_group, starts_at=self.now + timedelta(days=3), capacity=50),
        ]
        contention = [
            self._event(
                3 + n,
                group_id=first_group,
                starts_at=self.now + timedelta(days=7, hours=n),
                capacity=CONTENTION_CAPACITY,
                visibility=EventVisibility.ALL_MEMBERS,
            )
            for n in range(self.size.contention_events)
        ]
        regular = []
        first = len(special) + len(contention)
        for n in range(first, self.size.events):
            starts_at = self.now + timedelta(minutes=self.rng.randint(-180 * 24 * 60, 365 * 24 * 60))
            regular.append(
                self._event(
                    n,
                    group_id=self.rng.choice(self.group_ids),
                    starts_at=starts_at,
                    capacity=None if self.rng.random() < 0.3 else self.rng.randint(10, 60),
                    rsvp_mode=RsvpMode.APPROVAL if self.rng.random() < 0.1 else RsvpMode.OPEN,
                    status=EventStatus.CANCELLED if self.rng.random() < 0.03 else EventStatus.SCHEDULED,
                    visibility=EventVisibility.ALL_MEMBERS if self.rng.random() < 0.15 else EventVisibility.GROUP,
                )
            )
        created = Event.objects.bulk_create(special + contention + regular, batch_size=1000)
        self.big_event, self.sized10, self.sized50 = created[0], created[1], created[2]
        self.contention = created[3 : 3 + len(contention)]
        self.regular = created[3 + len(contention) :]

    # --- RSVPs and check-ins -----------------------------------------------------------------------------------

    def _rsvp(self, event: Event, user_id: int, status: str, *, order: int, checked_in: bool = False) -> None:
        queued_at = event.starts_at - timedelta(days=14) + timedelta(minutes=order)
        self.rsvps.append(Rsvp(event=event, user_id=user_id, status=status, queued_at=queued_at, created_at=queued_at))
        if status == RsvpStatus.GOING:
            self.going[event.pk] = self.going.get(event.pk, 0) + 1
            if checked_in:
                self.attendances.append(
                    Attendance(
                        event=event,
                        user_id=user_id,
                        method=CheckInMethod.SELF if order % 2 else CheckInMethod.ORGANISER,
                        checked_in_at=event.starts_at + timedelta(minutes=order % 50),
                        checked_in_by_id=None if order % 2 else self.organiser_id,
                    )
                )

    def _big_lists(self) -> dict[str, int]:
        """Three quarters going (the event is full), a fifth waiting, the rest asking (it needs approval)."""
        people = self.size.big_event_people
        going, waiting = people * 3 // 4, people // 5
        return {RsvpStatus.GOING: going, RsvpStatus.WAITLISTED: waiting, RsvpStatus.PENDING: people - going - waiting}

    def _fixed_lists(self, event: Event, lists: dict[str, int], *, checked_in: int = 0) -> None:
        people = self.rng.sample(self.regular_people[2:], sum(lists.values()))
        order = 0
        for status, how_many in lists.items():
            for _ in range(how_many):
                self._rsvp(event, people[order], status, order=order, checked_in=order < checked_in)
                order += 1

    def rsvps_and_check_ins(self) -> None:
        people = self.size.big_event_people
        inactive = {RsvpStatus.CANCELLED: max(people * 6 // 100, 1), RsvpStatus.DECLINED: max(people * 15 // 1000, 1)}
        self._fixed_lists(self.big_event, {**self._big_lists(), **inactive}, checked_in=people * 3 // 10)
        self._fixed_lists(self.sized10, {RsvpStatus.GOING: 8, RsvpStatus.WAITLISTED: 2})
        self._fixed_lists(self.sized50, {RsvpStatus.GOING: 45, RsvpStatus.WAITLISTED: 5})
        taken = CONTENTION_CAPACITY - CONTENTION_SEATS_LEFT
        for event in self.contention:
            self._fixed_lists(event, {RsvpStatus.GOING: taken})
        remaining = self.size.rsvps - len(self.rsvps)
        for event, how_many in zip(self.regular, _split(remaining, len(self.regular), self.rng), strict=True):
            self._random_lists(event, how_many)

    def _random_lists(self, event: Event, how_many: int) -> None:
        pool = self.rsvp_pool[event.group_id]
        if event.visibility == EventVisibility.ALL_MEMBERS or len(pool) < how_many:
            pool = self.regular_people
        people = self.rng.sample(pool, min(how_many, len(pool)))
        past = event.ends_at < self.now
        for order, user_id in enumerate(people):
            roll = self.rng.random()
            if roll < 0.08:
                status = RsvpStatus.CANCELLED
            elif roll < 0.11:
                status = RsvpStatus.DECLINED
            elif event.rsvp_mode == RsvpMode.APPROVAL and roll < 0.2:
                status = RsvpStatus.PENDING
            elif event.capacity is not None and self.going.get(event.pk, 0) >= event.capacity:
                status = RsvpStatus.WAITLISTED
            else:
                status = RsvpStatus.GOING
            checked_in = past and event.status == EventStatus.SCHEDULED and self.rng.random() < 0.7
            self._rsvp(event, user_id, status, order=order, checked_in=checked_in)

    def save_rsvps(self) -> None:
        Rsvp.objects.bulk_create(self.rsvps, batch_size=5000)
        Attendance.objects.bulk_create(self.attendances, batch_size=5000)
        counted = [Event(pk=pk, going_count=going) for pk, going in self.going.items()]
        Event.objects.bulk_update(counted, ["going_count"], batch_size=1000)

    def tokens(self) -> tuple[str, str, list[str]]:
        people = [self.member_id, self.organiser_id, *self.contenders]
        tokens = [Token(key=_token_key(self.rng), user_id=user_id) for user_id in people]
        Token.objects.bulk_create(tokens)
        return tokens[0].key, tokens[1].key, [token.key for token in tokens[2:]]


def seed(*, size: SeedSize | None = None, random_seed: int = DEFAULT_SEED) -> Seeded:
    """Fill an empty database with the benchmark's synthetic community. Returns the ids and tokens to measure with."""
    size = size or SeedSize()
    started = time.perf_counter()
    builder = _Builder(size, random_seed)
    with transaction.atomic():
        builder.people()
        builder.groups()
        builder.events()
        builder.rsvps_and_check_ins()
        builder.save_rsvps()
        member_token, organiser_token, contender_tokens = builder.tokens()
    return Seeded(
        member_id=builder.member_id,
        member_token=member_token,
        organiser_id=builder.organiser_id,
        organiser_token=organiser_token,
        big_event_id=builder.big_event.pk,
        big_event_people=size.big_event_people,
        sized_events={10: builder.sized10.pk, 50: builder.sized50.pk},
        contention_event_ids=[event.pk for event in builder.contention],
        contender_ids=list(builder.contenders),
        contender_tokens=contender_tokens,
        counts={
            "members": User.objects.count(),
            "groups": Group.objects.count(),
            "events": Event.objects.count(),
            "rsvps": Rsvp.objects.count(),
            "check_ins": Attendance.objects.count(),
        },
        seconds=time.perf_counter() - started,
    )

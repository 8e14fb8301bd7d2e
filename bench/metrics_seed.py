"""Synthetic data for the metrics benchmark: members, groups, a participation ledger with its ties, wellbeing
check-ins, consents and activity statuses, written in bulk.

Deterministic for a given size and random seed; times are relative to the hour the run starts. Everything is made up
(names like "Metric 00042", emails at example.org). The shape:

- members belong to one group (a third to a second one); groups have about 100 members;
- activities ("event:<n>") are spread over the 18 months before the run, each in one group and category, with 4 to 20
  of that group's members (some people come a lot, most now and then), until the ledger has exactly `entries` rows;
- ties are built from the ledger by one INSERT ... SELECT (every pair at the same activity, times met, first and last),
  so they agree with it exactly, as community.services.participation would have left them;
- check-ins: `checkins` rows over two thirds of the members, with every answer filled in (a few parts left empty),
  SWEMWBS metric scores from the published table;
- consent: 85% say yes (some said no first), 5% said yes then no, the rest never answered;
- activity status: 60% of members, some twice (the newest counts).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from bench.seed import accept_current_policies
from community.models import (
    ActivityStatus,
    EvaluationConsent,
    Group,
    JoinPolicy,
    LonelinessDirect,
    Membership,
    MembershipRole,
    MembershipStatus,
    ParticipationEntry,
    Tie,
    User,
    WellbeingCheckIn,
)
from community.reference import care_leaver_activities, swemwbs_metric_scores

DEFAULT_SEED = 20261130
CATEGORIES = ["social", "wellbeing", "learning", "work", "volunteering", "independent_living"]
HISTORY_DAYS = 548  # about 18 months
BATCH = 5_000
LONELY = [choice.value for choice in LonelinessDirect]


@dataclass(frozen=True)
class MetricsSize:
    members: int = 10_000
    entries: int = 300_000
    checkins: int = 40_000
    group_size: int = 100

    @property
    def groups(self) -> int:
        return max(2, self.members // self.group_size)

    def scaled(self, members: int) -> MetricsSize:
        """The same community at another size: everything in proportion to the number of members."""
        share = members / self.members
        return MetricsSize(
            members=members,
            entries=round(self.entries * share),
            checkins=round(self.checkins * share),
            group_size=self.group_size,
        )


@dataclass
class MetricsSeeded:
    now: datetime
    staff_id: int
    member_id: int  # a consenting member with check-ins and ties, for "one member's dashboard"
    group_slugs: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _users(size: MetricsSize, now: datetime) -> list[int]:
    joined = now - timedelta(days=HISTORY_DAYS + 30)
    users = [
        User(email=f"metric-{n:05d}@example.org", display_name=f"Metric {n:05d}", password="!", date_joined=joined)
        for n in range(size.members)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    return list(User.objects.filter(email__startswith="metric-").order_by("pk").values_list("pk", flat=True))


def _groups(size: MetricsSize, member_ids: list[int], rng: random.Random, now: datetime) -> dict[int, list[int]]:
    Group.objects.bulk_create(
        [
            Group(name=f"Metric group {n:03d}", slug=f"metric-group-{n:03d}", join_policy=JoinPolicy.REQUEST)
            for n in range(size.groups)
        ]
    )
    group_ids = list(Group.objects.filter(slug__startswith="metric-group-").order_by("pk").values_list("pk", flat=True))
    members: dict[int, list[int]] = {group_id: [] for group_id in group_ids}
    rows = []
    for index, user_id in enumerate(member_ids):
        mine = {group_ids[index % len(group_ids)]}
        if rng.random() < 1 / 3:
            mine.add(rng.choice(group_ids))
        for group_id in mine:
            members[group_id].append(user_id)
            role = MembershipRole.LEADER if len(members[group_id]) <= 2 else MembershipRole.MEMBER
            rows.append(
                Membership(group_id=group_id, user_id=user_id, role=role, status=MembershipStatus.ACTIVE, joined_at=now)
            )
    Membership.objects.bulk_create(rows, batch_size=BATCH)
    return members


def _ledger(size: MetricsSize, groups: dict[int, list[int]], rng: random.Random, now: datetime) -> int:
    """Activities until the ledger has exactly `size.entries` rows. Returns the number of activities."""
    weights = {}  # how keen each person is: most come now and then, some a lot
    for people in groups.values():
        for user_id in people:
            weights.setdefault(user_id, rng.choice((1, 1, 1, 2, 2, 4, 8)))
    group_ids = list(groups)
    start = now - timedelta(days=HISTORY_DAYS)
    batch: list[ParticipationEntry] = []
    written = activity = 0
    while written < size.entries:
        activity += 1
        group_id = group_ids[activity % len(group_ids)]
        people = groups[group_id]
        wanted = min(rng.randint(4, 20), len(people), size.entries - written)
        chosen: set[int] = set()
        pool_weights = [weights[user_id] for user_id in people]
        while len(chosen) < wanted:
            chosen.update(rng.choices(people, weights=pool_weights, k=wanted - len(chosen)))
        occurred = start + timedelta(minutes=rng.randrange(HISTORY_DAYS * 24 * 60))
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        for user_id in sorted(chosen):
            batch.append(
                ParticipationEntry(
                    user_id=user_id,
                    activity_key=f"event:{activity}",
                    group_id=group_id,
                    category=category,
                    occurred_at=occurred,
                    recorded_at=occurred,
                )
            )
        written += len(chosen)
        if len(batch) >= BATCH:
            ParticipationEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        ParticipationEntry.objects.bulk_create(batch)
    return activity


def build_ties_from_ledger() -> int:
    """Every pair of people at the same activity, with how often and the first and last time: one INSERT ... SELECT,
    so the ties agree with the ledger exactly. Returns the number of ties."""
    entry, tie = ParticipationEntry._meta.db_table, Tie._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {tie} (user_low_id, user_high_id, first_met_at, last_met_at, times_met)
            SELECT a.user_id, b.user_id, MIN(a.occurred_at), MAX(a.occurred_at), COUNT(*)
            FROM {entry} a JOIN {entry} b ON b.activity_key = a.activity_key AND b.user_id > a.user_id
            GROUP BY a.user_id, b.user_id
            """  # noqa: S608 - table names from the models, no input
        )
    return Tie.objects.count()


def _checkins(size: MetricsSize, member_ids: list[int], rng: random.Random, now: datetime) -> None:
    metric = swemwbs_metric_scores()
    people = rng.sample(member_ids, k=max(1, (2 * len(member_ids)) // 3))
    rows = []
    for n in range(size.checkins):
        user_id = people[n % len(people)]
        at = now - timedelta(minutes=rng.randrange(HISTORY_DAYS * 24 * 60))
        row = WellbeingCheckIn(user_id=user_id, created_at=at)
        if rng.random() < 0.95:
            items = [rng.choice((1, 2, 3, 3, 4, 4, 5)) for _ in range(7)]
            for index, value in enumerate(items, start=1):
                setattr(row, f"swemwbs_{index}", value)
            row.swemwbs_raw = sum(items)
            row.swemwbs_metric = metric[row.swemwbs_raw]
        if rng.random() < 0.9:
            row.ons_life_satisfaction = rng.randint(0, 10)
            row.ons_worthwhile = rng.randint(0, 10)
            row.ons_happiness = rng.randint(0, 10)
            row.ons_anxiety = rng.randint(0, 10)
        if rng.random() < 0.9:
            row.ucla_companionship, row.ucla_left_out, row.ucla_isolated = (rng.randint(1, 3) for _ in range(3))
            row.ucla_total = row.ucla_companionship + row.ucla_left_out + row.ucla_isolated
            row.lonely_direct = rng.choice(LONELY)
        rows.append(row)
    WellbeingCheckIn.objects.bulk_create(rows, batch_size=BATCH)


def _consents(member_ids: list[int], rng: random.Random, now: datetime) -> None:
    rows = []
    for user_id in member_ids:
        roll = rng.random()
        first = now - timedelta(days=rng.randrange(100, HISTORY_DAYS))
        if roll < 0.85:
            if rng.random() < 0.1:
                rows.append(EvaluationConsent(user_id=user_id, consents=False, recorded_at=first - timedelta(days=9)))
            rows.append(EvaluationConsent(user_id=user_id, consents=True, recorded_at=first))
        elif roll < 0.90:
            rows.append(EvaluationConsent(user_id=user_id, consents=True, recorded_at=first))
            rows.append(EvaluationConsent(user_id=user_id, consents=False, recorded_at=first + timedelta(days=30)))
    EvaluationConsent.objects.bulk_create(rows, batch_size=BATCH)


def _statuses(member_ids: list[int], rng: random.Random, now: datetime) -> None:
    codes = [row["code"] for row in care_leaver_activities()]
    rows = []
    for user_id in member_ids:
        if rng.random() < 0.6:
            at = now - timedelta(days=rng.randrange(1, HISTORY_DAYS))
            rows.append(ActivityStatus(user_id=user_id, code=rng.choice(codes), recorded_at=at))
            if rng.random() < 0.3:
                rows.append(ActivityStatus(user_id=user_id, code=rng.choice(codes), recorded_at=at + timedelta(days=1)))
    ActivityStatus.objects.bulk_create(rows, batch_size=BATCH)


def seed_metrics(*, size: MetricsSize, random_seed: int = DEFAULT_SEED) -> MetricsSeeded:
    started = time.perf_counter()
    rng = random.Random(random_seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        member_ids = _users(size, now)
        staff = User.objects.create(
            email="metric-staff@example.org", display_name="Metric staff", password="!", site_role="staff"
        )
        accept_current_policies([*member_ids, staff.pk])
        groups = _groups(size, member_ids, rng, now)
        activities = _ledger(size, groups, rng, now)
        ties = build_ties_from_ledger()
        _checkins(size, member_ids, rng, now)
        _consents(member_ids, rng, now)
        _statuses(member_ids, rng, now)
    member_id = (
        WellbeingCheckIn.objects.filter(user__evaluation_consents__consents=True)
        .values_list("user_id", flat=True)
        .order_by("user_id")
        .first()
    )
    return MetricsSeeded(
        now=now,
        staff_id=staff.pk,
        member_id=member_id,
        group_slugs=list(Group.objects.filter(slug__startswith="metric-group-").values_list("slug", flat=True)),
        counts={
            "members": len(member_ids),
            "groups": len(groups),
            "activities": activities,
            "attendance records": ParticipationEntry.objects.count(),
            "ties": ties,
            "check-ins": WellbeingCheckIn.objects.count(),
            "consent answers": EvaluationConsent.objects.count(),
            "activity statuses": ActivityStatus.objects.count(),
        },
        seconds=time.perf_counter() - started,
    )


def clear_metrics_data() -> None:
    """Remove everything seed_metrics made (to seed again at another size in the same database)."""
    with transaction.atomic():
        Tie.objects.all().delete()
        ParticipationEntry.objects.all().delete()
        WellbeingCheckIn.objects.all().delete()
        EvaluationConsent.objects.all().delete()
        ActivityStatus.objects.all().delete()
        Membership.objects.filter(group__slug__startswith="metric-group-").delete()
        Group.objects.filter(slug__startswith="metric-group-").delete()
        User.objects.filter(email__startswith="metric-").delete()

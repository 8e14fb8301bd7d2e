"""Connection metrics from community's participation ledger and ties (docs/metrics.md, "Connection metrics").

An "event" is one activity_key in the ledger. A period is [start, end): the start day is included, the end day is not,
in the site's time zone. Per member, everything is computed from the ledger, so a period gives exactly what happened in
it. Per programme, only consenting members count (community.selectors.consent), every figure is an SQL aggregate (no
per-row Python), and the results are raw counts: pass them through community.metrics.disclosure before showing them to
anyone but the member themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, DateTimeField, Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone

from community.metrics._scope import (
    check_period,
    consenting_ids,
    group_id_of,
    in_period,
    moment,
    month_bucket,
    months_between,
    next_month,
    programme_entries,
    unindexed,
)
from community.models import Group, ParticipationEntry, Tie, User

RETURN_WINDOWS = (30, 60)


# --- One member ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberConnections:
    """One member's connections in a period (or ever, without one). See docs/metrics.md for each definition.

    returned_within_30/60 are about the member's first event ever: True if they came to another event within 30 (60)
    days of it, False if not (or not yet), None if they have no event or their first event is outside the period.
    """

    events_attended: int
    peers_met: int
    repeat_ties: int
    new_ties: int
    returned_within_30: bool | None
    returned_within_60: bool | None
    groups_active: int


def member_connections(*, user: User, start: date | None = None, end: date | None = None) -> MemberConnections:
    """`user`'s connection measures for [start, end) (either bound may be open). Two queries whatever the numbers.

    For the member's own view: everyone they met counts, whatever that person's consent."""
    mine = list(
        ParticipationEntry.objects.filter(user=user)
        .order_by("occurred_at", "id")
        .values_list("occurred_at", "group_id")
    )
    low = moment(start) if start is not None else None
    high = moment(end) if end is not None else None

    def inside(when) -> bool:
        return (low is None or when >= low) and (high is None or when < high)

    in_range = [(when, group_id) for when, group_id in mine if inside(when)]
    returned: dict[int, bool | None] = {days: None for days in RETURN_WINDOWS}
    if mine and inside(mine[0][0]):
        first = mine[0][0]
        for days in RETURN_WINDOWS:
            returned[days] = any(first < when <= first + timedelta(days=days) for when, _ in mine[1:])

    peers_met = repeat_ties = new_ties = 0
    if in_range:
        in_period_filter = Q()
        if low is not None:
            in_period_filter &= Q(occurred_at__gte=low)
        if high is not None:
            in_period_filter &= Q(occurred_at__lt=high)
        peers = (
            ParticipationEntry.objects.filter(
                activity_key__in=ParticipationEntry.objects.filter(user=user).values("activity_key")
            )
            .exclude(user=user)
            .order_by()
            .values("user_id")
            .annotate(first=Min("occurred_at"), in_period=Count("id", filter=in_period_filter))
            .filter(in_period__gt=0)
            .values_list("first", "in_period")
        )
        for first, times in peers:
            peers_met += 1
            repeat_ties += times >= 2
            new_ties += low is None or first >= low
    return MemberConnections(
        events_attended=len(in_range),
        peers_met=peers_met,
        repeat_ties=repeat_ties,
        new_ties=new_ties,
        returned_within_30=returned[30],
        returned_within_60=returned[60],
        groups_active=len({group_id for _, group_id in in_range if group_id is not None}),
    )


# --- The programme ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyActive:
    month: date  # the first day of the month
    members: int


@dataclass(frozen=True)
class MonthlyTies:
    month: date
    ties: int


@dataclass(frozen=True)
class CategoryMonth:
    month: date
    category: str  # the ledger's category key ("" for none)
    attendances: int  # ledger entries (one person at one event)
    members: int  # different people


@dataclass(frozen=True)
class CohortRetention:
    """Members whose first event (ever, within the filters) fell in `cohort` month.

    returned_within_30/60: how many came to another event within 30/60 days of their first; None while the window of
    someone in the cohort can still be open at the end of the period (or now, if sooner).
    active_by_month[k]: how many were at an event in the k-th month from the cohort month (k = 0 is the cohort month,
    so active_by_month[0] == members); months up to the end of the period."""

    cohort: date
    members: int
    returned_within_30: int | None
    returned_within_60: int | None
    active_by_month: tuple[int, ...]


@dataclass(frozen=True)
class RepeatTieShare:
    active_members: int
    with_repeat_tie: int

    @property
    def share(self) -> float | None:
        return self.with_repeat_tie / self.active_members if self.active_members else None


@dataclass(frozen=True)
class NetworkDensity:
    active_members: int
    ties: int

    @property
    def possible_pairs(self) -> int:
        return self.active_members * (self.active_members - 1) // 2

    @property
    def density(self) -> float | None:
        return self.ties / self.possible_pairs if self.possible_pairs else None


@dataclass(frozen=True)
class DensityChange:
    before: NetworkDensity
    after: NetworkDensity

    @property
    def change(self) -> float | None:
        if self.before.density is None or self.after.density is None:
            return None
        return self.after.density - self.before.density


@dataclass(frozen=True)
class ProgrammeConnections:
    start: date
    end: date
    active_members: int
    monthly_active: list[MonthlyActive]
    attendance: list[CategoryMonth]
    cohorts: list[CohortRetention]
    repeat_ties: RepeatTieShare
    density: NetworkDensity


def active_member_count(
    *, start: date, end: date, group: Group | int | None = None, category: str | None = None
) -> int:
    """Consenting members at one or more (filtered) events in [start, end)."""
    check_period(start, end)
    entries = in_period(programme_entries(group=group, category=category), "occurred_at", start=start, end=end)
    return entries.aggregate(n=Count("user_id", distinct=True))["n"]


def monthly_active_members(
    *, start: date, end: date, group: Group | int | None = None, category: str | None = None
) -> list[MonthlyActive]:
    """For every month overlapping [start, end): consenting members at one or more events in it (within the period).
    One query."""
    check_period(start, end)
    months = months_between(start, end)
    entries = in_period(programme_entries(group=group, category=category), "occurred_at", start=start, end=end)
    counts = {
        row["month"]: row["members"]
        for row in entries.annotate(month=month_bucket("occurred_at", months))
        .values("month")
        .annotate(members=Count("user_id", distinct=True))
        .order_by()
    }
    return [MonthlyActive(month=month, members=counts.get(index, 0)) for index, month in enumerate(months)]


def attendance_by_category_month(
    *, start: date, end: date, group: Group | int | None = None, category: str | None = None
) -> list[CategoryMonth]:
    """Attendances (ledger entries) and different people, by month and category, in [start, end). Only combinations
    with at least one attendance are listed, by month then category. One query."""
    check_period(start, end)
    months = months_between(start, end)
    entries = in_period(
        programme_entries(group=group, category=category, scan=True), "occurred_at", start=start, end=end
    )
    rows = (
        entries.annotate(month=month_bucket("occurred_at", months))
        .values("month", "category")
        .annotate(attendances=Count("id"), members=Count("user_id", distinct=True))
        .order_by()
    )
    result = [
        CategoryMonth(
            month=months[row["month"]],
            category=row["category"],
            attendances=row["attendances"],
            members=row["members"],
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (row.month, row.category))


def retention_by_cohort(
    *, start: date, end: date, group: Group | int | None = None, category: str | None = None
) -> list[CohortRetention]:
    """Cohorts by the month of each consenting member's first event (ever, within the filters) when it falls in
    [start, end); only events before `end` are seen. One query (per member: the first event and one EXISTS per
    window and month, each an index lookup)."""
    check_period(start, end)
    months = months_between(start, end)
    high = moment(end)

    def theirs():
        return in_period(
            ParticipationEntry.objects.filter(user_id=OuterRef("pk")), "occurred_at", start=None, end=end
        ).filter(**_narrowing(group, category))

    first_event = Subquery(theirs().order_by("occurred_at").values("occurred_at")[:1], output_field=DateTimeField())
    members = (
        User.objects.filter(pk__in=consenting_ids())
        .annotate(first_at=first_event)
        .filter(first_at__gte=moment(start), first_at__lt=high)
        .annotate(cohort=month_bucket("first_at", months))
    )
    flags = {}
    for days in RETURN_WINDOWS:
        flags[f"r{days}"] = Exists(
            theirs().filter(
                occurred_at__gt=OuterRef("first_at"), occurred_at__lte=OuterRef("first_at") + timedelta(days=days)
            )
        )
    for index, month in enumerate(months):
        flags[f"a{index}"] = Exists(
            theirs().filter(occurred_at__gte=moment(month), occurred_at__lt=min(moment(next_month(month)), high))
        )
    counts = {name: Count("pk", filter=Q(**{f"{name}_flag": True})) for name in flags}
    rows = (
        members.annotate(**{f"{name}_flag": flag for name, flag in flags.items()})
        .values("cohort")
        .annotate(members=Count("pk"), **counts)
        .order_by()
    )
    sizes = {row["cohort"]: row for row in rows}
    known_until = min(high, timezone.now())
    cohorts = []
    for index, cohort in enumerate(months):
        row = sizes.get(index)
        if row is None:
            continue
        window_ends = moment(next_month(cohort))
        returned = {
            days: row[f"r{days}"] if window_ends + timedelta(days=days) <= known_until else None
            for days in RETURN_WINDOWS
        }
        cohorts.append(
            CohortRetention(
                cohort=cohort,
                members=row["members"],
                returned_within_30=returned[30],
                returned_within_60=returned[60],
                active_by_month=tuple(row[f"a{later}"] for later in range(index, len(months))),
            )
        )
    return cohorts


def _narrowing(group, category) -> dict:
    narrowing = {}
    if group_id_of(group) is not None:
        narrowing["group_id"] = group_id_of(group)
    if category:
        narrowing["category"] = category
    return narrowing


def _active_ids(*, start: date, end: date, group, category):
    """A subquery of the consenting members at one or more (filtered) events in [start, end). DISTINCT makes
    PostgreSQL build the set once and hash it, rather than probe the ledger for every tie."""
    entries = in_period(programme_entries(group=group, category=category), "occurred_at", start=start, end=end)
    return entries.values("user_id").distinct()


def _with_other_in(ties, *, side: str, members):
    """Ties whose `side` ("user_low" or "user_high") is one of `members` (a subquery of ids), checked per tie rather
    than probed pair by pair (see community.metrics._scope.unindexed)."""
    name = f"{side}_checked"
    return ties.annotate(**{name: unindexed(f"{side}_id")}).filter(**{f"{name}__in": members})


def repeat_tie_share(
    *, start: date, end: date, group: Group | int | None = None, category: str | None = None
) -> RepeatTieShare:
    """Of the consenting members active in [start, end), how many have a repeat tie: another consenting member they
    first met before `end` and have met at two or more events (counted as the figures are made, see docs). One
    query."""
    check_period(start, end)
    consenting = consenting_ids()
    repeat = Tie.objects.filter(times_met__gte=2, first_met_at__lt=moment(end))
    as_low = _with_other_in(repeat.filter(user_low_id=OuterRef("pk")), side="user_high", members=consenting)
    as_high = _with_other_in(repeat.filter(user_high_id=OuterRef("pk")), side="user_low", members=consenting)
    figures = (
        User.objects.filter(pk__in=_active_ids(start=start, end=end, group=group, category=category))
        .annotate(repeat_low=Exists(as_low), repeat_high=Exists(as_high))
        .aggregate(active=Count("pk"), with_repeat=Count("pk", filter=Q(repeat_low=True) | Q(repeat_high=True)))
    )
    return RepeatTieShare(active_members=figures["active"], with_repeat_tie=figures["with_repeat"])


def network_density(
    *, start: date, end: date, group: Group | int | None = None, category: str | None = None
) -> NetworkDensity:
    """Ties between two consenting members who were both active in [start, end) and who had first met before `end`,
    against every possible pair of those members. Two queries."""
    check_period(start, end)
    active = _active_ids(start=start, end=end, group=group, category=category)
    ties = _with_other_in(
        _with_other_in(Tie.objects.filter(first_met_at__lt=moment(end)), side="user_low", members=active),
        side="user_high",
        members=active,
    ).count()
    members = User.objects.filter(pk__in=active).count()
    return NetworkDensity(active_members=members, ties=ties)


def network_density_change(
    *,
    before: tuple[date, date],
    after: tuple[date, date],
    group: Group | int | None = None,
    category: str | None = None,
) -> DensityChange:
    """Network density in two periods, each (start, end), and the change (after - before)."""
    return DensityChange(
        before=network_density(start=before[0], end=before[1], group=group, category=category),
        after=network_density(start=after[0], end=after[1], group=group, category=category),
    )


def new_ties_by_month(*, start: date, end: date) -> list[MonthlyTies]:
    """Ties between two consenting members first made in each month of [start, end). Ties don't belong to a group or
    category, so there are no filters. One query."""
    check_period(start, end)
    months = months_between(start, end)
    consenting = consenting_ids()
    ties = _with_other_in(
        in_period(Tie.objects.filter(user_low_id__in=consenting), "first_met_at", start=start, end=end),
        side="user_high",
        members=consenting,
    )
    counts = {
        row["month"]: row["n"]
        for row in ties.annotate(month=month_bucket("first_met_at", months))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [MonthlyTies(month=month, ties=counts.get(index, 0)) for index, month in enumerate(months)]


def programme_connections(
    *, start: date, end: date, group: Group | int | None = None, category: str | None = None
) -> ProgrammeConnections:
    """The programme connection measures for [start, end) with the same filters (six queries); the density change
    and new ties by month are separate calls."""
    check_period(start, end)
    scope = {"start": start, "end": end, "group": group_id_of(group), "category": category}
    repeat = repeat_tie_share(**scope)
    return ProgrammeConnections(
        start=start,
        end=end,
        active_members=repeat.active_members,
        monthly_active=monthly_active_members(**scope),
        attendance=attendance_by_category_month(**scope),
        cohorts=retention_by_cohort(**scope),
        repeat_ties=repeat,
        density=network_density(**scope),
    )

"""Programme wellbeing and destination figures, consenting members only (docs/metrics.md, "Wellbeing figures").

Who counts: members who consent now; with a group or category filter, only those of them at one or more of that
group's (category's) events in the period. Each person counts once per figure: their first and latest scored
SWEMWBS check-in for the paired change, and their latest answer in the period for ONS4 and loneliness. Results are
raw: pass them through community.metrics.disclosure before they leave the personal view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery

from community import reference, scoring
from community.metrics._scope import consenting_ids, in_period, moment, programme_entries
from community.metrics.stats import mean_with_interval
from community.models import ActivityStatus, Group, LonelinessDirect, User, WellbeingCheckIn

PAIRED_MIN_GAP = timedelta(weeks=8)
ONS_KEYS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")
UCLA_TOTALS = tuple(range(3, 10))
DESTINATION_GROUPS = ("EET", "NEET", "UNKNOWN")


def population(
    *,
    start: date | None = None,
    end: date | None = None,
    group: Group | int | None = None,
    category: str | None = None,
):
    """Members who count: consenting now, and (with a group or category) at one of those events in the period."""
    members = User.objects.filter(pk__in=consenting_ids())
    if group is not None or category:
        attended = in_period(programme_entries(group=group, category=category), "occurred_at", start=start, end=end)
        members = members.filter(pk__in=attended.values("user_id"))
    return members.order_by()


# --- SWEMWBS paired change ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedChange:
    """Each member's first and latest scored SWEMWBS check-in in the period, at least 8 weeks apart: change in the
    metric score (latest - first)."""

    n: int
    mean_change: float | None
    ci_low: float | None  # 95% confidence interval of the mean change (t distribution, n - 1 df)
    ci_high: float | None
    improved: int  # changes of at least `threshold`
    threshold: Decimal

    @property
    def share_improved(self) -> float | None:
        return self.improved / self.n if self.n else None


def paired_swemwbs_changes(
    *, start: date | None = None, end: date | None = None, group: Group | int | None = None, category=None
) -> list[Decimal]:
    """The individual changes behind `paired_swemwbs_change` (never show these to anyone: they are personal). One
    query."""
    scored = in_period(
        WellbeingCheckIn.objects.filter(user=OuterRef("pk"), swemwbs_metric__isnull=False).order_by(),
        "created_at",
        start=start,
        end=end,
    )
    first = scored.order_by("created_at", "id")
    latest = scored.order_by("-created_at", "-id")
    rows = (
        population(start=start, end=end, group=group, category=category)
        .annotate(
            first_at=Subquery(first.values("created_at")[:1]),
            first_score=Subquery(first.values("swemwbs_metric")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
            latest_score=Subquery(latest.values("swemwbs_metric")[:1]),
        )
        .filter(first_at__isnull=False, latest_at__gte=F("first_at") + PAIRED_MIN_GAP)
        .values_list("first_score", "latest_score")
    )
    return [Decimal(latest) - Decimal(first) for first, latest in rows]


def paired_swemwbs_change(
    *,
    start: date | None = None,
    end: date | None = None,
    group: Group | int | None = None,
    category: str | None = None,
) -> PairedChange:
    changes = paired_swemwbs_changes(start=start, end=end, group=group, category=category)
    threshold = scoring.meaningful_change_threshold()
    interval = mean_with_interval([float(change) for change in changes])
    return PairedChange(
        n=interval.n,
        mean_change=interval.mean,
        ci_low=interval.low,
        ci_high=interval.high,
        improved=sum(change >= threshold for change in changes),
        threshold=threshold,
    )


# --- ONS4 bands ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandDistribution:
    """How many members' latest answer to one ONS question (in the period) falls in each band, lowest answers
    first."""

    question: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _latest(field_name: str, *, start, end, blank_is_missing: bool = False):
    answers = WellbeingCheckIn.objects.filter(user=OuterRef("pk")).exclude(**{f"{field_name}__isnull": True})
    if blank_is_missing:
        answers = answers.exclude(**{field_name: ""})
    answers = in_period(answers, "created_at", start=start, end=end)
    return Subquery(answers.order_by("-created_at", "-id").values(field_name)[:1])


def ons_band_distribution(
    *,
    question: str,
    start: date | None = None,
    end: date | None = None,
    group: Group | int | None = None,
    category: str | None = None,
) -> BandDistribution:
    """Bands from community.scoring (ons4.csv). One query: members by answer (0-10), banded afterwards (a CASE on
    the latest-answer subquery would make PostgreSQL run the subquery once per comparison)."""
    bands = scoring.ons_questions_by_key()[question]["bands"]
    rows = (
        population(start=start, end=end, group=group, category=category)
        .annotate(answer=_latest(f"ons_{question}", start=start, end=end))
        .filter(answer__isnull=False)
        .values("answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {label: 0 for label, _, _ in bands}
    for row in rows:
        counts[scoring.ons_band(question, row["answer"])] += row["n"]
    return BandDistribution(question=question, counts=counts)


def ons_band_distributions(**scope) -> list[BandDistribution]:
    """All four questions, in the published order (four queries). Keyword arguments as ons_band_distribution."""
    return [ons_band_distribution(question=key, **scope) for key in ONS_KEYS]


# --- Loneliness ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LonelinessFigures:
    ucla_counts: dict[int, int]  # members by their latest UCLA-3 total, 3 to 9
    direct_counts: dict[str, int] = field(default_factory=dict)  # by latest direct answer, LonelinessDirect order

    @property
    def ucla_n(self) -> int:
        return sum(self.ucla_counts.values())

    @property
    def ucla_mean(self) -> float | None:
        n = self.ucla_n
        return sum(total * count for total, count in self.ucla_counts.items()) / n if n else None

    @property
    def direct_n(self) -> int:
        return sum(self.direct_counts.values())

    @property
    def often_always(self) -> int:
        return self.direct_counts.get(LonelinessDirect.OFTEN_ALWAYS, 0)

    @property
    def share_often_always(self) -> float | None:
        return self.often_always / self.direct_n if self.direct_n else None


def loneliness_figures(
    *,
    start: date | None = None,
    end: date | None = None,
    group: Group | int | None = None,
    category: str | None = None,
) -> LonelinessFigures:
    """UCLA-3 totals and the direct question, each member's latest answer in the period. Two queries."""
    members = population(start=start, end=end, group=group, category=category)
    totals = {
        row["answer"]: row["n"]
        for row in members.annotate(answer=_latest("ucla_total", start=start, end=end))
        .filter(answer__isnull=False)
        .values("answer")
        .annotate(n=Count("pk"))
        .order_by()
    }
    direct = {
        row["answer"]: row["n"]
        for row in members.annotate(answer=_latest("lonely_direct", start=start, end=end, blank_is_missing=True))
        .filter(answer__isnull=False)
        .values("answer")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return LonelinessFigures(
        ucla_counts={total: totals.get(total, 0) for total in UCLA_TOTALS},
        direct_counts={value: direct.get(value, 0) for value in LonelinessDirect.values},
    )


# --- Destinations --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DestinationShares:
    """Members by the group (EET, NEET, UNKNOWN) of their newest activity status recorded before the end of the
    period; no status, code 0 or an unknown code counts as UNKNOWN."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, group: str) -> float | None:
        return self.counts[group] / self.total if self.total else None


def activity_groups() -> dict[str, str]:
    """SSDA903 code -> EET / NEET / UNKNOWN (ssda903_activity.csv)."""
    return {row["code"]: row["group"].upper() for row in reference.care_leaver_activities()}


def destination_shares(
    *,
    start: date | None = None,
    end: date | None = None,
    group: Group | int | None = None,
    category: str | None = None,
) -> DestinationShares:
    """One query."""
    statuses = ActivityStatus.objects.filter(user=OuterRef("pk"))
    if end is not None:
        statuses = statuses.filter(recorded_at__lt=moment(end))
    rows = (
        population(start=start, end=end, group=group, category=category)
        .annotate(code=Subquery(statuses.order_by("-recorded_at", "-id").values("code")[:1]))
        .values("code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups = activity_groups()
    counts = dict.fromkeys(DESTINATION_GROUPS, 0)
    for row in rows:
        counts[groups.get(row["code"] or "", "UNKNOWN")] += row["n"]
    return DestinationShares(counts=counts)


# --- Everything ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WellbeingFigures:
    paired: PairedChange
    ons: list[BandDistribution]
    loneliness: LonelinessFigures
    destinations: DestinationShares


def programme_wellbeing(
    *,
    start: date | None = None,
    end: date | None = None,
    group: Group | int | None = None,
    category: str | None = None,
) -> WellbeingFigures:
    """Every programme wellbeing figure with the same scope (eight queries)."""
    scope = {"start": start, "end": end, "group": group, "category": category}
    return WellbeingFigures(
        paired=paired_swemwbs_change(**scope),
        ons=ons_band_distributions(**scope),
        loneliness=loneliness_figures(**scope),
        destinations=destination_shares(**scope),
    )

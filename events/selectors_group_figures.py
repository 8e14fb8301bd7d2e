"""A group's own figures for its peer leaders (and staff and evaluators): attendance, returning members and pulse
averages by month. Aggregates only, consenting members only, disclosure-controlled exactly like the programme
figures (community.metrics.disclosure): a count below the threshold, a mean of fewer people, or a cell that could be
worked out from the total is "c". A fixed number of queries whatever the size of the group.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from community.metrics._scope import as_local_date, consenting_ids, in_period, months_between, programme_entries
from community.metrics.disclosure import (
    SUPPRESSED,
    PeopleBehind,
    disclosure_threshold,
    suppress_count,
    suppress_share,
    suppress_table,
)
from community.models import Group, ParticipationEntry
from community.selectors.programme import COUNT, LABEL, NUMBER, PERCENT, Column, FigureTable, month_label
from community.selectors.programme_filters import ProgrammeFilters
from events.models import Pulse, PulseConnection

WHOLE_PERIOD = "Whole period"


@dataclass(frozen=True)
class GroupFigures:
    group: Group
    filters: ProgrammeFilters
    threshold: int
    table: FigureTable

    def as_dict(self) -> dict:
        return {
            "group": self.group.slug,
            "filters": {"from": self.filters.date_from.isoformat(), "to": self.filters.date_to.isoformat()},
            "threshold": self.threshold,
            "suppressed": SUPPRESSED,
            "table": self.table.as_dict(),
        }


def _by_month(queryset, field: str, **aggregates) -> dict:
    return {
        as_local_date(row["month"]): row
        for row in queryset.annotate(month=TruncMonth(field)).values("month").annotate(**aggregates).order_by()
    }


def group_figures(*, group: Group, filters: ProgrammeFilters) -> GroupFigures:
    start, end = filters.date_from, filters.ends.date()
    months = months_between(start, end)
    entries = in_period(programme_entries(group=group), "occurred_at", start=start, end=end)
    attendance = _by_month(
        entries, "occurred_at", events=Count("activity_key", distinct=True), n=Count("id"),
        people=Count("user_id", distinct=True),
    )  # fmt: skip
    came_before = ParticipationEntry.objects.filter(
        group=group, user_id=OuterRef("user_id"), occurred_at__lt=OuterRef("month")
    )
    returning = {
        as_local_date(row["month"]): row["n"]
        for row in entries.annotate(month=TruncMonth("occurred_at"))
        .filter(Exists(came_before))
        .values("month")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    }
    whole = entries.aggregate(events=Count("activity_key", distinct=True), people=Count("user_id", distinct=True))
    earlier = in_period(programme_entries(group=group), "occurred_at", start=None, end=end)
    whole_returning = (
        earlier.values("user_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2, user_id__in=entries.values("user_id"))
        .count()
    )
    pulses = in_period(
        Pulse.objects.filter(event__group=group, user_id__in=consenting_ids()), "event__starts_at", start=start, end=end
    )
    pulse_aggregates = {
        "answered": Count("id"),
        "answered_people": Count("user_id", distinct=True),
        "feeling_n": Count("feeling"),
        "feeling_people": Count("user_id", distinct=True, filter=Q(feeling__isnull=False)),
        "feeling": Avg("feeling"),
        "connected_n": Count("id", filter=~Q(connected="")),
        "connected_people": Count("user_id", distinct=True, filter=~Q(connected="")),
        "connected_yes": Count("id", filter=Q(connected=PulseConnection.YES)),
    }
    pulse_rows = _by_month(pulses, "event__starts_at", **pulse_aggregates)
    pulse_whole = pulses.aggregate(**pulse_aggregates)

    labels = [month_label(month) for month in months]
    by_label = dict(zip(labels, months, strict=True))
    # One person checked in ten times is still one person: a month's attendances need `threshold` different people.
    attendances = suppress_table(
        rows={label: {"n": attendance.get(month, {}).get("n", 0)} for label, month in by_label.items()},
        people=PeopleBehind(
            cells={label: {"n": attendance.get(month, {}).get("people", 0)} for label, month in by_label.items()},
            columns={"n": whole["people"]},
            total=whole["people"],
        ),
    )
    answered = suppress_table(
        rows={label: {"n": pulse_rows.get(month, {}).get("answered", 0)} for label, month in by_label.items()},
        people=PeopleBehind(
            cells={
                label: {"n": pulse_rows.get(month, {}).get("answered_people", 0)} for label, month in by_label.items()
            },
            columns={"n": pulse_whole["answered_people"]},
            total=pulse_whole["answered_people"],
        ),
    )
    threshold = disclosure_threshold()

    def pulse_cells(row: dict) -> list[object]:
        # A mean (and a share, the mean of yes/no) needs `threshold` different people, not just answers: one
        # person answering at ten events is still one person.
        feeling = row.get("feeling") if row.get("feeling_people", 0) >= threshold else SUPPRESSED
        connected = suppress_share(row.get("connected_yes", 0), row.get("connected_n", 0))
        if row.get("connected_people", 0) < threshold:
            connected = SUPPRESSED
        return [feeling, connected]

    def returning_cell(returning: int, people: int) -> object:
        """Returning members, or "c" if they or the rest (people new that month) are too few: the two are
        published side by side, so one would give the other away."""
        return SUPPRESSED if min(returning, people - returning) < threshold else returning

    rows = []
    for label, month in zip(labels, months, strict=True):
        found = attendance.get(month, {})
        rows.append(
            [
                label,
                found.get("events", 0),
                attendances.cells[label]["n"],
                suppress_count(found.get("people", 0)),
                returning_cell(returning.get(month, 0), found.get("people", 0)),
                answered.cells[label]["n"],
                *pulse_cells(pulse_rows.get(month, {})),
            ]
        )
    rows.append(
        [
            WHOLE_PERIOD,
            whole["events"],
            attendances.column_totals["n"],
            suppress_count(whole["people"]),
            returning_cell(whole_returning, whole["people"]),
            answered.column_totals["n"],
            *pulse_cells(pulse_whole),
        ]
    )
    columns = [
        Column("Month", LABEL),
        Column("Events", COUNT),
        Column("Check-ins", COUNT),
        Column("Different people", COUNT),
        Column("Returning members", COUNT),
        Column("“How was it?” answers", COUNT),
        Column("Average feeling (1 to 5)", NUMBER),
        Column("Felt connected", PERCENT),
    ]
    from community.charts import bar_chart

    chart = bar_chart(
        title=f"Check-ins at {group.name}'s events by month",
        bars=[(row[0], None if row[2] == SUPPRESSED else row[2]) for row in rows[:-1]],
        y_label="Check-ins",
    )
    table = FigureTable(
        key="group-figures",
        title=f"How {group.name} is doing",
        about="Check-ins and “how was it?” answers at the group's events, from members who agreed to be counted. "
        "Returning members had been to one of the group's events before that month. Nothing here is about one "
        "person: small numbers show as c.",
        columns=columns,
        rows=rows,
        chart=chart,
    )
    return GroupFigures(group=group, filters=filters, threshold=threshold, table=table)

"""The programme figures for staff and evaluators: every table of the programme dashboard, disclosure-controlled.

One place builds each table from community.metrics (connections, wellbeing) and passes it through
community.metrics.disclosure, so the page, the CSV downloads and the API publish exactly the same cells: a count below
the threshold, a mean from fewer people, or a cell that could be worked out from the totals is "c". Only consenting
members count (the metrics enforce it). Nothing here names a person or gives one person's record.

    figures = programme_figures(filters=filters)     # every table (the page, the JSON summary)
    table = programme_table(filters=filters, key="attendance")   # one table, computing only what it needs (CSV)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Protocol

from community import scoring
from community.errors import NotFound
from community.metrics import connections, wellbeing
from community.metrics.disclosure import (
    SUPPRESSED,
    PeopleBehind,
    SuppressedTable,
    disclosure_threshold,
    suppress_count,
    suppress_counts,
    suppress_share,
    suppress_table,
)
from community.models import LonelinessDirect
from community.selectors.programme_filters import ProgrammeFilters, category_label

LABEL, COUNT, PERCENT, NUMBER = "label", "count", "percent", "number"
RETENTION_MONTHS = 6  # months after the first one shown on the retention curves


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = COUNT  # label, count (whole number), percent (a share 0-1, shown as %), number (a mean or change)


@dataclass(frozen=True)
class FigureTable:
    """One published table: `rows` hold labels, numbers and "c" (suppressed)."""

    key: str
    title: str
    about: str
    columns: list[Column]
    rows: list[list[object]]
    chart: object | None = None  # a community.charts.ChartSvg, drawn from the published cells
    notes: list[str] = field(default_factory=list)
    row_kinds: list[str] | None = None  # for "measure, value" tables: the kind of each row's value

    def _kinds(self, index: int) -> list[str]:
        kinds = [column.kind for column in self.columns]
        if self.row_kinds is not None:
            kinds[1:] = [self.row_kinds[index]] * (len(kinds) - 1)
        return kinds

    @property
    def suppressed(self) -> int:
        return sum(cell == SUPPRESSED for row in self.rows for cell in row[1:])

    def display_rows(self) -> list[list[str]]:
        return [
            [display(cell, kind) for cell, kind in zip(row, self._kinds(index), strict=True)]
            for index, row in enumerate(self.rows)
        ]

    def csv_rows(self) -> list[list[str]]:
        header = [column.title + (" (%)" if column.kind == PERCENT else "") for column in self.columns]
        body = [
            [csv_value(cell, kind) for cell, kind in zip(row, self._kinds(index), strict=True)]
            for index, row in enumerate(self.rows)
        ]
        return [header, *body]

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "about": self.about,
            "columns": [{"title": column.title, "kind": column.kind} for column in self.columns],
            "rows": [
                [json_value(cell, kind) for cell, kind in zip(row, self._kinds(index), strict=True)]
                for index, row in enumerate(self.rows)
            ],  # fmt: skip
            "row_kinds": self.row_kinds,
            "suppressed_cells": self.suppressed,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class ProgrammeFigures:
    filters: ProgrammeFilters
    threshold: int
    headline: list[tuple[str, object]]  # (what, published count)
    tables: list[FigureTable]

    def as_dict(self) -> dict:
        return {
            "filters": self.filters.query(),
            "threshold": self.threshold,
            "suppressed": SUPPRESSED,
            "headline": [{"title": title, "value": value} for title, value in self.headline],
            "tables": [table.as_dict() for table in self.tables],
        }


def display(cell: object, kind: str) -> str:
    if cell == SUPPRESSED or cell is None:
        return SUPPRESSED if cell == SUPPRESSED else "–"
    if kind == PERCENT:
        return f"{float(cell) * 100:.1f}%"
    if kind == NUMBER:
        return f"{float(cell):.2f}"
    if kind == COUNT:
        return f"{int(cell):,}"
    return str(cell)


def csv_value(cell: object, kind: str) -> str:
    if cell == SUPPRESSED:
        return SUPPRESSED
    if cell is None:
        return ""
    if kind == PERCENT:
        return f"{float(cell) * 100:.1f}"
    if kind == NUMBER:
        return f"{float(cell):.2f}"
    return str(cell)


def json_value(cell: object, kind: str) -> object:
    if cell == SUPPRESSED or cell is None or kind == LABEL:
        return cell
    if kind in (PERCENT, NUMBER):
        return round(float(cell), 4)
    return int(cell)


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def _scope(filters: ProgrammeFilters) -> dict:
    return {
        "start": filters.date_from,
        "end": filters.date_to + timedelta(days=1),
        "group": filters.group.pk if filters.group else None,
        "category": filters.category or None,
    }


# --- raw figures (from community.metrics), computed only when a table asks -----------------------------------------


class ProgrammeRaw(Protocol):
    monthly_active: list[connections.MonthlyActive]
    attendance: list[connections.CategoryMonth]
    cohorts: list[connections.CohortRetention]
    repeat_ties: connections.RepeatTieShare
    density: connections.DensityChange  # the period before, and this one
    paired: wellbeing.PairedChange
    ons: list[wellbeing.BandDistribution]
    loneliness: wellbeing.LonelinessFigures
    destinations: wellbeing.DestinationShares


Builder = Callable[[ProgrammeRaw, bool], "FigureTable"]


class MetricsRaw:
    """The raw figures for `filters` from community.metrics, each computed the first time it is read."""

    def __init__(self, filters: ProgrammeFilters):
        self.scope = _scope(filters)

    @cached_property
    def monthly_active(self):
        return connections.monthly_active_members(**self.scope)

    @cached_property
    def attendance(self):
        return connections.attendance_by_category_month(**self.scope)

    @cached_property
    def cohorts(self):
        return connections.retention_by_cohort(**self.scope)

    @cached_property
    def repeat_ties(self):
        return connections.repeat_tie_share(**self.scope)

    @cached_property
    def density(self):
        start, end = self.scope["start"], self.scope["end"]
        return connections.network_density_change(
            before=(start - (end - start), start),
            after=(start, end),
            group=self.scope["group"],
            category=self.scope["category"],
        )

    @cached_property
    def paired(self):
        return wellbeing.paired_swemwbs_change(**self.scope)

    @cached_property
    def ons(self):
        return wellbeing.ons_band_distributions(**self.scope)

    @cached_property
    def loneliness(self):
        return wellbeing.loneliness_figures(**self.scope)

    @cached_property
    def destinations(self):
        return wellbeing.destination_shares(**self.scope)


# --- connection tables ------------------------------------------------------------------------------------------------


def _active_members(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    months = raw.monthly_active
    rows = [[month_label(row.month), suppress_count(row.members)] for row in months]
    return FigureTable(
        key="active-members",
        title="Active members by month",
        about="Consenting members who came to at least one event in the month. Someone who came in two months "
        "counts in both, so the months don't add up to the people in the whole period.",
        columns=[Column("Month", LABEL), Column("Active members")],
        rows=rows,
        chart=_bars("Active members by month", rows, "Active members") if charts else None,
    )


def _attendance(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    found = raw.attendance
    categories = sorted({row.category for row in found})
    grid: dict[str, dict[str, int]] = {}
    people: dict[str, dict[str, int]] = {}
    for row in found:
        grid.setdefault(month_label(row.month), {})[row.category] = row.attendances
        people.setdefault(month_label(row.month), {})[row.category] = row.members
    columns = [Column("Month", LABEL), *(Column(category_label(key)) for key in categories), Column("All")]
    table = suppress_table(rows=grid, columns=categories, people=PeopleBehind(cells=people)) if grid else None
    rows = table.as_rows(total_label="All")[1:] if table else []
    return FigureTable(
        key="attendance",
        title="Attendance by month and kind of event",
        about="Each time a consenting member was checked in to an event counts once. Cells that would give away a "
        "small number, that come from too few different people, or that could be worked out from the totals, show c.",
        columns=columns,
        rows=rows,
        chart=_bars("Attendance by month", [[row[0], row[-1]] for row in rows[:-1]], "Attendances") if charts else None,
    )


def _retention(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    cohorts = raw.cohorts
    columns = [
        Column("First came", LABEL),
        Column("People"),
        Column("Came back within 30 days"),
        Column("Came back within 60 days"),
        *(Column(f"Still coming in month {k}", PERCENT) for k in range(1, RETENTION_MONTHS + 1)),
    ]
    rows = []
    for cohort in cohorts:
        shares = [
            suppress_share(cohort.active_by_month[k], cohort.members) if k < len(cohort.active_by_month) else None
            for k in range(1, RETENTION_MONTHS + 1)
        ]
        rows.append(
            [
                month_label(cohort.cohort),
                suppress_count(cohort.members),
                _maybe_count(cohort.returned_within_30, cohort.members),
                _maybe_count(cohort.returned_within_60, cohort.members),
                *shares,
            ]
        )
    return FigureTable(
        key="retention",
        title="Coming back: retention by the month people first came",
        about="People are grouped by the month of their first event. The later columns show the share of each group "
        "who came to an event again that many months later. A dash means that month hasn't happened yet.",
        columns=columns,
        rows=rows,
        chart=_retention_chart(rows) if charts else None,
    )


def _maybe_count(value: int | None, members: int) -> object:
    """A cohort's "came back" count: None while the window is still open; "c" if it or the rest is too few."""
    if value is None:
        return None
    return SUPPRESSED if min(value, members - value) < disclosure_threshold() else value


def _connections(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    repeat, change = raw.repeat_ties, raw.density
    now, earlier = change.after, change.before
    rows = [
        ["Active members in the period", suppress_count(repeat.active_members)],
        ["Of them, met someone at two or more events", _share_or_c(repeat.with_repeat_tie, repeat.active_members)],
        ["Network density in this period", _density(now)],
        ["Network density in the period before", _density(earlier)],
        ["Change in network density (percentage points)", _change(now, earlier)],
    ]
    return FigureTable(
        key="connections",
        title="Connections between members",
        about="A repeat tie is someone a member has been at two or more events with. Network density is the share "
        "of all possible pairs of active members who have been at an event together. The period before is the same "
        "length, just before this one.",
        columns=[Column("Measure", LABEL), Column("Value", NUMBER)],
        rows=rows,
        row_kinds=[COUNT, PERCENT, PERCENT, PERCENT, PERCENT],
    )


def _share_or_c(part: int, whole: int) -> object:
    return suppress_share(part, whole)


def _density(found: connections.NetworkDensity) -> object:
    if found.density is None or min(found.active_members, found.ties) < disclosure_threshold():
        return SUPPRESSED
    return found.density


def _change(now: connections.NetworkDensity, earlier: connections.NetworkDensity) -> object:
    first, second = _density(now), _density(earlier)
    if SUPPRESSED in (first, second):
        return SUPPRESSED
    return first - second


# --- wellbeing and destination tables ---------------------------------------------------------------------------------

ONS_TITLES = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Feeling the things they do are worthwhile",
    "happiness": "Happiness yesterday",
    "anxiety": "Anxiety yesterday",
}
DESTINATION_LABELS = {"EET": "In education, employment or training", "NEET": "Not in education, employment or "
                      "training", "UNKNOWN": "Not known"}  # fmt: skip


def _wellbeing_change(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    paired = raw.paired
    threshold = disclosure_threshold()
    enough = paired.n >= threshold
    rows = [
        ["People with a first and latest check-in 8 weeks or more apart", suppress_count(paired.n)],
        ["Average change in wellbeing score (SWEMWBS metric points)", paired.mean_change if enough else SUPPRESSED],
        ["95% confidence interval: from", paired.ci_low if enough else SUPPRESSED],
        ["95% confidence interval: to", paired.ci_high if enough else SUPPRESSED],
        [
            f"Share whose score rose by {paired.threshold} points or more",
            suppress_share(paired.improved, paired.n),
        ],
    ]
    return FigureTable(
        key="wellbeing-change",
        title="Change in wellbeing (SWEMWBS)",
        about="For each person, their latest wellbeing score minus their first, when the two check-ins are at least 8 "
        f"weeks apart. A rise of {paired.threshold} points or more is treated as a meaningful change for one person. "
        "The interval shows how sure we can be of the average: the true average is likely to be inside it.",
        columns=[Column("Measure", LABEL), Column("Value", NUMBER)],
        rows=rows,
        row_kinds=[COUNT, NUMBER, NUMBER, NUMBER, PERCENT],
        notes=[scoring.SWEMWBS_LICENCE],
    )


def _distribution(table: SuppressedTable, labels: dict[str, str] | None = None) -> list[list[object]]:
    """A one-column suppressed table as rows (answer, people, share of everyone who answered). A share is shown
    only where its count and the total are."""
    labels = labels or {}
    total = table.grand_total
    rows = []
    for key in table.row_keys:
        count = table.cells[key]["count"]
        share = SUPPRESSED if SUPPRESSED in (count, total) or not total else count / total
        rows.append([labels.get(key, str(key).capitalize()), count, share])
    rows.append(["Everyone who answered", total, 1.0 if total != SUPPRESSED and total else total])
    return rows


DISTRIBUTION_COLUMNS = [Column("Answer", LABEL), Column("People"), Column("Share", PERCENT)]


def _ons_builder(question: str) -> Builder:
    def build(raw: ProgrammeRaw, charts: bool) -> FigureTable:
        found = next(one for one in raw.ons if one.question == question)
        details = scoring.ons_questions_by_key()[question]
        labels = {label: f"{label.capitalize()} ({low} to {high})" for label, low, high in details["bands"]}
        rows = _distribution(suppress_counts(found.counts), labels)
        title = ONS_TITLES[question]
        return FigureTable(
            key=f"ons-{question.replace('_', '-')}",
            title=f"{title} (ONS)",
            about=f"“{details['question']}” Each person's latest answer in the period, 0 to 10, grouped in the "
            "ONS bands."
            + (
                " For this question a higher answer means more anxious." if details["higher_is_worse"] else ""
            ),  # fmt: skip
            columns=DISTRIBUTION_COLUMNS,
            rows=rows,
            chart=_bars(f"{title}: people in each band", rows[:-1], "People") if charts else None,
        )

    return build


def _loneliness(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    found = raw.loneliness
    counts = {str(total): n for total, n in found.ucla_counts.items()}
    published = suppress_counts(counts)
    rows = _distribution(published, {key: f"Score {key}" for key in counts})
    # The mean is one more equation on the scores: beside a distribution with hidden cells it would give them away
    # (two hidden scores a and b with a + b and 8a + 9b known), so it is published only when nothing is hidden.
    enough = found.ucla_n >= disclosure_threshold() and published.suppressed_cells == 0
    mean = found.ucla_mean if enough else SUPPRESSED
    return FigureTable(
        key="loneliness-ucla",
        title="Loneliness scores (UCLA 3-item)",
        about="Each person's latest score in the period, from 3 (hardly ever lonely) to 9 (often lonely). There is no "
        "cut-off: we show how the scores spread out.",
        columns=DISTRIBUTION_COLUMNS,
        rows=rows,
        chart=_bars("Loneliness scores: people at each score", rows[:-1], "People") if charts else None,
        notes=[f"Average score: {display(mean, NUMBER)}."],
    )


def _loneliness_direct(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    found = raw.loneliness
    labels = {choice.value: choice.label for choice in LonelinessDirect}
    rows = _distribution(suppress_counts(dict(found.direct_counts)), labels)
    return FigureTable(
        key="loneliness-direct",
        title="How often people feel lonely",
        about="Each person's latest answer in the period to “How often do you feel lonely?”. ONS reports the share "
        "answering often or always.",
        columns=DISTRIBUTION_COLUMNS,
        rows=rows,
        chart=_bars("How often people feel lonely", rows[:-1], "People") if charts else None,
    )


def _destinations(raw: ProgrammeRaw, charts: bool) -> FigureTable:
    found = raw.destinations
    rows = _distribution(suppress_counts(found.counts), DESTINATION_LABELS)
    return FigureTable(
        key="destinations",
        title="What people are doing now",
        about="Each person's newest answer to “what are you doing now?” before the end of the period, grouped as "
        "the Department for Education groups care leavers' activities. Not known includes people who haven't said.",
        columns=DISTRIBUTION_COLUMNS,
        rows=rows,
        chart=_bars("What people are doing now", rows[:-1], "People") if charts else None,
    )


# --- charts (drawn from the published cells only) ---------------------------------------------------------------------


def _bars(title: str, rows: list[list[object]], y_label: str):
    from community.charts import bar_chart

    bars = [(str(row[0]), None if row[1] == SUPPRESSED else row[1]) for row in rows]
    return bar_chart(title=title, bars=bars, y_label=y_label)


def _retention_chart(rows: list[list[object]]):
    from community.charts import Series, line_chart

    series = []
    for row in rows[:6]:
        points = [
            (f"Month {k}", None if value in (SUPPRESSED, None) else round(float(value) * 100, 1))
            for k, value in enumerate(row[4:], start=1)
        ]
        if any(value is not None for _x, value in points):
            series.append(Series(label=f"First came {row[0]}", points=points))
    if not series:
        return None
    return line_chart(
        title="Share still coming, by month after the first event",
        series=series,
        y_min=0,
        y_max=100,
        y_label="Per cent of the group",
        x_label="Months after the first event",
    )


# --- putting it together ----------------------------------------------------------------------------------------------

BUILDERS: dict[str, Builder] = {
    "active-members": _active_members,
    "attendance": _attendance,
    "retention": _retention,
    "connections": _connections,
    "wellbeing-change": _wellbeing_change,
    **{f"ons-{key.replace('_', '-')}": _ons_builder(key) for key in wellbeing.ONS_KEYS},
    "loneliness-ucla": _loneliness,
    "loneliness-direct": _loneliness_direct,
    "destinations": _destinations,
}
TABLE_KEYS = tuple(BUILDERS)


def programme_table(*, filters: ProgrammeFilters, key: str, charts: bool = False) -> FigureTable:
    """One table, computing only the figures it needs (for a CSV download)."""
    builder = BUILDERS.get(key)
    if builder is None:
        raise NotFound("There's no table with that name.", code="table_not_found")
    return builder(MetricsRaw(filters), charts)


def programme_figures(*, filters: ProgrammeFilters, charts: bool = False) -> ProgrammeFigures:
    """Every table; with `charts`, each drawn as SVG too (the page; the API and CSV don't need them)."""
    return publish_figures(filters=filters, raw=MetricsRaw(filters), charts=charts)


def publish_figures(*, filters: ProgrammeFilters, raw: ProgrammeRaw, charts: bool = False) -> ProgrammeFigures:
    """Disclosure-controlled tables from raw figures. The benchmark's references compute the raw figures their own
    way and publish them through here, so all three publish the same cells."""
    return ProgrammeFigures(
        filters=filters,
        threshold=disclosure_threshold(),
        headline=[("Active members", suppress_count(raw.repeat_ties.active_members))],
        tables=[builder(raw, charts) for builder in BUILDERS.values()],
    )


def table_csv(table: FigureTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table.csv_rows():
        writer.writerow([_safe_cell(cell) for cell in row])
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """Spreadsheet formula injection (OWASP): a label starting with = + - @, a tab or a carriage return is written as
    text; a negative number stays a number."""
    risky = text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not _is_number(text))
    return "'" + text if risky else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True

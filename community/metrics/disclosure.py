"""Disclosure control for every figure that leaves the personal view (shared/reference/README.md, docs/metrics.md).

- A count below the threshold (HN_DISCLOSURE_THRESHOLD, default 10, never below 5) is shown as "c". A count in which
  one person can appear more than once (attendances) is also "c" when fewer than the threshold different people make
  it up (`PeopleBehind`): twelve attendances by three people describe those three.
- A mean or median needs at least `threshold` people.
- A share k/n is shown only when k, n - k and n are all at or above the threshold (either count could be recovered
  from the share and the other).
- Tables with row and column totals get SECONDARY suppression: more cells (or totals) are hidden until no hidden cell
  can be worked out from what is published, assuming only that counts are whole numbers of zero or more. A hidden
  cell is safe when it lies on a cycle of hidden cells (alternating along its row, column and the totals) that can
  move up or down by one without any hidden count going below zero, so it has at least two possible values.
"""

from __future__ import annotations

import logging
import statistics
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

SUPPRESSED = "c"
MINIMUM_THRESHOLD = 5
DEFAULT_THRESHOLD = 10

logger = logging.getLogger(__name__)

Published = int | str  # a count, or "c"


def disclosure_threshold(threshold: int | None = None) -> int:
    """The threshold in force: `threshold` if given (ValueError below 5), else HN_DISCLOSURE_THRESHOLD raised to 5 if
    it is set lower."""
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < MINIMUM_THRESHOLD:
            raise ValueError(f"The disclosure threshold is a whole number of at least {MINIMUM_THRESHOLD}.")
        return threshold
    configured = int(getattr(settings, "HN_DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))
    if configured < MINIMUM_THRESHOLD:
        logger.warning("HN_DISCLOSURE_THRESHOLD=%s is below %s; using %s.", configured, *[MINIMUM_THRESHOLD] * 2)
        return MINIMUM_THRESHOLD
    return configured


def suppress_count(n: int, *, threshold: int | None = None) -> Published:
    """`n`, or "c" if it is below the threshold (zero included)."""
    return SUPPRESSED if n < disclosure_threshold(threshold) else n


def suppress_mean(values: Iterable[int | float | Decimal], *, threshold: int | None = None) -> float | str:
    """The mean of one value per person, or "c" if there are fewer than `threshold` people."""
    items = [float(value) for value in values]
    if len(items) < disclosure_threshold(threshold):
        return SUPPRESSED
    return sum(items) / len(items)


def suppress_median(values: Iterable[int | float | Decimal], *, threshold: int | None = None) -> float | str:
    items = [float(value) for value in values]
    if len(items) < disclosure_threshold(threshold):
        return SUPPRESSED
    return float(statistics.median(items))


def suppress_share(numerator: int, denominator: int, *, threshold: int | None = None) -> float | str:
    """numerator / denominator, or "c" if the numerator, the rest (denominator - numerator) or the denominator is
    below the threshold."""
    limit = disclosure_threshold(threshold)
    if min(numerator, denominator - numerator, denominator) < limit:
        return SUPPRESSED
    return numerator / denominator


def suppress_counts(counts: Mapping[str, int], *, threshold: int | None = None) -> SuppressedTable:
    """A one-column distribution (e.g. ONS bands) with its total, secondary suppression included."""
    return suppress_table(rows={key: {"count": value} for key, value in counts.items()}, threshold=threshold)


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to publish: every value is a count or "c". `cells[row][column]`; totals as published."""

    row_keys: tuple[str, ...]
    column_keys: tuple[str, ...]
    cells: dict[str, dict[str, Published]]
    row_totals: dict[str, Published]
    column_totals: dict[str, Published]
    grand_total: Published
    threshold: int

    def as_rows(self, *, corner: str = "", total_label: str = "Total") -> list[list[Published]]:
        """Header row, one row per row key with its total, then the totals row (for CSV and HTML tables)."""
        rows: list[list[Published]] = [[corner, *self.column_keys, total_label]]
        for key in self.row_keys:
            rows.append([key, *(self.cells[key][column] for column in self.column_keys), self.row_totals[key]])
        rows.append([total_label, *(self.column_totals[column] for column in self.column_keys), self.grand_total])
        return rows

    @property
    def suppressed_cells(self) -> int:
        values = [value for row in self.cells.values() for value in row.values()]
        values += [*self.row_totals.values(), *self.column_totals.values(), self.grand_total]
        return sum(value == SUPPRESSED for value in values)


@dataclass(frozen=True)
class PeopleBehind:
    """How many different people make up each count of a table in which one person can count more than once.

    `cells` has the table's shape (a missing cell: nobody). A total's people are given in `rows`, `columns` or `total`
    when known; otherwise they are taken as the most people behind any one count on its line, a lower bound, so such
    a total is published only if one of its cells alone has enough people."""

    cells: Mapping[str, Mapping[str, int]]
    rows: Mapping[str, int] = field(default_factory=dict)
    columns: Mapping[str, int] = field(default_factory=dict)
    total: int | None = None

    def grid(self, row_keys: Sequence[str], column_keys: Sequence[str]) -> list[list[int]]:
        """People behind each count, laid out like the counts' grid (row totals last, column totals at the bottom)."""
        grid = [[self.cells.get(r, {}).get(c, 0) for c in column_keys] for r in row_keys]
        for key, line in zip(row_keys, grid, strict=True):
            line.append(self.rows.get(key, max(line, default=0)))
        bottom = [self.columns.get(c, max((line[j] for line in grid), default=0)) for j, c in enumerate(column_keys)]
        whole = self.total if self.total is not None else max([*bottom, *(line[-1] for line in grid)], default=0)
        grid.append([*bottom, whole])
        return grid


def suppress_table(
    *,
    rows: Mapping[str, Mapping[str, int]],
    columns: Sequence[str] | None = None,
    threshold: int | None = None,
    people: PeopleBehind | None = None,
) -> SuppressedTable:
    """Publish `rows` (row key -> column key -> count; a missing cell is 0) with row, column and grand totals.

    Primary suppression hides every count (cells and totals) below the threshold, and, given `people`, every count
    made up of fewer than the threshold different people. Secondary suppression then hides the smallest further cells
    (totals last) until every hidden one is safe (module docstring)."""
    limit = disclosure_threshold(threshold)
    row_keys = tuple(rows)
    column_keys = tuple(columns) if columns is not None else tuple(dict.fromkeys(c for r in rows.values() for c in r))
    for row in rows.values():
        for column, value in row.items():
            if column not in column_keys:
                raise ValueError(f"Column {column!r} is not one of the table's columns.")
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("Every cell is a count: a whole number of zero or more.")
    n_rows, n_cols = len(row_keys), len(column_keys)
    grid = [[rows[r].get(c, 0) for c in column_keys] for r in row_keys]
    for row in grid:
        row.append(sum(row))
    grid.append([sum(grid[i][j] for i in range(n_rows)) for j in range(n_cols + 1)])

    few_people: set[tuple[int, int]] = set()
    if people is not None:
        behind = people.grid(row_keys, column_keys)
        few_people = {(i, j) for i, line in enumerate(behind) for j, n in enumerate(line) if n < limit}
    hidden = suppression_pattern(grid, threshold=limit, also_hidden=few_people)

    def shown(i: int, j: int) -> Published:
        return SUPPRESSED if (i, j) in hidden else grid[i][j]

    return SuppressedTable(
        row_keys=row_keys,
        column_keys=column_keys,
        cells={r: {c: shown(i, j) for j, c in enumerate(column_keys)} for i, r in enumerate(row_keys)},
        row_totals={r: shown(i, n_cols) for i, r in enumerate(row_keys)},
        column_totals={c: shown(n_rows, j) for j, c in enumerate(column_keys)},
        grand_total=shown(n_rows, n_cols),
        threshold=limit,
    )


def suppression_pattern(
    grid: list[list[int]], *, threshold: int, also_hidden: Iterable[tuple[int, int]] = ()
) -> set[tuple[int, int]]:
    """The cells to hide in `grid`: an (R+1) x (C+1) table whose last column holds the row totals and last row the
    column totals (grand total bottom right), starting from the counts below `threshold` and `also_hidden`.
    Deterministic."""
    n_lines_i, n_lines_j = len(grid), len(grid[0])
    all_cells = [(i, j) for i in range(n_lines_i) for j in range(n_lines_j)]
    hidden = {(i, j) for i, j in all_cells if grid[i][j] < threshold} | set(also_hidden)

    def is_total(cell: tuple[int, int]) -> bool:
        return cell[0] == n_lines_i - 1 or cell[1] == n_lines_j - 1

    def preference(cell: tuple[int, int]):
        return (is_total(cell), grid[cell[0]][cell[1]], cell)

    def line_cells(cell: tuple[int, int]) -> list[tuple[int, int]]:
        i, j = cell
        return [(i, b) for b in range(n_lines_j)] + [(a, j) for a in range(n_lines_i) if a != i]

    while True:
        lonely = _line_with_one_hidden(hidden, n_lines_i, n_lines_j)
        if lonely is not None:
            candidates = [cell for cell in lonely if cell not in hidden]
            if candidates:
                # Prefer a cell whose other line also has exactly one hidden value: it protects both.
                hidden.add(min(candidates, key=lambda cell: _lonely_preference(cell, lonely, hidden, grid)))
                continue
        exposed = next((cell for cell in sorted(hidden) if not is_protected(cell, hidden, grid)), None)
        if exposed is None:
            return hidden
        candidates = [cell for cell in line_cells(exposed) if cell not in hidden]
        if not candidates:
            candidates = [cell for cell in all_cells if cell not in hidden]
        if not candidates:  # everything is hidden already (an empty table's grand total of 0)
            return hidden
        hidden.add(min(candidates, key=preference))


def _lonely_preference(cell, line, hidden, grid):
    last_i, last_j = len(grid) - 1, len(grid[0]) - 1
    if line[0][0] == line[-1][0]:  # a row: the other line is the cell's column
        other = [(a, cell[1]) for a in range(last_i + 1)]
    else:
        other = [(cell[0], b) for b in range(last_j + 1)]
    completes = sum(c in hidden for c in other) == 1
    is_total = cell[0] == last_i or cell[1] == last_j
    return (is_total, not completes, grid[cell[0]][cell[1]], cell)


def _line_with_one_hidden(hidden, n_i: int, n_j: int) -> list[tuple[int, int]] | None:
    for i in range(n_i):
        line = [(i, j) for j in range(n_j)]
        if sum(cell in hidden for cell in line) == 1:
            return line
    for j in range(n_j):
        line = [(i, j) for i in range(n_i)]
        if sum(cell in hidden for cell in line) == 1:
            return line
    return None


def is_protected(cell: tuple[int, int], hidden: set[tuple[int, int]], grid: list[list[int]]) -> bool:
    """True if the hidden `cell` can take another value: some cycle of hidden cells through it can shift by one
    (alternately up and down along rows and columns, totals included) without a hidden count going below zero.

    With y = the cell's value for ordinary cells and the grand total and y = -value for row and column totals, every
    row and column of the augmented table sums to zero. A change d = +1 in y is an arc row -> column, d = -1 an arc
    column -> row; a value of zero may only go up. A valid shift is a directed cycle."""
    last_i, last_j = len(grid) - 1, len(grid[0]) - 1

    def sign(i: int, j: int) -> int:
        return -1 if (i == last_i) != (j == last_j) else 1

    def directions(i: int, j: int) -> tuple[int, ...]:
        return (sign(i, j),) if grid[i][j] == 0 else (1, -1)

    arcs: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in hidden:
        if (i, j) == cell:
            continue
        for d in directions(i, j):
            tail, head = (("r", i), ("c", j)) if d == 1 else (("c", j), ("r", i))
            arcs.setdefault(tail, []).append(head)
    i, j = cell
    for d in directions(i, j):
        tail, head = (("r", i), ("c", j)) if d == 1 else (("c", j), ("r", i))
        if _reaches(arcs, head, tail):
            return True
    return False


def _reaches(arcs, start, goal) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for following in arcs.get(node, ()):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return False

"""Property tests of secondary suppression: for random tables, nothing hidden can be worked out from what is shown.

Checked independently of the suppression code: (1) no row or column (totals included) has exactly one hidden value;
(2) linear algebra: no hidden value is fixed by the row and column equations (exact rank test with fractions);
(3) an interval argument: where a line's total is shown, its hidden values don't add up to zero (which would force
them all to be 0, counts being never negative); and counts below the threshold never appear; shown totals are right.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from community.metrics.disclosure import SUPPRESSED, PeopleBehind, suppress_table

counts = st.one_of(st.integers(0, 12), st.integers(0, 60))


@st.composite
def tables(draw):
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 5))
    rows = {f"r{i}": {f"c{j}": draw(counts) for j in range(n_cols)} for i in range(n_rows)}
    return rows, draw(st.sampled_from([5, 10]))


def augmented(table):
    """The published table as a grid with totals (last column = row totals, last row = column totals)."""
    grid = [[table.cells[r][c] for c in table.column_keys] + [table.row_totals[r]] for r in table.row_keys]
    grid.append([table.column_totals[c] for c in table.column_keys] + [table.grand_total])
    return grid


def true_grid(rows, columns):
    grid = [[rows[r][c] for c in columns] + [sum(rows[r].values())] for r in rows]
    grid.append([sum(grid[i][j] for i in range(len(rows))) for j in range(len(columns) + 1)])
    return grid


def lines(n_i, n_j):
    """Each line as (cells, coefficients): row i: sum of cells - row total = 0; likewise columns; the totals row and
    column: sum of totals - grand total = 0."""
    result = []
    for i in range(n_i):
        result.append([((i, j), 1 if j < n_j - 1 else -1) for j in range(n_j)])
    for j in range(n_j):
        result.append([((i, j), 1 if i < n_i - 1 else -1) for i in range(n_i)])
    return result


def rank(matrix):
    rows = [list(row) for row in matrix]
    r = 0
    n_cols = len(rows[0]) if rows else 0
    for col in range(n_cols):
        pivot = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                factor = rows[k][col] / rows[r][col]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[r], strict=True)]
        r += 1
    return r


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_cell_can_be_recovered(data):
    rows, threshold = data
    assert_nothing_hidden_can_be_recovered(suppress_table(rows=rows, threshold=threshold), rows, threshold)


@st.composite
def attendance_tables(draw):
    """Counts in which one person can count several times, with how many different people make up each cell."""
    rows, threshold = draw(tables())
    people = {r: {c: draw(st.integers(min(1, n), n)) for c, n in line.items()} for r, line in rows.items()}
    return rows, people, threshold


@settings(max_examples=300, deadline=None)
@given(attendance_tables())
def test_counts_made_up_of_few_people_are_hidden_and_nothing_hidden_can_be_recovered(data):
    rows, people, threshold = data
    table = suppress_table(rows=rows, threshold=threshold, people=PeopleBehind(cells=people))
    assert_nothing_hidden_can_be_recovered(table, rows, threshold)
    for r, line in people.items():
        for c, n in line.items():
            if n < threshold:
                assert table.cells[r][c] == SUPPRESSED, "a count made up of too few people was published"
        if max(line.values()) < threshold:
            assert table.row_totals[r] == SUPPRESSED, "a total not known to have enough people was published"


def assert_nothing_hidden_can_be_recovered(table, rows, threshold) -> None:
    columns = list(next(iter(rows.values())))
    shown, truth = augmented(table), true_grid(rows, columns)
    n_i, n_j = len(shown), len(shown[0])
    unknown = [(i, j) for i in range(n_i) for j in range(n_j) if shown[i][j] == SUPPRESSED]
    index = {cell: k for k, cell in enumerate(unknown)}

    for i in range(n_i):
        for j in range(n_j):
            if shown[i][j] != SUPPRESSED:
                assert shown[i][j] == truth[i][j], "a published count or total differs from the data"
                assert shown[i][j] >= threshold, "a count below the threshold was published"
            else:
                assert truth[i][j] >= 0

    equations = []
    for line in lines(n_i, n_j):
        hidden = [(cell, coefficient) for cell, coefficient in line if cell in index]
        assert len(hidden) != 1, f"one hidden value in a line can be worked out by subtraction: {hidden}"
        if hidden:
            row = [Fraction(0)] * len(unknown)
            for cell, coefficient in hidden:
                row[index[cell]] = Fraction(coefficient)
            equations.append(row)
        total_cell = line[-1][0]
        if total_cell not in index and hidden:
            hidden_sum = sum(truth[i][j] for (i, j), _ in hidden)
            assert hidden_sum > 0, "hidden values adding up to zero would all be 0"

    if unknown:
        base = rank(equations) if equations else 0
        for k in range(len(unknown)):
            probe = [Fraction(int(m == k)) for m in range(len(unknown))]
            assert rank([*equations, probe]) > base, f"hidden cell {unknown[k]} is fixed by the totals"


@settings(max_examples=100, deadline=None)
@given(tables())
def test_suppression_is_deterministic_and_keeps_the_keys(data):
    rows, threshold = data
    first = suppress_table(rows=rows, threshold=threshold)
    assert first == suppress_table(rows=rows, threshold=threshold)
    assert list(first.row_keys) == list(rows) and set(first.column_keys) == set(next(iter(rows.values())))

"""Disclosure control: the threshold, counts, means, shares and the worked table of docs/metrics.md."""

from __future__ import annotations

import logging

import pytest

from community.metrics.disclosure import (
    SUPPRESSED,
    PeopleBehind,
    disclosure_threshold,
    is_protected,
    suppress_count,
    suppress_counts,
    suppress_mean,
    suppress_median,
    suppress_share,
    suppress_table,
)


def test_the_threshold_defaults_to_ten():
    assert disclosure_threshold() == 10


def test_a_configured_threshold_below_five_is_raised_to_five(settings, caplog):
    settings.HN_DISCLOSURE_THRESHOLD = 3
    with caplog.at_level(logging.WARNING):
        assert disclosure_threshold() == 5
    assert "below 5" in caplog.text
    assert suppress_count(4) == SUPPRESSED and suppress_count(5) == 5


def test_an_explicit_threshold_below_five_is_refused():
    with pytest.raises(ValueError):
        disclosure_threshold(4)
    with pytest.raises(ValueError):
        suppress_count(20, threshold=2)


@pytest.mark.parametrize(("n", "shown"), [(0, SUPPRESSED), (1, SUPPRESSED), (9, SUPPRESSED), (10, 10), (250, 250)])
def test_counts_below_ten_are_shown_as_c(n, shown):
    assert suppress_count(n) == shown


def test_a_mean_or_median_needs_ten_people():
    assert suppress_mean([4] * 9) == SUPPRESSED
    assert suppress_mean([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == 5.5
    assert suppress_median([3] * 9) == SUPPRESSED
    assert suppress_median([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]) == 5.5


def test_a_share_is_hidden_when_either_part_is_small():
    assert suppress_share(12, 40) == 0.3
    assert suppress_share(35, 40) == SUPPRESSED  # 5 people are not in it
    assert suppress_share(4, 40) == SUPPRESSED
    assert suppress_share(0, 5) == SUPPRESSED


# The worked table in docs/metrics.md: attendances by group and category.
WORKED = {
    "Tuesday Club": {"social": 42, "wellbeing": 3, "learning": 15},
    "Art Group": {"social": 12, "wellbeing": 25, "learning": 11},
    "Saturday Walkers": {"social": 30, "wellbeing": 18, "learning": 21},
}


def test_worked_table_hides_small_cells_and_enough_others():
    table = suppress_table(rows=WORKED)
    assert table.as_rows(corner="Group") == [
        ["Group", "social", "wellbeing", "learning", "Total"],
        ["Tuesday Club", 42, "c", "c", 60],
        ["Art Group", 12, 25, 11, 48],
        ["Saturday Walkers", 30, "c", "c", 69],
        ["Total", 84, 46, 47, 177],
    ]
    assert table.suppressed_cells == 4


def test_a_count_made_up_of_too_few_people_is_hidden_like_a_small_count():
    """docs/metrics.md: Art Group's 12 social attendances by only 4 different people."""
    people = {
        "Tuesday Club": {"social": 20, "wellbeing": 2, "learning": 11},
        "Art Group": {"social": 4, "wellbeing": 14, "learning": 10},
        "Saturday Walkers": {"social": 16, "wellbeing": 12, "learning": 13},
    }
    table = suppress_table(rows=WORKED, people=PeopleBehind(cells=people))
    assert table.as_rows(corner="Group") == [
        ["Group", "social", "wellbeing", "learning", "Total"],
        ["Tuesday Club", "c", "c", 15, 60],
        ["Art Group", "c", "c", 11, 48],
        ["Saturday Walkers", 30, 18, 21, 69],
        ["Total", 84, 46, 47, 177],
    ]


def test_a_total_is_hidden_unless_it_is_known_to_have_enough_people():
    rows = {"January": {"social": 14, "learning": 12}, "February": {"social": 30, "learning": 25}}
    people = {"January": {"social": 8, "learning": 9}, "February": {"social": 12, "learning": 11}}
    guessed = suppress_table(rows=rows, people=PeopleBehind(cells=people))
    assert guessed.row_totals["January"] == "c"  # 8 and 9 people: the month might have fewer than 10 in all
    known = suppress_table(rows=rows, people=PeopleBehind(cells=people, rows={"January": 15}))
    assert known.cells["January"] == {"social": "c", "learning": "c"}
    assert known.row_totals["January"] == 26  # 15 different people that month


def test_a_small_total_is_hidden_and_protected_too():
    table = suppress_table(rows={"a": {"x": 3, "y": 4}, "b": {"x": 20, "y": 30}})
    # a's total (7) is hidden; b's total must go too, or 57 - 50 would give it away; then b's cells protect a's.
    assert table.as_rows() == [
        ["", "x", "y", "Total"],
        ["a", "c", "c", "c"],
        ["b", "c", "c", "c"],
        ["Total", 23, 34, 57],
    ]


def test_a_table_with_nothing_small_is_published_whole():
    table = suppress_table(rows={"a": {"x": 10, "y": 11}, "b": {"x": 12, "y": 13}})
    assert table.suppressed_cells == 0 and table.grand_total == 46


def test_one_column_distribution():
    table = suppress_counts({"low": 12, "medium": 4, "high": 30, "very high": 15})
    assert [table.cells[k]["count"] for k in table.row_keys] == [SUPPRESSED, SUPPRESSED, 30, 15]
    assert table.grand_total == 61


def test_an_empty_table_publishes_a_hidden_zero_total():
    assert suppress_table(rows={}).as_rows() == [["", "Total"], ["Total", SUPPRESSED]]
    assert suppress_table(rows={"a": {}}).row_totals == {"a": SUPPRESSED}


def test_bad_cells_are_refused():
    with pytest.raises(ValueError):
        suppress_table(rows={"a": {"x": -1}})
    with pytest.raises(ValueError):
        suppress_table(rows={"a": {"x": 1.5}})
    with pytest.raises(ValueError):
        suppress_table(rows={"a": {"x": 1}}, columns=["y"])


def test_a_hidden_cell_joined_to_others_only_by_a_bridge_is_not_protected():
    # Hidden cells (0,0),(0,1),(1,0),(1,1) form a cycle, as do (2,2),(2,3),(3,2),(3,3); (1,2) joins them. Row 1 and
    # column 2 each have three hidden cells, but (1,2) is fixed: add rows 0-1 and subtract columns 0-1.
    grid = [[20] * 5 for _ in range(5)]
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    assert not is_protected((1, 2), hidden, grid)
    assert is_protected((0, 0), hidden, grid)


def test_a_hidden_zero_can_only_go_up():
    # Column 0 is (0, 5) with its total 5 shown: the zero can rise while the 5 falls, so both are safe.
    grid = [[0, 20, 20], [5, 20, 25], [5, 40, 45]]
    assert is_protected((0, 0), {(0, 0), (0, 1), (1, 0), (1, 1)}, grid)
    # Column 0 is (0, 0) with its total 0 shown: both hidden zeros must be 0.
    grid = [[0, 20, 20], [0, 20, 20], [0, 40, 40]]
    assert not is_protected((0, 0), {(0, 0), (0, 1), (1, 0), (1, 1)}, grid)


def test_the_loneliness_average_is_c_when_its_distribution_hides_a_cell():
    """Scores 8 (3 people) and 9 (0) are hidden; with the total and the average published, a + b = 3 and
    8a + 9b = 24 would give them back. So the average goes too; with nothing hidden it is shown."""
    from types import SimpleNamespace

    from community.metrics.wellbeing import LonelinessFigures
    from community.selectors.programme import _loneliness

    hidden = LonelinessFigures(ucla_counts={3: 30, 4: 25, 5: 20, 6: 15, 7: 12, 8: 3, 9: 0})
    table = _loneliness(SimpleNamespace(loneliness=hidden), False)
    assert table.notes == ["Average score: c."]
    shown = LonelinessFigures(ucla_counts={3: 30, 4: 25, 5: 20, 6: 15, 7: 12, 8: 11, 9: 10})
    table = _loneliness(SimpleNamespace(loneliness=shown), False)
    assert table.notes == [f"Average score: {shown.ucla_mean:.2f}."]


def test_a_programme_csv_writes_formula_like_labels_as_text_and_negative_numbers_as_numbers():
    import csv
    import io

    from community.selectors.programme import NUMBER, Column, FigureTable, table_csv

    labels = ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "Social"]
    table = FigureTable(
        key="k",
        title="t",
        about="a",
        columns=[Column("=Month", "label"), Column("Change", NUMBER)],
        rows=[[label, -1.5] for label in labels],
    )
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert rows[0] == ["'=Month", "Change"]
    assert [row[0] for row in rows[1:]] == ["'" + label for label in labels[:-1]] + ["Social"]
    assert {row[1] for row in rows[1:]} == {"-1.50"}


def test_a_measure_tables_rows_are_shown_in_their_own_kind_on_the_page_in_json_and_in_csv():
    """The connections table has one "Value" column but a count, then shares: each row in its own kind everywhere."""
    from community.selectors.programme import COUNT, NUMBER, PERCENT, Column, FigureTable

    table = FigureTable(
        key="k",
        title="t",
        about="a",
        columns=[Column("Measure", "label"), Column("Value", NUMBER)],
        rows=[["People", 12], ["Share", 0.6], ["Change", -1.234]],
        row_kinds=[COUNT, PERCENT, NUMBER],
    )
    assert table.display_rows() == [["People", "12"], ["Share", "60.0%"], ["Change", "-1.23"]]
    assert table.csv_rows()[1:] == [["People", "12"], ["Share", "60.0"], ["Change", "-1.23"]]
    assert table.as_dict()["rows"] == [["People", 12], ["Share", 0.6], ["Change", -1.234]]
    assert table.as_dict()["row_kinds"] == [COUNT, PERCENT, NUMBER]

"""Scoring follows the published tables and rules in shared/reference exactly."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from community import reference, scoring
from community.models_wellbeing import LonelinessDirect

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference"


def _shared_rows(name):
    with open(SHARED / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _shared_readme():
    return re.sub(r"\s+", " ", (SHARED / "README.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", _shared_rows("swemwbs_conversion.csv"), ids=lambda row: row["raw_score"])
def test_every_swemwbs_raw_total_maps_to_the_published_metric_score(row):
    assert scoring.swemwbs_metric(int(row["raw_score"])) == Decimal(row["metric_score"])


def test_the_conversion_covers_exactly_the_raw_totals_7_to_35():
    published = [int(row["raw_score"]) for row in _shared_rows("swemwbs_conversion.csv")]
    assert published == list(range(7, 36))
    for outside in (6, 36, 0, None, "20"):
        with pytest.raises(ValueError):
            scoring.swemwbs_metric(outside)


def test_seven_answers_give_a_raw_total_and_the_metric_from_the_table():
    assert scoring.swemwbs_raw([1, 2, 3, 4, 5, 4, 3]) == 22
    assert scoring.swemwbs_score([5] * 7) == (35, Decimal("35.00"))
    assert scoring.swemwbs_score([3] * 7) == (21, Decimal("19.25"))


@pytest.mark.parametrize(
    "items",
    [
        [3, 3, 3, None, 3, 3, 3],
        [3] * 6,
        [3] * 8,
        [3, 3, 3, 0, 3, 3, 3],
        [3, 3, 3, 6, 3, 3, 3],
        [3, 3, 3, True, 3, 3, 3],
    ],
    ids=["one missing", "six answers", "eight answers", "zero", "six", "a boolean"],
)
def test_a_missing_or_out_of_range_swemwbs_answer_gives_no_score(items):
    assert scoring.swemwbs_raw(items) is None
    assert scoring.swemwbs_score(items) == (None, None)


def test_the_licence_notice_is_word_for_word_the_one_in_the_reference_readme():
    assert scoring.SWEMWBS_LICENCE in _shared_readme()


def test_swemwbs_answer_words_and_period_are_those_in_the_reference_readme():
    readme = _shared_readme()
    listed = ", ".join(f"{score} ({label})" for score, label in reference.SWEMWBS_ANSWERS)
    assert f"each item is scored {listed}" in readme
    assert f'over "{reference.SWEMWBS_PERIOD}"' in readme


def test_swemwbs_statements_are_the_seven_published_ones_in_order():
    items = reference.swemwbs_items()
    assert [item["statement"] for item in items] == [row["statement"] for row in _shared_rows("swemwbs_items.csv")]
    assert [item["position"] for item in items] == list(range(1, 8))
    assert items[0]["answers"][0] == (1, "None of the time")


# ONS bands at every boundary: (key, answer, band). Anxiety runs the other way.
ONS_BOUNDARIES = [
    *[
        (key, value, band)
        for key in ("life_satisfaction", "worthwhile", "happiness")
        for value, band in [
            (0, "low"), (4, "low"), (5, "medium"), (6, "medium"),
            (7, "high"), (8, "high"), (9, "very high"), (10, "very high"),
        ]
    ],
    ("anxiety", 0, "very low"), ("anxiety", 1, "very low"), ("anxiety", 2, "low"), ("anxiety", 3, "low"),
    ("anxiety", 4, "medium"), ("anxiety", 5, "medium"), ("anxiety", 6, "high"), ("anxiety", 10, "high"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "band"), ONS_BOUNDARIES)
def test_ons_answers_fall_in_the_published_band_at_each_boundary(key, value, band):
    assert scoring.ons_band(key, value) == band


@pytest.mark.parametrize("key", ["life_satisfaction", "worthwhile", "happiness", "anxiety"])
def test_every_ons_answer_0_to_10_has_exactly_one_band_and_nothing_else_does(key):
    bands = [scoring.ons_band(key, value) for value in range(11)]
    assert len(bands) == 11
    for outside in (-1, 11, None, 5.5):
        with pytest.raises(ValueError):
            scoring.ons_band(key, outside)


def test_an_unknown_ons_question_is_refused():
    with pytest.raises(ValueError):
        scoring.ons_band("overall", 5)


def test_ons_questions_keep_the_published_words_and_anxiety_is_marked_as_reversed():
    questions = reference.ons4_questions()
    assert [q["question"] for q in questions] == [row["question"] for row in _shared_rows("ons4.csv")]
    assert [q["key"] for q in questions if q["higher_is_worse"]] == ["anxiety"]
    assert (questions[0]["low"], questions[0]["high"]) == (0, 10)
    assert (questions[0]["low_label"], questions[0]["high_label"]) == ("not at all", "completely")
    assert scoring.ons_band_labels("anxiety") == ["very low", "low", "medium", "high"]


@pytest.mark.parametrize("total", range(3, 10))
def test_ucla_totals_run_from_3_to_9(total):
    items = [1, 1, 1]
    remaining = total - 3
    for index in range(3):
        step = min(2, remaining)
        items[index] += step
        remaining -= step
    assert scoring.ucla_total(items) == total


@pytest.mark.parametrize("items", [[1, 2, None], [1, 2], [1, 2, 3, 1], [0, 2, 3], [1, 2, 4]])
def test_a_missing_or_out_of_range_ucla_answer_gives_no_total(items):
    assert scoring.ucla_total(items) is None


def test_loneliness_questions_carry_the_published_answer_words_and_scores():
    questions = {q["key"]: q for q in reference.loneliness_questions()}
    assert list(questions) == [row["key"] for row in _shared_rows("loneliness.csv")]
    assert questions["ucla_left_out"]["answers"] == ((1, "Hardly ever or never"), (2, "Some of the time"), (3, "Often"))
    direct = questions["direct"]["answers"]
    assert [label for _, label in direct] == [label for _, label in LonelinessDirect.choices]
    assert direct[0] == (LonelinessDirect.OFTEN_ALWAYS, "Often/always")


def test_meaningful_change_is_a_setting_defaulting_to_3(settings):
    assert scoring.meaningful_change_threshold() == Decimal(3)
    settings.HN_SWEMWBS_MEANINGFUL_CHANGE = 2
    assert scoring.meaningful_change_threshold() == Decimal(2)


def test_the_worked_examples_in_docs_metrics_hold():
    often, some, rarely = 4, 3, 2
    assert scoring.swemwbs_score([often] * 7) == (28, Decimal("25.03"))
    assert scoring.swemwbs_score([often] * 3 + [some] * 3 + [rarely]) == (23, Decimal("20.73"))
    assert (scoring.ons_band("happiness", 4), scoring.ons_band("happiness", 5)) == ("low", "medium")
    assert (scoring.ons_band("anxiety", 5), scoring.ons_band("anxiety", 6)) == ("medium", "high")
    assert scoring.ucla_total([1, 2, 3]) == 6
    docs = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    for figure in ("25.03", "20.73", "1 + 2 + 3 = 6"):
        assert figure in docs

"""Published scales, codes and contacts, loaded from the project's copy in community/reference_data/.

The copy is compared with the shared originals by tests/community/test_reference_data.py; never retype these by hand.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "reference_data"


def read_rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def positive_destinations() -> list[tuple[str, str]]:
    """The eight areas a care leaver may choose to define their own positive destination, as (key, label)."""
    return [(row["key"], row["label"]) for row in read_rows("positive_destinations.csv")]


@cache
def swemwbs_metric_scores() -> dict[int, Decimal]:
    return {int(row["raw_score"]): Decimal(row["metric_score"]) for row in read_rows("swemwbs_conversion.csv")}


@cache
def signposting_contacts() -> list[dict[str, str]]:
    return read_rows("signposting_uk.csv")


@cache
def care_leaver_activities() -> list[dict[str, str]]:
    return read_rows("ssda903_activity.csv")


# The SWEMWBS answer words and scores, and the period asked about, as the rules in shared/reference/README.md give them
# (the README is not a CSV, so tests/community/test_wellbeing_scoring.py checks these against it).
SWEMWBS_ANSWERS: tuple[tuple[int, str], ...] = (
    (1, "None of the time"),
    (2, "Rarely"),
    (3, "Some of the time"),
    (4, "Often"),
    (5, "All of the time"),
)
SWEMWBS_PERIOD = "the last 2 weeks"


@cache
def swemwbs_items() -> list[dict]:
    """The 7 SWEMWBS statements in order: {"position", "wemwbs_item", "statement", "answers"}."""
    return [
        {
            "position": int(row["position"]),
            "wemwbs_item": int(row["wemwbs_item"]),
            "statement": row["statement"],
            "answers": SWEMWBS_ANSWERS,
        }
        for row in read_rows("swemwbs_items.csv")
    ]


def _parse_ons_scale(text: str) -> dict:
    """ "0-10 (0 = not at all; 10 = completely)" -> {"low": 0, "high": 10, "low_label": ..., "high_label": ...}."""
    span, _, labels = text.partition("(")
    low, high = (int(part) for part in span.strip().split("-"))
    ends = {}
    for part in labels.rstrip(")").split(";"):
        number, _, label = part.partition("=")
        ends[int(number)] = label.strip()
    return {"low": low, "high": high, "low_label": ends[low], "high_label": ends[high]}


def _parse_ons_bands(text: str) -> tuple[tuple[str, int, int], ...]:
    """ "low 0-4; medium 5-6; high 7-8; very high 9-10" -> (("low", 0, 4), ...). A trailing "(...)" note is dropped."""
    text = text.split("(")[0]
    bands = []
    for part in text.split(";"):
        label, _, span = part.strip().rpartition(" ")
        low, high = (int(number) for number in span.split("-"))
        bands.append((label.strip(), low, high))
    return tuple(bands)


@cache
def ons4_questions() -> list[dict]:
    """The four ONS personal wellbeing questions in order: {"key", "question", "low", "high", "low_label",
    "high_label", "bands": ((label, low, high), ...), "higher_is_worse"}. Anxiety runs the other way."""
    questions = []
    for row in read_rows("ons4.csv"):
        questions.append(
            {
                "key": row["key"],
                "question": row["question"],
                **_parse_ons_scale(row["scale"]),
                "bands": _parse_ons_bands(row["bands"]),
                "higher_is_worse": "higher is worse" in row["bands"],
            }
        )
    return questions


@cache
def loneliness_questions() -> list[dict]:
    """The UCLA 3-item loneliness questions and the ONS direct question, in order: {"key", "question", "answers":
    ((value, label), ...)}. UCLA answers score 1-3; the direct question's values are LonelinessDirect values."""
    from community.models_wellbeing import LonelinessDirect

    by_label = {label: value for value, label in LonelinessDirect.choices}
    questions = []
    for row in read_rows("loneliness.csv"):
        answers = []
        for part in row["answers"].split(";"):
            label, _, score = part.strip().partition("=")
            if score:
                answers.append((int(score), label.strip()))
            else:
                answers.append((by_label[label.strip()], label.strip()))
        questions.append({"key": row["key"], "question": row["question"], "answers": tuple(answers)})
    return questions

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

"""Scoring the wellbeing scales exactly as published (shared/reference/README.md). Pure functions, no database.

The numbers come from the project's copy of the reference files (community.reference), never retyped here.
- SWEMWBS: seven items scored 1-5; the raw total (7-35) converts to a metric score with the published table. A missing
  item means no score. Analyse metric scores, never raw ones. There is no good/bad cut-off: never label a person.
- ONS4: four separate 0-10 answers with the ONS threshold bands (anxiety runs the other way); no composite.
- UCLA-3: the sum of three items scored 1-3 (total 3-9); no official cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings

from community import reference

SWEMWBS_ITEM_COUNT = 7
UCLA_ITEM_COUNT = 3

# Shown on every screen that shows the scale (the licence condition in shared/reference/README.md; the test checks it
# against that file word for word).
SWEMWBS_LICENCE = (
    "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and "
    "University of Edinburgh, 2008, all rights reserved."
)


def _scores(items: Iterable[int | None], *, count: int, low: int, high: int) -> list[int] | None:
    values = list(items)
    if len(values) != count:
        return None
    for value in values:
        if value is None or isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return None
    return values


def swemwbs_raw(items: Iterable[int | None]) -> int | None:
    """The raw total (7-35) of the seven SWEMWBS answers, in order; None if any is missing or not 1-5."""
    values = _scores(items, count=SWEMWBS_ITEM_COUNT, low=1, high=5)
    return None if values is None else sum(values)


def swemwbs_metric(raw: int) -> Decimal:
    """The published metric score for a SWEMWBS raw total (7-35). Raises ValueError for anything else."""
    try:
        return reference.swemwbs_metric_scores()[raw]
    except (KeyError, TypeError):
        raise ValueError(f"A SWEMWBS raw total is a whole number from 7 to 35, not {raw!r}.") from None


def swemwbs_score(items: Iterable[int | None]) -> tuple[int | None, Decimal | None]:
    """(raw total, metric score) for the seven answers, or (None, None) if any is missing."""
    raw = swemwbs_raw(items)
    return (None, None) if raw is None else (raw, swemwbs_metric(raw))


def meaningful_change_threshold() -> Decimal:
    """Individual SWEMWBS metric change treated as meaningful (HN_SWEMWBS_MEANINGFUL_CHANGE, default 3)."""
    return Decimal(str(settings.HN_SWEMWBS_MEANINGFUL_CHANGE))


def ons_questions_by_key() -> dict[str, dict]:
    return {question["key"]: question for question in reference.ons4_questions()}


def ons_band(key: str, value: int) -> str:
    """The ONS threshold band ("low", "medium", "high", "very high"; for anxiety "very low" to "high") of one answer.
    Raises ValueError for an unknown question or an answer outside 0-10."""
    question = ons_questions_by_key().get(key)
    if question is None:
        raise ValueError(f"There is no ONS personal wellbeing question called {key!r}.")
    if not isinstance(value, bool) and isinstance(value, int):
        for label, low, high in question["bands"]:
            if low <= value <= high:
                return label
    raise ValueError(f"An ONS answer is a whole number from {question['low']} to {question['high']}, not {value!r}.")


def ons_band_labels(key: str) -> list[str]:
    """The band labels of one ONS question, from the lowest answers to the highest."""
    return [label for label, _, _ in ons_questions_by_key()[key]["bands"]]


def ucla_total(items: Iterable[int | None]) -> int | None:
    """The UCLA-3 loneliness total (3-9) of the three answers, in order; None if any is missing or not 1-3."""
    values = _scores(items, count=UCLA_ITEM_COUNT, low=1, high=3)
    return None if values is None else sum(values)

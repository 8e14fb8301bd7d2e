"""The default crisis-language phrase list (crisis_phrases.csv: phrase,category), seeded by migration 0005 and
topped up by `manage.py load_crisis_phrases`. The operator edits the live list in the database, not this file."""

from __future__ import annotations

import csv
from pathlib import Path

CRISIS_PHRASES_CSV = Path(__file__).resolve().parent / "crisis_phrases.csv"


def default_crisis_phrases() -> list[tuple[str, str]]:
    with open(CRISIS_PHRASES_CSV, newline="", encoding="utf-8") as handle:
        return [(row["phrase"].strip(), row["category"].strip()) for row in csv.DictReader(handle) if row["phrase"]]

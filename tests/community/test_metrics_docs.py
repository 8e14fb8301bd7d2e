"""docs/metrics.md's worked example is the one the tests build: its tables match tests/community/metrics_example.py."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from community.reference import swemwbs_metric_scores
from tests.community.metrics_example import EVENTS, GROUPS, SWEMWBS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")


def table_rows(first_cell_pattern: str) -> list[list[str]]:
    rows = []
    for line in DOC.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(first_cell_pattern, cells[0]):
            rows.append(cells)
    return rows


def test_the_events_table_is_the_examples_events():
    documented = {cells[0]: cells[1:] for cells in table_rows(r"event:\d+")}
    expected = {}
    for key, (when, slug, category, names) in EVENTS.items():
        moment = datetime.fromisoformat(when)
        label = f"{moment:%a} {moment.day} {moment:%b %H:%M}"
        expected[key] = [label, GROUPS[slug], category, ", ".join(names)]
    assert documented == expected


def test_the_swemwbs_table_is_the_examples_check_ins():
    metric = swemwbs_metric_scores()
    documented = {cells[0]: cells[1:] for cells in table_rows(r"[A-Z][a-z]+") if "→" in cells[1]}
    expected = {}
    for name, (first, latest) in SWEMWBS.items():
        change = metric[latest] - metric[first]
        sign = "+" if change > 0 else ("−" if change < 0 else "")
        expected[name] = [f"{first} → {metric[first]}", f"{latest} → {metric[latest]}", f"{sign}{abs(change)}"]
    assert documented == expected
    assert sum(metric[b] - metric[a] for a, b in SWEMWBS.values()) == Decimal("19.13")


def test_the_doc_states_the_interval_the_tests_compute():
    assert "**0.45 to 3.38**" in DOC
    assert "mean change is 1.913" in DOC

"""Figures a reliability run hands to the report (docs/reliability.md): each run writes one JSON file in
var/reliability/, and `python -m tests.reliability.report` turns them all into the page."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.machine import cpu_model, git_commit

FIGURES_DIR = Path(__file__).resolve().parent.parent.parent / "var" / "reliability"


def figures_record(*, area: str, title: str, rows: list[tuple[str, str]], notes: str = "") -> Path:
    """Write one area's figures: `rows` are (what was measured, the result) in plain words, e.g.
    ("socket frames sent", "10,000"). `notes` says how it was measured."""
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    path = FIGURES_DIR / f"{area}.json"
    path.write_text(
        json.dumps(
            {
                "area": area,
                "title": title,
                "rows": [[str(label), str(value)] for label, value in rows],
                "notes": notes,
                "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": f"{cpu_model()}, {platform.python_implementation()} {platform.python_version()}",
                "commit": git_commit(),
            },
            indent=2,
        )
    )
    return path

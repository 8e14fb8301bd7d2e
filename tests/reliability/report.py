"""Rewrite docs/reliability.md from the figures the reliability runs wrote (tests/reliability/figures.py).

make reliability            # runs the long tests, then this
python -m tests.reliability.report
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.reliability.figures import FIGURES_DIR

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "reliability.md"
# The order the page shows them in; areas not listed come after, by name.
ORDER = [
    "api_fuzz", "socket_fuzz", "load_soak", "faults", "faults_postgres", "faults_huey", "races", "security",
    "production",
]  # fmt: skip

INTRO = """# Reliability, measured

What a cautious charity can read before trusting Here and Now with young people: load held, faults survived, bad input
tried, nothing lost, nobody let in. This page is generated: `make reliability` runs the long tests under
`tests/reliability/` (marked `long`; the fast ones run in the normal suite, fuzzing with the same examples every run)
and rewrites it from the figures each run leaves in `var/reliability/`. Do not edit it by hand.
"""


def render(figures: list[dict]) -> str:
    parts = [INTRO]
    for area in figures:
        parts.append(f"\n## {area['title']}\n")
        parts.append(f"Measured {area['measured_at']} on {area['machine']}, commit `{area['commit']}`.\n")
        if area["notes"]:
            parts.append(f"\n{area['notes']}\n")
        parts.append("\n| measured | result |\n|---|---|\n")
        parts.extend(f"| {label} | {value} |\n" for label, value in area["rows"])
    return "".join(parts)


def load() -> list[dict]:
    found = [json.loads(path.read_text()) for path in sorted(FIGURES_DIR.glob("*.json"))]
    rank = {area: index for index, area in enumerate(ORDER)}
    return sorted(found, key=lambda area: (rank.get(area["area"], len(ORDER)), area["area"]))


def main() -> None:
    figures = load()
    if not figures:
        raise SystemExit(f"No figures in {FIGURES_DIR}: run `make reliability` first.")
    DOC.write_text(render(figures))
    print(f"Wrote {DOC} from {len(figures)} areas.")


if __name__ == "__main__":
    main()

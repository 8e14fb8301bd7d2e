"""Measuring the crisis-language detector against a labelled set (text,label,kind; label crisis or not_crisis).

recall: the share of crisis items found. precision: the share of alarms that were crisis items. false-alarm rate on
look-alikes: the share of `lookalike` items ("this homework is killing me") that raised an alarm.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

LABELLED_SET = Path(settings.BASE_DIR) / "tests" / "community" / "data" / "crisis_labelled.csv"


@dataclass
class Measurement:
    crisis: int = 0
    found: int = 0
    alarms: int = 0
    true_alarms: int = 0
    lookalikes: int = 0
    lookalike_alarms: int = 0
    not_crisis: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.crisis if self.crisis else 0.0

    @property
    def precision(self) -> float:
        return self.true_alarms / self.alarms if self.alarms else 0.0

    @property
    def lookalike_false_alarm_rate(self) -> float:
        return self.lookalike_alarms / self.lookalikes if self.lookalikes else 0.0

    @property
    def false_alarm_rate(self) -> float:
        """Over every not-crisis item (look-alikes and everyday chat)."""
        return len(self.false_alarms) / self.not_crisis if self.not_crisis else 0.0

    def summary(self) -> str:
        return (
            f"{self.crisis + self.not_crisis} labelled messages ({self.crisis} crisis, {self.not_crisis} not crisis, "
            f"{self.lookalikes} of them look-alikes)\n"
            f"recall on crisis items: {self.recall:.1%} ({self.found}/{self.crisis})\n"
            f"precision: {self.precision:.1%} ({self.true_alarms}/{self.alarms} alarms)\n"
            f"false-alarm rate on look-alikes: {self.lookalike_false_alarm_rate:.1%} "
            f"({self.lookalike_alarms}/{self.lookalikes})\n"
            f"false-alarm rate on all not-crisis items: {self.false_alarm_rate:.1%} "
            f"({len(self.false_alarms)}/{self.not_crisis})"
        )


def read_labelled(path: Path = LABELLED_SET) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def measure(rows: list[dict[str, str]]) -> Measurement:
    from community.services.safeguarding import crisis_scan

    result = Measurement()
    for row in rows:
        alarm = crisis_scan(text=row["text"]).is_crisis
        is_crisis = row["label"] == "crisis"
        result.alarms += alarm
        if is_crisis:
            result.crisis += 1
            result.found += alarm
            result.true_alarms += alarm
            if not alarm:
                result.missed.append(row["text"])
        else:
            result.not_crisis += 1
            if row["kind"] == "lookalike":
                result.lookalikes += 1
                result.lookalike_alarms += alarm
            if alarm:
                result.false_alarms.append(row["text"])
    return result

"""The crisis-language detector measured on tests/community/data/crisis_labelled.csv: recall on crisis items at least
95%, false alarms on look-alikes under 10%. The figures are printed (pytest -s) and recorded in docs/safeguarding.md."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from community.safeguarding_data.measure import LABELLED_SET, measure, read_labelled

pytestmark = pytest.mark.django_db

RECALL_AT_LEAST = 0.95
LOOKALIKE_FALSE_ALARMS_UNDER = 0.10


def test_the_labelled_set_is_big_enough_and_covers_every_kind():
    rows = read_labelled()
    kinds = Counter((row["label"], row["kind"]) for row in rows)

    assert len(rows) >= 200
    assert {row["label"] for row in rows} == {"crisis", "not_crisis"}
    for kind in ("direct", "slang", "misspelling", "spaced"):
        assert kinds["crisis", kind] >= 5, kind
    assert kinds["not_crisis", "lookalike"] >= 50
    assert kinds["not_crisis", "everyday"] >= 30
    assert len({row["text"].lower() for row in rows}) == len(rows), "each message once"


def test_the_detector_meets_the_thresholds():
    result = measure(read_labelled())
    print("\n" + result.summary())
    for text in result.missed:
        print(f"missed: {text}")
    for text in result.false_alarms:
        print(f"false alarm: {text}")

    assert result.recall >= RECALL_AT_LEAST, result.summary()
    assert result.lookalike_false_alarm_rate < LOOKALIKE_FALSE_ALARMS_UNDER, result.summary()


def test_the_measurement_counts_what_it_should(tmp_path):
    labelled = tmp_path / "tiny.csv"
    labelled.write_text(
        "text,label,kind\n"
        "i want to die,crisis,direct\n"
        "something nobody listed,crisis,direct\n"
        "this homework is killing me,not_crisis,lookalike\n"
        "see you at art club,not_crisis,everyday\n",
        encoding="utf-8",
    )
    result = measure(read_labelled(labelled))

    assert (result.recall, result.precision, result.lookalike_false_alarm_rate) == (0.5, 1.0, 0.0)
    assert result.missed == ["something nobody listed"]


def test_the_command_prints_recall_precision_and_false_alarms(capsys):
    call_command("measure_crisis_detector", "--file", str(LABELLED_SET))
    out = capsys.readouterr().out

    assert "recall on crisis items:" in out
    assert "precision:" in out
    assert "false-alarm rate on look-alikes:" in out

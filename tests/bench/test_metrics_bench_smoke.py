"""The metrics benchmark on a tiny data set, so it cannot rot: the seed's ledger and ties agree, the Python loop and the
hand-written SQL give exactly the figures the product publishes, and a tiny run produces its report. No timing is
asserted."""

from __future__ import annotations

import json

import pytest

from bench.metrics_refs import floor_attendance, floor_raw, naive_attendance, naive_raw
from bench.metrics_seed import MetricsSize, build_ties_from_ledger, seed_metrics
from community.models import ParticipationEntry, Tie
from community.selectors.programme import BUILDERS, MetricsRaw, programme_figures, publish_figures, table_csv
from community.selectors.programme_filters import programme_filters_from
from community.services.participation import participation_record

TINY = MetricsSize(members=150, entries=3_000, checkins=600, group_size=30)


@pytest.fixture
def tiny(db):
    return seed_metrics(size=TINY)


def test_the_seed_has_the_sizes_asked_for(tiny):
    assert tiny.counts["members"] == 150
    assert tiny.counts["attendance records"] == 3_000
    assert tiny.counts["check-ins"] == 600


def test_ties_built_in_bulk_are_what_the_service_would_have_made(tiny, make_user):
    """Record one more person at an existing activity through the real service; it must leave the other ties as the
    bulk build made them, and a rebuild from the ledger must give the same table."""
    entry = ParticipationEntry.objects.order_by("id").first()
    person = make_user(display_name="Late arrival")
    participation_record(
        user=person, activity_key=entry.activity_key, group=entry.group, category=entry.category,
        occurred_at=entry.occurred_at,
    )  # fmt: skip
    by_service = set(Tie.objects.values_list("user_low_id", "user_high_id", "times_met", "first_met_at", "last_met_at"))
    Tie.objects.all().delete()
    build_ties_from_ledger()
    rebuilt = set(Tie.objects.values_list("user_low_id", "user_high_id", "times_met", "first_met_at", "last_met_at"))
    assert rebuilt == by_service


def test_the_python_loop_and_the_sql_floor_publish_the_same_figures_as_the_product(tiny):
    filters = programme_filters_from(params={})
    product = json.dumps(programme_figures(filters=filters).as_dict(), sort_keys=True)
    naive = json.dumps(publish_figures(filters=filters, raw=naive_raw(filters)).as_dict(), sort_keys=True)
    floor = json.dumps(publish_figures(filters=filters, raw=floor_raw(filters)).as_dict(), sort_keys=True)
    assert naive == product
    assert floor == product
    assert '"c"' in product or '"c"' in product  # small cells are suppressed even in the references


def test_the_csv_references_write_the_same_file(tiny):
    filters = programme_filters_from(params={})
    product = table_csv(BUILDERS["attendance"](MetricsRaw(filters), False))
    assert table_csv(BUILDERS["attendance"](naive_attendance(filters), False)) == product
    assert table_csv(BUILDERS["attendance"](floor_attendance(filters), False)) == product


def test_a_tiny_run_measures_everything_and_writes_its_section(tiny):
    from bench.metrics_bench import (
        METRICS_END,
        METRICS_START,
        NOTES_END,
        RunSettings,
        markdown,
        measure_size,
        write_doc,
    )

    run = RunSettings(
        sizes=(150,), min_samples=2, max_samples=2, seconds=0.0, path_seconds=5.0, least=1, hard_seconds=20.0,
        warmup=0, checkin_rounds=1,
    )  # fmt: skip
    said: list[str] = []
    entry = measure_size(tiny, run, said.append)
    assert entry["problems"] == []
    assert {"figures", "export", "page", "dashboard", "checkin"} <= set(entry)
    assert entry["checkin"]["60"]["n"] == 1
    entry["seed"] = {"counts": tiny.counts, "seconds": tiny.seconds}
    results = {"sqlite": {"server_version": "3", "sizes": {"150": entry, "300": entry}}}
    machine = {"date": "today", "commit": "abc", "run_seconds": 1.0, "cores": 2, "cpu": "x", "python": "3",
               "django": "5", "load": "0"}  # fmt: skip
    text = markdown(results, machine)
    assert "Programme figures for a year" in text and "Recording a check-in" in text
    doc = write_doc(text, f"# Benchmarks\n\nnotes\n{NOTES_END}\n")
    assert doc.index(METRICS_START) < doc.index(METRICS_END) < doc.index(NOTES_END)
    assert write_doc(text, doc) == doc  # a second run replaces its own section

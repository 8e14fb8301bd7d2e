"""The benchmark machinery on a tiny data set, so it cannot rot: seeding, the floor and naive paths giving the same
output as the real endpoints, query counts, the RSVP race and the markdown tables. No timing is asserted."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import connection

from bench.events_bench import NOTES_END, NOTES_START, RunSettings, _first_difference, keep_notes, run_measurements
from bench.measure import percentile
from bench.report import markdown
from bench.seed import CONTENTION_CAPACITY, SeedSize, seed
from events.models import Event, Rsvp, RsvpStatus

TINY = SeedSize(members=240, events=120, rsvps=1_000, contention_events=6, contenders=4, big_event_people=20)
SMOKE = RunSettings(
    min_samples=3,
    max_samples=3,
    seconds=0.0,
    hard_seconds=20.0,
    warmup=0,
    naive_min_samples=1,
    race_threads=2,
    race_rounds=2,
    race_warmup=1,
    profile="always",
    profile_requests=2,
    sql_calls=1,
)
MACHINE = {
    "date": "today",
    "commit": "abc1234",
    "run_seconds": 1.0,
    "cores": 2,
    "cpu": "test",
    "python": "3",
    "django": "5.2",
    "sqlite": "3",
    "postgresql": "not run",
}


@pytest.fixture
def tiny_world(transactional_db):
    return seed(size=TINY)


def test_the_seed_builds_the_shapes_the_measurements_need(tiny_world):
    assert tiny_world.counts["members"] == TINY.members
    assert tiny_world.counts["events"] == TINY.events
    assert tiny_world.counts["rsvps"] == TINY.rsvps
    big = Rsvp.objects.filter(event_id=tiny_world.big_event_id)
    assert big.filter(status__in=[RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.PENDING]).count() == 20
    for event in Event.objects.filter(pk__in=tiny_world.contention_event_ids):
        assert event.going_count == Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
        assert event.capacity == CONTENTION_CAPACITY > event.going_count
    assert not Rsvp.objects.filter(user_id__in=tiny_world.contender_ids).exists()


def test_a_run_gives_every_row_of_the_table_with_matching_outputs(tiny_world, tmp_path):
    # The test database for SQLite is in memory with a shared cache, where a second writer fails at once instead of
    # waiting; the real run uses a file. So the race here has one thread on SQLite.
    run = replace(SMOKE, race_threads=2 if connection.vendor == "postgresql" else 1)
    results = run_measurements(tiny_world, run, label="smoke", profile_dir=tmp_path)
    results["seed"] = {"counts": tiny_world.counts, "seconds": 0.0}

    assert results["problems"] == []  # the floor and naive outputs equal the endpoint's; the race kept capacity
    reads = {read["key"]: read for read in results["reads"]}
    assert set(reads) == {"events", "attendees"}
    for read in reads.values():
        assert set(read["rows"]) == {"endpoint", "floor", "naive"}
        endpoint_queries = read["rows"]["endpoint"]["queries"]
        assert endpoint_queries["10"] == endpoint_queries["50"]
        assert read["rows"]["naive"]["queries"]["50"] > read["rows"]["naive"]["queries"]["10"]  # N+1 shows
        assert read["rows"]["floor"]["queries"] == {"10": 1, "50": 1}
        assert (tmp_path / f"profile-smoke-{read['key']}.txt").exists()
    assert reads["events"]["rows"]["endpoint"]["rows_in_output"] == 50
    assert reads["attendees"]["rows"]["endpoint"]["rows_in_output"] == 20
    race = results["contention"]
    assert race["capacity_held"] is True
    assert set(race["rows"]) == {"endpoint", "floor"}

    text = markdown({connection.vendor: results}, MACHINE)
    for expected in (
        "| Upcoming events, page of 50, as a member | **endpoint** |",
        "| Upcoming events, page of 50, as a member | floor (1 SQL query + json.dumps) |",
        "| Upcoming events, page of 50, as a member | naive (ModelViewSet, N+1) |",
        "| Attendee list of 20 people, as the organiser | **endpoint** |",
        "| Attendee list of 20 people, as the organiser | floor (1 SQL query + json.dumps) |",
        "| Attendee list of 20 people, as the organiser | naive (ModelViewSet, N+1) |",
        "### Targets",
        "### One RSVP under contention",
        "240 members",
    ):
        assert expected in text


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.50) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0


def test_a_difference_between_outputs_is_found_and_named():
    endpoint = {"results": [{"id": 1, "when": "Friday 4 December, 6pm to 8pm"}]}
    assert _first_difference(endpoint, {"results": [{"id": 1, "when": "Friday 4 December, 6pm to 8pm"}]}) is None
    found = _first_difference(endpoint, {"results": [{"id": 1, "when": "Friday 4 December, 6pm to 9pm"}]})
    assert found is not None and ".results[0].when" in found
    assert "keys" in _first_difference(endpoint, {"results": [{"id": 1}]} | {"count": 1})


def test_regenerating_the_document_keeps_the_hand_written_notes():
    old = f"# Old tables\n{NOTES_START}\nWhy it is slow, and what to do.\n{NOTES_END}\n"
    fresh = markdown({}, MACHINE)
    kept = keep_notes(fresh, old)
    assert "Why it is slow, and what to do." in kept
    assert "# Old tables" not in kept
    assert keep_notes(fresh, "") == fresh

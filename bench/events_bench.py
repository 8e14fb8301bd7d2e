"""The events benchmark: one command measures SQLite and PostgreSQL and writes docs/benchmarks.md.

    .venv/bin/python -m bench.events_bench            # what `make bench` runs
    .venv/bin/python -m bench.events_bench --quick    # a small data set and short budgets, to try it out

For each database a fresh worker process migrates an empty database (a SQLite file in a temporary directory, or a
PostgreSQL database it creates and drops), seeds it (bench/seed.py), checks that the endpoint, the floor and the
naive path give the same output, counts queries, times them, races threads for the last places at an event, and
profiles any endpoint that misses a target. This process collects the results and writes the tables.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from bench.machine import cpu_model, git_commit

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
PROFILE_DIR = REPO / "var" / "bench"
DEFAULT_POSTGRES = "postgres://root@127.0.0.1:5432"
BENCH_DATABASE = "here_and_now_bench"
TOTAL_LIMIT_SECONDS = 13 * 60
NOTES_START, NOTES_END = "<!-- notes: kept when the tables are regenerated -->", "<!-- /notes -->"

# Where a request's time goes, for the profile summary: our code, DRF, and the ORM's and driver's entry points.
LAYERS = ("events/", "community/", "rest_framework/", "django/db/models/query.py", "django/db/backends/utils.py")
TARGET_FLOOR_RATIO = 3.0
TARGET_NAIVE_SPEEDUP = 5.0
PAGE_SIZES = (10, 50)


@dataclass(frozen=True)
class RunSettings:
    min_samples: int = 300
    max_samples: int = 2_000
    seconds: float = 20.0
    path_seconds: float = 45.0  # a slow (naive) path stops after this much time in all, with 20 samples or more
    hard_seconds: float = 150.0
    warmup: int = 10
    naive_min_samples: int = 60  # the naive attendee list takes most of a second; its p99 is a rough one
    race_threads: int = 8
    race_rounds: int = 30  # per path (endpoint and floor alternate)
    race_warmup: int = 2
    profile_requests: int = 100
    sql_calls: int = 30  # requests per path to measure time spent in the database driver
    profile: str = "missed"  # "missed" (only endpoints missing a target), "always" or "never"


QUICK = RunSettings(
    min_samples=30, max_samples=200, seconds=2.0, hard_seconds=15.0, warmup=3, naive_min_samples=10, race_rounds=4
)


# --- in the worker: measuring one database -------------------------------------------------------------------------


@dataclass
class ReadSpec:
    key: str
    title: str
    measured_size: int
    paths: dict[str, Callable[[int], bytes]]  # "endpoint", "floor", "naive": size -> response body
    comparable: Callable[[dict], object]
    floor_query: str = ""  # which hand-written form of the floor's query is used, when there are several


def _api_client(token: str):
    from rest_framework.test import APIClient

    client = APIClient(SERVER_NAME="127.0.0.1")  # an allowed host, as behind the real proxy
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _get(client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return response.content


def _first_difference(left: object, right: object, where: str = "") -> str | None:
    if type(left) is not type(right):
        return f"{where or 'top'}: {left!r:.80} vs {right!r:.80}"
    if isinstance(left, dict):
        if left.keys() != right.keys():
            return f"{where or 'top'}: keys {sorted(set(left) ^ set(right))} are only on one side"
        for key in left:
            found = _first_difference(left[key], right[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list):
        if len(left) != len(right):
            return f"{where or 'top'}: {len(left)} items vs {len(right)}"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = _first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if left == right else f"{where or 'top'}: {left!r:.80} vs {right!r:.80}"


def _read_specs(seeded) -> list[ReadSpec]:
    from bench import floor, targets

    member, organiser = _api_client(seeded.member_token), _api_client(seeded.organiser_token)
    events_query = floor.fastest_events_query(user_id=seeded.member_id, page_size=50)
    people = seeded.big_event_people
    attendee_events = {**seeded.sized_events, people: seeded.big_event_id}
    return [
        ReadSpec(
            key="events",
            title="Upcoming events, page of 50, as a member",
            measured_size=50,
            paths={
                "endpoint": lambda size: _get(member, targets.events_list(size)),
                "floor": lambda size: floor.upcoming_events(
                    user_id=seeded.member_id, page_size=size, query=events_query
                ),
                "naive": lambda size: _get(member, f"/bench-naive/events/?page_size={size}"),
            },
            comparable=lambda data: {"count": data["count"], "results": data["results"]},
            floor_query=events_query,
        ),
        ReadSpec(
            key="attendees",
            title=f"Attendee list of {people} people, as the organiser",
            measured_size=people,
            paths={
                "endpoint": lambda size: _get(organiser, targets.attendees(attendee_events[size])),
                "floor": lambda size: floor.attendees(event_id=attendee_events[size]),
                "naive": lambda size: _get(organiser, f"/bench-naive/events/{attendee_events[size]}/attendees/"),
            },
            comparable=lambda data: data,
        ),
    ]


def _sql_milliseconds_per_call(run: Callable[[], object], calls: int) -> float:
    """Mean time spent inside the database driver per call (the rest is Python)."""
    from django.db import connection

    spent = [0]

    def timed(execute, sql, params, many, context):
        begin = time.perf_counter_ns()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter_ns() - begin

    with connection.execute_wrapper(timed):
        for _ in range(calls):
            run()
    return spent[0] / calls / 1e6


def _profile(run: Callable[[], object], requests: int, label: str, directory: Path) -> dict:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        run()
    profiler.disable()
    directory.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)
    report_path = directory / f"profile-{label}.txt"
    report_path.write_text(text.getvalue())
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():
        rows.append(
            {
                "where": f"{_short_path(filename)}:{line} {re.sub(r' at 0x[0-9a-f]+', '', function)}",
                "calls": calls / requests,
                "own_ms": own * 1000 / requests,
                "cumulative_ms": cumulative * 1000 / requests,
            }
        )
    return {
        "file": str(report_path.relative_to(REPO)) if report_path.is_relative_to(REPO) else str(report_path),
        "total_ms": sum(row["own_ms"] for row in rows),
        "by_own_time": sorted(rows, key=lambda row: -row["own_ms"])[:15],
        "by_cumulative": [
            row
            for row in sorted(rows, key=lambda row: -row["cumulative_ms"])
            if row["where"].startswith(LAYERS) and not row["where"].startswith("rest_framework/test.py")
        ][:25],
    }


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", str(REPO) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def run_measurements(seeded, run: RunSettings, *, label: str = "db", profile_dir: Path = PROFILE_DIR) -> dict:
    """Measure everything on the current default database, which `seeded` describes. Returns plain data."""
    from django.db import connection
    from django.test.utils import override_settings

    from bench import measure, targets

    problems: list[str] = []
    reads: list[dict] = []
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{label} +{time.perf_counter() - started:.1f}s] {message}", flush=True)

    with override_settings(ROOT_URLCONF="bench.urls"):
        targets.check()
        overhead = _request_overhead(seeded, run)
        say(f"an empty DRF view: p50 {overhead['p50_ms']:.2f} ms")
        budget = measure.Budget(
            min_samples=run.min_samples,
            max_samples=run.max_samples,
            seconds=run.seconds,
            path_seconds=run.path_seconds,
            hard_seconds=run.hard_seconds,
            warmup=run.warmup,
        )
        for spec in _read_specs(seeded):
            bodies = {name: json.loads(path(spec.measured_size)) for name, path in spec.paths.items()}
            for other in ("floor", "naive"):
                difference = _first_difference(
                    spec.comparable(bodies["endpoint"]), spec.comparable(bodies[other]), spec.key
                )
                if difference:
                    problems.append(f"{spec.title}: {other} output differs from the endpoint's at {difference}")
            queries = {
                name: {size: measure.count_queries(lambda p=path, s=size: p(s)) for size in PAGE_SIZES}
                for name, path in spec.paths.items()
            }
            timings = measure.sample_interleaved(
                {name: (lambda p=path, s=spec.measured_size: p(s)) for name, path in spec.paths.items()},
                budget,
                minimums={"naive": run.naive_min_samples},
            )
            entry = {"key": spec.key, "title": spec.title, "rows": {}, "floor_query": spec.floor_query}
            for name, timing in timings.items():
                entry["rows"][name] = {
                    "n": timing.n,
                    "p50_ms": timing.p50,
                    "p99_ms": timing.p99,
                    "sql_ms": _sql_milliseconds_per_call(
                        lambda p=spec.paths[name], s=spec.measured_size: p(s),
                        calls=run.sql_calls if timing.p50 < 50 else max(run.sql_calls // 6, 1),
                    ),
                    "queries": {str(size): count for size, count in queries[name].items()},
                    "rows_in_output": _rows_in(bodies[name]),
                }
            entry["targets"] = _targets(entry["rows"])
            for name, row in entry["rows"].items():
                say(
                    f"{spec.key} {name}: p50 {row['p50_ms']:.2f} ms, p99 {row['p99_ms']:.2f} ms, n={row['n']}, "
                    f"queries {row['queries']}"
                )
            if run.profile == "always" or (run.profile == "missed" and not entry["targets"]["met"]):
                entry["profile"] = _profile(
                    lambda p=spec.paths["endpoint"], s=spec.measured_size: p(s),
                    run.profile_requests,
                    f"{label}-{spec.key}",
                    profile_dir,
                )
            reads.append(entry)
        contention = _contention(seeded, run, problems)
        say(f"RSVP race: {contention['rounds']} rounds, {contention['rows']}")
    return {
        "request_overhead": overhead,
        "vendor": connection.vendor,
        "server_version": _server_version(),
        "reads": reads,
        "contention": contention,
        "problems": problems,
    }


def _request_overhead(seeded, run: RunSettings) -> dict:
    """The fixed cost of any API request here: the same client, middleware, token authentication and DRF, with a
    view that does nothing (bench/urls.py). No selector or serializer change can take this part away."""
    from bench import measure

    member = _api_client(seeded.member_token)
    timing = measure.sample_interleaved(
        {"empty": lambda: _get(member, "/bench-empty/")},
        measure.Budget(min_samples=run.min_samples, max_samples=run.min_samples, seconds=0, warmup=run.warmup),
    )["empty"]
    return {"n": timing.n, "p50_ms": timing.p50, "p99_ms": timing.p99}


def _rows_in(body: dict) -> int:
    if "results" in body:
        return len(body["results"])
    return sum(len(value) for value in body.values() if isinstance(value, list))


def _targets(rows: dict) -> dict:
    endpoint, floor_row, naive = rows["endpoint"], rows["floor"], rows["naive"]
    floor_ratio = endpoint["p50_ms"] / floor_row["p50_ms"]
    speedup = naive["p50_ms"] / endpoint["p50_ms"]
    constant = len(set(endpoint["queries"].values())) == 1
    return {
        "floor_ratio": floor_ratio,
        "naive_speedup": speedup,
        "queries_constant": constant,
        "naive_queries_constant": len(set(naive["queries"].values())) == 1,
        "met": floor_ratio <= TARGET_FLOOR_RATIO and speedup >= TARGET_NAIVE_SPEEDUP and constant,
    }


def _contention(seeded, run: RunSettings, problems: list[str]) -> dict:
    """Threads say they're going to the same event at once, for its last places: through the endpoint and through
    the floor (one hand-written transaction), alternating rounds. After every round exactly `capacity` are going."""
    from bench import floor, measure, targets
    from bench.seed import CONTENTION_CAPACITY, CONTENTION_SEATS_LEFT
    from events.models import Event, Rsvp, RsvpStatus

    threads = min(run.race_threads, len(seeded.contender_ids))
    total_rounds = run.race_warmup + 2 * run.race_rounds
    events = seeded.contention_event_ids
    if len(events) < total_rounds:
        raise RuntimeError(f"the race needs {total_rounds} events with places left; the seed made {len(events)}")
    clients = [_api_client(token) for token in seeded.contender_tokens]

    def person(round_index: int, thread: int) -> int:
        return (round_index * threads + thread) % len(seeded.contender_ids)

    def attempt(round_index: int, thread: int) -> str:
        event_id, who = events[round_index], person(round_index, thread)
        if round_index % 2 == 0:
            response = clients[who].post(targets.rsvp(event_id))
            if response.status_code not in (200, 201):
                raise RuntimeError(f"RSVP answered {response.status_code}: {response.content[:200]!r}")
            return "endpoint"
        floor.rsvp_going(event_id=event_id, user_id=seeded.contender_ids[who])
        return "floor"

    expected = min(CONTENTION_CAPACITY, CONTENTION_CAPACITY - CONTENTION_SEATS_LEFT + threads)

    def check_round(round_index: int) -> str | None:
        event = Event.objects.get(pk=events[round_index])
        going = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING).count()
        answered = Rsvp.objects.filter(event=event, user_id__in=seeded.contender_ids).count()
        if going != expected or event.going_count != expected or answered != threads:
            return f"{going} going (count says {event.going_count}), {answered} answers; expected {expected} going"
        return None

    result = measure.race(
        threads=threads,
        rounds=2 * run.race_rounds,
        warmup_rounds=run.race_warmup,
        attempt=attempt,
        check_round=check_round,
        hard_seconds=run.hard_seconds,
    )
    problems += [f"RSVP race: {problem}" for problem in result.problems]
    return {
        "threads": threads,
        "seats_left": CONTENTION_SEATS_LEFT,
        "rounds": result.rounds,
        "capacity_held": not any("going" in problem for problem in result.problems) and result.rounds > 0,
        "rows": {
            name: {"n": timing.n, "p50_ms": timing.p50, "p99_ms": timing.p99, "cpu_p50_ms": result.cpu[name].p50}
            for name, timing in sorted(result.timings.items())
        },
    }


def _server_version() -> str:
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def worker(arguments: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.seed import SeedSize, seed

    run = QUICK if arguments.quick else RunSettings()
    size = SeedSize(members=arguments.members, events=arguments.events, rsvps=arguments.rsvps)
    label = arguments.label
    started = time.perf_counter()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    print(f"[{label}] migrated in {migrated - started:.1f} s; seeding {size}", flush=True)
    seeded = seed(size=size)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would have done by now on a live database
            cursor.execute("ANALYZE")
    print(f"[{label}] seeded {seeded.counts} in {seeded.seconds:.1f} s", flush=True)
    results = run_measurements(seeded, run, label=label)
    results["seed"] = {"counts": seeded.counts, "seconds": seeded.seconds, "migrate_seconds": migrated - started}
    results["seconds"] = time.perf_counter() - started
    results["settings"] = asdict(run)
    Path(arguments.out).write_text(json.dumps(results, indent=1, default=str))
    connection.close()
    return 0


# --- in the parent: one worker per database, then the tables -----------------------------------------------------


@dataclass
class Backend:
    name: str
    env: dict[str, str] = field(default_factory=dict)


def _postgres_admin(base_url: str):
    import psycopg

    return psycopg.connect(f"{base_url}/postgres", autocommit=True, connect_timeout=5)


def _drop_postgres_database(base_url: str) -> None:
    with _postgres_admin(base_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def _run_worker(backend: Backend, arguments: argparse.Namespace, scratch: Path, deadline: float) -> dict:
    out = scratch / f"{backend.name}.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "VAR_DIR": str(scratch / backend.name),
        **backend.env,
    }
    command = [sys.executable, "-m", "bench.events_bench", "worker", "--label", backend.name, "--out", str(out)]
    command += ["--members", str(arguments.members), "--events", str(arguments.events)]
    command += ["--rsvps", str(arguments.rsvps)] + (["--quick"] if arguments.quick else [])
    remaining = max(deadline - time.monotonic(), 30)
    try:
        completed = subprocess.run(command, cwd=REPO, env=env, timeout=remaining, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return {"error": f"stopped: it took longer than the {remaining:.0f} s left in the run"}
    if completed.returncode != 0 or not out.exists():
        return {"error": f"the worker failed (exit code {completed.returncode}); see the output above"}
    return json.loads(out.read_text())


def _machine(results: dict[str, dict], started: float) -> dict:
    import django

    changed = subprocess.run(  # noqa: S603
        ["git", "status", "--porcelain", "--untracked-files=no", "--", "events", "community", "config"],  # noqa: S607
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    return {
        "uncommitted": [line[3:] for line in changed if line.strip()],
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": results.get("sqlite", {}).get("server_version", "not run"),
        "postgresql": results.get("postgresql", {}).get("server_version", "not run"),
        "commit": git_commit(),
        "run_seconds": time.monotonic() - started,
    }


def orchestrate(arguments: argparse.Namespace) -> int:
    from bench.report import markdown

    started = time.monotonic()
    load_before = os.getloadavg()[0]
    deadline = started + TOTAL_LIMIT_SECONDS
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hn-bench-") as scratch_name:
        scratch = Path(scratch_name)
        for name in arguments.backends:
            print(f"== {name} ==", flush=True)
            if name == "sqlite":
                results[name] = _run_worker(Backend("sqlite"), arguments, scratch, deadline)
                continue
            try:
                _drop_postgres_database(arguments.postgres)
                with _postgres_admin(arguments.postgres) as admin:
                    admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
            except Exception as error:
                results[name] = {"error": f"could not create the PostgreSQL database: {error}"}
                continue
            try:
                backend = Backend("postgresql", {"DATABASE_URL": f"{arguments.postgres}/{BENCH_DATABASE}"})
                results[name] = _run_worker(backend, arguments, scratch, deadline)
            finally:
                _drop_postgres_database(arguments.postgres)
    machine = _machine(results, started)
    machine["load"] = f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
    text = markdown(results, machine, quick=arguments.quick)
    print(text)
    if not arguments.no_write:
        DOC.write_text(keep_notes(text, DOC.read_text() if DOC.exists() else ""))
        print(f"Wrote {DOC.relative_to(REPO)} in {machine['run_seconds']:.0f} s.")
    return 0 if all("error" not in result for result in results.values()) else 1


def keep_notes(fresh: str, old: str) -> str:
    """`fresh` with the hand-written notes section of `old` (the previous document) put back in."""
    if NOTES_START in old and NOTES_END in old and NOTES_START in fresh and NOTES_END in fresh:
        kept = old[old.index(NOTES_START) : old.index(NOTES_END) + len(NOTES_END)]
        empty = fresh[fresh.index(NOTES_START) : fresh.index(NOTES_END) + len(NOTES_END)]
        return fresh.replace(empty, kept)
    return fresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="all", choices=["all", "worker"])
    parser.add_argument("--backends", default="sqlite,postgresql", type=lambda text: text.split(","))
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--quick", action="store_true", help="small data and short budgets, to try it out")
    parser.add_argument("--no-write", action="store_true", help="print the tables but leave docs/benchmarks.md")
    parser.add_argument("--members", type=int, default=None)
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--rsvps", type=int, default=None)
    parser.add_argument("--label", default="db")
    parser.add_argument("--out", default="")
    arguments = parser.parse_args(argv)
    full = {"members": 2_000, "events": 5_000, "rsvps": 100_000}
    quick = {"members": 300, "events": 400, "rsvps": 8_000}
    for key, value in (quick if arguments.quick else full).items():
        if getattr(arguments, key) is None:
            setattr(arguments, key, value)
    if arguments.mode == "worker":
        return worker(arguments)
    if arguments.quick:
        arguments.no_write = True  # a quick run is a try-out, never the published numbers
    return orchestrate(arguments)


if __name__ == "__main__":
    sys.exit(main())

"""The metrics benchmark: programme figures, the CSV export, one member's dashboard and recording check-ins, on SQLite
and PostgreSQL in one run, at 1,000 and 10,000 members. Writes its section of docs/benchmarks.md.

    .venv/bin/python -m bench.metrics_bench            # what `make bench-metrics` runs
    .venv/bin/python -m bench.metrics_bench --quick --backends sqlite --no-write   # a small try-out

For each database a fresh worker process migrates an empty database, and for each size seeds it
(bench/metrics_seed.py), checks that the product, the Python loop and the SQL floor publish the same cells
(bench/metrics_refs.py), counts queries and times them, then clears it for the next size. This process collects the
results and writes the tables. Everything stays on 127.0.0.1; every measurement and worker has a time limit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from bench.machine import cpu_model, git_commit

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
DEFAULT_POSTGRES = "postgres://root@127.0.0.1:5432"
BENCH_DATABASE = "here_and_now_metrics_bench"
TOTAL_LIMIT_SECONDS = 25 * 60
METRICS_START = "<!-- metrics: written by make bench-metrics (bench/metrics_bench.py) -->"
METRICS_END = "<!-- /metrics -->"
NOTES_END = "<!-- /notes -->"
TARGET_NAIVE_SPEEDUP = 20.0
TARGET_FLOOR_RATIO = 2.0
CHECKIN_EVENT = 60


@dataclass(frozen=True)
class RunSettings:
    sizes: tuple[int, ...] = (1_000, 10_000)
    min_samples: int = 30
    max_samples: int = 200
    seconds: float = 20.0
    path_seconds: float = 40.0  # a slow (naive) path stops after this much time with `least` samples
    least: int = 5
    hard_seconds: float = 120.0
    warmup: int = 2
    checkin_rounds: int = 12


QUICK = RunSettings(
    sizes=(300, 1_000), min_samples=5, max_samples=20, seconds=2.0, path_seconds=8.0, least=3, hard_seconds=20.0,
    warmup=1, checkin_rounds=3,
)  # fmt: skip


# --- in the worker ----------------------------------------------------------------------------------------------------


def _client(token: str):
    from rest_framework.test import APIClient

    client = APIClient(SERVER_NAME="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _get(client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content[:300]!r}")
    return response.content


def _timing_row(timing, queries: int | None = None) -> dict:
    return {"n": timing.n, "p50_ms": timing.p50, "p99_ms": timing.p99, "queries": queries}


def measure_size(seeded, run: RunSettings, say) -> dict:
    """Every measurement on the data seeded now."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from bench import measure
    from bench.metrics_refs import floor_attendance, floor_raw, naive_attendance, naive_raw
    from community.models import User
    from community.selectors.programme import BUILDERS, publish_figures, table_csv
    from community.selectors.programme_filters import programme_filters_from

    staff = User.objects.get(pk=seeded.staff_id)
    staff_client = _client(Token.objects.get_or_create(user=staff)[0].key)
    member_client = _client(Token.objects.get_or_create(user_id=seeded.member_id)[0].key)
    filters = programme_filters_from(params={})
    query = f"?from={filters.date_from}&to={filters.date_to}"
    summary_url = f"/api/v1/programme/summary/{query}"
    csv_url = f"/api/v1/programme/tables/attendance/csv/{query}"
    budget = measure.Budget(
        min_samples=run.min_samples, max_samples=run.max_samples, seconds=run.seconds, path_seconds=run.path_seconds,
        least_samples=run.least, hard_seconds=run.hard_seconds, warmup=run.warmup,
    )  # fmt: skip
    problems: list[str] = []

    figures = {
        "endpoint": lambda: _get(staff_client, summary_url),
        "floor": lambda: json.dumps(publish_figures(filters=filters, raw=floor_raw(filters)).as_dict()).encode(),
        "naive": lambda: json.dumps(publish_figures(filters=filters, raw=naive_raw(filters)).as_dict()).encode(),
    }
    attendance = BUILDERS["attendance"]
    export = {
        "endpoint": lambda: _get(staff_client, csv_url),
        "floor": lambda: ("\ufeff" + table_csv(attendance(floor_attendance(filters), False))).encode(),
        "naive": lambda: ("\ufeff" + table_csv(attendance(naive_attendance(filters), False))).encode(),
    }
    answers = {name: json.loads(path()) for name, path in figures.items()}
    for name in ("floor", "naive"):
        if answers[name] != answers["endpoint"]:
            problems.append(f"programme figures: the {name} path's cells differ from the endpoint's")
    files = {name: path() for name, path in export.items()}
    for name in ("floor", "naive"):
        if files[name] != files["endpoint"]:
            problems.append(f"CSV export: the {name} path's file differs from the endpoint's")
    suppressed = sum(table["suppressed_cells"] for table in answers["endpoint"]["tables"])
    say(f"same answers checked ({len(problems)} problems); {suppressed} suppressed cells published")

    results: dict = {"problems": problems, "suppressed_cells": suppressed}
    for key, paths in (("figures", figures), ("export", export)):
        queries = {name: measure.count_queries(path) for name, path in paths.items()}
        timings = measure.sample_interleaved(paths, budget, minimums={"naive": run.least})
        results[key] = {name: _timing_row(timings[name], queries[name]) for name in paths}
        say(key + ": " + ", ".join(f"{name} p50 {row['p50_ms']:.1f} ms" for name, row in results[key].items()))

    page = Client(SERVER_NAME="127.0.0.1")
    page.force_login(staff)
    others = {
        "page": lambda: page.get(f"/programme/{query}").content,
        "dashboard": lambda: _get(member_client, "/api/v1/me/dashboard/"),
    }
    small = measure.Budget(
        min_samples=run.min_samples, max_samples=run.min_samples, seconds=0, hard_seconds=run.hard_seconds,
        warmup=run.warmup,
    )  # fmt: skip
    for name, path in others.items():
        try:
            queries = measure.count_queries(path)
            results[name] = _timing_row(measure.sample_interleaved({name: path}, small)[name], queries)
            say(f"{name}: p50 {results[name]['p50_ms']:.1f} ms, {queries} queries")
        except Exception as error:  # the member dashboard belongs to another module; report, don't stop
            problems.append(f"{name}: {error}")
    results["checkin"] = _checkins(seeded, run)
    say("check-in: " + ", ".join(f"person {k}: p50 {v['p50_ms']:.1f} ms" for k, v in results["checkin"].items()))
    return results


def _checkins(seeded, run: RunSettings) -> dict:
    """Check 60 people in, one by one, at a new event of one group (community.services.participation, the ledger and
    the ties): the time of each person's check-in by their place in the queue (1st, 10th, 30th, 60th)."""
    from django.db import transaction
    from django.utils import timezone

    from bench.measure import Timings
    from community.models import Group, Membership, ParticipationEntry, User
    from community.services.participation import participation_record

    rng = random.Random(7)
    group = Group.objects.get(slug=seeded.group_slugs[0])
    members = list(User.objects.filter(pk__in=Membership.objects.filter(group=group).values("user_id")))
    if len(members) < CHECKIN_EVENT:  # a tiny community: make up the event from anyone
        members += list(User.objects.exclude(pk__in=[m.pk for m in members])[: CHECKIN_EVENT - len(members)])
    places = (1, 10, 30, CHECKIN_EVENT)
    timings = {place: Timings() for place in places}
    queries: dict[int, int] = {}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for round_index in range(run.checkin_rounds):
        people = rng.sample(members, k=min(CHECKIN_EVENT, len(members)))
        key = f"bench-checkin:{round_index}"
        at = timezone.now()
        for place, person in enumerate(people, start=1):
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter_ns()
                with transaction.atomic():
                    participation_record(user=person, activity_key=key, group=group, category="social", occurred_at=at)
                elapsed = (time.perf_counter_ns() - begin) / 1e6
            if place in timings:
                timings[place].samples_ms.append(elapsed)
                queries[place] = len(captured.captured_queries)
    ParticipationEntry.objects.filter(activity_key__startswith="bench-checkin:").delete()
    return {str(place): _timing_row(timings[place], queries.get(place)) for place in places}


def worker(arguments: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.metrics_seed import MetricsSize, clear_metrics_data, seed_metrics

    run = QUICK if arguments.quick else RunSettings()
    label = arguments.label

    def say(text: str) -> None:
        print(f"[{label}] {text}", flush=True)

    started = time.perf_counter()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    results: dict = {"vendor": connection.vendor, "server_version": _server_version(), "sizes": {}}
    for index, members in enumerate(run.sizes):
        size = MetricsSize().scaled(members)
        say(f"seeding {size}")
        seeded = seed_metrics(size=size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        say(f"seeded {seeded.counts} in {seeded.seconds:.1f} s")
        entry = measure_size(seeded, run, say)
        entry["seed"] = {"counts": seeded.counts, "seconds": seeded.seconds}
        results["sizes"][str(members)] = entry
        if index < len(run.sizes) - 1:
            clear_metrics_data()
    results["seconds"] = time.perf_counter() - started
    results["settings"] = asdict(run)
    Path(arguments.out).write_text(json.dumps(results, indent=1, default=str))
    connection.close()
    return 0


def _server_version() -> str:
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


# --- in the parent ----------------------------------------------------------------------------------------------------


def _postgres_admin(base_url: str):
    import psycopg

    return psycopg.connect(f"{base_url}/postgres", autocommit=True, connect_timeout=5)


def _drop_postgres_database(base_url: str) -> None:
    with _postgres_admin(base_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def _run_worker(name: str, env_extra: dict, arguments, scratch: Path, deadline: float) -> dict:
    out = scratch / f"{name}.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "VAR_DIR": str(scratch / name),
        "PYTHONPATH": str(REPO),
        **env_extra,
    }
    command = [sys.executable, "-m", "bench.metrics_bench", "worker", "--label", name, "--out", str(out)]
    command += ["--quick"] if arguments.quick else []
    remaining = max(deadline - time.monotonic(), 30)
    try:
        completed = subprocess.run(command, cwd=REPO, env=env, timeout=remaining, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return {"error": f"stopped: it took longer than the {remaining:.0f} s left in the run"}
    if completed.returncode != 0 or not out.exists():
        return {"error": f"the worker failed (exit code {completed.returncode}); see the output above"}
    return json.loads(out.read_text())


def _machine(started: float, load_before: float) -> dict:
    import platform

    import django

    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "run_seconds": time.monotonic() - started,
        "load": f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end",
    }


def orchestrate(arguments: argparse.Namespace) -> int:
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    deadline = started + TOTAL_LIMIT_SECONDS
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="hn-metrics-bench-") as scratch_name:
        scratch = Path(scratch_name)
        for name in arguments.backends:
            print(f"== {name} ==", flush=True)
            if name == "sqlite":
                results[name] = _run_worker("sqlite", {}, arguments, scratch, deadline)
                continue
            try:
                _drop_postgres_database(arguments.postgres)
                with _postgres_admin(arguments.postgres) as admin:
                    admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
            except Exception as error:
                results[name] = {"error": f"could not create the PostgreSQL database: {error}"}
                continue
            try:
                env = {"DATABASE_URL": f"{arguments.postgres}/{BENCH_DATABASE}"}
                results[name] = _run_worker("postgresql", env, arguments, scratch, deadline)
            finally:
                _drop_postgres_database(arguments.postgres)
    if arguments.out:
        Path(arguments.out).write_text(json.dumps(results, indent=1))
    text = markdown(results, _machine(started, load_before), quick=arguments.quick)
    print(text)
    if not arguments.no_write:
        DOC.write_text(write_doc(text, DOC.read_text() if DOC.exists() else ""))
        print(f"Wrote {DOC.relative_to(REPO)}.")
    return 0 if all("error" not in result for result in results.values()) else 1


# --- the report -------------------------------------------------------------------------------------------------------

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PATHS = {
    "endpoint": "**product** (API, whole stack)",
    "floor": "floor (hand-written SQL)",
    "naive": "Python loop over the rows",
}
TITLES = {"figures": "Programme figures for a year", "export": "CSV export (attendance by month and kind)"}


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def markdown(results: dict, machine: dict, *, quick: bool = False) -> str:
    lines = [
        METRICS_START,
        "",
        "## Benchmarks: programme metrics",
        "",
        "Measured by `make bench-metrics` (`.venv/bin/python -m bench.metrics_bench`; how it works: bench/README.md, "
        '"The metrics benchmark"). Wall-clock milliseconds per call; the product\'s figures and export go through '
        "Django's test client with a token (middleware, authentication, DRF, the metrics, disclosure control, JSON "
        "or CSV), the references are plain function calls that publish through the same disclosure step.",
        "",
        f"- Run: {machine['date']}, commit `{machine['commit']}`, {machine['run_seconds']:.0f} s for everything"
        + (" (a --quick try-out: small sizes, short budgets)" if quick else ""),
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), Python {machine['python']}, Django "
        f"{machine['django']}; load average {machine['load']}",
    ]
    for backend, result in results.items():
        if "error" in result:
            lines += ["", f"- {NAMES.get(backend, backend)}: {result['error']}"]
            continue
        biggest = list(result["sizes"].values())[-1]
        counts = ", ".join(f"{v:,} {k}" for k, v in biggest["seed"]["counts"].items())
        lines.append(f"- {NAMES[backend]} {result['server_version']}: data at the largest size: {counts}")
    lines += [
        "",
        "### Figures and export",
        "",
        "| Database | Members | Measurement | Path | Samples | p50 ms | p99 ms | Queries |",
        "|---|---:|---|---|---:|---:|---:|---:|",
    ]
    for backend, result in results.items():
        for members, entry in result.get("sizes", {}).items():
            for key, title in TITLES.items():
                for path, row in entry[key].items():
                    lines.append(
                        f"| {NAMES[backend]} | {int(members):,} | {title} | {PATHS[path]} | {row['n']} | "
                        f"{_ms(row['p50_ms'])} | {_ms(row['p99_ms'])} | {row['queries']} |"
                    )
            for key, title in (
                ("page", "The dashboard page (with SVG charts)"),
                ("dashboard", "One member's dashboard (`/api/v1/me/dashboard/`)"),
            ):  # noqa: E501
                row = entry.get(key)
                if row:
                    lines.append(
                        f"| {NAMES[backend]} | {int(members):,} | {title} | **product** | {row['n']} | "
                        f"{_ms(row['p50_ms'])} | {_ms(row['p99_ms'])} | {row['queries']} |"
                    )
    lines += [
        "",
        "### Targets (largest size)",
        "",
        f"| Database | Measurement | Python loop ÷ product (target ≥ {TARGET_NAIVE_SPEEDUP:.0f}×) | "
        f"product ÷ floor (target ≤ {TARGET_FLOOR_RATIO:.0f}×) | Same cells in all three | Met |",
        "|---|---|---:|---:|---|---|",
    ]
    for backend, result in results.items():
        if "sizes" not in result:
            continue
        entry = list(result["sizes"].values())[-1]
        for key, title in TITLES.items():
            rows = entry[key]
            speedup = rows["naive"]["p50_ms"] / rows["endpoint"]["p50_ms"]
            ratio = rows["endpoint"]["p50_ms"] / rows["floor"]["p50_ms"]
            same = not any(title.split()[0].lower() in problem.lower() for problem in entry["problems"])
            ok = speedup >= TARGET_NAIVE_SPEEDUP and ratio <= TARGET_FLOOR_RATIO and same
            lines.append(
                f"| {NAMES[backend]} | {title} | {speedup:.1f}× | {ratio:.2f}× | {'yes' if same else 'NO'} | "
                f"{_mark(ok)} |"
            )
    lines += [
        "",
        "### Recording a check-in at an event of 60 people",
        "",
        "Each round checks 60 members of one group in, one after another, at a new event "
        "(`community.services.participation.participation_record`: the ledger row and the person's ties with "
        "everyone already there, in one transaction). The time of the 1st, 10th, 30th and 60th person:",
        "",
        "| Database | Members | 1st | 10th | 30th | 60th | Queries (each) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for backend, result in results.items():
        for members, entry in result.get("sizes", {}).items():
            row = entry["checkin"]
            queries = sorted({value["queries"] for value in row.values()})
            lines.append(
                f"| {NAMES[backend]} | {int(members):,} | "
                + " | ".join(f"{_ms(row[place]['p50_ms'])}" for place in ("1", "10", "30", "60"))
                + f" | {' / '.join(str(q) for q in queries)} |"
            )
    lines += [
        "",
        "### Growth from the smallest to the largest community (p50 at the largest ÷ p50 at the smallest)",
        "",
        "| Database | Figures: product | floor | Python loop | CSV: product | One member's dashboard | "
        "Check-in, 60th person |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, result in results.items():
        sizes = list(result.get("sizes", {}).values())
        if len(sizes) < 2:
            continue
        small, large = sizes[0], sizes[-1]

        def grow(get, large=large, small=small) -> str:
            try:
                return f"{get(large) / get(small):.1f}×"
            except (KeyError, TypeError, ZeroDivisionError):
                return "-"

        lines.append(
            f"| {NAMES[backend]} | "
            + " | ".join(
                [
                    grow(lambda e: e["figures"]["endpoint"]["p50_ms"]),
                    grow(lambda e: e["figures"]["floor"]["p50_ms"]),
                    grow(lambda e: e["figures"]["naive"]["p50_ms"]),
                    grow(lambda e: e["export"]["endpoint"]["p50_ms"]),
                    grow(lambda e: e["dashboard"]["p50_ms"]),
                    grow(lambda e: e["checkin"]["60"]["p50_ms"]),
                ]
            )
            + " |"
        )
    problems = [
        f"{NAMES.get(backend, backend)}, {members} members: {problem}"
        for backend, result in results.items()
        for members, entry in result.get("sizes", {}).items()
        for problem in entry["problems"]
    ]
    if problems:
        lines += ["", "Problems:", "", *(f"- {problem}" for problem in problems)]
    lines += [
        "",
        "How to read it: the product, the floor and the Python loop are timed in turns so background noise lands on "
        "each alike; before timing, the run checks that all three publish exactly the same cells (suppressed ones "
        "included). "
        "Both references compute the unfiltered figures only. The sizes keep the shape of the data: 30 attendance "
        "records and 4 check-ins per member.",
        "",
        METRICS_END,
    ]
    return "\n".join(lines)


def write_doc(section: str, old: str) -> str:
    """`old` with its metrics section replaced by `section`; a new section goes before the end of the hand-written
    notes block (which the events benchmark keeps when it regenerates the rest)."""
    if METRICS_START in old and METRICS_END in old:
        start, end = old.index(METRICS_START), old.index(METRICS_END) + len(METRICS_END)
        return old[:start] + section + old[end:]
    if NOTES_END in old:
        at = old.index(NOTES_END)
        return old[:at] + section + "\n\n" + old[at:]
    return old.rstrip("\n") + "\n\n" + section + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="all", choices=["all", "worker"])
    parser.add_argument("--backends", default="sqlite,postgresql", type=lambda text: text.split(","))
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--quick", action="store_true", help="small sizes and short budgets, to try it out")
    parser.add_argument("--no-write", action="store_true", help="print the tables but leave docs/benchmarks.md")
    parser.add_argument("--label", default="db")
    parser.add_argument("--out", default="", help="also write the raw results as JSON here")
    arguments = parser.parse_args(argv)
    if arguments.mode == "worker":
        return worker(arguments)
    if arguments.quick:
        arguments.no_write = True  # a quick run is a try-out, never the published numbers
    return orchestrate(arguments)


if __name__ == "__main__":
    sys.exit(main())

"""The results as markdown: the tables printed at the end of a run and written to docs/benchmarks.md."""

from __future__ import annotations

from bench.events_bench import NOTES_END, NOTES_START, PAGE_SIZES, TARGET_FLOOR_RATIO, TARGET_NAIVE_SPEEDUP

DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PATH_NAMES = {
    "endpoint": "**endpoint**",
    "floor": "floor (1 SQL query + json.dumps)",
    "naive": "naive (ModelViewSet, N+1)",
}


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}×"


def _read_tables(results: dict[str, dict]) -> list[str]:
    sizes = " / ".join(str(size) for size in PAGE_SIZES)
    lines = [
        f"| Database | Measurement | Path | Samples | p50 ms | p99 ms | in SQL ms (mean) | Queries at {sizes} |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    targets = [
        f"| Database | Endpoint | p50 ÷ floor p50 (target ≤ {TARGET_FLOOR_RATIO:g}×) "
        f"| naive p50 ÷ endpoint p50 (target ≥ {TARGET_NAIVE_SPEEDUP:g}×) | Queries the same at {sizes} | Met |",
        "|---|---|---:|---:|---|---|",
    ]
    for backend, result in results.items():
        name = DATABASE_NAMES.get(backend, backend)
        if "error" in result:
            lines.append(f"| {name} | not measured: {result['error']} | | | | | | |")
            continue
        for read in result["reads"]:
            for path, row in read["rows"].items():
                queries = " / ".join(str(row["queries"][str(size)]) for size in PAGE_SIZES)
                lines.append(
                    f"| {name} | {read['title']} | {PATH_NAMES[path]} | {row['n']} | {_ms(row['p50_ms'])} "
                    f"| {_ms(row['p99_ms'])} | {_ms(row['sql_ms'])} | {queries} |"
                )
            goal = read["targets"]
            endpoint_queries = " / ".join(str(read["rows"]["endpoint"]["queries"][str(size)]) for size in PAGE_SIZES)
            targets.append(
                f"| {name} | {read['title']} | {_ratio(goal['floor_ratio'])} | {_ratio(goal['naive_speedup'])} "
                f"| {'yes' if goal['queries_constant'] else 'no'} ({endpoint_queries}) "
                f"| {'**yes**' if goal['met'] else '**no**'} |"
            )
    overheads = [
        f"{DATABASE_NAMES.get(backend, backend)} p50 {_ms(result['request_overhead']['p50_ms'])} ms"
        for backend, result in results.items()
        if "request_overhead" in result
    ]
    fixed = [
        "",
        "The fixed cost of any API request here (the same client, middleware, token authentication and DRF, with a "
        "view that does nothing): " + ", ".join(overheads) + ". No change to a selector or serializer removes it.",
    ]
    chosen = [
        f"{DATABASE_NAMES.get(backend, backend)}: {read['floor_query']}"
        for backend, result in results.items()
        for read in result.get("reads", [])
        if read.get("floor_query")
    ]
    if chosen:
        fixed += [
            "",
            "The upcoming-events floor can be written two ways (bench/floor.py: the total as a window function, or as "
            "its own subquery); each run times both and uses the faster on each database: " + "; ".join(chosen) + ".",
        ]
    return ["### Read endpoints", "", *lines, "", "### Targets", "", *targets, *fixed]


def _contention_table(results: dict[str, dict]) -> list[str]:
    lines = [
        "| Database | Path | Threads at once | Rounds | Samples | p50 ms | p99 ms | Working (CPU) p50 ms "
        "| Capacity held every round |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for backend, result in results.items():
        if "error" in result:
            continue
        race = result["contention"]
        for path, row in race["rows"].items():
            lines.append(
                f"| {DATABASE_NAMES.get(backend, backend)} | {PATH_NAMES[path]} | {race['threads']} "
                f"| {row['n'] // race['threads']} | {row['n']} | {_ms(row['p50_ms'])} | {_ms(row['p99_ms'])} "
                f"| {_ms(row['cpu_p50_ms'])} | {'yes' if race['capacity_held'] else '**no**'} |"
            )
    seats = next((r["contention"]["seats_left"] for r in results.values() if "contention" in r), 2)
    return [
        "### One RSVP under contention",
        "",
        f'Each round, every thread says "I\'m going" at the same moment to an event with {seats} places left '
        "(endpoint and floor rounds alternate). Every RSVP is timed from the request to the answer, so time spent "
        "waiting for the event's row lock (PostgreSQL) or the write lock (SQLite) counts. After each round the "
        'benchmark checks that exactly `capacity` people are going. "Working (CPU)" is the thread\'s own CPU time '
        "for the call: the work itself, without the waiting.",
        "",
        *lines,
    ]


def _profiles(results: dict[str, dict]) -> list[str]:
    lines: list[str] = []
    for backend, result in results.items():
        for read in result.get("reads", []):
            profile = read.get("profile")
            if not profile:
                continue
            lines += [
                "",
                f"**{DATABASE_NAMES.get(backend, backend)}, {read['title']}** (cProfile, ms per request, inflated by "
                f"the profiler; the first rows are our code, DRF and the ORM by cumulative time, the last the "
                f"functions with the most time of their own; full listing in `{profile['file']}`)",
                "",
                "| Function | Calls per request | Cumulative ms | Own ms |",
                "|---|---:|---:|---:|",
            ]
            shown = set()
            for row in profile["by_cumulative"][:14] + profile["by_own_time"][:6]:
                if row["where"] in shown:
                    continue
                shown.add(row["where"])
                lines.append(
                    f"| `{row['where']}` | {row['calls']:.0f} | {row['cumulative_ms']:.2f} | {row['own_ms']:.2f} |"
                )
    if not lines:
        return []
    return ["### Where the time goes (endpoints that missed a target)", *lines]


def markdown(results: dict[str, dict], machine: dict, *, quick: bool = False) -> str:
    seed = next((result["seed"] for result in results.values() if "seed" in result), None)
    problems = [
        f"- {DATABASE_NAMES.get(backend, backend)}: {problem}"
        for backend, result in results.items()
        for problem in result.get("problems", [])
    ]
    counts = seed["counts"] if seed else {}
    parts = [
        "# Benchmarks: events",
        "",
        "Measured by `make bench` (`.venv/bin/python -m bench.events_bench`; how it works: bench/README.md). "
        "Numbers are wall-clock milliseconds per request through Django's test client (the whole Django and DRF "
        "stack: middleware, token authentication, permissions, selectors, serializers, JSON), with no web server "
        "or network in front.",
        "",
        f"- Run: {machine['date']}, commit `{machine['commit']}`"
        + (f" plus uncommitted changes to {', '.join(machine['uncommitted'])}" if machine.get("uncommitted") else "")
        + f", {machine['run_seconds']:.0f} s for everything"
        + (" (**--quick: small data, short budgets; not a real measurement**)" if quick else ""),
        f"- Machine: {machine['cores']} cores ({machine['cpu']}), Python {machine['python']}, "
        f"Django {machine['django']}, SQLite {machine['sqlite']}, PostgreSQL {machine['postgresql']}",
        f"- Load average (other work on the machine): {machine.get('load', 'not recorded')}",
        "- Data (synthetic, fixed random seed): "
        + ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in counts.items()),
    ]
    parts += ["", *_read_tables(results), "", *_contention_table(results)]
    if problems:
        parts += ["", "### Problems found during the run", "", *problems]
    parts += ["", *_profiles(results)] if _profiles(results) else []
    parts += [
        "",
        "## Reading the numbers",
        "",
        "- **floor**: the same rows fetched by one hand-written SQL query through `connection.cursor()` and encoded "
        "with `json.dumps` - no request, authentication or serializer. **naive**: a DRF `ModelViewSet` with nested "
        "`ModelSerializer`s and no `select_related`/`prefetch_related`, on a benchmark-only URLConf. Before timing, "
        "the run checks that all three give the same output.",
        "- The paths are timed in turns (endpoint, floor, naive, endpoint, ...) so background noise lands on each "
        "alike. p99 is the nearest-rank 99th percentile (the endpoint and the floor get at least 300 samples; the "
        "naive path 60, or 20 to 60 when it takes more than 45 s, so its p99 is rough).",
        '- "in SQL" is the mean time per request spent inside the database driver; the rest is Python.',
        "",
        NOTES_START,
        "",
        NOTES_END,
        "",
    ]
    return "\n".join(parts)

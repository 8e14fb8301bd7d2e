"""Timing machinery: percentiles, interleaved sampling of several paths, query counts and a race of threads."""

from __future__ import annotations

import gc
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of the samples at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Timings:
    """Wall-clock durations of one path, in milliseconds."""

    samples_ms: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.samples_ms)

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.samples_ms, 0.99)


@dataclass(frozen=True)
class Budget:
    """How long to sample. Every path gets at least `min_samples` (so p99 means something), at most `max_samples`;
    once `seconds` have passed, paths that have their minimum stop. A slow path also stops once it has taken
    `path_seconds` of time in all and has `least_samples`, so it cannot starve the others. `hard_seconds` stops
    everything regardless."""

    min_samples: int = 300
    max_samples: int = 2_000
    seconds: float = 20.0
    path_seconds: float = 45.0
    least_samples: int = 20
    hard_seconds: float = 60.0
    warmup: int = 10


def sample_interleaved(
    paths: dict[str, Callable[[], object]], budget: Budget, *, minimums: dict[str, int] | None = None
) -> dict[str, Timings]:
    """Time each path repeatedly, taking turns (a, b, c, a, b, c, ...) so that noise from anything else running on
    the machine lands on every path alike and the ratios between them stay fair. `minimums` lowers the minimum
    number of samples for slow paths (whose p99 then means less; the table shows each path's sample count)."""
    minimums = minimums or {}
    for run in paths.values():
        for _ in range(budget.warmup):
            run()
    results = {name: Timings() for name in paths}
    active = list(paths)
    gc.collect()
    started = time.perf_counter()

    def done(name: str, elapsed: float) -> bool:
        timing = results[name]
        return (
            timing.n >= budget.max_samples
            or (elapsed >= budget.seconds and timing.n >= minimums.get(name, budget.min_samples))
            or (sum(timing.samples_ms) >= budget.path_seconds * 1000 and timing.n >= budget.least_samples)
        )

    while active:
        for name in list(active):
            begin = time.perf_counter_ns()
            paths[name]()
            results[name].samples_ms.append((time.perf_counter_ns() - begin) / 1e6)
        elapsed = time.perf_counter() - started
        if elapsed >= budget.hard_seconds:
            break
        active = [name for name in active if not done(name, elapsed)]
    return results


def count_queries(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries.captured_queries)


@dataclass
class RaceResult:
    timings: dict[str, Timings]  # wall clock, by the label `attempt` returned
    cpu: dict[str, Timings]  # the calling thread's own CPU time: the work, without waiting for locks or the GIL
    rounds: int
    threads: int
    problems: list[str]


def race(
    *,
    threads: int,
    rounds: int,
    warmup_rounds: int,
    attempt: Callable[[int, int], str],
    check_round: Callable[[int], str | None],
    hard_seconds: float = 60.0,
) -> RaceResult:
    """`threads` long-lived threads (each with its own database connection) start every round together at a barrier
    and each calls `attempt(round, thread)` once, which returns a label (which path it took); every call is timed
    under its label. After each round `check_round(round)` returns a problem or None. The first `warmup_rounds`
    rounds open the connections and warm the caches; they are not timed."""
    start, finish = threading.Barrier(threads + 1), threading.Barrier(threads + 1)
    timings: dict[str, Timings] = {}
    cpu: dict[str, Timings] = {}
    problems: list[str] = []
    lock = threading.Lock()
    total = warmup_rounds + rounds
    stop = threading.Event()

    def worker(thread: int) -> None:
        try:
            for round_index in range(total):
                start.wait(timeout=hard_seconds)
                if stop.is_set():
                    break
                label = None
                begin, begin_cpu = time.perf_counter_ns(), time.thread_time_ns()
                try:
                    label = attempt(round_index, thread)
                except Exception as error:  # reported in the table, never hidden
                    with lock:
                        problems.append(f"round {round_index} thread {thread}: {error!r}")
                elapsed_ms = (time.perf_counter_ns() - begin) / 1e6
                cpu_ms = (time.thread_time_ns() - begin_cpu) / 1e6
                if round_index >= warmup_rounds and label is not None:
                    with lock:
                        timings.setdefault(label, Timings()).samples_ms.append(elapsed_ms)
                        cpu.setdefault(label, Timings()).samples_ms.append(cpu_ms)
                finish.wait(timeout=hard_seconds)
        except threading.BrokenBarrierError:
            pass
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(thread,), daemon=True) for thread in range(threads)]
    for thread in workers:
        thread.start()
    deadline = time.perf_counter() + hard_seconds
    completed = 0
    try:
        for round_index in range(total):
            if time.perf_counter() > deadline:
                problems.append(f"stopped after {completed} rounds: over the {hard_seconds:.0f} s limit")
                stop.set()
                start.wait(timeout=hard_seconds)
                break
            start.wait(timeout=hard_seconds)
            finish.wait(timeout=hard_seconds)
            problem = check_round(round_index)
            if problem:
                problems.append(f"round {round_index}: {problem}")
            completed = round_index + 1
    except threading.BrokenBarrierError:
        problems.append("a thread did not reach the barrier in time")
        start.abort()
        finish.abort()
    for thread in workers:
        thread.join(timeout=hard_seconds)
    return RaceResult(
        timings=timings, cpu=cpu, rounds=max(completed - warmup_rounds, 0), threads=threads, problems=problems
    )

"""Load and soak (issue 8): many socket clients across two daphne processes on the Redis channel layer, steady chat
traffic, every message checked by sequence number at every subscriber, delivery latency and the servers' memory.

The full run (`make reliability`, marked `long`): 1,000 clients in 8 group rooms, split across two processes, 24
senders (3 a room) at 0.4 messages a second each (24 a minute: inside the per-person limits HN_CHAT_* of 30 a minute
and 5 in 5 s) for HN_SOAK_SECONDS (300). The fast version in the normal suite: 60 clients, 3 rooms, 10 s.

Needs the shared back ends (PostgreSQL and Redis): it runs when DATABASE_URL and REDIS_URL are set, as in CI.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.chat_bench import create_members
from messaging.models import Message
from tests.reliability.figures import FIGURES_DIR, figures_record
from tests.reliability.soak_run import SoakPlan, SoakResult, load_average, raise_open_files_limit, soak
from tests.reliability.soak_servers import daphne_servers

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not getattr(settings, "REDIS_URL", ""),
        reason="needs server processes sharing PostgreSQL and Redis: runs when DATABASE_URL and REDIS_URL are set",
    ),
    pytest.mark.django_db(transaction=True),
]

PROCESSES = 2


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_soak(plan: SoakPlan, log_dir: Path | None = None) -> tuple[SoakResult, int]:
    """Seed the members, start the servers, run the soak (bounded in time), stop the servers. Returns the result and
    how many messages the rooms hold afterwards."""
    raise_open_files_limit(plan.clients * 2 + 1024)  # each client's socket here and its other end in a server
    tokens, rooms = create_members(plan.clients, groups=plan.rooms, prefix="soak")
    with daphne_servers(PROCESSES, log_dir) as servers:
        bound = plan.seconds + 240  # connecting, draining and closing included
        result = asyncio.run(asyncio.wait_for(soak(plan, servers, tokens, rooms, log=_log), timeout=bound))
    return result, Message.objects.filter(room_id__in=set(rooms)).count()


def _assert_nothing_lost(result: SoakResult, stored: int, plan: SoakPlan) -> None:
    phase = result.phase
    assert phase.sent == plan.senders * max(1, round(plan.per_sender * plan.seconds)), "a sender could not send"
    assert phase.errors == 0, "the server refused a message (a rate limit or an error frame)"
    assert stored == phase.sent, "every message sent is stored exactly once"
    assert phase.expected == phase.sent * plan.clients // plan.rooms
    assert (phase.lost, phase.duplicates, phase.stray) == (0, 0, 0)
    assert phase.delivered == phase.expected


def test_a_short_soak_across_two_processes_loses_and_duplicates_nothing():
    plan = SoakPlan(clients=60, rooms=3, senders=6, per_sender=0.4, seconds=10, warmup=3, sample_every=1)
    result, stored = run_soak(plan)
    _assert_nothing_lost(result, stored, plan)
    assert len(result.samples) >= 5 and all(all(value > 0 for value in values) for _, values in result.samples)


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return "1 minute" if minutes == 1 else f"{minutes:g} minutes"


@pytest.mark.long
def test_load_soak_1000_clients_two_processes():
    seconds = float(os.environ.get("HN_SOAK_SECONDS", "300"))
    plan = SoakPlan(
        clients=int(os.environ.get("HN_SOAK_CLIENTS", "1000")),
        rooms=8,
        senders=24,
        per_sender=0.4,
        seconds=seconds,
        warmup=min(60.0, seconds / 5),
        sample_every=5.0,
    )
    logs = FIGURES_DIR / "load_soak_logs"  # each server's log from the latest run
    logs.mkdir(parents=True, exist_ok=True)
    for old in logs.glob("*.log"):
        old.unlink()
    load_before = load_average()
    result, stored = run_soak(plan, log_dir=logs)
    load_after = load_average()
    cores = os.cpu_count() or 1
    phase = result.phase
    growth = result.growth(plan.warmup)
    warm, end = result.rss_at(plan.warmup), result.samples[-1][1]
    rows = [
        ("socket clients", f"{plan.clients:,} in {plan.rooms} group rooms of {plan.clients // plan.rooms}"),
        ("server processes", f"{PROCESSES} (daphne, Redis channel layer, PostgreSQL)"),
        ("how long", f"{plan.seconds:.0f} s of steady chat after connecting"),
        ("clients connected and subscribed", f"{result.connect_s:.1f} s and {result.subscribe_s:.1f} s"),
        ("senders", f"{plan.senders} ({plan.senders // plan.rooms} a room), {plan.per_sender} messages a second each"),
        ("messages sent (each stored once)", f"{phase.sent:,} ({stored:,} stored)"),
        ("deliveries expected", f"{phase.expected:,}"),
        ("deliveries received", f"{phase.delivered:,}"),
        ("messages lost", f"{phase.lost:,}"),
        ("messages duplicated", f"{phase.duplicates:,}"),
        ("messages delivered to the wrong room", f"{phase.stray:,}"),
        ("messages refused", f"{phase.errors:,}"),
        ("sockets that fell behind and caught up", f"{phase.reconnects:,}"),
        ("delivery time p50 / p95 / p99", f"{_ms(phase.p50_ms)} / {_ms(phase.p95_ms)} / {_ms(phase.p99_ms)}"),
        ("slowest delivery", _ms(phase.max_ms)),
    ]
    for n, (before, after, grew) in enumerate(zip(warm, end, growth, strict=True), start=1):
        rows.append(
            (f"server {n} memory after warm-up → at the end", f"{before / 1024:.0f} MB → {after / 1024:.0f} MB "
             f"({grew:+.1f}%)")
        )  # fmt: skip
    figures_record(
        area="load_soak",
        title=f"Load and soak: {plan.clients:,} chat clients on {PROCESSES} server processes "
        f"for {_minutes(plan.seconds)}",
        rows=rows,
        notes=(
            "Everything on 127.0.0.1, servers and clients on the same machine (tests/reliability/test_load_soak.py). "
            "Each member has accepted the current policies and connects with an API token; client i connects to "
            "server i mod 2, so every room's members and senders are split across both processes and every message "
            "crosses between them through Redis. Senders stay inside the per-person chat limits (24 messages a "
            "minute; the limit is 30). Every client checks each sender's sequence numbers: lost is a message a "
            "member of the room never received, counted after waiting until nothing more arrives; a client closed "
            "with 4408 (too slow) would reconnect and catch up, as the app does. Delivery time is from the sender's "
            "clock reading in the message to its arrival. Memory is each process's resident size (VmRSS) sampled "
            f"every {plan.sample_every:.0f} s; growth is from the end of warm-up ({plan.warmup:.0f} s) to the end. "
            f"Load average {load_before:.1f} at the start and {load_after:.1f} at the end ({cores} cores)."
            + (
                " The machine was busy with other test runs throughout (load above its number of cores), so "
                "connecting and delivery took longer than they would on a quiet machine."
                if max(load_before, load_after) > cores
                else ""
            )
        ),
    )
    _assert_nothing_lost(result, stored, plan)
    assert max(growth) < 10.0, f"server memory grew {max(growth):.1f}% after warm-up"

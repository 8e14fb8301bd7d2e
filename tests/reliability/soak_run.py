"""The load and soak run (tests/reliability/test_load_soak.py): many socket clients of the product split across its
server processes, a steady set of senders, every delivery checked by sequence number, each server's memory sampled.

The clients, the senders and the sequence check are the chat benchmark's (bench/chat_bench.py: BenchClient,
connect_all, run_phase); this adds the rooms, the split across processes and the memory samples.
"""

from __future__ import annotations

import asyncio
import os
import resource
import time
from dataclasses import dataclass, field

from channels.layers import channel_layers, get_channel_layer

from bench.chat_bench import BenchClient, PhaseResult, Server, connect_all, rss_kb, run_phase


@dataclass
class SoakPlan:
    clients: int
    rooms: int
    senders: int
    per_sender: float  # messages a second each sender sends
    seconds: float  # how long the senders send
    warmup: float  # memory growth is measured from this many seconds into the run to its end
    sample_every: float = 5.0  # seconds between memory samples


@dataclass
class SoakResult:
    phase: PhaseResult
    connect_s: float
    subscribe_s: float
    connect_retries: int
    samples: list[tuple[float, list[int]]] = field(default_factory=list)  # (seconds into the run, RSS KB per server)

    def rss_at(self, seconds: float) -> list[int]:
        """Each server's RSS (KB) in the first sample taken at or after `seconds` (the last sample if none)."""
        for at, values in self.samples:
            if at >= seconds:
                return values
        return self.samples[-1][1]

    def growth(self, warmup: float) -> list[float]:
        """Each server's RSS growth (%) from the end of warm-up to the last sample."""
        start, end = self.rss_at(warmup), self.samples[-1][1]
        return [(after - before) * 100.0 / before for before, after in zip(start, end, strict=True)]


def raise_open_files_limit(needed: int) -> int:
    """Raise this process's soft limit on open files to at least `needed` (up to the hard limit); the server
    processes started afterwards inherit it. Returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        soft = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def arrange(tokens: list[str], rooms: list[int], servers: list[Server], senders: int) -> list[BenchClient]:
    """One client per member. The senders come first (run_phase's senders are the first clients), spread evenly over
    the rooms; then everyone else. Client i connects to server i mod the number of servers, so each room's members
    and senders are split across the processes and every message has to cross between them."""
    by_room: dict[int, list[int]] = {}
    for member, room in enumerate(rooms):
        by_room.setdefault(room, []).append(member)
    room_ids = list(by_room)
    chosen = [by_room[room_ids[s % len(room_ids)]][s // len(room_ids)] for s in range(senders)]
    taken = set(chosen)
    order = chosen + [member for member in range(len(tokens)) if member not in taken]
    return [
        BenchClient("product", servers[i % len(servers)].port, tokens[member], rooms[member])
        for i, member in enumerate(order)
    ]


async def _flush_channel_layer() -> None:
    """Empty the channel layer (a fresh layer object on this event loop), so nothing from an earlier run remains."""
    channel_layers.backends.clear()
    await get_channel_layer().flush()
    channel_layers.backends.clear()


async def soak(plan: SoakPlan, servers: list[Server], tokens: list[str], rooms: list[int], log=print) -> SoakResult:
    await _flush_channel_layer()
    clients = arrange(tokens, rooms, servers, plan.senders)
    try:
        connect_s, subscribe_s = await connect_all(clients)
        log(f"soak: {len(clients)} clients connected in {connect_s:.1f} s, subscribed in {subscribe_s:.1f} s")
        result = SoakResult(
            phase=None, connect_s=connect_s, subscribe_s=subscribe_s,
            connect_retries=sum(client.retries for client in clients),
        )  # fmt: skip
        started = time.perf_counter()

        async def sample() -> None:
            while True:
                result.samples.append((time.perf_counter() - started, [rss_kb(server.pid) for server in servers]))
                at = result.samples[-1][0]
                if at >= plan.warmup and (len(result.samples) < 2 or result.samples[-2][0] < plan.warmup):
                    log(f"soak: warm-up over at {at:.0f} s, RSS {result.samples[-1][1]} KB")
                await asyncio.sleep(plan.sample_every)

        sampler = asyncio.create_task(sample())
        try:
            offered = plan.senders * plan.per_sender * plan.clients / plan.rooms  # deliveries a second
            result.phase = await run_phase(clients, plan.senders, offered, plan.seconds, 1, per_sender=plan.per_sender)
        finally:
            sampler.cancel()
        result.samples.append((time.perf_counter() - started, [rss_kb(server.pid) for server in servers]))
        log(f"soak: done, RSS {result.samples[-1][1]} KB, {result.phase}")
        return result
    finally:
        await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
        await _flush_channel_layer()


def load_average() -> float:
    return os.getloadavg()[0]

"""The chat load benchmark: the product's socket, the Channels tutorial consumer, the daphne ceiling, a bare server.

`python -m bench.chat_bench` (or `make bench-chat`) measures, for each channel layer (in-memory with SQLite, then
Redis with PostgreSQL), four servers started here as subprocesses on 127.0.0.1:

- product: daphne serving `config.asgi:application` (token-authenticated, persisted, moderation- and rate-checked),
- baseline: the same daphne and layer serving the Channels tutorial consumer (bench/chat_baselines.py),
- ceiling: the same daphne serving a raw ASGI broadcast (no Channels): the most anything served by daphne can reach,
- floor: a bare `websockets` broadcast server (bench/chat_baselines.py).

For each: time to connect (and subscribe) 1,000 clients and server memory per idle connection (RSS delta / N from
/proc/<pid>/status); p50/p99 delivery latency at 1,000 deliveries/s with 100 clients (5 sending); then a ramp of the
send rate until latency or loss blows up (the saturated deliveries/s). Every client checks each sender's sequence
numbers, so lost and duplicated messages are counted, not guessed. Prints markdown; writes it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import websockets

from bench.machine import cpu_model, git_commit

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
LOGS = REPO / "var" / "bench"  # each server's log from the latest run
DAPHNE = str(Path(sys.executable).with_name("daphne"))
CHAT_START = "<!-- chat: written by make bench-chat (bench/chat_bench.py) -->"
CHAT_END = "<!-- /chat -->"
NOTES_END = "<!-- /notes -->"
DEFAULT_POSTGRES = "postgres://root@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
BENCH_DATABASE = "here_and_now_chat_bench"

# A step of the ramp "holds" if nothing is lost and p99 stays under this; the saturated rate is the best that holds.
SATURATION_P99_MS = 500.0
RAMP = (250, 500, 1000, 2000, 3000, 4000, 5000, 6500, 8000, 10000, 12500, 15000, 17500, 21000, 25000, 35000, 50000)
MARK = re.compile(r"~(\d+)~(\d+)~(\d+)~([\d.]+)~")
MESSAGE_ID = re.compile(r'"message":\{"id":(\d+)')
TOO_SLOW = 4408


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# --- seeding the product's database (runs in a child process with the server's settings) ------------------------------


def seed(clients: int, out: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    tokens, rooms = create_members(clients)
    Path(out).write_text(json.dumps({"room": rooms[0], "tokens": tokens}))


def create_members(count: int, *, groups: int = 1, prefix: str = "chat-bench") -> tuple[list[str], list[int]]:
    """`count` members who have accepted the current policies, each with an API token, in `groups` groups (member n
    in group n * groups // count: contiguous blocks). Returns the tokens and each member's group room id, in order.
    Shared with the load and soak test (tests/reliability/test_load_soak.py)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from bench.seed import accept_current_policies
    from community.models import Group, JoinPolicy, Membership, MembershipRole, MembershipStatus, Profile, User
    from messaging.services.rooms import room_for_group

    password = make_password("bench-not-a-real-password")
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}-{n:05d}@example.org", display_name=f"Bencher {n:05d}", password=password)
            for n in range(count)
        ],
        batch_size=1000,
    )
    Profile.objects.bulk_create([Profile(user_id=user.pk) for user in users], batch_size=1000, ignore_conflicts=True)
    accept_current_policies([user.pk for user in users])
    group_list = [
        Group.objects.create(
            name=f"Chat bench {g}" if groups > 1 else "Chat bench",
            slug=f"{prefix}-{g}" if groups > 1 else prefix,
            join_policy=JoinPolicy.REQUEST,
        )
        for g in range(groups)
    ]
    group_of = [group_list[n * groups // count] for n in range(count)]
    Membership.objects.bulk_create(
        [
            Membership(
                group=group_of[n],
                user_id=user.pk,
                role=MembershipRole.MEMBER,
                status=MembershipStatus.ACTIVE,
                joined_at=timezone.now(),
            )
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    tokens = Token.objects.bulk_create([Token(key=Token.generate_key(), user_id=user.pk) for user in users])
    room_of_group = {group.pk: room_for_group(group=group).pk for group in group_list}
    return [token.key for token in tokens], [room_of_group[group.pk] for group in group_of]


# --- servers ---------------------------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str  # product, baseline, floor
    port: int
    pid: int


def rss_kb(pid: int) -> int:
    """The process's resident memory (VmRSS, KB) from /proc; 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@contextmanager
def running(name: str, command: list[str], env: dict, log: Path | None):
    """Start a server; yields it once it logs its address. Stopped (terminate, then kill) on the way out. Its log
    goes to `log` (appended), or is read and dropped when `log` is None."""
    process = subprocess.Popen(  # noqa: S603 - our own servers, fixed arguments
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read_log():  # keeps reading, so a full pipe never blocks the server
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read_log, daemon=True).start()
    try:
        port, seen = None, []
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            found = re.search(r"Listening on TCP address [\d.]+:(\d+)", line)
            if found:
                port = int(found.group(1))
        if port is None:
            raise RuntimeError(f"{name} did not start:\n{''.join(seen[-20:])}")

        def write_log():
            if log is None:
                while lines.get() is not None:
                    pass
                return
            with log.open("a") as file:
                file.writelines(seen)
                while (line := lines.get()) is not None:
                    file.write(line)

        threading.Thread(target=write_log, daemon=True).start()
        yield Server(name, port, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def products_running(count: int, env: dict, log_dir: Path | None = None):
    """`count` daphne processes serving the product (`config.asgi:application`) with `env`; yields their Servers.
    Logs go to `log_dir`/product-<n>.log when given. All are stopped on the way out."""
    with ExitStack() as stack:
        logs = [log_dir / f"product-{n}.log" if log_dir else None for n in range(count)]
        yield [
            stack.enter_context(running(f"product-{n}", server_command("product"), env, logs[n])) for n in range(count)
        ]


def server_command(name: str) -> list[str]:
    daphne = [
        DAPHNE,
        "-b",
        "127.0.0.1",
        "-p",
        "0",
        "--websocket-max-message-size",
        "65536",
        "--websocket_timeout",
        "-1",
    ]
    if name == "product":
        return [*daphne, "config.asgi:application"]
    if name == "baseline":
        return [*daphne, "bench.chat_baselines:application"]
    if name == "ceiling":
        return [*daphne, "bench.chat_baselines:ceiling"]
    return [sys.executable, "-m", "bench.chat_baselines", "floor"]


# --- clients ----------------------------------------------------------------------------------------------------------


@dataclass
class Received:
    latencies: list[float] = field(default_factory=list)  # seconds
    seen: dict[int, set[int]] = field(default_factory=dict)  # sender -> sequence numbers
    duplicates: int = 0
    last_at: float = 0.0
    errors: int = 0


class BenchClient:
    """One socket. Knows how to speak to each of the three servers; records every delivery of the current phase."""

    def __init__(self, kind: str, port: int, token: str | None, room: int | None):
        self.kind, self.port, self.token, self.room = kind, port, token, room
        self.socket = None
        self.phase = -1
        self.got = Received()
        self.subscribed = asyncio.Event()
        self.reader: asyncio.Task | None = None
        self.retries = 0
        self.reconnects = 0  # closed with 4408 (too slow) and caught up
        self.last_id = 0
        self.closing = False

    async def connect(self) -> None:
        """Open the socket; a handshake the server drops (it gives up after 5 s under load) is tried again."""
        for attempt in range(3):
            try:
                await self._connect()
                return
            except (OSError, TimeoutError, websockets.exceptions.InvalidMessage):
                self.retries += 1
                if attempt == 2:
                    raise

    async def _connect(self) -> None:
        from websockets.asyncio.client import connect

        headers = {"Authorization": f"Token {self.token}"} if self.kind == "product" else {}
        self.socket = await connect(
            f"ws://127.0.0.1:{self.port}/ws/",
            additional_headers=headers,
            origin="http://127.0.0.1",
            compression=None,
            ping_interval=None,
            open_timeout=60,
            max_size=2**20,
            close_timeout=2,
        )
        self.reader = asyncio.create_task(self._read())

    async def subscribe(self) -> None:
        if self.kind != "product":
            self.subscribed.set()
            return
        await self.socket.send(json.dumps({"type": "subscribe", "room": self.room}))
        await asyncio.wait_for(self.subscribed.wait(), 60)

    def start_phase(self, phase: int) -> None:
        self.phase = phase
        self.reconnects = 0
        self.got = Received()

    async def send(self, phase: int, sender: int, seq: int) -> None:
        body = f"~{phase}~{sender}~{seq}~{time.perf_counter():.6f}~"
        if self.kind == "product":
            text = json.dumps(
                {"type": "message.send", "room": self.room, "body": body, "client_id": f"b{phase}-{sender}-{seq}"}
            )
        elif self.kind == "baseline":
            text = json.dumps({"message": body})
        else:
            text = body
        await self.socket.send(text)

    async def _read(self) -> None:
        try:
            async for text in self.socket:
                now = time.perf_counter()
                found = MARK.search(text)
                if found is None:
                    if '"type":"subscribed"' in text:
                        self.subscribed.set()
                    elif '"type":"error"' in text:
                        self.got.errors += 1
                    continue
                if self.kind == "product":
                    self.last_id = max(self.last_id, int(MESSAGE_ID.search(text).group(1)))
                phase, sender, seq, sent_at = found.groups()
                if int(phase) != self.phase:
                    continue  # a replay of an earlier phase
                got = self.got
                seen = got.seen.setdefault(int(sender), set())
                if int(seq) in seen:
                    got.duplicates += 1
                    continue
                seen.add(int(seq))
                got.latencies.append(now - float(sent_at))
                got.last_at = now
        except Exception:  # noqa: S110 - a closed socket ends the reader; missing messages then count as lost
            pass
        if self.kind == "product" and self.socket.close_code == TOO_SLOW and not self.closing:
            # What a real client does: reconnect and catch up with `after` (docs/realtime.md).
            self.reconnects += 1
            self.subscribed.clear()
            await self.connect()
            await self.socket.send(json.dumps({"type": "subscribe", "room": self.room, "after": self.last_id}))

    async def close(self) -> None:
        self.closing = True
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            await asyncio.wait([self.reader], timeout=5)


async def connect_all(clients: list[BenchClient], *, at_once: int = 50, subscribe: bool = True) -> tuple[float, float]:
    """Connect every client (at most `at_once` handshakes in flight), then subscribe each. Seconds for each part."""
    gate = asyncio.Semaphore(at_once)

    async def one(client: BenchClient, step):
        async with gate:
            await step(client)

    started = time.perf_counter()
    await asyncio.gather(*(one(client, BenchClient.connect) for client in clients))
    connected = time.perf_counter()
    if not subscribe:
        return connected - started, 0.0
    await asyncio.gather(*(one(client, BenchClient.subscribe) for client in clients))
    return connected - started, time.perf_counter() - connected


@dataclass
class PhaseResult:
    offered: float  # deliveries/s asked for
    achieved: float  # deliveries/s measured (first send to last delivery)
    sent: int
    expected: int
    delivered: int
    lost: int
    duplicates: int
    errors: int
    reconnects: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    p95_ms: float = 0.0
    stray: int = 0  # deliveries of a message from another room's sender (must never happen)

    @property
    def holds(self) -> bool:
        return self.lost == 0 and self.p99_ms <= SATURATION_P99_MS


async def run_phase(
    clients: list[BenchClient],
    senders: int,
    deliveries_per_second: float,
    seconds: float,
    phase: int,
    *,
    per_sender: float | None = None,
) -> PhaseResult:
    """The first `senders` of the clients send at a fixed total rate so that every client together receives
    `deliveries_per_second` (or each sends `per_sender` messages a second); then wait until everything arrived or
    nothing more comes. Each message is expected once at every client in its sender's room (the sender too)."""
    for client in clients:
        client.start_phase(phase)
    if per_sender is None:
        per_sender = deliveries_per_second / len(clients) / senders
    count = max(1, round(per_sender * seconds))
    sent = [0] * senders
    started = time.perf_counter()

    async def sender(index: int):
        client = clients[index]
        offset = index / (senders * per_sender)  # spread the senders evenly
        for seq in range(count):
            due = started + offset + seq / per_sender
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                await client.send(phase, index, seq)
            except Exception:
                return
            sent[index] += 1

    await asyncio.gather(*(sender(index) for index in range(senders)))
    audience = Counter(client.room for client in clients)
    expected = sum(sent[index] * audience[clients[index].room] for index in range(senders))
    last_progress, last_count = time.perf_counter(), -1
    drain_deadline = time.perf_counter() + max(10.0, seconds)
    while time.perf_counter() < drain_deadline:
        delivered = sum(len(seen) for client in clients for seen in client.got.seen.values())
        if delivered >= expected:
            break
        if delivered != last_count:
            last_progress, last_count = time.perf_counter(), delivered
        elif time.perf_counter() - last_progress > 2.0:
            break
        await asyncio.sleep(0.05)
    # Exactly what each client should have: every sequence number each sender in its room sent, nothing else.
    lost = stray = 0
    for client in clients:
        for index in range(senders):
            seen = client.got.seen.get(index, set())
            if clients[index].room == client.room:
                lost += sum(1 for seq in range(sent[index]) if seq not in seen)
            else:
                stray += len(seen)
    latencies = [value for client in clients for value in client.got.latencies]
    delivered = len(latencies)
    last = max((client.got.last_at for client in clients), default=started)
    elapsed = max(last - started, 1e-9)
    return PhaseResult(
        offered=deliveries_per_second,
        achieved=delivered / elapsed if delivered else 0.0,
        sent=sum(sent),
        expected=expected,
        delivered=delivered,
        lost=lost,
        duplicates=sum(client.got.duplicates for client in clients),
        errors=sum(client.got.errors for client in clients),
        reconnects=sum(client.reconnects for client in clients),
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        max_ms=max(latencies, default=0.0) * 1000,
        p95_ms=percentile(latencies, 0.95) * 1000,
        stray=stray,
    )


def _clients(server: Server, count: int, tokens: list[str], room: int | None) -> list[BenchClient]:
    return [BenchClient(server.name, server.port, tokens[n] if tokens else None, room) for n in range(count)]


async def measure_server(server: Server, arguments, tokens: list[str], room: int | None, log) -> dict:
    result: dict = {}
    # Warm up (imports, first database connection), then the baseline memory.
    warm = _clients(server, 1, tokens, room)
    await connect_all(warm)
    await warm[0].close()
    await asyncio.sleep(0.5)
    rss_before = rss_kb(server.pid)
    idle = _clients(server, arguments.idle_clients, tokens, room)
    connect_s, _ = await connect_all(idle, subscribe=False)
    await asyncio.sleep(1.0)
    rss_after = rss_kb(server.pid)
    result.update(
        idle_clients=len(idle),
        connect_s=connect_s,
        rss_before_kb=rss_before,
        rss_after_kb=rss_after,
        kb_per_connection=(rss_after - rss_before) / len(idle),
        connect_retries=sum(client.retries for client in idle),
    )
    log(
        f"  {server.name}: {len(idle)} connected in {connect_s:.2f} s, "
        f"{result['kb_per_connection']:.1f} KB each, {result['connect_retries']} handshakes retried"
    )
    await asyncio.gather(*(client.close() for client in idle))
    await asyncio.sleep(1.0)

    clients = _clients(server, arguments.clients, tokens, room)
    _, result["subscribe_s"] = await connect_all(clients)
    phase = 1
    fixed = await run_phase(clients, arguments.senders, arguments.fixed_rate, arguments.seconds, phase)
    result["fixed"] = fixed.__dict__
    log(f"  {server.name}: at {arguments.fixed_rate:,}/s p50 {fixed.p50_ms:.1f} ms p99 {fixed.p99_ms:.1f} ms, "
        f"lost {fixed.lost}")  # fmt: skip
    ramp = []
    for rate in arguments.ramp:
        phase += 1
        step = await run_phase(clients, arguments.senders, rate, arguments.step_seconds, phase)
        ramp.append(step.__dict__)
        log(f"  {server.name}: ramp {rate:,}/s -> {step.achieved:,.0f}/s p99 {step.p99_ms:.0f} ms lost {step.lost}")
        if not step.holds:
            break
    result["ramp"] = ramp
    holding = [step for step in ramp if step["lost"] == 0 and step["p99_ms"] <= SATURATION_P99_MS]
    result["saturated"] = max((step["achieved"] for step in holding), default=0.0)
    result["lost_total"] = fixed.lost + sum(step["lost"] for step in ramp)
    await asyncio.gather(*(client.close() for client in clients))
    return result


# --- one layer: seed, then the three servers in turn ------------------------------------------------------------------


def _env(layer_env: dict, var_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="bench.chat_settings", VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1", **layer_env)
    return env


def measure_layer(layer: str, layer_env: dict, arguments, scratch: Path, log, per_server: dict | None = None) -> dict:
    var_dir = scratch / layer
    var_dir.mkdir(parents=True, exist_ok=True)
    env = _env(layer_env, var_dir)
    seeded = var_dir / "seed.json"
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.chat_bench", "seed",
         "--idle-clients", str(max(arguments.idle_clients, arguments.clients)),
         "--out", str(seeded)],
        cwd=REPO, env=env, check=True, timeout=300,
    )  # fmt: skip
    data = json.loads(seeded.read_text())
    LOGS.mkdir(parents=True, exist_ok=True)
    for name in arguments.servers:
        (LOGS / f"chat-{layer}-{name}.log").unlink(missing_ok=True)
    results = {}
    for name in arguments.servers:
        if "REDIS_URL" in layer_env:
            _flush_redis(layer_env["REDIS_URL"])
        log(f"{layer}: {name}")
        server_env = {**env, **(per_server or {}).get(name, {})}
        with running(name, server_command(name), server_env, LOGS / f"chat-{layer}-{name}.log") as server:
            tokens = data["tokens"] if name == "product" else []
            room = data["room"] if name == "product" else None
            results[name] = asyncio.run(measure_server(server, arguments, tokens, room, log))
    return results


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- the report ------------------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}"


def markdown(results: dict, machine: dict, arguments) -> str:
    lines = [
        CHAT_START,
        "## Chat: socket fan-out (product, Channels tutorial baseline, daphne ceiling, bare websockets floor)",
        "",
        f"`make bench-chat` on {machine['facts']}. The run took {machine['seconds']:.0f} s. "
        f"{arguments.clients} clients in one room, {arguments.senders} of them sending; every client receives every "
        "message (the sender too). Servers and clients share this machine.",
        "",
    ]
    for layer, servers in results.items():
        if "error" in servers:
            lines += [f"### {layer}", "", f"Not measured: {servers['error']}", ""]
            continue
        lines += [
            f"### {layer}",
            "",
            f"| Server | Saturated deliveries/s | Share of floor | p50 / p99 at {_n(arguments.fixed_rate)}/s (ms) "
            f"| Lost (all runs) | Duplicates | KB per idle connection | Connect {arguments.idle_clients:,} (s) "
            f"| Subscribe {arguments.clients} (s) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        floor = servers.get("floor", {}).get("saturated", 0.0)
        for name, result in servers.items():
            fixed = result["fixed"]
            share = f"{result['saturated'] / floor:.0%}" if floor else "-"
            duplicates = fixed["duplicates"] + sum(step["duplicates"] for step in result["ramp"])
            lines.append(
                f"| {name} | {_n(result['saturated'])} | {share} | {fixed['p50_ms']:.1f} / {fixed['p99_ms']:.1f} "
                f"| {result['lost_total']:,} | {duplicates:,} | {result['kb_per_connection']:.1f} "
                f"| {result['connect_s']:.2f} | {result['subscribe_s']:.2f} |"
            )
        lines += [
            "",
            "Ramp (offered deliveries/s → achieved, p99 ms, lost); the last step shown is where it broke:",
            "",
        ]
        for name, result in servers.items():
            steps = ", ".join(
                f"{_n(step['offered'])}→{_n(step['achieved'])} ({step['p99_ms']:.0f} ms"
                + (f", {step['lost']:,} lost" if step["lost"] else "")
                + ")"
                for step in result["ramp"]
            )
            lines.append(f"- {name}: {steps}")
        lines.append("")
        lines += _targets(layer, servers, arguments)
    lines += [
        "How to read it: *saturated* is the best achieved rate of a ramp step (3 s each) that lost nothing and kept "
        f"p99 under {SATURATION_P99_MS:.0f} ms. Latency is from the sender's clock reading in the message body to "
        "its arrival at each client. *Lost* is messages a client never received (sequence numbers per sender), "
        "counted after waiting until nothing more arrives. Memory is the server's RSS growth with the idle clients "
        "connected (authenticated, each in its own user group, not yet subscribed to a room) divided by their number; "
        "*subscribe* is the time for the latency run's clients to subscribe to the room (the product checks access "
        "and replays recent messages for each). The servers use the app's own settings and layer; "
        "only the rate limits are raised (bench/chat_settings.py). On the in-memory run the baseline uses "
        + (
            "Channels' own `InMemoryChannelLayer`, as the tutorial sets it up; the product uses ours "
            "(messaging.layers)."
            if arguments.baseline_layer == "channels"
            else "our layer (messaging.layers) like the product (`--baseline-layer ours`)."
        ),
        "",
        CHAT_END,
    ]
    return "\n".join(lines)


def _targets(layer: str, servers: dict, arguments) -> list[str]:
    product, baseline = servers.get("product"), servers.get("baseline")
    if not product or not baseline:
        return []
    factor = 10 if "memory" in layer else 2
    ratio = product["saturated"] / baseline["saturated"] if baseline["saturated"] else float("inf")

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    fixed = product["fixed"]
    ceiling = servers.get("ceiling", {}).get("saturated", 0.0)
    reachable = (
        [f"- for scale: the daphne ceiling (no Channels) is {ceiling / baseline['saturated']:.1f}× the tutorial, and "
         f"the product reaches {product['saturated'] / ceiling:.0%} of it", ""]
        if ceiling and baseline["saturated"]
        else []
    )  # fmt: skip
    return [
        f"Targets for the product ({layer}):",
        "",
        *reachable,
        (
            f"- saturated at least {factor}× the tutorial: {ratio:.1f}× — {mark(ratio >= factor)}"
            if baseline["saturated"] and product["saturated"]
            else f"- saturated at least {factor}× the tutorial: not measurable in this run (a server held at no "
            "ramp step) — **missed**"
        ),
        f"- p99 at most 100 ms at {_n(arguments.fixed_rate)}/s: {fixed['p99_ms']:.1f} ms — "
        f"{mark(fixed['p99_ms'] <= 100)}",
        f"- zero lost messages in every run: {product['lost_total']:,} lost — {mark(product['lost_total'] == 0)}",
        f"- at most 32 KB per idle connection: {product['kb_per_connection']:.1f} KB — "
        f"{mark(product['kb_per_connection'] <= 32)}",
        f"- {arguments.idle_clients:,} clients connected in under 3 s: {product['connect_s']:.2f} s — "
        f"{mark(product['connect_s'] < 3)}",
        "",
    ]


def write_doc(section: str, old: str) -> str:
    """`old` with its chat section replaced by `section`. A new section goes inside the hand-written notes block
    (before its end marker), which the events benchmark keeps when it regenerates the rest of the file."""
    if CHAT_START in old and CHAT_END in old:
        start, end = old.index(CHAT_START), old.index(CHAT_END) + len(CHAT_END)
        return old[:start] + section + old[end:]
    if NOTES_END in old:
        at = old.index(NOTES_END)
        return old[:at] + section + "\n" + old[at:]
    return old.rstrip("\n") + "\n\n" + section + "\n"


def _machine(started: float, load_before: float) -> dict:
    import platform

    facts = (
        f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, commit {git_commit()}, "
        f"{time.strftime('%Y-%m-%d')}, load average {load_before:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    return {"facts": facts, "seconds": time.monotonic() - started}


def _postgres_env(url: str) -> dict:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return {"DATABASE_URL": f"{url}/{BENCH_DATABASE}"}


def _drop_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def run(arguments) -> tuple[str, dict]:
    started, load_before = time.monotonic(), os.getloadavg()[0]

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="chat-bench-") as scratch:
        for layer in arguments.layers:
            if layer == "memory":
                title = "In-memory channel layer, SQLite"
                per_server = {"baseline": {"HN_BENCH_MEMORY_LAYER": arguments.baseline_layer}}
                results[title] = measure_layer(layer, {}, arguments, Path(scratch), log, per_server=per_server)
                continue
            title = "Redis channel layer, PostgreSQL"
            try:
                env = {**_postgres_env(arguments.postgres), "REDIS_URL": arguments.redis}
            except Exception as error:
                results[title] = {"error": f"PostgreSQL at {arguments.postgres} is not reachable ({error})"}
                continue
            try:
                results[title] = measure_layer(layer, env, arguments, Path(scratch), log)
            finally:
                _flush_redis(arguments.redis)
                _drop_postgres(arguments.postgres)
    return markdown(results, _machine(started, load_before), arguments), results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="all", choices=["all", "seed"])
    parser.add_argument("--layers", default="memory,redis", type=lambda text: text.split(","))
    parser.add_argument("--servers", default="product,baseline,ceiling,floor", type=lambda text: text.split(","))
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--senders", type=int, default=5)
    parser.add_argument("--idle-clients", type=int, default=1000)
    parser.add_argument("--fixed-rate", type=int, default=1000, help="deliveries/s for the latency run")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the latency run")
    parser.add_argument("--step-seconds", type=float, default=3.0, help="length of each ramp step")
    parser.add_argument("--ramp", default=RAMP, type=lambda text: tuple(int(part) for part in text.split(",")))
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", DEFAULT_REDIS))
    parser.add_argument(
        "--baseline-layer",
        default="channels",
        choices=["channels", "ours"],
        help="the tutorial's in-memory layer: Channels' own (as the tutorial runs), or messaging.layers'",
    )
    parser.add_argument("--no-write", action="store_true", help="print the tables but leave docs/benchmarks.md")
    parser.add_argument("--out", default="", help="seed mode: where to write the tokens; else also write JSON here")
    arguments = parser.parse_args(argv)
    if arguments.mode == "seed":
        seed(arguments.idle_clients, arguments.out)
        return 0
    text, results = run(arguments)
    print(text)
    if arguments.out:
        Path(arguments.out).write_text(json.dumps(results, indent=1))
    if not arguments.no_write:
        DOC.write_text(write_doc(text, DOC.read_text() if DOC.exists() else ""))
        print(f"Wrote {DOC.relative_to(REPO)}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

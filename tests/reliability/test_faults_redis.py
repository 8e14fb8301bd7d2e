"""Redis restarted in the middle of a chat.

Two daphne processes share a private Redis (channel layer and cache; started here on its own port with no
persistence, so a restart loses every group membership and queued frame, as a crash would) and the test's
PostgreSQL database. Members chat in one room through both processes. Redis is killed and, a few seconds later,
started again on the same port. Each test client does what the browser's chat does (community/static/community/
live.js and messaging/static/messaging/chat.js): on a close it reconnects with backoff (1 s, 2 s, 4 s ... plus a little
randomness), subscribes with `after` set to the newest message id it has, and sends its unconfirmed messages again
with the same client_id.

Checked: every message the server stored reaches every client exactly once (no message lost, none delivered twice
apart from the confirmation of a resend, which is the author's own), and the service is back within 5 seconds of
Redis returning: a probe on one process sends a message a probe on the other receives.

Needs PostgreSQL (the servers and the test share a database) and the redis-server binary.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field

import pytest
import websockets
from django.db import connection
from rest_framework.authtoken.models import Token

from messaging.models import Message
from messaging.services.rooms import room_for_group
from tests.reliability.fault_helpers import REDIS_SERVER, app_env, daphne_servers, private_redis
from tests.reliability.figures import figures_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs server processes sharing a database: runs when DATABASE_URL is PostgreSQL",
    ),
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server binary for a private Redis"),
    pytest.mark.django_db(transaction=True),
]

BACK_WITHIN_SECONDS = 5.0
CLOSED = (websockets.ConnectionClosed, OSError, asyncio.TimeoutError, websockets.InvalidHandshake)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# --- a client that behaves like the browser's chat --------------------------------------------------------------------


@dataclass
class ChatClient:
    name: str
    port: int
    token: str
    room_id: int
    send_every: float
    seen: set[int] = field(default_factory=set)
    last_seen: int = 0
    pending: dict[str, str] = field(default_factory=dict)
    sent: int = 0
    duplicates: int = 0  # a message.new for an id already shown, other than the confirmation of this client's resend
    resend_confirmations: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    close_codes: list = field(default_factory=list)
    subscribed_at: list[float] = field(default_factory=list)
    sending: bool = True
    stopped: bool = False
    socket: object = None

    async def run(self) -> None:
        delay = 1.0
        while not self.stopped:
            try:
                async with websockets.connect(
                    f"ws://127.0.0.1:{self.port}/ws/",
                    origin="http://127.0.0.1",
                    additional_headers={"Authorization": f"Token {self.token}"},
                    open_timeout=5,
                    close_timeout=1,
                ) as socket:
                    self.socket = socket
                    delay = 1.0  # live.js starts its backoff again once a socket opens
                    await self._session(socket)
            except CLOSED as error:
                code = getattr(getattr(error, "rcvd", None), "code", None)
                self.close_codes.append(code if code is not None else type(error).__name__)
            finally:
                self.socket = None
            if self.stopped:
                return
            await asyncio.sleep(delay + random.uniform(0, min(1.0, delay / 2)))  # noqa: S311 - jitter, not secrets
            delay = min(delay * 2, 30.0)

    async def _session(self, socket) -> None:
        subscribe = {"type": "subscribe", "room": self.room_id}
        if self.last_seen:
            subscribe["after"] = self.last_seen
        await socket.send(json.dumps(subscribe))
        sender = asyncio.create_task(self._send_loop(socket))
        resent: set[str] = set()
        try:
            async for raw in socket:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "subscribed":
                    self.subscribed_at.append(time.monotonic())
                    resent = set(self.pending)
                    for client_id in list(self.pending):  # chat.js sends its unconfirmed messages again
                        await self._send(socket, client_id)
                elif kind == "message.new":
                    self._shown(frame["message"], resent)
                elif kind == "error":
                    self.errors[frame.get("code")] = self.errors.get(frame.get("code"), 0) + 1
        finally:
            sender.cancel()

    def _shown(self, message: dict, resent: set[str]) -> None:
        client_id = message.get("client_id")
        if message["id"] in self.seen:
            if client_id in resent or client_id in self.pending:
                self.resend_confirmations += 1
            else:
                self.duplicates += 1
        self.seen.add(message["id"])
        self.last_seen = max(self.last_seen, message["id"])
        if client_id is not None:
            self.pending.pop(client_id, None)

    async def _send(self, socket, client_id: str) -> None:
        frame = {"type": "message.send", "room": self.room_id, "body": self.pending[client_id], "client_id": client_id}
        await socket.send(json.dumps(frame))

    async def _send_loop(self, socket) -> None:
        await asyncio.sleep(random.uniform(0, self.send_every))  # noqa: S311
        while True:
            if self.sending:
                self.sent += 1
                client_id = f"{self.name}-{self.sent}"
                self.pending[client_id] = f"{self.name} says {self.sent}"
                await self._send(socket, client_id)
            await asyncio.sleep(self.send_every)


async def probe_round_trip(first_port: int, second_port: int, tokens: tuple[str, str], room_id: int, tag: str) -> bool:
    """One attempt: a message sent through the first process reaches a subscriber on the second."""
    headers = [{"Authorization": f"Token {token}"} for token in tokens]
    try:
        async with (
            websockets.connect(f"ws://127.0.0.1:{second_port}/ws/", origin="http://127.0.0.1",
                               additional_headers=headers[1], open_timeout=1, close_timeout=0.2) as listener,
            websockets.connect(f"ws://127.0.0.1:{first_port}/ws/", origin="http://127.0.0.1",
                               additional_headers=headers[0], open_timeout=1, close_timeout=0.2) as sender,
        ):  # fmt: skip
            await listener.send(json.dumps({"type": "subscribe", "room": room_id, "after": 2**40}))
            while json.loads(await asyncio.wait_for(listener.recv(), 1))["type"] != "subscribed":
                pass
            frame = {"type": "message.send", "room": room_id, "body": "probe", "client_id": tag}
            await sender.send(json.dumps(frame))
            while True:
                frame = json.loads(await asyncio.wait_for(listener.recv(), 1))
                if frame["type"] == "message.new" and frame["message"]["client_id"] == tag:
                    return True
    except (*CLOSED, KeyError):
        return False


# --- the scenario -----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    stored: int
    sent: int
    lost: int
    duplicated: int
    resend_confirmations: int
    back_after: float
    all_back_after: float
    clients: list[ChatClient]


def _people(make_user, group, add_member, count: int) -> list[str]:
    tokens = []
    for _ in range(count):
        person = make_user()
        add_member(group, person)
        tokens.append(Token.objects.create(user=person).key)
    return tokens


def _stored_ids(room_id: int) -> set[int]:
    try:
        return set(Message.objects.filter(room_id=room_id).values_list("id", flat=True))
    finally:
        connection.close()


async def chat_through_a_redis_restart(
    *, ports: tuple[int, int], redis, tokens: list[str], probe_tokens: tuple[str, str], room_id: int,
    chat_before: float, outage: float, chat_after: float, send_every: float,
) -> Outcome:  # fmt: skip
    clients = [
        ChatClient(f"c{n}", ports[n % 2], token, room_id, send_every) for n, token in enumerate(tokens)
    ]  # fmt: skip
    runners = [asyncio.create_task(client.run()) for client in clients]
    try:
        await asyncio.sleep(chat_before)
        assert all(client.subscribed_at for client in clients), "every client subscribed before the outage"

        await asyncio.to_thread(redis.kill)
        await asyncio.sleep(outage)
        await asyncio.to_thread(redis.start)
        returned = time.monotonic()

        # The service is back when a message sent on one process reaches the other.
        attempt = 0
        while not await probe_round_trip(ports[0], ports[1], probe_tokens, room_id, f"probe-{attempt}"):
            attempt += 1
            assert time.monotonic() - returned < 60, "the service did not come back within a minute"
            await asyncio.sleep(0.1)
        back_after = time.monotonic() - returned

        await asyncio.sleep(chat_after)
        for client in clients:
            client.sending = False

        # Every client gets every stored message (the resends of unconfirmed ones included).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            stored = await asyncio.to_thread(_stored_ids, room_id)
            if all(not client.pending and stored <= client.seen for client in clients):
                break
            await asyncio.sleep(0.5)
        back = [min((t for t in client.subscribed_at if t >= returned), default=float("inf")) for client in clients]
    finally:
        for client in clients:
            client.stopped = True
            if client.socket is not None:
                await client.socket.close()
        await asyncio.wait(runners, timeout=10)
        for runner in runners:
            runner.cancel()

    stored = await asyncio.to_thread(_stored_ids, room_id)
    return Outcome(
        stored=len(stored),
        sent=sum(client.sent for client in clients),
        lost=sum(len(stored - client.seen) for client in clients),
        duplicated=sum(client.duplicates for client in clients),
        resend_confirmations=sum(client.resend_confirmations for client in clients),
        back_after=back_after,
        all_back_after=max(back) - returned,
        clients=clients,
    )


def run_scenario(make_user, group, add_member, *, clients: int, **timing) -> Outcome:
    room = room_for_group(group=group)
    tokens = _people(make_user, group, add_member, clients)
    probe_tokens = tuple(_people(make_user, group, add_member, 2))
    connection.close()  # the servers and the test's threads use their own connections
    with private_redis() as redis:
        env = app_env(
            database_url=database_url(), redis_url=redis.url,
            HN_CHAT_MESSAGES_PER_MINUTE="600", HN_CHAT_BURST_MESSAGES="60", DATABASE_POOL="0",
        )  # fmt: skip
        with daphne_servers(2, env=env) as servers:
            ports = (servers[0].port, servers[1].port)
            outcome = asyncio.run(
                chat_through_a_redis_restart(
                    ports=ports, redis=redis, tokens=tokens, probe_tokens=probe_tokens, room_id=room.pk, **timing
                )
            )
    assert outcome.stored > 0
    assert outcome.lost == 0, [(c.name, c.close_codes, c.errors, len(c.seen)) for c in outcome.clients]
    assert outcome.duplicated == 0
    assert all(not client.pending for client in outcome.clients), "every message sent was stored in the end"
    assert outcome.back_after < BACK_WITHIN_SECONDS, outcome.back_after
    return outcome


def test_a_chat_survives_a_redis_restart(make_user, group, add_member):
    run_scenario(make_user, group, add_member, clients=6, chat_before=2.0, outage=2.0, chat_after=3.0, send_every=0.5)


@pytest.mark.long
def test_a_busy_chat_survives_a_redis_restart_measured(make_user, group, add_member):
    clients, outage = 40, 5.0
    outcome = run_scenario(
        make_user, group, add_member, clients=clients, chat_before=10.0, outage=outage, chat_after=15.0, send_every=1.0
    )
    figures_record(
        area="faults",
        title="Redis restarted in the middle of a chat",
        rows=[
            ("people chatting (two server processes)", f"{clients}"),
            ("Redis down for", f"{outage:.0f} seconds (killed, then started again empty)"),
            ("messages stored", f"{outcome.stored:,}"),
            ("messages lost (stored but not seen by someone)", f"{outcome.lost}"),
            ("messages shown twice", f"{outcome.duplicated}"),
            ("seconds until chat worked again after Redis returned", f"{outcome.back_after:.1f}"),
            ("seconds until every person was reconnected", f"{outcome.all_back_after:.1f}"),
        ],
        notes=(
            "tests/reliability/test_faults_redis.py: two daphne processes on a private Redis (no persistence) and "
            "PostgreSQL; each client reconnects with the browser's backoff (1 s, 2 s, 4 s ...), catches up with "
            "`subscribe` + `after` and resends unconfirmed messages with the same client_id. 'Chat worked again': a "
            "message sent through one process reached a person on the other."
        ),
    )

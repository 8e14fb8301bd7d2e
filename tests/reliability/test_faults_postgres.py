"""PostgreSQL stopped and started under a running server: requests during the outage are answered 503 (the plain
page, or `{"code": "unavailable"}` from the API) and never 500, and the server recovers by itself once PostgreSQL is
back (its connection pool drops the dead connections: CONN_HEALTH_CHECKS, config/settings/base.py).

A private PostgreSQL cluster (initdb in a temporary directory, its own port) is made for the run, so stopping it
touches nothing shared; daphne serves the app on it with the connection pool on (production's settings for the
database). tests/reliability/test_faults_database.py checks the same answers quickly with a simulated outage.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from tests.reliability.fault_helpers import PG_BIN, Daphne, app_env, manage, private_postgres
from tests.reliability.figures import figures_record

pytestmark = [
    pytest.mark.long,
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason="needs PostgreSQL 15's initdb for a private cluster"),
]

OUTAGE_SECONDS = 6.0
POOL_TIMEOUT_SECONDS = 2
MAKE_PERSON = """
from django.test import Client
from rest_framework.authtoken.models import Token
from community.models import User
from community.services.policies import policies_accept_current
person = User.objects.create_user(email="pat@example.org", password="a-long-pass-phrase", display_name="Pat")
policies_accept_current(actor=person)
client = Client()
client.force_login(person)
print(Token.objects.create(user=person).key, client.cookies["sessionid"].value)
"""


def _get(url: str, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own local server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""  # no answer at all


class Traffic:
    """A few people using the site all the time: the API and a page, each answer noted with when it came."""

    def __init__(self, port: int, token: str, session: str):
        self.targets = [
            (f"http://127.0.0.1:{port}/api/v1/me/", {"Authorization": f"Token {token}"}),
            (f"http://127.0.0.1:{port}/", {"Cookie": f"sessionid={session}"}),
        ]
        self.answers: list[tuple[float, float, str, int, str]] = []  # asked, answered, kind, status, body
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._person, args=(n,)) for n in range(4)]

    def _person(self, n: int) -> None:
        while not self.stop.is_set():
            url, headers = self.targets[n % 2]
            asked = time.monotonic()
            status, body = _get(url, headers)
            self.answers.append((asked, time.monotonic(), "api" if "/api/" in url else "page", status, body))
            time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_a_postgres_restart_is_answered_503_and_the_server_recovers_by_itself(tmp_path: Path):
    with private_postgres() as postgres:
        database = postgres.create_database("here_and_now")
        env = app_env(
            database_url=database, redis_url="", settings="config.settings.local",
            DEBUG="0", HUEY_IMMEDIATE="1", DATABASE_POOL="1", DATABASE_POOL_TIMEOUT=str(POOL_TIMEOUT_SECONDS),
        )  # fmt: skip
        manage("migrate", "--no-input", env=env)
        token, session = manage("shell", "-c", MAKE_PERSON, env=env).stdout.split()[-2:]

        server = Daphne(env)
        server.start()
        try:
            with Traffic(server.port, token, session) as traffic:
                time.sleep(3)
                stopping = time.monotonic()
                postgres.stop()
                stopped = time.monotonic()
                time.sleep(OUTAGE_SECONDS)
                postgres.start()
                returned = time.monotonic()
                time.sleep(8)
        finally:
            server.stop()
            (tmp_path / "daphne.log").write_text("".join(server.log))

    answers = sorted(traffic.answers)
    before = [a for a in answers if a[1] < stopping]
    during = [a for a in answers if a[0] >= stopped and a[1] <= returned]
    after = [a for a in answers if a[0] >= returned]
    assert before and during and after
    assert all(status == 200 for _, _, _, status, _ in before)

    # Nothing is ever a 500 (or no answer); during the outage everything is a 503 that says so.
    everything = Counter(status for _, _, _, status, _ in answers)
    assert set(everything) <= {200, 503}, everything
    for _, _, kind, status, body in during:
        assert status == 503
        if kind == "api":
            assert json.loads(body)["code"] == "unavailable"
        else:
            assert "We'll be back in a moment" in body

    # Recovery by itself: from the first request that succeeded after PostgreSQL returned, everything succeeds.
    first_ok = next(n for n, answer in enumerate(after) if answer[3] == 200)
    recovered_after = after[first_ok][1] - returned
    assert all(status == 200 for _, _, _, status, _ in after[first_ok:])
    assert recovered_after < 10, recovered_after

    statuses = Counter(status for _, _, _, status, _ in during)
    slowest_503 = max(answered - asked for asked, answered, _, status, _ in answers if status == 503)
    figures_record(
        area="faults_postgres",
        title="PostgreSQL restarted under a running server",
        rows=[
            ("PostgreSQL down for", f"{OUTAGE_SECONDS:.0f} seconds (stopped with every connection cut, then started)"),
            ("requests during the outage", f"{len(during)}"),
            ("answered 503 'back in a moment' (page) or 'unavailable' (API)", f"{statuses[503]}"),
            ("answered 500, or not at all", f"{everything[500] + everything[0]}"),
            ("longest wait for a 503", f"{slowest_503:.1f} seconds (the pool waits DATABASE_POOL_TIMEOUT, here 2)"),
            ("seconds until requests succeeded again after PostgreSQL returned", f"{recovered_after:.1f}"),
            ("requests after that", f"{len(after) - first_ok}, all answered 200"),
        ],
        notes=(
            "tests/reliability/test_faults_postgres.py: a private PostgreSQL 15 cluster, daphne with the connection "
            "pool on, four clients alternating an API call and a signed-in page; `pg_ctl stop -m fast`, then start."
        ),
    )

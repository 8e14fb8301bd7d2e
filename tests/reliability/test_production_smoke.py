"""The production run, end to end: `bin/production` brings up nginx, two daphne processes and a Huey consumer on a
database of its own; a member signs in through nginx; two chat sockets through nginx land on different daphne
processes and a message sent on one arrives on the other; `bin/production stop` leaves no process behind.

Runs when DATABASE_URL is PostgreSQL, REDIS_URL is set and nginx is installed (as in CI). It never touches the suite's
database: it makes `hn_smoke_<random>` on the same server and drops it afterwards, and it uses Redis database
SMOKE_REDIS_DB with its own key prefixes, deleting its keys at the end. Figures go to docs/reliability.md
(area "production").
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from tests.reliability.figures import figures_record

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bin" / "production"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SMOKE_REDIS_DB = int(os.environ.get("HN_SMOKE_REDIS_DB", "13"))
PASSWORD = "smoke-test-pass-phrase"
MESSAGES = 10

_database = settings.DATABASES["default"]
pytestmark = pytest.mark.skipif(
    _database["ENGINE"] != "django.db.backends.postgresql" or not settings.REDIS_URL or NGINX is None,
    reason="needs PostgreSQL (DATABASE_URL), Redis (REDIS_URL) and nginx (apt-get install nginx-light): "
    "runs when all three are there, as in CI",
)


# --- a database and Redis keys of its own ----------------------------------------------------------------------------


def _postgres(dbname: str):
    import psycopg

    return psycopg.connect(
        host=_database["HOST"] or "127.0.0.1",
        port=_database["PORT"] or 5432,
        user=_database["USER"],
        password=_database["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
        connect_timeout=10,
    )


@contextmanager
def smoke_database():
    name = f"hn_smoke_{secrets.token_hex(6)}"
    with _postgres("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{_database['PASSWORD']}" if _database["PASSWORD"] else ""
        host, port = _database["HOST"] or "127.0.0.1", _database["PORT"] or 5432
        yield f"postgres://{_database['USER']}{password}@{host}:{port}/{name}"
    finally:
        with _postgres("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _redis_url(db: int) -> str:
    parts = urlsplit(settings.REDIS_URL)
    return parts._replace(path=f"/{db}").geturl()


def _redis_delete(url: str, *patterns: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    deleted = 0
    try:
        for pattern in patterns:
            keys = list(client.scan_iter(match=pattern, count=500))
            if keys:
                deleted += client.delete(*keys)
    finally:
        client.close()
    return deleted


# --- the stack -------------------------------------------------------------------------------------------------------


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _descendants(pid: int) -> set[int]:
    """Every process under `pid` (nginx's workers included), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _started_by(run_dir: Path) -> set[int]:
    """Processes whose environment names this run directory: the script and everything it started (nginx, which
    rewrites its environment for its process titles, is found through the pid the script records)."""
    marker = f"HN_RUN_DIR={run_dir}".encode()
    found = set()
    for environ in Path("/proc").glob("[0-9]*/environ"):
        with suppress(OSError):
            if marker in environ.read_bytes().split(b"\0"):
                found.add(int(environ.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _hear_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Stack:
    def __init__(self, run_dir: Path, env: dict[str, str], nginx_port: int, web_ports: list[int]):
        self.run_dir, self.env, self.nginx_port, self.web_ports = run_dir, env, nginx_port, web_ports
        self.output = run_dir / "script-output.log"
        self.process: subprocess.Popen | None = None
        self.pids: set[int] = set()  # everything running once ready (nginx's workers included)

    def start(self, timeout: float = 90) -> float:
        started = time.monotonic()
        with self.output.open("w") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
                [str(SCRIPT), "start"], cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, as in a terminal (see interrupt)
                # A terminal's Ctrl-C is heard: when the test run itself was started in the background, SIGINT is
                # ignored and inherited as ignored, and a shell can't trap a signal ignored when it started.
                preexec_fn=_hear_ctrl_c,
            )  # fmt: skip
        while time.monotonic() - started < timeout:
            if "] ready in " in self.output.read_text():
                self.pids = _descendants(self.process.pid)
                return time.monotonic() - started
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"bin/production did not get ready:\n{self.output.read_text()}\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in sorted(self.run_dir.glob("logs/*")))

    def processes(self) -> dict[str, list[tuple[int, int | None]]]:
        found: dict[str, list[tuple[int, int | None]]] = {}
        for line in (self.run_dir / "processes").read_text().splitlines():
            name, pid, *port = line.split()
            found.setdefault(name, []).append((int(pid), int(port[0]) if port else None))
        return found

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args],
            cwd=ROOT, env={**self.env, "DJANGO_ENV": "production", "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def stop(self) -> float:
        started = time.monotonic()
        subprocess.run([str(SCRIPT), "stop"], cwd=ROOT, env=self.env, check=True, timeout=40)  # noqa: S603
        self.process.wait(timeout=10)
        return time.monotonic() - started

    def interrupt(self) -> float:
        """Ctrl-C in the terminal: SIGINT to every process of the group."""
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=40)
        return time.monotonic() - started

    def left_running(self) -> list[int]:
        return sorted(pid for pid in self.pids | _started_by(self.run_dir) if _alive(pid))

    def kill_leftovers(self) -> None:
        """Last resort after a failure: nothing of ours may outlive the test."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.pids |= _descendants(self.process.pid)
            self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        for pid in self.left_running():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


@contextmanager
def production_stack(tmp_path: Path, site: tuple[str, Path]):
    database_url, var_dir = site
    nginx_port, *web_ports = _free_ports(3)
    token = secrets.token_hex(4)
    redis_url = _redis_url(SMOKE_REDIS_DB)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "HN_RUN_DIR": str(run_dir),
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"hn-smoke-{token}",
        "CHANNEL_LAYER_PREFIX": f"hn-smoke-{token}",
        "HUEY_NAME": f"hnsmoke{token}",  # Huey keeps only letters and digits of the name
        "SECRET_KEY": secrets.token_urlsafe(64),
        "HN_PLAIN_HTTP": "true",  # local only: no TLS on loopback
        "HN_LISTEN": f"127.0.0.1:{nginx_port}",
        "HN_WEB_PORTS": ",".join(map(str, web_ports)),
        "HN_NGINX_WORKERS": "1",
        "HN_DEBUG_UPSTREAM_HEADER": "true",  # which daphne answered: the smoke test's proof, never in production
        # Two brand-new members chat straight away: no pre-moderation of their first messages, and room for the
        # timed messages within the per-person limits.
        "HN_NEW_MEMBER_HELD_MESSAGES": "0",
        "HN_CHAT_BURST_MESSAGES": "50",
        "HN_CHAT_MESSAGES_PER_MINUTE": "300",
    }
    stack = Stack(run_dir, env, nginx_port, web_ports)
    try:
        yield stack
    finally:
        stack.kill_leftovers()
        _redis_delete(redis_url, f"hn-smoke-{token}:*", f"huey.*.hnsmoke{token}*")


# --- HTTP and sockets through nginx ----------------------------------------------------------------------------------


def _request(port: int, method: str, path: str, *, cookies: dict[str, str], form: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": f"127.0.0.1:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    # Secure cookies come back over plain HTTP on loopback; a browser keeps them for 127.0.0.1 too.
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        cookies[name] = value
    return response, text


def sign_in(port: int, email: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    response, page = _request(port, "GET", "/login/", cookies=cookies)
    assert response.status == 200, page
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, page = _request(
        port, "POST", "/login/", cookies=cookies,
        form={"csrfmiddlewaretoken": csrf, "username": email, "password": PASSWORD},
    )  # fmt: skip
    assert (response.status, response.headers["Location"]) == (302, "/"), page
    assert "sessionid" in cookies
    response, page = _request(port, "GET", "/", cookies=cookies)
    assert response.status == 200, page  # the policy gate lets them through: they accepted the current versions
    return cookies


async def _receive_type(socket, frame_type: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if frame["type"] == frame_type:
            return frame


async def chat_across_processes(port: int, room_id: int, robin: dict, kai: dict) -> dict:
    from websockets.asyncio.client import connect

    def open_socket(cookies):
        return connect(
            f"ws://127.0.0.1:{port}/ws/",
            origin=f"http://127.0.0.1:{port}",
            additional_headers={"Cookie": f"sessionid={cookies['sessionid']}"},
            open_timeout=10,
        )

    async with open_socket(robin) as first, open_socket(kai) as second:
        upstreams = [first.response.headers["X-Upstream"], second.response.headers["X-Upstream"]]
        for each in (first, second):
            await each.send(json.dumps({"type": "subscribe", "room": room_id}))
            await _receive_type(each, "subscribed")
        trips = []
        for n in range(MESSAGES):
            sent = time.perf_counter()
            await first.send(json.dumps({"type": "message.send", "room": room_id, "body": f"hello {n}",
                                         "client_id": f"smoke-{n}"}))  # fmt: skip
            arrived = await _receive_type(second, "message.new")
            trips.append(time.perf_counter() - sent)
            assert arrived["message"]["body"] == f"hello {n}"
            assert (await _receive_type(first, "message.new"))["message"]["body"] == f"hello {n}"
        # And the other way.
        await second.send(json.dumps({"type": "message.send", "room": room_id, "body": "and back",
                                      "client_id": "smoke-back"}))  # fmt: skip
        assert (await _receive_type(first, "message.new"))["message"]["body"] == "and back"
    return {"upstreams": upstreams, "trips": trips}


MAKE_MEMBERS = """
import json
from django.utils import timezone
from community.models import Group, Membership, MembershipStatus, User
from community.services.policies import policies_accept_current
from messaging.services.rooms import room_for_group
group = Group.objects.create(name="Smoke Club", slug="smoke-club")
for name in ("Robin", "Kai"):
    user = User.objects.create_user(email=f"{name.lower()}@smoke.example.org", password="@PASSWORD@", display_name=name)
    policies_accept_current(actor=user)
    Membership.objects.create(group=group, user=user, status=MembershipStatus.ACTIVE, joined_at=timezone.now())
print(json.dumps({"room": room_for_group(group=group).pk}))
""".replace("@PASSWORD@", PASSWORD)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One site for the module: its database and its var/ (static files), as a deployment keeps between restarts."""
    with smoke_database() as database_url:
        yield database_url, tmp_path_factory.mktemp("var")


# --- the test --------------------------------------------------------------------------------------------------------


def test_the_production_run_serves_a_member_and_chat_across_two_processes(tmp_path, site):
    with production_stack(tmp_path, site) as stack:
        startup = stack.start()
        processes = stack.processes()
        assert [port for _, port in processes["daphne"]] == stack.web_ports
        assert len(processes["nginx"]) == 1 and len(processes["huey"]) == 1
        assert {pid for entries in processes.values() for pid, _ in entries} <= stack.pids

        # Health and readiness through nginx.
        response, body = _request(stack.nginx_port, "GET", "/healthz", cookies={})
        assert (response.status, json.loads(body)) == (200, {"status": "ok"})
        response, body = _request(stack.nginx_port, "GET", "/readyz", cookies={})
        assert response.status == 200, body

        # Two members, who accepted the current agreement and privacy notice, in one group with a chat room.
        room_id = json.loads(stack.manage("shell", "-c", MAKE_MEMBERS).strip().splitlines()[-1])["room"]
        robin = sign_in(stack.nginx_port, "robin@smoke.example.org")
        kai = sign_in(stack.nginx_port, "kai@smoke.example.org")

        chat = asyncio.run(chat_across_processes(stack.nginx_port, room_id, robin, kai))
        by_port = {port: pid for pid, port in processes["daphne"]}
        landed = [int(upstream.rsplit(":", 1)[1]) for upstream in chat["upstreams"]]
        assert set(landed) == set(stack.web_ports), chat["upstreams"]  # one socket on each daphne process
        assert by_port[landed[0]] != by_port[landed[1]]

        stop_seconds = stack.stop()
        assert stack.process.returncode in (0, 143), stack.output.read_text()
        assert stack.left_running() == [], "processes still running after bin/production stop"
        for port in (stack.nginx_port, *stack.web_ports):
            with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                pass

    trips_ms = sorted(trip * 1000 for trip in chat["trips"])
    figures_record(
        area="production",
        title="Production run on one machine",
        rows=[
            ("time from start to ready (migrate, static files, two web processes, nginx)", f"{startup:.1f} s"),
            ("processes", "nginx, 2 daphne web processes, 1 Huey consumer"),
            ("member signed in through nginx", "yes"),
            ("chat sockets through nginx on different web processes", "yes (one on each)"),
            (
                "chat messages sent from one process's socket to the other's",
                f"{MESSAGES + 1} of {MESSAGES + 1} arrived",
            ),
            ("message delivery through nginx across processes (median)", f"{statistics.median(trips_ms):.0f} ms"),
            ("message delivery through nginx across processes (slowest)", f"{trips_ms[-1]:.0f} ms"),
            ("time to stop everything", f"{stop_seconds:.1f} s"),
            ("processes left after stop", "0"),
        ],
        notes=(
            "tests/reliability/test_production_smoke.py: bin/production on loopback over plain HTTP (local only) "
            "with PostgreSQL and Redis, a fresh database, two members signing in through the login page; "
            f"{MESSAGES} messages timed one after another from a socket on one daphne process to a socket "
            "on the other, both through nginx."
        ),
    )


def test_ctrl_c_stops_the_whole_production_run(tmp_path, site):
    """A restart of the same site (already migrated, static files collected), stopped as in a terminal."""
    with production_stack(tmp_path, site) as stack:
        stack.start()
        assert sorted(stack.processes()) == ["daphne", "huey", "nginx"]
        stack.interrupt()
        assert stack.process.returncode == 130, stack.output.read_text()
        assert "] stopped" in stack.output.read_text()
        assert stack.left_running() == [], "processes still running after Ctrl-C"

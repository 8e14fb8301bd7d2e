"""Private back ends and server processes for the fault tests: a Redis and a PostgreSQL of their own (on free ports,
in a temporary directory, so killing them never touches the shared ones), daphne processes and a Huey consumer.

Everything started here listens on 127.0.0.1, is bounded in time and is stopped by its context manager.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = str(Path(sys.executable).with_name("daphne"))
PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on port {port} after {timeout} s")


# --- Redis ------------------------------------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own with no persistence: stopping it loses everything, as a crashed Redis would."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="hn-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.directory],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextmanager
def private_redis():
    redis = PrivateRedis()
    try:
        redis.start()
        yield redis
    finally:
        redis.close()


# --- PostgreSQL -------------------------------------------------------------------------------------------------------


def _as_postgres(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments
        ["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, text=True, timeout=timeout
    )


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb as the `postgres` OS user, trust on 127.0.0.1), started and stopped
    with pg_ctl."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="hn-postgres-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                     "-l", str(self.directory / "log"), "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        # fast: end every session at once (what a restart or a failover does to the app's open connections)
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def running(self) -> bool:
        result = subprocess.run(  # noqa: S603
            ["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return result.returncode == 0

    def create_database(self, name: str) -> str:
        _as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def close(self) -> None:
        try:
            if self.running():
                self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


@contextmanager
def private_postgres():
    postgres = PrivatePostgres()
    try:
        postgres.start()
        yield postgres
    finally:
        postgres.close()


# --- our own processes ------------------------------------------------------------------------------------------------


def app_env(*, database_url: str, redis_url: str, settings: str = "config.settings.test", **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def manage(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


class Daphne:
    def __init__(self, env: dict):
        self.env = env
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.log: list[str] = []

    def start(self) -> int:
        self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [DAPHNE, "-b", "127.0.0.1", "-p", "0", "--websocket-max-message-size", "65536", "config.asgi:application"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        for line in self.process.stderr:
            self.log.append(line)
            found = re.search(r"Listening on TCP address [\d.]+:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                # Keep reading its log so a full pipe never blocks the server.
                threading.Thread(target=self._keep_reading, daemon=True).start()
                return self.port
            if time.monotonic() > deadline:
                break
        raise RuntimeError("daphne stopped before it was listening:\n" + "".join(self.log[-30:]))

    def _keep_reading(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@contextmanager
def daphne_servers(count: int, *, env: dict):
    servers = [Daphne(env) for _ in range(count)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


class HueyConsumer:
    """`manage.py run_huey` in its own process group, so SIGKILL takes its workers with it."""

    def __init__(self, env: dict, log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 - handed to the child, closed when it ends
        self.process = subprocess.Popen(  # noqa: S603 - our own consumer, fixed arguments
            [sys.executable, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()

    def kill(self) -> None:
        """SIGKILL: no chance to finish the job it is running, as when a machine or container dies."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(condition, *, timeout: float, every: float = 0.1, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"gave up waiting for {what} after {timeout} s")


# --- a slow email backend for the Huey fault test ---------------------------------------------------------------------

try:
    from django.core.mail.backends.base import BaseEmailBackend
except ImportError:  # pragma: no cover - Django is always installed here
    BaseEmailBackend = object


class SlowFileEmailBackend(BaseEmailBackend):
    """EMAIL_BACKEND for a consumer under test: writes `start <to>` to HN_TEST_EMAIL_LOG, waits while the file
    HN_TEST_EMAIL_SLOW_FLAG exists (at most a minute: the moment to kill the consumer), then writes `sent <to>`."""

    def send_messages(self, email_messages):
        log = Path(os.environ["HN_TEST_EMAIL_LOG"])
        flag = Path(os.environ["HN_TEST_EMAIL_SLOW_FLAG"])
        for message in email_messages:
            with log.open("a") as out:
                out.write(f"start {message.to[0]}\n")
            deadline = time.monotonic() + 60
            while flag.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            with log.open("a") as out:
                out.write(f"sent {message.to[0]}\n")
        return len(email_messages)

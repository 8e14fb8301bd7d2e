"""Daphne processes serving the product on the test database and Redis, for tests that need real server processes
(tests/messaging/test_chat_scale_out.py, tests/reliability/test_load_soak.py). Built on the chat benchmark's
`running` (bench/chat_bench.py): each process is ready once it logs its address and is stopped (terminate, then
kill) on the way out."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.chat_bench import Server, products_running


def test_database_url() -> str:
    """The URL of the database the tests run on (pytest-django's test database), for a server process."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@contextmanager
def daphne_servers(count: int, log_dir: Path | None = None) -> list[Server]:
    """Start `count` daphne processes on free ports of 127.0.0.1, on the test database and the suite's Redis; yields
    them (port, pid). Their logs go to `log_dir` when given."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    with products_running(count, env, log_dir) as servers:
        yield servers

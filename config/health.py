"""Health and readiness, for the proxy, the process supervisor and whoever watches the site (docs/operations.md).

- `/healthz`: the process is alive and answering. Touches nothing else (no database, no cache, no session), so a
  database outage never makes a supervisor restart healthy processes.
- `/readyz`: this process can serve people: the database answers a trivial query, the cache (Redis in production)
  answers a write and a read, and every migration is applied. 200 when all three hold, otherwise 503
  `{"code": "unavailable", "detail": ..., "checks": {...}}` naming what is down. A proxy or load balancer takes a
  process out of rotation while it isn't ready.

Both are open to anyone, need no sign-in and read no session: the policy gate and the HTTPS redirect leave them alone
(community/middleware.py, SECURE_REDIRECT_EXEMPT). They say nothing about the data, only "ok" or "down" per check;
the reason is logged, never sent.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEALTH_PATHS = ("/healthz", "/readyz")

OK, DOWN, PENDING, NOT_CHECKED = "ok", "down", "pending", "not checked"


class MigrationsPending(Exception):
    pass


# Once every migration is found applied, this process never needs to look again: a new release with new migrations
# starts new processes.
_migrations_applied = False


def database_check() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_check() -> None:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not give back what was just written")
    finally:
        cache.delete(key)


def migrations_check() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise MigrationsPending(f"{len(pending)} migration(s) not applied")
    _migrations_applied = True


def _run(name: str, check) -> str:
    try:
        check()
    except MigrationsPending as pending:
        logger.warning("readiness: %s", pending)
        return PENDING
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the reason goes to the log, not the response
        logger.warning("readiness: %s is down", name, exc_info=True)
        return DOWN
    return OK


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    checks = {"database": _run("database", database_check), "cache": _run("cache", cache_check)}
    # Migrations can only be checked with a database that answers.
    checks["migrations"] = _run("migrations", migrations_check) if checks["database"] == OK else NOT_CHECKED
    down = [name for name, result in checks.items() if result in (DOWN, PENDING)]
    if not down:
        return JsonResponse({"status": "ok", "checks": checks})
    return JsonResponse(
        {
            "code": "unavailable",
            "detail": "Not ready: " + ", ".join(f"{name} {checks[name]}" for name in down) + ".",
            "down": down,
            "checks": checks,
        },
        status=503,
    )

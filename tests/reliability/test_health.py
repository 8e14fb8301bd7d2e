"""Health (`/healthz`) and readiness (`/readyz`): config/health.py.

Readiness failing is simulated by patching the checks, never by stopping the shared database or Redis.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.services.policies import policy_publish
from config import health
from tests.config.test_settings_profiles import GOOD_KEY, run_manage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_migrations_seen():
    health._migrations_applied = False
    yield
    health._migrations_applied = False


def test_healthz_answers_ok_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_even_when_the_database_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=AssertionError("healthz must not use the database")):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_readyz_answers_ok_when_database_cache_and_migrations_are_fine(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_unavailable_when_the_database_is_unreachable(client):
    with mock.patch.object(health, "database_check", side_effect=OSError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "unavailable"
    assert body["down"] == ["database"]
    assert body["checks"] == {"database": "down", "cache": "ok", "migrations": "not checked"}
    assert "database" in body["detail"]
    assert "connection refused" not in response.content.decode()  # the reason is logged, never sent


def test_readyz_is_503_when_the_database_connection_itself_fails(client):
    """One level lower than the check: the connection's cursor raises, as psycopg does when the server is gone."""
    from django.db import OperationalError

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed the connection")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_readyz_is_503_when_the_cache_is_unreachable(client):
    with mock.patch.object(health.cache, "set", side_effect=ConnectionError("redis is gone")):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert (body["code"], body["down"]) == ("unavailable", ["cache"])
    assert body["checks"]["database"] == "ok"


def test_readyz_is_503_while_a_migration_is_not_applied(client):
    with mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=[("a migration", False)]):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert (body["down"], body["checks"]["migrations"]) == (["migrations"], "pending")


def test_readyz_remembers_applied_migrations_but_keeps_checking_the_database(client):
    assert client.get("/readyz").status_code == 200
    with mock.patch.object(health.MigrationExecutor, "migration_plan", side_effect=AssertionError("not again")):
        assert client.get("/readyz").status_code == 200
        with mock.patch.object(health, "database_check", side_effect=OSError("down")):
            assert client.get("/readyz").status_code == 503


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_no_session_is_read_or_written(client, member, path):
    """A signed-in person's probe neither loads nor saves their session (and no cookie is set)."""
    client.force_login(member)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=AssertionError("loaded")):
        response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_policy_gate_lets_them_through(client, member, staff, path):
    """Someone who hasn't accepted a new agreement is sent to accept it on every other page; not here."""
    policy_publish(actor=staff, kind="agreement", title="Agreement v2", summary="Changed.", body="Be kind.")
    client.force_login(member)
    assert client.get("/groups/").status_code == 302  # the gate holds the rest of the site
    response = client.get(path)
    assert response.status_code == 200


def test_the_production_profile_answers_them_on_plain_http_where_everything_else_redirects():
    """The real production profile (SECURE_SSL_REDIRECT on): a page redirects to HTTPS, the checks answer."""
    code = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/groups/').status_code, c.get('/healthz').status_code, c.get('/readyz').status_code)"
    )
    result = run_manage("shell", "-c", code, DJANGO_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    groups, healthz, readyz = result.stdout.split()[-3:]
    assert (groups, healthz) == ("301", "200")
    assert readyz in ("200", "503")  # answered, not redirected (its database may be any state in a subprocess)


def test_only_safe_methods(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405

"""CSRF: every page refuses a POST without the CSRF token (Django's test client skips the check unless asked), and
every session-signed-in API call that changes something does too. Every page pattern is tried, not only the ones
with forms, so a page that starts taking POSTs is already covered; and a page pattern that takes POSTs must have a
POST row in the page matrix (tests/reliability/page_rows/), so its permissions are tried as well.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.reliability import page_rows
from tests.reliability.page_rows import LOGIN, ROLES
from tests.reliability.test_page_permission_matrix import page_routes
from tests.test_api_permission_matrix import MATRIX as API_MATRIX
from tests.test_api_permission_matrix import world  # noqa: F401 - the fixture the rows are written against

REFUSALS = {403, 404, 405, LOGIN}
# Django's page ("CSRF verification failed") or DRF's answer ("CSRF Failed: ...") for the API schema and docs views.
CSRF_REFUSED = "CSRF"


def csrf_rows() -> list[tuple]:
    """One row per page pattern: its POST row if it has one, else its first row."""
    by_route: dict[str, tuple] = {}
    for row in page_rows.collect():
        route = row[2]
        if route not in by_route or (row[1] == "POST" and by_route[route][1] != "POST"):
            by_route[route] = row
    return [by_route[route] for route in sorted(by_route) if route in page_routes()]


def post_rows() -> list[tuple]:
    return [row for row in page_rows.collect() if row[1] == "POST"]


def best_role(row) -> str:
    """Someone the row lets through, so a 403 can only be the CSRF check."""
    expected = row[5]
    for role in ("group_member", "leader", "staff", "moderator", "outsider", "evaluator", "anonymous"):
        if expected[role] not in REFUSALS:
            return role
    return "staff"


def post_without_token(w, row, role: str):
    target = row[3](w)
    data = row[4](w) if row[4] else {}
    client = Client(enforce_csrf_checks=True)
    with transaction.atomic():
        if role != "anonymous":
            client.force_login(w.users[role])
        response = client.post(target, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
def test_every_page_refuses_a_post_without_the_csrf_token(world):  # noqa: F811
    accepted = []
    for row in csrf_rows():
        role = best_role(row)
        response = post_without_token(world, row, role)
        # DRF's schema and docs views render their refusal through the view's renderer ("403 Forbidden").
        said_why = CSRF_REFUSED in response.content.decode() or row[2].startswith("api/")
        if response.status_code != 403 or not said_why:
            accepted.append(f"{row[0]} as {role}: {response.status_code}")
    assert accepted == [], "these pages took a POST without a CSRF token:\n" + "\n".join(accepted)


@pytest.mark.django_db
def test_the_sign_in_and_join_forms_need_the_token_too(world):  # noqa: F811
    """Login CSRF: someone else's page can't sign a visitor in to an account of its choosing."""
    anonymous_posts = [row for row in post_rows() if row[5]["anonymous"] not in REFUSALS]
    assert {row[0] for row in anonymous_posts} >= {"login-post", "join-post", "password-reset-post"}
    for row in anonymous_posts:
        response = post_without_token(world, row, "anonymous")
        assert response.status_code == 403, row[0]
        assert CSRF_REFUSED in response.content.decode(), row[0]


def _writes(queries) -> list[str]:
    """The SQL that changed something, apart from the session table (signing in for the try writes it)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
        and "SAVEPOINT" not in q["sql"].upper()
    ]


@pytest.mark.django_db
def test_a_page_that_changes_things_on_post_has_a_post_row(world):  # noqa: F811
    """A page pattern with only GET rows may answer a POST as it answers a GET (many do), but it must not change
    anything a visit doesn't: otherwise it is a state-changing page that the page matrix never tries."""
    with_post = {row[2] for row in post_rows()}
    untried = []
    for row in page_rows.collect():
        if row[1] != "GET" or row[2] in with_post or row[2].startswith("admin/"):
            continue
        role = best_role(row)
        target = row[3](world)
        client = Client()
        with transaction.atomic():
            if role != "anonymous":
                client.force_login(world.users[role])
            client.get(target)  # whatever a visit makes on the way (a chat room, made when first needed)
            with CaptureQueriesContext(connection) as queries:
                client.post(target, {})
            transaction.set_rollback(True)
        if writes := _writes(queries.captured_queries):
            untried.append(f"{row[2]} as {role}: {writes[0][:80]}")
    assert untried == [], "these pages change things on POST: add POST rows to tests/reliability/page_rows/:\n" + (
        "\n".join(untried)
    )


def api_unsafe_rows() -> list[tuple]:
    return [row for row in API_MATRIX if row[1] in ("POST", "PUT", "PATCH", "DELETE")]


# The API's sign-up and token endpoints read no session (they take a code, or an email and password, and answer with
# a token in the body); everything else signed in by session needs the token.
NO_SESSION = {"signup", "token-obtain", "invitation-check"}


@pytest.mark.django_db
def test_every_api_change_signed_in_by_session_needs_the_csrf_token(world):  # noqa: F811
    accepted = []
    for name, method, _route, url, body, expected in api_unsafe_rows():
        if name in NO_SESSION:
            continue
        role = next((r for r in ROLES[1:] if expected[r] < 400), "group_member")
        client = Client(enforce_csrf_checks=True)
        target = url(world)
        data = body(world) if body else None
        cache.clear()
        with transaction.atomic():
            client.force_login(world.users[role])
            response = client.generic(method, target, data=json.dumps(data) if data is not None else "",
                                      content_type="application/json")  # fmt: skip
            transaction.set_rollback(True)
        if response.status_code != 403 or "CSRF" not in response.content.decode():
            accepted.append(f"{name} as {role}: {response.status_code}")
    assert accepted == [], "these API calls took a session without a CSRF token:\n" + "\n".join(accepted)

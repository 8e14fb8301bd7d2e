"""Every page x every role: who may see or do what, in one table (tests/reliability/page_rows/).

The API has its own table (tests/test_api_permission_matrix.py); this one is the pages, admin included. A test walks
the URL configuration and fails when a page pattern has no row, so a new page cannot ship without one. Each row is
tried for each role on the API matrix's world; each try runs in a savepoint that is rolled back, so one world serves a
whole module of rows.
"""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.reliability import page_rows
from tests.reliability.page_rows import DONE, LOGIN, REFUSED, ROLES
from tests.test_api_permission_matrix import world  # noqa: F401 - the fixture the rows are written against

ADMIN_APP_INDEX = "admin/<app_label>/"


def page_routes() -> set[str]:
    """Every URL pattern that isn't the JSON API (which has its own matrix), as route text."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    routes = set()
    for route in walk(get_resolver().url_patterns):
        if route.startswith("api/v1/"):
            continue
        routes.add(ADMIN_APP_INDEX if route.startswith("admin/^(?P<app_label>") else route)
    return routes


def _admin_model_prefix(route: str) -> str | None:
    parts = route.split("/")
    return "/".join(parts[:3]) + "/" if route.startswith("admin/") and len(parts) > 3 else None


def uncovered_routes(rows: list[tuple]) -> list[str]:
    """Page patterns with no row. A registered model's admin pages (add, change, delete, history) are covered by
    the row for its list: the same ModelAdmin decides all of them."""
    covered = {route for _, _, route, *_ in rows}
    missing = []
    for route in sorted(page_routes()):
        if route in covered:
            continue
        prefix = _admin_model_prefix(route)
        if prefix is not None and prefix in covered:
            continue
        missing.append(route)
    return missing


def outcome(response) -> int | str:
    if response.status_code not in (301, 302, 303):
        return response.status_code
    if response["Location"].split("?")[0].endswith("/login/"):
        return LOGIN
    levels = {m.level for m in get_messages(response.wsgi_request)}
    return REFUSED if messages.ERROR in levels else DONE


def try_row(w, row, role: str):
    """One request as `role`, rolled back afterwards. Returns what came back (see `outcome`)."""
    _name, method, _route, url, body, _expected = row
    target = url(w)  # made outside the savepoint: rows keep what they make on the world
    data = body(w) if body else {}
    cache.clear()
    client = Client()
    with transaction.atomic():
        if role != "anonymous":
            client.force_login(w.users[role])
        response = client.post(target, data) if method == "POST" else client.get(target)
        transaction.set_rollback(True)
    return outcome(response), response


def test_every_page_is_in_the_matrix():
    missing = uncovered_routes(page_rows.collect())
    assert missing == [], f"add rows for these pages to tests/reliability/page_rows/: {missing}"


def test_rows_have_unique_names_and_every_role():
    rows = page_rows.collect()
    names = [row[0] for row in rows]
    assert len(names) == len(set(names))
    for name, method, _route, _url, _body, expected in rows:
        assert method in ("GET", "POST"), name
        assert set(expected) == set(ROLES), name


@pytest.mark.parametrize("module", page_rows.modules())
@pytest.mark.django_db
def test_page_permission_matrix(world, module):  # noqa: F811
    wrong = []
    for row in page_rows.rows_of(module):
        for role in ROLES:
            got, response = try_row(world, row, role)
            if got != row[5][role]:
                wrong.append(f"{row[0]} as {role}: expected {row[5][role]}, got {got}")
            assert response.status_code < 500, f"{row[0]} as {role}: server error"
    assert wrong == [], "\n".join(wrong)

"""The database unreachable: pages answer a calm 503 page and the API `{"code": "unavailable"}`, both with
Retry-After, never a 500; once the database answers again the same requests are served (config/unavailable.py).

Here the outage is simulated: every query fails the way a dropped PostgreSQL connection fails (the driver's
OperationalError, wrapped by Django). tests/reliability/test_faults_postgres.py stops and starts a real PostgreSQL.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.backends import utils as db_utils
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from config.unavailable import server_error
from tests.conftest import accept_current_policies

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """Every query raises the driver's own OperationalError, as when the server has gone away mid-connection."""
    failure = connection.Database.OperationalError("server closed the connection unexpectedly")

    def fail(self, *args, **kwargs):
        with self.db.wrap_database_errors:
            raise failure

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db_utils.CursorWrapper, "_execute", fail)
        patch.setattr(db_utils.CursorWrapper, "_executemany", fail)
        yield


@pytest.fixture
def signed_in(member):
    accept_current_policies(member)
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


@pytest.fixture
def token_client(member):
    accept_current_policies(member)
    token = Token.objects.create(user=member)
    return Client(raise_request_exception=False, headers={"authorization": f"Token {token.key}"})


def test_a_page_answers_a_plain_503_page_while_the_database_is_down_and_recovers(signed_in):
    home = reverse("community:home")
    with database_down():
        response = signed_in.get(home)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "We'll be back in a moment" in page
    assert f'href="{home}"' in page  # try again
    assert "116 123" in page  # help is never held back
    # The site's security headers still apply, and the page needs no inline script or style.
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<script|<style|style=", page)

    assert signed_in.get(home).status_code == 200


def test_the_api_answers_unavailable_while_the_database_is_down_and_recovers(token_client):
    with database_down():
        read = token_client.get("/api/v1/me/")
        write = token_client.patch("/api/v1/me/", {"bio": "Hello"}, content_type="application/json")
    for response in (read, write):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        body = response.json()
        assert body["code"] == "unavailable"
        assert "try again" in body["detail"]

    assert token_client.get("/api/v1/me/").status_code == 200


def test_an_anonymous_visitor_with_an_old_session_cookie_gets_the_503_page_too(client, member):
    client.force_login(member)  # the session lookup is the first query this request makes
    client.raise_request_exception = False
    with database_down():
        response = client.get(reverse("community:home"))
    assert response.status_code == 503


def test_other_server_errors_stay_plain_500s():
    request = RequestFactory().get("/api/v1/me/")
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_the_interface_error_of_a_closed_connection_is_an_outage_too():
    from django.db import InterfaceError

    request = RequestFactory().get("/groups/")
    try:
        raise InterfaceError("connection already closed")
    except InterfaceError:
        response = server_error(request)
    assert response.status_code == 503

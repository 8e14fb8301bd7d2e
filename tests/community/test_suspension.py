"""A suspended account can't sign in (page, token, API) and its sessions end; lifting lets them back in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.errors import Forbidden
from community.services.suspension import UNTIL_LIFTED, account_suspend, account_unsuspend

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase"


def login_page(client, user, password=PASSWORD):
    return client.post(reverse("community:login"), {"username": user.email, "password": password})


def test_the_login_page_says_the_account_is_suspended_and_until_when(member, moderator):
    account_suspend(actor=moderator, user=member, until=timezone.now() + timedelta(days=2))
    response = login_page(Client(), member)
    assert response.status_code == 200
    assert "This account is suspended until" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_wrong_password_for_a_suspended_account_does_not_reveal_the_suspension(member, moderator):
    account_suspend(actor=moderator, user=member, until=UNTIL_LIFTED)
    response = login_page(Client(), member, password="not-the-password")
    page = response.content.decode()
    assert "suspended" not in page and "don" in page


def test_an_open_session_stops_counting_and_is_deleted(member, moderator):
    client = Client()
    client.force_login(member)
    assert client.get(reverse("community:profile-edit")).status_code == 200
    account_suspend(actor=moderator, user=member, until=UNTIL_LIFTED)
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert client.get(reverse("community:profile-edit")).status_code == 302


def test_token_api_refuses_while_suspended_and_works_after_lifting(member, moderator):
    token = Token.objects.create(user=member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 200
    account_suspend(actor=moderator, user=member, until=timezone.now() + timedelta(hours=3))
    assert api.get("/api/v1/me/").status_code == 401
    asked = APIClient().post("/api/v1/auth/token/", {"email": member.email, "password": PASSWORD}, format="json")
    assert asked.status_code == 403 and asked.json()["code"] == "account_suspended"
    account_unsuspend(actor=moderator, user=member)
    again = APIClient().post("/api/v1/auth/token/", {"email": member.email, "password": PASSWORD}, format="json")
    assert again.status_code == 200


def test_a_token_missed_by_the_suspension_is_still_refused(member, moderator):
    account_suspend(actor=moderator, user=member, until=UNTIL_LIFTED)
    token = Token.objects.create(user=member)  # e.g. made by a request racing the suspension
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401 and "suspended" in response.json()["detail"]


def test_an_ended_suspension_lets_them_in(member, moderator):
    account_suspend(actor=moderator, user=member, until=timezone.now() + timedelta(hours=1))
    member.refresh_from_db()
    type(member).objects.filter(pk=member.pk).update(suspended_until=timezone.now() - timedelta(minutes=1))
    response = login_page(Client(), member)
    assert response.status_code == 302


def test_members_cannot_suspend(member, make_user):
    other = make_user(display_name="Other")
    with pytest.raises(Forbidden):
        account_suspend(actor=member, user=other, until=UNTIL_LIFTED)

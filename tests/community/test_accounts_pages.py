"""Account pages: joining with a code, logging in and out, resetting and changing a password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from community.models import Invitation, Membership, User
from community.services.invitations import invitation_create

GOOD_PASSWORD = "purple-otter-sings-loudly"


@pytest.fixture
def invitation(staff, group):
    return invitation_create(actor=staff, group=group)


def details(**overrides) -> dict:
    data = {
        "display_name": "Sky",
        "email": "sky@example.org",
        "password": GOOD_PASSWORD,
        "age_band": "18_25",
        "is_care_experienced": "on",
        "accepts_agreement": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Joining --------------------------------------------------------------------------------


def test_join_page_asks_for_the_code(client, db):
    response = client.get("/join/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Join Here and Now</h1>" in html
    assert 'name="code"' in html


def test_join_page_fills_in_the_code_from_the_link(client, invitation):
    response = client.get(f"/join/?code={invitation.code}")
    assert f'value="{invitation.code}"' in response.content.decode()


def test_full_journey_sign_up_with_a_code(client, invitation, group):
    response = client.post("/join/", {"code": invitation.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == "/join/details/"

    step_two = client.get("/join/details/")
    assert step_two.status_code == 200
    html = step_two.content.decode()
    assert "Art Club" in html
    assert 'href="/agreement/"' in html
    assert "care-experienced" in html

    response = client.post("/join/details/", details(), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Welcome to Here and Now, Sky!" in " ".join(messages_on(response))
    user = User.objects.get(email="sky@example.org")
    assert response.context["user"] == user
    assert Membership.objects.filter(user=user, group=group, status="active").exists()
    assert "signup_code" not in client.session


def test_bad_code_shows_a_kind_error(client, db):
    response = client.post("/join/", {"code": "HN-NOPENOPE"})
    assert response.status_code == 200
    assert "We couldn&#x27;t find that code" in response.content.decode()
    assert "signup_code" not in client.session


def test_expired_code_says_ask_for_a_new_one(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.post("/join/", {"code": invitation.code})
    assert response.status_code == 200
    assert (
        "This code has expired. Ask the person who gave it to you for a new one."
        in response.content.decode().replace("&#x27;", "'")
    )


@override_settings(HN_CODE_ATTEMPTS_PER_15_MIN=2)
def test_code_tries_are_limited_on_the_page(client, invitation):
    client.post("/join/", {"code": "HN-GUESSGSS"})
    client.post("/join/", {"code": "HN-GUESSGST"})
    response = client.post("/join/", {"code": invitation.code})
    assert response.status_code == 200
    assert "wait 15 minutes" in response.content.decode()
    assert "signup_code" not in client.session


def test_details_step_needs_a_checked_code(client, db):
    response = client.get("/join/details/")
    assert response.status_code == 302
    assert response["Location"] == "/join/"


def test_code_that_expires_between_steps_sends_you_back(client, invitation):
    client.post("/join/", {"code": invitation.code})
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/join/details/", follow=True)
    assert response.redirect_chain[-1][0] == "/join/"
    assert any("expired" in message for message in messages_on(response))


def test_duplicate_email_suggests_logging_in(client, invitation, make_user):
    make_user(email="sky@example.org")
    client.post("/join/", {"code": invitation.code})
    response = client.post("/join/details/", details(email="SKY@example.org"))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "There's already an account with this email address" in html
    assert 'href="/login/"' in html
    assert 'href="/password-reset/"' in html
    assert 'aria-invalid="true"' in html
    assert User.objects.filter(email="sky@example.org").count() == 1


def test_weak_password_shows_what_to_do(client, invitation):
    client.post("/join/", {"code": invitation.code})
    response = client.post("/join/details/", details(password="12345"))
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert not User.objects.filter(email="sky@example.org").exists()


def test_not_care_experienced_gets_a_kind_pointer(client, invitation):
    client.post("/join/", {"code": invitation.code})
    response = client.post("/join/details/", details(is_care_experienced=None))
    assert "the person who invited you" in response.content.decode()
    assert not User.objects.filter(email="sky@example.org").exists()


def test_over_25_gets_a_kind_pointer(client, invitation):
    client.post("/join/", {"code": invitation.code})
    response = client.post("/join/details/", details(age_band="over_25"))
    assert "other support" in response.content.decode()
    assert not User.objects.filter(email="sky@example.org").exists()


def test_agreement_must_be_ticked(client, invitation):
    client.post("/join/", {"code": invitation.code})
    response = client.post("/join/details/", details(accepts_agreement=None))
    assert "tick the box" in response.content.decode()
    assert not User.objects.filter(email="sky@example.org").exists()


def test_someone_logged_in_is_sent_home_from_join(client, member):
    client.force_login(member)
    response = client.get("/join/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_agreement_page(client, db):
    response = client.get("/agreement/")
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert html.count("<h1>") == 1
    for words in (
        "Be kind",
        "Keep each other safe",
        "private",
        "other people's details",
        "Moderators",
        "report",
        "leave any time",
    ):
        assert words in html


# --- Logging in and out ---------------------------------------------------------------------


def test_login_page(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Email address' in html
    assert 'href="/password-reset/"' in html


def test_log_in_rotates_the_session_key(client, make_user):
    user = make_user(email="kit@example.org", password=GOOD_PASSWORD)
    client.get("/login/")
    session = client.session
    session["before_login"] = True
    session.save()
    key_before = session.session_key
    response = client.post("/login/", {"username": "KIT@example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session.session_key != key_before
    assert client.session[SESSION_KEY] == str(user.pk)


def test_wrong_password_is_said_kindly(client, make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    response = client.post("/login/", {"username": "kit@example.org", "password": "wrong-one"})
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "That email and password don't match" in html
    assert SESSION_KEY not in client.session


@override_settings(HN_LOGIN_ATTEMPTS_PER_15_MIN=3)
def test_throttled_login_refuses_even_the_right_password(client, make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    for _ in range(3):
        client.post("/login/", {"username": "kit@example.org", "password": "wrong-one"})
    response = client.post("/login/", {"username": "kit@example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 200
    assert "Too many tries" in response.content.decode()
    assert SESSION_KEY not in client.session


@override_settings(HN_LOGIN_ATTEMPTS_PER_15_MIN=3)
def test_throttled_by_address_across_emails(client, make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    for n in range(3):
        client.post("/login/", {"username": f"guess{n}@example.org", "password": "wrong-one"})
    response = client.post("/login/", {"username": "kit@example.org", "password": GOOD_PASSWORD})
    assert "Too many tries" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_log_out_is_post_only(client, member):
    client.force_login(member)
    assert client.get("/logout/").status_code == 405
    assert SESSION_KEY in client.session
    response = client.post("/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert SESSION_KEY not in client.session
    assert any("logged out" in message for message in messages_on(response))


# --- Passwords ------------------------------------------------------------------------------


def test_password_reset_journey(client, make_user):
    user = make_user(email="kit@example.org", password=GOOD_PASSWORD)
    response = client.post("/password-reset/", {"email": "kit@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["kit@example.org"]
    assert email.subject == "Reset your Here and Now password"
    assert f"Hi {user.display_name}" in email.body
    link = re.search(r"http://testserver(/password-reset/\S+/)", email.body).group(1)

    response = client.get(link)
    assert response.status_code == 302
    form_page = client.get(response["Location"])
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        response["Location"], {"new_password1": "fresh-green-apples-now", "new_password2": "fresh-green-apples-now"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/done/"
    user.refresh_from_db()
    assert user.check_password("fresh-green-apples-now")
    assert user.notifications.filter(kind="account_security").exists()
    assert "Log in" in client.get("/password-reset/done/").content.decode()

    used_again = client.get(link)
    assert "doesn't work any more" in used_again.content.decode()


def test_password_reset_for_an_unknown_email_looks_the_same(client, db):
    response = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


@override_settings(HN_LOGIN_ATTEMPTS_PER_15_MIN=2)
def test_password_reset_is_rate_limited_per_address(client, make_user):
    make_user(email="kit@example.org")
    client.post("/password-reset/", {"email": "kit@example.org"})
    client.post("/password-reset/", {"email": "kit@example.org"})
    response = client.post("/password-reset/", {"email": "kit@example.org"})
    assert response.status_code == 200
    assert "wait 15 minutes" in response.content.decode()
    assert len(mail.outbox) == 2


def test_change_password_needs_login(client, db):
    response = client.get("/me/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_change_password_keeps_you_logged_in(client, make_user):
    user = make_user(email="kit@example.org", password=GOOD_PASSWORD)
    client.force_login(user)
    assert client.get("/me/password/").status_code == 200
    response = client.post(
        "/me/password/",
        {
            "old_password": GOOD_PASSWORD,
            "new_password1": "fresh-green-apples-now",
            "new_password2": "fresh-green-apples-now",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/me/password/"
    assert any("password is changed" in message for message in messages_on(response))
    assert response.context["user"] == user
    user.refresh_from_db()
    assert user.check_password("fresh-green-apples-now")


def test_change_password_needs_the_old_one(client, make_user):
    user = make_user(email="kit@example.org", password=GOOD_PASSWORD)
    client.force_login(user)
    response = client.post(
        "/me/password/",
        {
            "old_password": "not-it",
            "new_password1": "fresh-green-apples-now",
            "new_password2": "fresh-green-apples-now",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)

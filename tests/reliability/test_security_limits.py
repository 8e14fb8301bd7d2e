"""Sessions and rate limits. The session key changes at login (a key planted before login is never the signed-in
one) and logging out ends the session. Every way of guessing a secret is limited: passwords (the login page, the
API's token endpoint and the admin's sign-in), password-reset emails (per address they come from and per email they
go to), invitation codes (the join page and the API) and event check-in codes (the page and the API).

RATE_LIMITS is the table of limited endpoints; each entry makes one more try than its limit allows and shows that the
last try, even with the right secret, is refused.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from rest_framework.test import APIClient

from community.models import Invitation, SiteRole
from events.checkin_codes import current_code
from events.services.checkin import WRONG_CODES_PER_PERSON
from tests.events.domain_factories import make_event, make_rsvp

PASSWORD = "a-long-pass-phrase"
LIMIT = 2  # the login and code limits for these tests (settings); the check-in limit is a constant
LIMITS = {"HN_LOGIN_ATTEMPTS_PER_15_MIN": LIMIT, "HN_CODE_ATTEMPTS_PER_15_MIN": LIMIT}
COOKIE = settings.SESSION_COOKIE_NAME


def signed_in(client: Client) -> bool:
    return client.get("/me/").status_code == 200


# --- Sessions -----------------------------------------------------------------------------------


@pytest.fixture
def person(make_user):
    return make_user(email="kit@example.org", password=PASSWORD)


@pytest.fixture
def code(make_user):
    staff = make_user(role=SiteRole.STAFF)
    from django.utils import timezone

    return Invitation.objects.create(
        code="HN-SESSIONS", created_by=staff, max_uses=5, expires_at=timezone.now() + timedelta(days=7)
    ).code


def test_the_session_key_changes_at_login(client, person, code):
    client.post("/join/", {"code": code})  # an anonymous session with something in it
    before = client.cookies[COOKIE].value
    response = client.post("/login/", {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[COOKIE].value
    assert after != before
    old = Client()
    old.cookies[COOKIE] = before
    assert not signed_in(old), "the key from before login must not be signed in"
    assert signed_in(client)


def test_a_planted_session_key_is_never_adopted(client, person):
    planted = "attackerchosen0123456789abcdefgh"
    client.cookies[COOKIE] = planted
    client.post("/login/", {"username": person.email, "password": PASSWORD})
    assert client.cookies[COOKIE].value != planted
    attacker = Client()
    attacker.cookies[COOKIE] = planted
    assert not signed_in(attacker)


def test_the_admin_sign_in_renews_the_session_too(client, make_user):
    staff = make_user(role=SiteRole.STAFF, email="ops@example.org")
    client.cookies[COOKIE] = "attackerchosen0123456789abcdefgh"
    response = client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.cookies[COOKIE].value != "attackerchosen0123456789abcdefgh"


def test_logging_out_ends_the_session(client, person):
    client.post("/login/", {"username": person.email, "password": PASSWORD})
    key = client.cookies[COOKIE].value
    client.post("/logout/")
    old = Client()
    old.cookies[COOKIE] = key
    assert not signed_in(old)


# --- Rate limits -------------------------------------------------------------------------------


@pytest.fixture
def going(make_user, make_group, add_member):
    """A member going to an event starting in 30 minutes (check-in is open)."""
    group = make_group()
    member = make_user(email="going@example.org")
    add_member(group, member)
    event = make_event(group, starts_in=timedelta(minutes=30))
    make_rsvp(event, member)
    return member, event


def login_page(ctx):
    client = Client()
    for _ in range(LIMIT):
        client.post("/login/", {"username": ctx["person"].email, "password": "wrong-guess"})
    response = client.post("/login/", {"username": ctx["person"].email, "password": PASSWORD})
    return response.status_code == 200 and "wait" in response.content.decode() and not signed_in(client)


def api_token(ctx):
    client = APIClient()
    for _ in range(LIMIT):
        client.post("/api/v1/auth/token/", {"email": ctx["person"].email, "password": "wrong-guess"}, format="json")
    response = client.post("/api/v1/auth/token/", {"email": ctx["person"].email, "password": PASSWORD}, format="json")
    return response.status_code == 429


def admin_login(ctx):
    client = Client()
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": ctx["staff"].email, "password": "wrong-guess"})
    response = client.post("/admin/login/", {"username": ctx["staff"].email, "password": PASSWORD})
    return response.status_code == 200 and "wait" in response.content.decode() and not signed_in(client)


def password_reset_per_address(ctx):
    client = Client()
    for n in range(LIMIT):
        client.post("/password-reset/", {"email": f"someone{n}@example.org"})
    response = client.post("/password-reset/", {"email": ctx["person"].email})
    return response.status_code == 200 and "wait 15 minutes" in response.content.decode() and mail.outbox == []


def password_reset_per_email(ctx):
    from community.views.accounts import PASSWORD_RESET_EMAILS_PER_ADDRESS

    for n in range(PASSWORD_RESET_EMAILS_PER_ADDRESS):
        Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post("/password-reset/", {"email": ctx["person"].email})
    sent = len(mail.outbox)
    response = Client(REMOTE_ADDR="10.0.1.1").post("/password-reset/", {"email": ctx["person"].email.upper()})
    refused = response.status_code == 200 and "wait 15 minutes" in response.content.decode()
    return refused and sent == PASSWORD_RESET_EMAILS_PER_ADDRESS == len(mail.outbox)


def join_page_code(ctx):
    client = Client()
    for _ in range(LIMIT):
        client.post("/join/", {"code": "HN-GUESSGSS"})
    response = client.post("/join/", {"code": ctx["code"]})
    return response.status_code == 200 and "signup_code" not in client.session


def api_invitation_check(ctx):
    client = APIClient()
    for _ in range(LIMIT):
        client.post("/api/v1/invitations/check/", {"code": "HN-GUESSGSS"}, format="json")
    return client.post("/api/v1/invitations/check/", {"code": ctx["code"]}, format="json").status_code == 429


def api_sign_up_code(ctx):
    client = APIClient()
    body = {"display_name": "Newcomer", "email": "new@example.org", "password": PASSWORD, "age_band": "18_25",
            "is_care_experienced": True, "accepts_agreement": True}  # fmt: skip
    for _ in range(LIMIT):
        client.post("/api/v1/auth/signup/", {**body, "code": "HN-GUESSGSS"}, format="json")
    return client.post("/api/v1/auth/signup/", {**body, "code": ctx["code"]}, format="json").status_code == 429


def check_in_page_code(ctx):
    member, event = ctx["going"]
    client = Client()
    client.force_login(member)
    for _ in range(WRONG_CODES_PER_PERSON):
        client.post(f"/events/{event.pk}/check-in/", {"code": "000000"})
    response = client.post(f"/events/{event.pk}/check-in/", {"code": current_code(event.pk)})
    refused = response.status_code == 200 and "a lot of tries" in response.content.decode()
    return refused and not event.attendances.filter(user=member).exists()


def api_check_in_code(ctx):
    member, event = ctx["going"]
    client = APIClient()
    client.force_authenticate(member)
    for _ in range(WRONG_CODES_PER_PERSON):
        client.post(f"/api/v1/events/{event.pk}/check-in/", {"code": "000000"}, format="json")
    response = client.post(f"/api/v1/events/{event.pk}/check-in/", {"code": current_code(event.pk)}, format="json")
    return response.status_code == 429 and not event.attendances.filter(user=member).exists()


RATE_LIMITS = {
    "login page": login_page,
    "API token (login)": api_token,
    "admin sign-in": admin_login,
    "password reset, per address": password_reset_per_address,
    "password reset, per email": password_reset_per_email,
    "join page, invitation code": join_page_code,
    "API invitation check": api_invitation_check,
    "API sign-up, invitation code": api_sign_up_code,
    "event check-in page, code": check_in_page_code,
    "API event check-in, code": api_check_in_code,
}


@override_settings(**LIMITS)
@pytest.mark.parametrize("name", list(RATE_LIMITS))
def test_rate_limited(name, person, code, going, make_user):
    ctx = {"person": person, "code": code, "going": going, "staff": make_user(role=SiteRole.STAFF)}
    assert RATE_LIMITS[name](ctx), f"{name}: the try after the limit was not refused"


@override_settings(**LIMITS)
def test_the_admin_sign_in_is_still_staff_only(client, person):
    response = client.post("/admin/login/", {"username": person.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302

"""/api/v1/auth/: sign up with a code, get a token, give it back."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.models import Membership, User
from community.services.invitations import invitation_create

SIGNUP_URL = "/api/v1/auth/signup/"
TOKEN_URL = "/api/v1/auth/token/"
GOOD_PASSWORD = "purple-otter-sings-loudly"


@pytest.fixture
def invitation(staff, group):
    return invitation_create(actor=staff, group=group)


def signup_payload(invitation_code: str, **overrides) -> dict:
    payload = {
        "code": invitation_code,
        "display_name": "Sky",
        "email": "sky@example.org",
        "password": GOOD_PASSWORD,
        "age_band": "18_25",
        "is_care_experienced": True,
        "accepts_agreement": True,
    }
    payload.update(overrides)
    return payload


def test_sign_up_returns_the_person_and_a_working_token(api_client, invitation, group):
    response = api_client.post(SIGNUP_URL, signup_payload(invitation.code), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["display_name"] == "Sky"
    assert body["user"]["email"] == "sky@example.org"
    assert body["user"]["site_role"] == "member"
    user = User.objects.get(email="sky@example.org")
    assert body["token"] == Token.objects.get(user=user).key
    assert Membership.objects.filter(user=user, group=group, status="active").exists()

    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert app.get("/api/v1/invitations/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"code": "HN-NOPENOPE"}, 404, "invitation_not_found"),
        ({"display_name": "R"}, 400, "invalid_display_name"),
        ({"display_name": "robin"}, 409, "display_name_taken"),
        ({"email": "ROBIN@example.org"}, 409, "email_taken"),
        ({"password": "12345"}, 400, "weak_password"),
        ({"is_care_experienced": False}, 400, "not_eligible"),
        ({"age_band": "over_25"}, 400, "not_eligible"),
        ({"accepts_agreement": False}, 400, "agreement_required"),
        ({"age_band": "ancient"}, 400, "invalid"),
    ],
)
def test_sign_up_refusals(api_client, invitation, make_user, overrides, status, code):
    make_user(display_name="Robin", email="robin@example.org")
    response = api_client.post(SIGNUP_URL, signup_payload(invitation.code, **overrides), format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not User.objects.filter(email__in=["sky@example.org"]).exists()
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_sign_up_field_errors_name_the_field(api_client, invitation):
    response = api_client.post(SIGNUP_URL, signup_payload(invitation.code, password="12345"), format="json")
    assert "password" in response.json()["fields"]


def test_second_sign_up_on_a_single_use_code(api_client, invitation):
    assert api_client.post(SIGNUP_URL, signup_payload(invitation.code), format="json").status_code == 201
    response = APIClient().post(
        SIGNUP_URL, signup_payload(invitation.code, display_name="Other", email="other@example.org"), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invitation_used_up"


@override_settings(HN_CODE_ATTEMPTS_PER_15_MIN=2)
def test_sign_up_counts_code_tries(api_client, invitation):
    for _ in range(2):
        api_client.post(SIGNUP_URL, signup_payload("HN-GUESSGSS"), format="json")
    response = api_client.post(SIGNUP_URL, signup_payload(invitation.code), format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_get_a_token(api_client, make_user):
    user = make_user(email="kit@example.org", password=GOOD_PASSWORD)
    response = api_client.post(TOKEN_URL, {"email": "Kit@Example.org", "password": GOOD_PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_wrong_password(api_client, make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    response = api_client.post(TOKEN_URL, {"email": "kit@example.org", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not Token.objects.exists()


def test_unknown_email_looks_the_same_as_a_wrong_password(api_client, db):
    response = api_client.post(TOKEN_URL, {"email": "nobody@example.org", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


@override_settings(HN_LOGIN_ATTEMPTS_PER_15_MIN=3)
def test_token_is_rate_limited_and_refuses_even_the_right_password(api_client, make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    for _ in range(3):
        api_client.post(TOKEN_URL, {"email": "kit@example.org", "password": "nope"}, format="json")
    response = api_client.post(TOKEN_URL, {"email": "kit@example.org", "password": GOOD_PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert "Retry-After" in response
    assert not Token.objects.exists()


def test_give_back_the_token(make_user):
    make_user(email="kit@example.org", password=GOOD_PASSWORD)
    app = APIClient()
    key = app.post(TOKEN_URL, {"email": "kit@example.org", "password": GOOD_PASSWORD}, format="json").json()["token"]
    app.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert app.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(key=key).exists()
    after = app.get("/api/v1/invitations/")
    assert after.status_code in (401, 403)
    assert after.json()["code"] == "authentication_failed"


def test_anonymous_cannot_delete_a_token(api_client, db):
    response = api_client.delete(TOKEN_URL)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role_fixture", ["member", "leader", "moderator", "staff", "evaluator"])
def test_anyone_signed_in_can_give_back_their_own_token(request, api_as, role_fixture):
    user = request.getfixturevalue(role_fixture)
    Token.objects.create(user=user)
    assert api_as(user).delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=user).exists()


def test_schema_documents_the_account_and_invitation_endpoints(api_client, db):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for route in (
        "/api/v1/auth/signup/",
        "/api/v1/auth/token/",
        "/api/v1/invitations/",
        "/api/v1/invitations/check/",
        "/api/v1/invitations/{invitation_id}/revoke/",
    ):
        assert route in text
    assert "PaginatedInvitationOutputList" in text

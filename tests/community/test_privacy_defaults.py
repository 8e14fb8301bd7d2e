"""A new account starts at the most private settings; an under-18 can't switch on the ones that would let people
outside their groups find them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from community.models import AuditEntry, DirectMessagePolicy, ProfileVisibility
from community.notification_kinds import all_kinds
from community.selectors.notifications import notification_preferences_for_user
from community.services.accounts import account_sign_up
from community.services.invitations import invitation_create


@pytest.fixture
def sign_up(staff, group):
    invitation = invitation_create(actor=staff, group=group, max_uses=5)

    def make(name: str, age_band: str):
        return account_sign_up(
            code=invitation.code, display_name=name, email=f"{name.lower()}@example.org",
            password="purple-otter-sings-loudly", age_band=age_band, is_care_experienced=True, accepts_agreement=True,
        )  # fmt: skip

    return make


def assert_most_private(user) -> None:
    profile = user.profile
    assert profile.profile_visibility == ProfileVisibility.CO_MEMBERS
    assert profile.show_online is False
    assert profile.direct_messages == DirectMessagePolicy.REQUESTS
    assert profile.quiet_hours_start is None and profile.quiet_hours_end is None
    emails = {kind.key: kind.email for kind in notification_preferences_for_user(user=user).kinds}
    safety_critical = {kind.key for kind in all_kinds() if kind.safety_critical}
    assert safety_critical and {key for key, on in emails.items() if on} == safety_critical
    # kinds that email by default for people who joined earlier start off too
    assert emails["event_changed"] is False and emails["moderation_notice"] is False


@pytest.mark.parametrize("age_band", ["18_25", "16_17"])
def test_a_new_account_starts_at_the_most_private_settings(sign_up, age_band):
    assert_most_private(sign_up("Sky", age_band))


def test_an_adult_can_open_up_their_profile(sign_up):
    adult = sign_up("Sky", "18_25")
    app = APIClient()
    app.force_authenticate(adult)
    response = app.patch("/api/v1/me/", {"profile_visibility": "all_members"}, format="json")
    assert response.status_code == 200 and response.json()["profile_visibility"] == "all_members"


def test_an_under_18_cannot_make_their_profile_visible_to_everyone_by_api(sign_up):
    young = sign_up("Ash", "16_17")
    app = APIClient()
    app.force_authenticate(young)
    response = app.patch("/api/v1/me/", {"profile_visibility": "all_members"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_allowed_under_18"
    young.profile.refresh_from_db()
    assert young.profile.profile_visibility == ProfileVisibility.CO_MEMBERS


def test_an_under_18_cannot_make_their_profile_visible_to_everyone_on_the_page(client, sign_up):
    young = sign_up("Ash", "16_17")
    client.force_login(young)
    page = client.get("/me/privacy/").content.decode()
    assert 'value="all_members"' in page and "disabled" in page
    response = client.post(
        "/me/privacy/", {"profile_visibility": "all_members", "direct_messages": "requests", "show_online": ""}
    )
    assert response.status_code == 403
    assert "only people in your groups can see your profile" in response.content.decode()
    young.profile.refresh_from_db()
    assert young.profile.profile_visibility == ProfileVisibility.CO_MEMBERS


# --- "I've turned 18" -----------------------------------------------------------------------------------------------


def test_a_17_year_old_who_turns_18_can_open_up_their_profile_on_the_page(client, sign_up):
    young = sign_up("Ash", "16_17")
    client.force_login(young)
    assert "I've turned 18" in client.get("/me/privacy/").content.decode()
    response = client.post("/me/privacy/turned-18/")
    assert response.status_code == 302
    young.refresh_from_db()
    assert young.age_band == "18_25"
    assert young.profile.profile_visibility == ProfileVisibility.CO_MEMBERS  # settings stay until they choose
    assert AuditEntry.objects.filter(action="account.turned_18", target_id=str(young.pk)).exists()
    assert "I've turned 18" not in client.get("/me/privacy/").content.decode()
    response = client.post(
        "/me/privacy/", {"profile_visibility": "all_members", "direct_messages": "requests", "show_online": ""}
    )
    assert response.status_code == 302


def test_turning_18_by_api_is_one_way(sign_up):
    young = sign_up("Ash", "16_17")
    app = APIClient()
    app.force_authenticate(young)
    response = app.patch("/api/v1/me/", {"turned_18": True, "profile_visibility": "all_members"}, format="json")
    assert response.status_code == 200
    assert response.json()["age_band"] == "18_25" and response.json()["profile_visibility"] == "all_members"
    again = app.patch("/api/v1/me/", {"turned_18": True}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "not_under_18"
    young.refresh_from_db()
    assert young.age_band == "18_25"

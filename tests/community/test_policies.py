"""The community agreement and the privacy notice: versions, accepting, publishing, sign-up, pages, API and the gate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.errors import Conflict, Forbidden
from community.models import AuditEntry, Notification, PolicyAcceptance, PolicyDocument, PolicyKind, User
from community.services.invitations import invitation_create
from community.services.policies import (
    policies_accept,
    policies_all_accepted,
    policies_pending,
    policy_current,
    policy_publish,
)

NEW_AGREEMENT = {
    "kind": PolicyKind.AGREEMENT,
    "title": "Our community agreement",
    "summary": "We've added a part about being kind in direct messages.",
    "body": "## Be kind in direct messages\nAsk before you send a photo.",
}


@pytest.fixture
def newer_agreement(staff):
    return policy_publish(actor=staff, **NEW_AGREEMENT)


def test_version_one_of_each_is_current_and_fixture_users_have_accepted_them(member):
    assert policy_current(kind=PolicyKind.AGREEMENT).version == 1
    assert policy_current(kind=PolicyKind.PRIVACY).version == 1
    assert policies_pending(user=member) == []


def test_publishing_makes_the_next_version_current_and_asks_everyone_again(staff, member, make_user):
    left = make_user(display_name="Gone", is_active=False)
    document = policy_publish(actor=staff, **NEW_AGREEMENT)

    assert document.version == 2 and document.published_by == staff
    assert policy_current(kind=PolicyKind.AGREEMENT) == document
    assert policies_pending(user=member) == [document]
    assert not policies_all_accepted(user=member)
    entry = AuditEntry.objects.get(action="policy.published")
    assert entry.data == {"kind": "agreement", "version": 2}
    told = Notification.objects.filter(kind="policy_updated")
    assert set(told.values_list("user__display_name", flat=True)) == {"Robin", "Staff Alex"}
    assert not told.filter(user=left).exists()
    assert told.first().url == "/me/agreements/"


def test_only_staff_publish(member, moderator):
    for person in (member, moderator):
        with pytest.raises(Forbidden) as caught:
            policy_publish(actor=person, **NEW_AGREEMENT)
        assert caught.value.code == "staff_only"
    assert PolicyDocument.objects.filter(kind="agreement").count() == 1


def test_accepting_is_idempotent_and_only_for_current_versions(member, newer_agreement):
    old = PolicyDocument.objects.get(kind="agreement", version=1)
    with pytest.raises(Conflict) as caught:
        policies_accept(actor=member, document_ids=[old.pk])
    assert caught.value.code == "policy_out_of_date"

    policies_accept(actor=member, document_ids=[newer_agreement.pk])
    policies_accept(actor=member, document_ids=[newer_agreement.pk])
    assert PolicyAcceptance.objects.filter(user=member, document=newer_agreement).count() == 1
    assert policies_pending(user=member) == []


# --- sign-up ------------------------------------------------------------------------------------------------------


def signup_body(code: str, **extra) -> dict:
    return {
        "code": code, "display_name": "Sky", "email": "sky@example.org", "password": "purple-otter-sings-loudly",
        "age_band": "18_25", "is_care_experienced": True, "accepts_agreement": True, **extra,
    }  # fmt: skip


def test_signing_up_accepts_the_current_agreement_and_privacy_notice(staff, group, newer_agreement):
    invitation = invitation_create(actor=staff, group=group)
    response = APIClient().post("/api/v1/auth/signup/", signup_body(invitation.code), format="json")
    assert response.status_code == 201
    user = User.objects.get(email="sky@example.org")
    accepted = PolicyAcceptance.objects.filter(user=user).values_list("document__kind", "document__version")
    assert set(accepted) == {("agreement", 2), ("privacy", 1)}


def test_an_app_that_showed_an_older_version_is_told_to_show_the_new_one(staff, group, newer_agreement):
    invitation = invitation_create(actor=staff, group=group)
    shown = {"agreement": 1, "privacy": 1}
    response = APIClient().post(
        "/api/v1/auth/signup/", signup_body(invitation.code, policy_versions=shown), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "policy_out_of_date"
    assert not User.objects.filter(email="sky@example.org").exists()

    response = APIClient().post(
        "/api/v1/auth/signup/",
        signup_body(invitation.code, policy_versions={"agreement": 2, "privacy": 1}),
        format="json",
    )
    assert response.status_code == 201


def test_sign_up_form_links_both_documents(client, staff, group):
    invitation = invitation_create(actor=staff, group=group)
    client.post("/join/", {"code": invitation.code})
    page = client.get("/join/details/").content.decode()
    assert "I&#x27;ve read the community agreement and the privacy notice" in page
    assert 'href="/agreement/"' in page and 'href="/privacy/"' in page


# --- pages --------------------------------------------------------------------------------------------------------


def test_the_documents_are_public_and_show_the_current_version(client, newer_agreement):
    page = client.get("/agreement/").content.decode()
    assert "<h2>Be kind in direct messages</h2>" in page
    assert "<p>Ask before you send a photo.</p>" in page
    assert "Version 2" in page
    privacy = client.get("/privacy/")
    assert privacy.status_code == 200
    assert "Our privacy notice" in privacy.content.decode()
    assert 'href="/me/data/what-we-keep/"' in privacy.content.decode()


def test_the_gate_sends_a_member_to_what_has_changed_and_back(client, member, newer_agreement):
    client.force_login(member)
    response = client.get("/groups/?page=1")
    assert response.status_code == 302
    assert response["Location"] == "/me/agreements/?next=%2Fgroups%2F%3Fpage%3D1"

    page = client.get(response["Location"]).content.decode()
    assert "What's changed" in page
    assert NEW_AGREEMENT["summary"].replace("'", "&#x27;") in page
    assert 'href="/agreement/"' in page
    assert "What if I don't agree?" in page
    assert 'href="/me/data/"' in page and 'href="/me/data/delete/"' in page

    response = client.post("/me/agreements/", {"document": [newer_agreement.pk], "next": "/groups/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/groups/?page=1"
    assert client.get("/groups/").status_code == 200
    assert "all up to date" in client.get("/me/agreements/").content.decode()


def test_the_gate_keeps_data_rights_logout_and_the_documents_reachable(client, member, newer_agreement):
    client.force_login(member)
    for path in ("/agreement/", "/privacy/", "/me/data/what-we-keep/", "/me/agreements/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/me/policies/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/groups/").status_code == 302  # now anonymous: the login page, not the gate
    assert "/login/" in client.get("/groups/")["Location"]


def test_the_gate_refuses_api_calls_by_session_and_by_token(client, member, newer_agreement):
    client.force_login(member)
    response = client.get("/api/v1/groups/")
    assert response.status_code == 403 and response.json()["code"] == "policies_not_accepted"

    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member).key}")
    response = app.get("/api/v1/groups/")
    assert response.status_code == 403 and response.json()["code"] == "policies_not_accepted"

    mine = app.get("/api/v1/me/policies/").json()
    assert [document["version"] for document in mine["pending"]] == [2]
    response = app.post("/api/v1/me/policies/accept/", {"documents": [newer_agreement.pk]}, format="json")
    assert response.status_code == 200 and response.json()["pending"] == []
    assert app.get("/api/v1/groups/").status_code == 200
    assert client.get("/api/v1/groups/").status_code == 200


def test_accepting_an_old_version_through_the_api_is_a_conflict(api_as, member, newer_agreement):
    old = PolicyDocument.objects.get(kind="agreement", version=1)
    response = api_as(member).post("/api/v1/me/policies/accept/", {"documents": [old.pk]}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "policy_out_of_date"


def test_the_public_api_lists_the_current_versions(api_client, newer_agreement):
    body = api_client.get("/api/v1/policies/").json()
    assert [(row["kind"], row["version"]) for row in body] == [("agreement", 2), ("privacy", 1)]


def test_the_gate_remembers_a_yes_so_it_then_costs_one_tiny_query_per_request(client, member):
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        for path in ("/me/password/", "/me/password/", "/groups/"):
            assert client.get(path).status_code == 200
    asked = [query["sql"] for query in queries.captured_queries if "community_policy" in query["sql"]]
    assert len(asked) == 4
    assert "community_policyacceptance" in asked[1]  # the whole question (the current ids, then the acceptances)
    assert all("community_policyacceptance" not in sql for sql in asked[2:])  # then only: anything newer?


def test_a_remembered_yes_does_not_let_anyone_past_a_newly_published_version(client, member, staff):
    client.force_login(member)
    assert client.get("/groups/").status_code == 200  # a yes, remembered

    policy_publish(actor=staff, **NEW_AGREEMENT)

    response = client.get("/groups/")
    assert response.status_code == 302 and response["Location"].startswith("/me/agreements/")


# --- admin --------------------------------------------------------------------------------------------------------


def test_staff_publish_a_new_version_in_the_admin(client, staff, member):
    client.force_login(staff)
    response = client.post("/admin/community/policydocument/add/", {**NEW_AGREEMENT, "kind": "privacy"})
    assert response.status_code == 302
    document = policy_current(kind=PolicyKind.PRIVACY)
    assert document.version == 2 and document.published_by == staff
    assert Notification.objects.filter(user=member, kind="policy_updated").exists()
    # a published version can't be changed
    client.post(f"/admin/community/policydocument/{document.pk}/change/", {**NEW_AGREEMENT, "title": "Changed"})
    document.refresh_from_db()
    assert document.title == NEW_AGREEMENT["title"]


def test_acceptances_are_read_only_in_the_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/community/policyacceptance/").status_code == 200
    assert client.get("/admin/community/policyacceptance/add/").status_code == 403


def test_signing_up_works_before_any_version_is_published(staff, group):
    PolicyAcceptance.objects.all().delete()
    PolicyDocument.objects.all().delete()
    invitation = invitation_create(actor=staff, group=group)
    response = APIClient().post("/api/v1/auth/signup/", signup_body(invitation.code), format="json")
    assert response.status_code == 201


def test_the_gate_never_stands_between_a_member_and_crisis_support(client, api_as, member, newer_agreement):
    client.force_login(member)
    response = client.get("/support/")
    assert response.status_code == 200
    assert "116 123" in response.content.decode()
    assert api_as(member).get("/api/v1/safeguarding/support-contacts/").status_code == 200
    # typed without the last slash, the way people type addresses on a phone: Django adds it, the gate doesn't step in
    for path in ("/support", "/privacy", "/me/data"):
        assert client.get(path)["Location"] == path + "/", path
    assert client.get("/me/dataX")["Location"].startswith("/me/agreements/")

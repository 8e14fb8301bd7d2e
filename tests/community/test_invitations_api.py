"""/api/v1/invitations/: who may list, make, see and cancel codes, and checking a code anonymously."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from community.models import Invitation, MembershipRole
from community.services.invitations import invitation_create, invitation_revoke

LIST_URL = "/api/v1/invitations/"
CHECK_URL = "/api/v1/invitations/check/"


def detail_url(invitation: Invitation) -> str:
    return f"/api/v1/invitations/{invitation.pk}/"


def revoke_url(invitation: Invitation) -> str:
    return f"/api/v1/invitations/{invitation.pk}/revoke/"


# --- Making codes ---------------------------------------------------------------------------


def test_anonymous_cannot_list_or_make(api_client, group):
    for response in (api_client.get(LIST_URL), api_client.post(LIST_URL, {"group": group.pk}, format="json")):
        assert response.status_code in (401, 403)
        assert response.json()["code"] == "not_authenticated"
    assert not Invitation.objects.exists()


def test_staff_can_make_a_code_for_any_group(api_as, staff, group):
    response = api_as(staff).post(
        LIST_URL, {"group": group.pk, "max_uses": 3, "expires_in_days": 7, "note": "Youth club"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["code"].startswith("HN-")
    assert body["group"] == {"id": group.pk, "name": "Art Club", "slug": "art-club"}
    assert body["max_uses"] == 3
    assert body["uses_left"] == 3
    assert body["status"] == "active"
    assert body["note"] == "Youth club"
    assert body["created_by"]["display_name"] == "Staff Alex"
    assert body["signup_url"] == f"http://testserver/join/?code={body['code']}"
    assert Invitation.objects.get(code=body["code"]).group == group


def test_staff_can_make_a_code_without_a_group_using_defaults(api_as, staff):
    response = api_as(staff).post(LIST_URL, {}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["group"] is None
    assert body["max_uses"] == 1
    invitation = Invitation.objects.get(pk=body["id"])
    assert timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)


def test_leader_can_make_a_code_for_their_group(api_as, leader, group):
    response = api_as(leader).post(LIST_URL, {"group": group.pk}, format="json")
    assert response.status_code == 201


def test_leader_cannot_make_a_code_for_another_group_or_none(api_as, leader, make_group):
    other = make_group()
    for payload in ({"group": other.pk}, {"group": None}, {}):
        response = api_as(leader).post(LIST_URL, payload, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "not_allowed_to_invite"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role_fixture", ["member", "moderator", "evaluator"])
def test_members_moderators_and_evaluators_cannot_make_codes(request, api_as, role_fixture, group, add_member):
    actor = request.getfixturevalue(role_fixture)
    if role_fixture == "member":
        add_member(group, actor)
    response = api_as(actor).post(LIST_URL, {"group": group.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed_to_invite"


def test_unknown_group(api_as, staff):
    response = api_as(staff).post(LIST_URL, {"group": 999999}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "group_not_found"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"max_uses": 0}, "max_uses"), ({"max_uses": 101}, "max_uses"), ({"expires_in_days": 91}, "expires_in_days")],
)
def test_out_of_range_values_are_invalid(api_as, staff, payload, field):
    response = api_as(staff).post(LIST_URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


# --- Listing and seeing ---------------------------------------------------------------------


def test_staff_list_everything_newest_first(api_as, staff, leader, group):
    older = invitation_create(actor=leader, group=group)
    newer = invitation_create(actor=staff)
    response = api_as(staff).get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]


def test_leader_lists_only_their_groups_codes(api_as, staff, leader, group, make_group):
    theirs = invitation_create(actor=staff, group=group)
    invitation_create(actor=staff, group=make_group())
    invitation_create(actor=staff)
    response = api_as(leader).get(LIST_URL)
    assert [row["id"] for row in response.json()["results"]] == [theirs.pk]


@pytest.mark.parametrize("role_fixture", ["member", "moderator", "evaluator"])
def test_others_list_nothing(request, api_as, staff, group, role_fixture):
    invitation_create(actor=staff, group=group)
    response = api_as(request.getfixturevalue(role_fixture)).get(LIST_URL)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_list_filters(api_as, staff, group):
    active = invitation_create(actor=staff, group=group)
    revoked = invitation_revoke(actor=staff, invitation=invitation_create(actor=staff))
    client = api_as(staff)
    assert [r["id"] for r in client.get(LIST_URL, {"status": "active"}).json()["results"]] == [active.pk]
    assert [r["id"] for r in client.get(LIST_URL, {"status": "revoked"}).json()["results"]] == [revoked.pk]
    assert [r["id"] for r in client.get(LIST_URL, {"group": group.pk}).json()["results"]] == [active.pk]


def test_list_query_count_does_not_grow(
    api_as, staff, make_user, make_group, add_member, django_assert_max_num_queries
):
    client = api_as(staff)

    def make_some(n: int) -> None:
        for _ in range(n):
            group = make_group()
            creator = make_user()
            add_member(group, creator, role=MembershipRole.LEADER)
            invitation_create(actor=creator, group=group)

    make_some(2)
    with django_assert_max_num_queries(3):
        assert client.get(LIST_URL).json()["count"] == 2
    make_some(10)
    with django_assert_max_num_queries(3):
        assert client.get(LIST_URL).json()["count"] == 12


def test_leader_list_query_count_does_not_grow(api_as, leader, group, django_assert_max_num_queries):
    for _ in range(8):
        invitation_create(actor=leader, group=group)
    with django_assert_max_num_queries(3):
        assert api_as(leader).get(LIST_URL).json()["count"] == 8


def test_detail_for_creator_staff_and_co_leader(api_as, staff, leader, group, make_user, add_member):
    invitation = invitation_create(actor=leader, group=group)
    co_leader = make_user()
    add_member(group, co_leader, role=MembershipRole.LEADER)
    for viewer in (leader, staff, co_leader):
        response = api_as(viewer).get(detail_url(invitation))
        assert response.status_code == 200
        assert response.json()["code"] == invitation.code


@pytest.mark.parametrize("role_fixture", ["member", "moderator", "evaluator"])
def test_detail_is_hidden_from_others(request, api_as, staff, group, role_fixture):
    invitation = invitation_create(actor=staff, group=group)
    response = api_as(request.getfixturevalue(role_fixture)).get(detail_url(invitation))
    assert response.status_code == 404
    assert response.json()["code"] == "invitation_not_found"


def test_detail_anonymous(api_client, staff):
    invitation = invitation_create(actor=staff)
    response = api_client.get(detail_url(invitation))
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


# --- Cancelling -----------------------------------------------------------------------------


def test_creator_can_revoke_twice(api_as, leader, group):
    invitation = invitation_create(actor=leader, group=group)
    for _ in range(2):
        response = api_as(leader).post(revoke_url(invitation))
        assert response.status_code == 200
        assert response.json()["status"] == "revoked"
    invitation.refresh_from_db()
    assert invitation.revoked_by == leader


def test_staff_can_revoke_any(api_as, staff, leader, group):
    invitation = invitation_create(actor=leader, group=group)
    assert api_as(staff).post(revoke_url(invitation)).status_code == 200


def test_co_leader_can_see_but_not_revoke(api_as, leader, group, make_user, add_member):
    invitation = invitation_create(actor=leader, group=group)
    co_leader = make_user()
    add_member(group, co_leader, role=MembershipRole.LEADER)
    response = api_as(co_leader).post(revoke_url(invitation))
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed_to_revoke"


@pytest.mark.parametrize("role_fixture", ["member", "moderator", "evaluator"])
def test_others_cannot_revoke(request, api_as, staff, role_fixture):
    invitation = invitation_create(actor=staff)
    response = api_as(request.getfixturevalue(role_fixture)).post(revoke_url(invitation))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_anonymous_cannot_revoke(api_client, staff):
    invitation = invitation_create(actor=staff)
    assert api_client.post(revoke_url(invitation)).status_code in (401, 403)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- Checking a code ------------------------------------------------------------------------


def test_anyone_can_check_a_good_code(api_client, staff, group):
    invitation = invitation_create(actor=staff, group=group)
    response = api_client.post(CHECK_URL, {"code": invitation.code.lower()}, format="json")
    assert response.status_code == 200
    assert response.json() == {"valid": True, "group": "Art Club"}


def test_check_a_code_without_a_group(api_client, staff):
    invitation = invitation_create(actor=staff)
    assert api_client.post(CHECK_URL, {"code": invitation.code}, format="json").json() == {
        "valid": True,
        "group": None,
    }


def test_check_works_for_a_logged_in_person_too(api_as, member, staff):
    invitation = invitation_create(actor=staff)
    assert api_as(member).post(CHECK_URL, {"code": invitation.code}, format="json").status_code == 200


def test_check_unknown_code(api_client, db):
    response = api_client.post(CHECK_URL, {"code": "HN-NOPENOPE"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "invitation_not_found"


def test_check_expired_used_up_and_revoked_codes(api_client, staff):
    expired = invitation_create(actor=staff)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    used_up = invitation_create(actor=staff)
    Invitation.objects.filter(pk=used_up.pk).update(use_count=1)
    revoked = invitation_revoke(actor=staff, invitation=invitation_create(actor=staff))
    for invitation, code in (
        (expired, "invitation_expired"),
        (used_up, "invitation_used_up"),
        (revoked, "invitation_revoked"),
    ):
        response = api_client.post(CHECK_URL, {"code": invitation.code}, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == code
        assert "Ask the person who gave it to you for a new one." in response.json()["detail"]


def test_check_needs_a_code(api_client, db):
    response = api_client.post(CHECK_URL, {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@override_settings(HN_CODE_ATTEMPTS_PER_15_MIN=5)
def test_check_is_rate_limited_per_address(api_client, staff):
    invitation = invitation_create(actor=staff)
    for _ in range(5):
        assert api_client.post(CHECK_URL, {"code": "HN-GUESSGSS"}, format="json").status_code == 404
    response = api_client.post(CHECK_URL, {"code": invitation.code}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    other_address = api_client.post(CHECK_URL, {"code": invitation.code}, format="json", REMOTE_ADDR="10.9.9.9")
    assert other_address.status_code == 200


@pytest.mark.parametrize(
    "query", [{"group": "²"}, {"group": "-1"}, {"group": str(2**64)}, {"group": "one"}, {"status": "lost"}]
)
def test_a_filter_that_makes_no_sense_is_a_clear_400(api_as, staff, query):
    response = api_as(staff).get(LIST_URL, query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and set(query) <= set(body["fields"])

"""API: GET /api/v1/people/ and POST /api/v1/people/<id>/role/ are for staff only."""

from __future__ import annotations

import pytest

from community.models import AuditEntry, Notification, SiteRole

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


def role_url(user) -> str:
    return f"/api/v1/people/{user.pk}/role/"


@pytest.mark.parametrize("viewer_fixture", ["member", "leader", "moderator", "evaluator"])
def test_people_list_is_for_staff_only(request, api_as, viewer_fixture):
    response = api_as(request.getfixturevalue(viewer_fixture)).get(PEOPLE)
    assert response.status_code == 403
    assert response.json()["code"] == "not_staff"


def test_people_list_for_anonymous(api_as):
    assert api_as(None).get(PEOPLE).json()["code"] == "not_authenticated"


def test_staff_list_everyone_with_search_and_pages(api_as, staff, member, make_user):
    make_user(display_name="Quinn", real_name="Quinn Taylor", email="quinn@example.org")
    client = api_as(staff)

    body = client.get(PEOPLE).json()
    assert body["count"] == 3
    names = [person["display_name"] for person in body["results"]]
    assert names == sorted(names)
    robin = next(person for person in body["results"] if person["id"] == member.pk)
    assert robin["email"] == member.email
    assert robin["site_role"] == SiteRole.MEMBER
    assert "date_joined" in robin

    body = client.get(PEOPLE, {"search": "taylor"}).json()
    assert [person["display_name"] for person in body["results"]] == ["Quinn"]
    body = client.get(PEOPLE, {"search": "QUINN@EXAMPLE"}).json()
    assert body["count"] == 1

    body = client.get(PEOPLE, {"page_size": 1, "page": 2}).json()
    assert len(body["results"]) == 1
    assert body["next"] and body["previous"]


def test_people_list_query_count_does_not_grow(api_as, staff, make_user, django_assert_max_num_queries):
    client = api_as(staff)
    for _ in range(3):
        make_user()
    with django_assert_max_num_queries(5) as few:
        assert client.get(PEOPLE).status_code == 200
    for _ in range(20):
        make_user()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(PEOPLE)
    assert response.json()["count"] == 24


def test_staff_changes_a_role(api_as, staff, member):
    response = api_as(staff).post(role_url(member), {"site_role": "moderator"}, format="json")
    assert response.status_code == 200
    assert response.json()["site_role"] == "moderator"
    member.refresh_from_db()
    assert member.site_role == SiteRole.MODERATOR
    assert AuditEntry.objects.filter(action="user.site_role_changed", target_id=str(member.pk)).exists()
    assert Notification.objects.filter(user=member, kind="role_changed").exists()


def test_staff_appoints_a_safeguarding_lead_together_with_the_staff_role(api_as, staff, member):
    response = api_as(staff).post(role_url(member), {"site_role": "staff", "is_safeguarding_lead": True}, format="json")
    assert response.status_code == 200
    assert response.json()["is_safeguarding_lead"] is True
    member.refresh_from_db()
    assert member.site_role == SiteRole.STAFF
    assert member.is_safeguarding_lead is True


@pytest.mark.parametrize("viewer_fixture", ["member", "leader", "moderator", "evaluator"])
def test_only_staff_change_roles(request, api_as, make_user, viewer_fixture):
    target = make_user()
    response = api_as(request.getfixturevalue(viewer_fixture)).post(role_url(target), {"site_role": "staff"})
    assert response.status_code == 403
    assert response.json()["code"] == "not_staff"
    target.refresh_from_db()
    assert target.site_role == SiteRole.MEMBER


def test_role_change_for_anonymous(api_as, member):
    assert api_as(None).post(role_url(member), {"site_role": "staff"}).json()["code"] == "not_authenticated"


def test_role_error_codes(api_as, staff, moderator):
    client = api_as(staff)

    response = client.post(role_url(staff), {"site_role": "member"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "last_staff"

    response = client.post(role_url(moderator), {"is_safeguarding_lead": True}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "safeguarding_lead_must_be_staff"

    response = client.post(role_url(moderator), {"site_role": "king"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"

    response = client.post(role_url(moderator), {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"

    response = client.post("/api/v1/people/999999/role/", {"site_role": "member"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "person_not_found"


def test_failed_safeguarding_change_undoes_the_role_change(api_as, staff, member):
    response = api_as(staff).post(
        role_url(member), {"site_role": "moderator", "is_safeguarding_lead": True}, format="json"
    )
    assert response.json()["code"] == "safeguarding_lead_must_be_staff"
    member.refresh_from_db()
    assert member.site_role == SiteRole.MEMBER
    assert not AuditEntry.objects.exists()

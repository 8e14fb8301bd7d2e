"""Every API endpoint x every role: who may do what, in one table.

A test also walks the URL configuration and fails when an endpoint under /api/v1/ is missing from this table, so a
new endpoint cannot ship without its row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from community.models import (
    Invitation,
    MembershipRole,
    MembershipStatus,
    Notification,
    SiteRole,
)

ROLES = ["anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"]


@dataclass
class World:
    users: dict
    group: object
    asker: object
    target: object
    invitation: Invitation
    notification: Notification


@pytest.fixture
def world(make_user, make_group, add_member) -> World:
    group = make_group(name="Art Club", slug="art-club")
    users = {
        "outsider": make_user(display_name="Outsider"),
        "group_member": make_user(display_name="Groupie"),
        "leader": make_user(display_name="Leader"),
        "moderator": make_user(role=SiteRole.MODERATOR, display_name="Moderator"),
        "staff": make_user(role=SiteRole.STAFF, display_name="Staffer"),
        "evaluator": make_user(role=SiteRole.EVALUATOR, display_name="Evaluator"),
    }
    add_member(group, users["group_member"])
    add_member(group, users["leader"], role=MembershipRole.LEADER)
    asker = make_user(display_name="Asker")
    add_member(group, asker, status=MembershipStatus.PENDING)
    target = make_user(display_name="Target")
    add_member(group, target)
    invitation = Invitation.objects.create(
        code="HN-ABCDEFGH", created_by=users["leader"], group=group, max_uses=5,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )  # fmt: skip
    notification = Notification.objects.create(user=users["group_member"], kind="welcome", title="Hello")
    return World(users, group, asker, target, invitation, notification)


def signup_body(w: World) -> dict:
    return {
        "code": w.invitation.code, "display_name": "Newcomer", "email": "new@example.org",
        "password": "a-long-pass-phrase", "age_band": "18_25", "is_care_experienced": True, "accepts_agreement": True,
    }  # fmt: skip


# (name, method, route pattern, url(w), body(w), {role: expected status})
A, O, G, L, M, S, E = ROLES  # noqa: E741 - one letter per role keeps the table readable

ALL_IN = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
STAFF_ONLY = {A: 401, O: 403, G: 403, L: 403, M: 403, S: 200, E: 403}
GROUP = "/api/v1/groups/art-club"

MATRIX = [
    ("signup", "POST", "api/v1/auth/signup/", lambda w: "/api/v1/auth/signup/", signup_body,
     {A: 201, O: 201, G: 201, L: 201, M: 201, S: 201, E: 201}),
    ("token-obtain", "POST", "api/v1/auth/token/", lambda w: "/api/v1/auth/token/",
     lambda w: {"email": w.users["group_member"].email, "password": "a-long-pass-phrase"},
     {r: 200 for r in ROLES}),
    ("token-revoke", "DELETE", "api/v1/auth/token/", lambda w: "/api/v1/auth/token/", None,
     {**{r: 204 for r in ROLES}, A: 401}),
    ("me", "GET", "api/v1/me/", lambda w: "/api/v1/me/", None, ALL_IN),
    ("me-update", "PATCH", "api/v1/me/", lambda w: "/api/v1/me/", lambda w: {"pronouns": "they/them"}, ALL_IN),
    ("avatar-set-as-json", "PUT", "api/v1/me/avatar/", lambda w: "/api/v1/me/avatar/", lambda w: {},
     {**{r: 415 for r in ROLES}, A: 401}),
    ("avatar-remove", "DELETE", "api/v1/me/avatar/", lambda w: "/api/v1/me/avatar/", None,
     {**{r: 204 for r in ROLES}, A: 401}),
    ("people", "GET", "api/v1/people/", lambda w: "/api/v1/people/", None, STAFF_ONLY),
    ("person", "GET", "api/v1/people/<int:user_id>/", lambda w: f"/api/v1/people/{w.target.pk}/", None,
     {A: 401, O: 404, G: 200, L: 200, M: 200, S: 200, E: 404}),
    ("person-role", "POST", "api/v1/people/<int:user_id>/role/", lambda w: f"/api/v1/people/{w.target.pk}/role/",
     lambda w: {"site_role": "moderator"}, STAFF_ONLY),
    ("groups", "GET", "api/v1/groups/", lambda w: "/api/v1/groups/", None, ALL_IN),
    ("group-create", "POST", "api/v1/groups/", lambda w: "/api/v1/groups/", lambda w: {"name": "Walking Club"},
     {**STAFF_ONLY, S: 201}),
    ("group", "GET", "api/v1/groups/<slug:slug>/", lambda w: f"{GROUP}/", None, ALL_IN),
    ("group-update", "PATCH", "api/v1/groups/<slug:slug>/", lambda w: f"{GROUP}/", lambda w: {"description": "Art!"},
     {A: 401, O: 403, G: 403, L: 200, M: 403, S: 200, E: 403}),
    ("group-join", "POST", "api/v1/groups/<slug:slug>/join/", lambda w: f"{GROUP}/join/", None,
     {**ALL_IN, E: 403}),
    ("group-leave", "POST", "api/v1/groups/<slug:slug>/leave/", lambda w: f"{GROUP}/leave/", None,
     {**{r: 204 for r in ROLES}, A: 401}),
    ("group-members", "GET", "api/v1/groups/<slug:slug>/members/", lambda w: f"{GROUP}/members/", None,
     {A: 401, O: 403, G: 200, L: 200, M: 200, S: 200, E: 403}),
    ("group-member-add", "POST", "api/v1/groups/<slug:slug>/members/", lambda w: f"{GROUP}/members/",
     lambda w: {"user_id": w.users["outsider"].pk},
     {A: 401, O: 403, G: 403, L: 200, M: 403, S: 200, E: 403}),
    ("group-member-approve", "POST", "api/v1/groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
     lambda w: f"{GROUP}/members/{w.asker.pk}/approve/", None,
     {A: 401, O: 403, G: 403, L: 200, M: 403, S: 200, E: 403}),
    ("group-member-promote", "POST", "api/v1/groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
     lambda w: f"{GROUP}/members/{w.target.pk}/promote/", None, STAFF_ONLY),
    ("invitations", "GET", "api/v1/invitations/", lambda w: "/api/v1/invitations/", None, ALL_IN),
    ("invitation-create", "POST", "api/v1/invitations/", lambda w: "/api/v1/invitations/",
     lambda w: {"group": w.group.pk}, {A: 401, O: 403, G: 403, L: 201, M: 403, S: 201, E: 403}),
    ("invitation-check", "POST", "api/v1/invitations/check/", lambda w: "/api/v1/invitations/check/",
     lambda w: {"code": w.invitation.code}, {r: 200 for r in ROLES}),
    ("invitation", "GET", "api/v1/invitations/<int:invitation_id>/",
     lambda w: f"/api/v1/invitations/{w.invitation.pk}/", None,
     {A: 401, O: 404, G: 404, L: 200, M: 404, S: 200, E: 404}),
    ("invitation-revoke", "POST", "api/v1/invitations/<int:invitation_id>/revoke/",
     lambda w: f"/api/v1/invitations/{w.invitation.pk}/revoke/", None,
     {A: 401, O: 404, G: 404, L: 200, M: 404, S: 200, E: 404}),
    ("notifications", "GET", "api/v1/notifications/", lambda w: "/api/v1/notifications/", None, ALL_IN),
    ("notifications-unread", "GET", "api/v1/notifications/unread-count/",
     lambda w: "/api/v1/notifications/unread-count/", None, ALL_IN),
    ("notification-read", "POST", "api/v1/notifications/<int:notification_id>/read/",
     lambda w: f"/api/v1/notifications/{w.notification.pk}/read/", None,
     {A: 401, O: 404, G: 200, L: 404, M: 404, S: 404, E: 404}),
    ("notifications-read-all", "POST", "api/v1/notifications/read-all/",
     lambda w: "/api/v1/notifications/read-all/", None, ALL_IN),
    ("notification-preferences", "GET", "api/v1/notifications/preferences/",
     lambda w: "/api/v1/notifications/preferences/", None, ALL_IN),
    ("notification-preferences-update", "PUT", "api/v1/notifications/preferences/",
     lambda w: "/api/v1/notifications/preferences/",
     lambda w: {"kinds": [{"key": "welcome", "email": True}], "quiet_hours_start": None, "quiet_hours_end": None},
     ALL_IN),
]  # fmt: skip


def _api_routes() -> set[tuple[str, str]]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    found = set()
    for route, callback in walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        view = getattr(callback, "cls", None)
        for method in ("get", "post", "put", "patch", "delete"):
            if view is not None and hasattr(view, method):
                found.add((method.upper(), route))
    return found


def test_every_api_endpoint_is_in_the_matrix():
    covered = {(method, route) for _, method, route, *_ in MATRIX}
    missing = sorted(_api_routes() - covered)
    assert missing == [], f"add these endpoints to the permission matrix: {missing}"


def _client_for(role: str, w: World) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(user=w.users[role])
    return client


CASES = [(name, role) for name, *_rest in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
@pytest.mark.django_db
def test_permission_matrix(world, name, role):
    _, method, _, url, body, expected = next(row for row in MATRIX if row[0] == name)
    client = _client_for(role, world)
    response = getattr(client, method.lower())(url(world), body(world) if body else None, format="json")
    want = expected[role]
    assert response.status_code == want, (response.status_code, getattr(response, "data", None))
    if want >= 400:
        assert set(response.json()) >= {"code", "detail"}
    if name == "invitations" and role not in (A, L, S):
        assert response.json()["results"] == [], "only the creator and staff see an invitation"

"""/api/v1/groups/: every endpoint across anonymous, member, group member, leader, moderator, staff and evaluator."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from community.models import (
    AuditEntry,
    Group,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
    Notification,
    User,
)

GROUPS = "/api/v1/groups/"
ART = "/api/v1/groups/art-club/"


@pytest.fixture
def in_group(make_user, group, add_member):
    """An ordinary member who is in Art Club."""
    user = make_user(display_name="Sky")
    add_member(group, user)
    return user


@pytest.fixture
def who(request, member, in_group, leader, moderator, staff, evaluator):
    """Look a role up by name; "anonymous" gives None."""
    people = {
        "anonymous": None,
        "member": member,
        "in_group": in_group,
        "leader": leader,
        "moderator": moderator,
        "staff": staff,
        "evaluator": evaluator,
    }
    return people.__getitem__


def call(api_as, user, method: str, url: str, data: dict | None = None):
    return getattr(api_as(user), method)(url, data or {}, format="json")


def expect(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content
    if code is not None:
        assert response.json()["code"] == code
    return response


# --- GET/POST /groups/ -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 200, None),
        ("in_group", 200, None),
        ("leader", 200, None),
        ("moderator", 200, None),
        ("staff", 200, None),
        ("evaluator", 200, None),
    ],
)
def test_list_access(api_as, who, role, status, code):
    expect(call(api_as, who(role), "get", GROUPS), status, code)


@pytest.mark.parametrize(
    ("role", "sees_hidden"),
    [("member", False), ("in_group", True), ("moderator", True), ("staff", True), ("evaluator", False)],
)
def test_list_hides_unlisted_groups_from_people_outside_them(
    api_as, who, make_group, add_member, in_group, role, sees_hidden
):
    hidden = make_group(name="Quiet Room", is_listed=False)
    add_member(hidden, in_group)
    names = [row["name"] for row in call(api_as, who(role), "get", GROUPS).json()["results"]]
    assert ("Quiet Room" in names) is sees_hidden
    assert "Art Club" in names


def test_list_shape_filters_and_my_place(api_as, leader, make_group, member, add_member):
    make_group(name="Football", description="Kick about")
    body = call(api_as, leader, "get", GROUPS).json()
    art = next(row for row in body["results"] if row["slug"] == "art-club")
    assert art == {
        "id": Group.objects.get(slug="art-club").pk,
        "slug": "art-club",
        "name": "Art Club",
        "description": "",
        "join_policy": "request",
        "is_listed": True,
        "is_archived": False,
        "member_count": 1,
        "my_status": "active",
        "my_role": "leader",
    }
    assert body["count"] == 2
    assert [r["name"] for r in call(api_as, leader, "get", GROUPS + "?search=kick").json()["results"]] == ["Football"]
    assert [r["name"] for r in call(api_as, leader, "get", GROUPS + "?mine=true").json()["results"]] == ["Art Club"]
    assert call(api_as, member, "get", GROUPS + "?mine=1").json()["count"] == 0


def test_list_query_count_does_not_grow(api_as, member, make_group, add_member, django_assert_max_num_queries):
    client = api_as(member)

    def count(n: int) -> int:
        for _ in range(n):
            add_member(make_group(), member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(GROUPS).status_code == 200
        return len(queries)

    small, large = count(3), count(12)
    assert small == large
    with django_assert_max_num_queries(small):
        assert client.get(GROUPS).json()["count"] == 15


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 403, "staff_only"),
        ("leader", 403, "staff_only"),
        ("moderator", 403, "staff_only"),
        ("evaluator", 403, "staff_only"),
        ("staff", 201, None),
    ],
)
def test_create_access(api_as, who, role, status, code):
    response = expect(call(api_as, who(role), "post", GROUPS, {"name": "Drama"}), status, code)
    assert Group.objects.filter(name="Drama").exists() is (status == 201)
    if status == 201:
        assert response.json()["slug"] == "drama"
        assert response.json()["leaders"] == []


def test_create_errors(api_as, staff, group):
    expect(call(api_as, staff, "post", GROUPS, {"name": "art club"}), 409, "group_name_taken")
    expect(call(api_as, staff, "post", GROUPS, {}), 400, "invalid")
    expect(call(api_as, staff, "post", GROUPS, {"name": "X", "join_policy": "maybe"}), 400, "invalid")


# --- GET/PATCH /groups/<slug>/ ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 200, None),
        ("in_group", 200, None),
        ("leader", 200, None),
        ("moderator", 200, None),
        ("staff", 200, None),
        ("evaluator", 200, None),
    ],
)
def test_detail_access(api_as, who, role, status, code):
    response = expect(call(api_as, who(role), "get", ART), status, code)
    if status == 200:
        leaders = [person["display_name"] for person in response.json()["leaders"]]
        assert leaders == ([] if role == "evaluator" else ["Leader Jo"])


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 404), ("in_group", 404), ("leader", 404), ("evaluator", 404), ("moderator", 200), ("staff", 200)],
)
def test_detail_of_an_unlisted_group(api_as, who, make_group, role, status):
    make_group(name="Quiet", slug="quiet", is_listed=False)
    expect(call(api_as, who(role), "get", GROUPS + "quiet/"), status, "group_not_found" if status == 404 else None)


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 403, "not_a_leader"),
        ("in_group", 403, "not_a_leader"),
        ("moderator", 403, "not_a_leader"),
        ("evaluator", 403, "not_a_leader"),
        ("leader", 200, None),
        ("staff", 200, None),
    ],
)
def test_update_access(api_as, who, group, role, status, code):
    response = expect(call(api_as, who(role), "patch", ART, {"description": "We paint."}), status, code)
    group.refresh_from_db()
    assert (group.description == "We paint.") is (status == 200)
    if status == 200:
        assert response.json()["description"] == "We paint."


def test_update_staff_only_fields(api_as, leader, staff, group):
    expect(call(api_as, leader, "patch", ART, {"name": "Painting"}), 403, "staff_only")
    body = expect(call(api_as, staff, "patch", ART, {"name": "Painting", "is_listed": False}), 200).json()
    assert (body["name"], body["is_listed"], body["slug"]) == ("Painting", False, "art-club")


# --- POST join / leave -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "code", "state"),
    [
        ("anonymous", 401, "not_authenticated", None),
        ("member", 200, None, "pending"),
        ("in_group", 200, None, "active"),
        ("leader", 200, None, "active"),
        ("moderator", 200, None, "pending"),
        ("staff", 200, None, "pending"),
        ("evaluator", 403, "evaluator_cannot_join", None),
    ],
)
def test_join_access(api_as, who, role, status, code, state):
    response = expect(call(api_as, who(role), "post", ART + "join/"), status, code)
    if state:
        assert response.json()["status"] == state


def test_join_open_group_output_and_twice(api_as, member, make_group):
    make_group(name="Open", slug="open", join_policy=JoinPolicy.OPEN)
    first = expect(call(api_as, member, "post", GROUPS + "open/join/"), 200).json()
    second = expect(call(api_as, member, "post", GROUPS + "open/join/"), 200).json()
    assert first == second
    assert set(first) == {"user_id", "display_name", "role", "status", "joined_at"}
    assert (first["user_id"], first["display_name"], first["role"], first["status"]) == (
        member.pk,
        "Robin",
        "member",
        "active",
    )
    assert Membership.objects.filter(user=member).count() == 1


def test_join_refusals(api_as, member, make_group, add_member):
    make_group(name="Invite", slug="invite", join_policy=JoinPolicy.INVITE)
    banned_from = make_group(name="Banned", slug="banned", join_policy=JoinPolicy.OPEN)
    add_member(banned_from, member, status=MembershipStatus.BANNED)
    make_group(name="Hidden", slug="hidden", is_listed=False)
    expect(call(api_as, member, "post", GROUPS + "invite/join/"), 403, "invite_only")
    expect(call(api_as, member, "post", GROUPS + "banned/join/"), 403, "banned_from_group")
    expect(call(api_as, member, "post", GROUPS + "hidden/join/"), 404, "group_not_found")


def test_join_request_notifies_leader(api_as, member, leader):
    call(api_as, member, "post", ART + "join/")
    assert Notification.objects.filter(user=leader, kind="membership_requested").count() == 1


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 204, None),
        ("in_group", 204, None),
        ("leader", 204, None),
        ("moderator", 204, None),
        ("staff", 204, None),
        ("evaluator", 204, None),
    ],
)
def test_leave_access(api_as, who, role, status, code, group):
    user = who(role)
    expect(call(api_as, user, "post", ART + "leave/"), status, code)
    expect(call(api_as, user, "post", ART + "leave/"), status, code)  # twice is fine
    if role in ("in_group", "leader"):
        assert Membership.objects.get(group=group, user=user).status == MembershipStatus.LEFT


# --- GET/POST /groups/<slug>/members/ --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 403, "not_a_member"),
        ("evaluator", 403, "not_a_member"),
        ("in_group", 200, None),
        ("leader", 200, None),
        ("moderator", 200, None),
        ("staff", 200, None),
    ],
)
def test_members_access(api_as, who, role, status, code):
    response = expect(call(api_as, who(role), "get", ART + "members/"), status, code)
    if status == 200:
        assert [(m["display_name"], m["role"]) for m in response.json()["results"]] == [
            ("Leader Jo", "leader"),
            ("Sky", "member"),
        ]


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("member", 403, "not_a_member"),
        ("in_group", 403, "not_a_leader"),
        ("moderator", 403, "not_a_leader"),
        ("evaluator", 403, "not_a_member"),
        ("leader", 200, None),
        ("staff", 200, None),
    ],
)
def test_pending_members_only_for_leaders_and_staff(api_as, who, role, status, code, group, make_user, add_member):
    add_member(group, make_user(display_name="Asker"), status=MembershipStatus.PENDING)
    url = ART + "members/?status=pending"
    if role in ("member", "evaluator"):
        url = ART + "members/"  # they can't see even the active list
    response = expect(call(api_as, who(role), "get", url), status, code)
    if status == 200:
        assert [m["display_name"] for m in response.json()["results"]] == ["Asker"]


def test_members_unknown_status(api_as, leader):
    expect(call(api_as, leader, "get", ART + "members/?status=royalty"), 400, "invalid_status")


def test_members_query_count_does_not_grow(api_as, leader, group, make_user, add_member, django_assert_max_num_queries):
    def fresh_client():  # a new user object per request, as in real life, so no cache carries over
        return api_as(User.objects.get(pk=leader.pk))

    def count(n: int) -> int:
        for _ in range(n):
            add_member(group, make_user())
        client = fresh_client()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ART + "members/").status_code == 200
        return len(queries)

    small, large = count(3), count(12)
    assert small == large
    client = fresh_client()
    with django_assert_max_num_queries(small):
        assert client.get(ART + "members/").json()["count"] == 16


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 403, "not_a_leader"),
        ("in_group", 403, "not_a_leader"),
        ("moderator", 403, "not_a_leader"),
        ("evaluator", 403, "not_a_leader"),
        ("leader", 200, None),
        ("staff", 200, None),
    ],
)
def test_add_member_access(api_as, who, role, status, code, group, make_user):
    newcomer = make_user(display_name="Newcomer")
    response = expect(call(api_as, who(role), "post", ART + "members/", {"user_id": newcomer.pk}), status, code)
    added = Membership.objects.filter(group=group, user=newcomer, status=MembershipStatus.ACTIVE).exists()
    assert added is (status == 200)
    if status == 200:
        assert response.json()["status"] == "active"
        assert Notification.objects.filter(user=newcomer, kind="membership_added").exists()


def test_add_member_errors(api_as, leader, group, add_member, make_user, evaluator):
    banned = make_user()
    add_member(group, banned, status=MembershipStatus.BANNED)
    expect(call(api_as, leader, "post", ART + "members/", {"user_id": 999_999}), 404, "person_not_found")
    expect(call(api_as, leader, "post", ART + "members/", {}), 400, "invalid")
    expect(call(api_as, leader, "post", ART + "members/", {"user_id": banned.pk}), 403, "banned_from_group")
    expect(call(api_as, leader, "post", ART + "members/", {"user_id": evaluator.pk}), 403, "evaluator_cannot_join")


# --- POST /groups/<slug>/members/<user_id>/<action>/ -----------------------------------------------

LEADER_ACTIONS = {
    # action: (the person's status before, status after, audit action)
    "approve": (MembershipStatus.PENDING, MembershipStatus.ACTIVE, "membership.approved"),
    "decline": (MembershipStatus.PENDING, MembershipStatus.DECLINED, "membership.declined"),
    "remove": (MembershipStatus.ACTIVE, MembershipStatus.REMOVED, "membership.removed"),
    "ban": (MembershipStatus.ACTIVE, MembershipStatus.BANNED, "membership.banned"),
    "unban": (MembershipStatus.BANNED, MembershipStatus.REMOVED, "membership.unbanned"),
}


@pytest.mark.parametrize("action", list(LEADER_ACTIONS))
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 403, "not_a_leader"),
        ("in_group", 403, "not_a_leader"),
        ("moderator", 403, "not_a_leader"),
        ("evaluator", 403, "not_a_leader"),
        ("leader", 200, None),
        ("staff", 200, None),
    ],
)
def test_leader_actions(api_as, who, role, status, code, action, group, make_user, add_member):
    if role == "moderator" and action in ("ban", "unban"):
        status, code = 200, None  # moderators ban from any group (site-wide moderation), and lift bans
    before, after, audit_action = LEADER_ACTIONS[action]
    person = make_user(display_name="Target")
    add_member(group, person, status=before)
    response = expect(call(api_as, who(role), "post", f"{ART}members/{person.pk}/{action}/"), status, code)
    stored = Membership.objects.get(group=group, user=person).status
    assert stored == (after if status == 200 else before)
    if status == 200:
        assert response.json()["status"] == after
        assert AuditEntry.objects.get(action=audit_action).actor == who(role)


@pytest.mark.parametrize("action", ["promote", "demote"])
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("member", 403, "staff_only"),
        ("in_group", 403, "staff_only"),
        ("leader", 403, "staff_only"),
        ("moderator", 403, "staff_only"),
        ("evaluator", 403, "staff_only"),
        ("staff", 200, None),
    ],
)
def test_appointing_leaders(api_as, who, role, status, code, action, group, make_user, add_member):
    start = MembershipRole.MEMBER if action == "promote" else MembershipRole.LEADER
    end = MembershipRole.LEADER if action == "promote" else MembershipRole.MEMBER
    person = make_user(display_name="Target")
    add_member(group, person, role=start)
    response = expect(call(api_as, who(role), "post", f"{ART}members/{person.pk}/{action}/"), status, code)
    assert Membership.objects.get(group=group, user=person).role == (end if status == 200 else start)
    if status == 200:
        assert response.json()["role"] == end
        assert Notification.objects.filter(user=person, kind="leader_changed").exists()


def test_action_errors(api_as, leader, staff, in_group, group, make_user, add_member):
    co_leader = make_user(display_name="Co Leader")
    add_member(group, co_leader, role=MembershipRole.LEADER)
    expect(call(api_as, leader, "post", f"{ART}members/{in_group.pk}/knight/"), 404, "unknown_action")
    expect(call(api_as, leader, "post", f"{ART}members/999999/approve/"), 404, "person_not_found")
    expect(call(api_as, leader, "post", f"{ART}members/{in_group.pk}/approve/"), 409, "not_pending")
    expect(call(api_as, leader, "post", f"{ART}members/{co_leader.pk}/remove/"), 403, "cannot_remove_leader")
    expect(call(api_as, leader, "post", f"{ART}members/{leader.pk}/ban/"), 400, "not_yourself")
    expect(call(api_as, leader, "post", f"{ART}members/{in_group.pk}/unban/"), 409, "not_banned")
    expect(call(api_as, staff, "post", f"{ART}members/{make_user().pk}/promote/"), 409, "not_a_member")
    expect(call(api_as, leader, "post", f"{GROUPS}nope/members/{in_group.pk}/remove/"), 404, "group_not_found")


def test_schema_documents_every_groups_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert set(paths["/api/v1/groups/"]) >= {"get", "post"}
    assert set(paths["/api/v1/groups/{slug}/"]) >= {"get", "patch"}
    assert "post" in paths["/api/v1/groups/{slug}/join/"]
    assert "post" in paths["/api/v1/groups/{slug}/leave/"]
    assert set(paths["/api/v1/groups/{slug}/members/"]) >= {"get", "post"}
    action = paths["/api/v1/groups/{slug}/members/{user_id}/{action}/"]["post"]
    enum = next(p["schema"]["enum"] for p in action["parameters"] if p["name"] == "action")
    assert sorted(enum) == sorted(["approve", "decline", "remove", "ban", "unban", "promote", "demote"])

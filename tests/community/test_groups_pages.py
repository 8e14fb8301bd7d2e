"""Group pages: list, detail, create, edit, join, leave and the members page for leaders and staff."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.models import Group, JoinPolicy, Membership, MembershipRole, MembershipStatus, Notification

LIST = "/groups/"
ART = "/groups/art-club/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def status_of(group, user) -> str | None:
    return Membership.objects.filter(group=group, user=user).values_list("status", flat=True).first()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the list --------------------------------------------------------------------------------------


def test_list_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_list_shows_cards_with_count_policy_and_my_status(leader, make_group, member, add_member):
    open_group = make_group(name="Open Mic", join_policy=JoinPolicy.OPEN, description="Sing, play or just listen.")
    add_member(open_group, member)
    make_group(name="Secret", is_listed=False)

    page = text(logged_in(member).get(LIST))

    assert "<h1>Groups</h1>" in page
    assert "Art Club" in page and "Open Mic" in page
    assert "Secret" not in page
    assert "Sing, play or just listen." in page
    assert "1 member ·" in page
    assert "Any member can join" in page
    assert "Members ask to join and a leader says yes" in page
    assert "You're a member" in page


def test_list_tabs_and_search(member, make_group, add_member, group):
    add_member(make_group(name="Football"), member)
    client = logged_in(member)

    mine = text(client.get(LIST + "?tab=mine"))
    assert "Football" in mine and "Art Club" not in mine
    assert 'href="/groups/?tab=mine" aria-current="page"' in mine

    found = text(client.get(LIST + "?q=art"))
    assert "Art Club" in found and "Football" not in found
    assert 'value="art"' in found

    assert "No groups match" in text(client.get(LIST + "?q=zzz"))


def test_list_offers_new_group_only_to_staff(member, staff):
    assert "/groups/new/" not in text(logged_in(member).get(LIST))
    assert "/groups/new/" in text(logged_in(staff).get(LIST))


def test_list_query_count_does_not_grow(member, make_group, add_member, django_assert_max_num_queries):
    client = logged_in(member)
    client.get("/me/password/")  # the policy gate remembers the member's yes after their first request

    def count(n: int) -> int:
        for _ in range(n):
            add_member(make_group(), member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    small, large = count(3), count(12)
    assert small == large
    with django_assert_max_num_queries(small):
        assert client.get(LIST).status_code == 200


# --- creating and editing --------------------------------------------------------------------------


def test_staff_create_a_group(staff):
    client = logged_in(staff)
    assert client.get("/groups/new/").status_code == 200
    response = client.post(
        "/groups/new/", {"name": "Drama", "description": "Acting games.", "join_policy": "open", "is_listed": "on"}
    )
    group = Group.objects.get(name="Drama")
    assert response.status_code == 302
    assert response["Location"] == "/groups/drama/"
    assert (group.join_policy, group.is_listed, group.created_by) == ("open", True, staff)


def test_create_shows_a_taken_name_as_a_form_error(staff, group):
    response = logged_in(staff).post("/groups/new/", {"name": "Art club", "join_policy": "request"})
    assert response.status_code == 200
    assert "already a group with that name" in text(response)
    assert 'aria-invalid="true"' in text(response)


@pytest.mark.parametrize("fixture", ["member", "leader", "moderator", "evaluator"])
def test_create_is_for_staff_only(request, fixture):
    response = logged_in(request.getfixturevalue(fixture)).get("/groups/new/")
    assert response.status_code == 403
    assert "Only staff can start a new group" in text(response)


def test_leader_edits_description_but_not_name(leader, group):
    client = logged_in(leader)
    form = text(client.get(ART + "edit/"))
    assert 'name="description"' in form
    assert 'name="name"' not in form and 'name="is_archived"' not in form

    response = client.post(ART + "edit/", {"description": "We paint on Tuesdays.", "join_policy": "open"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.description, group.join_policy, group.name) == ("We paint on Tuesdays.", "open", "Art Club")


def test_staff_edit_renames_and_archives(staff, group):
    response = logged_in(staff).post(
        ART + "edit/", {"name": "Painting", "description": "", "join_policy": "request", "is_archived": "on"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.is_listed, group.is_archived) == ("Painting", False, True)


@pytest.mark.parametrize("fixture", ["member", "moderator"])
def test_edit_is_for_leaders_and_staff(request, fixture, group):
    assert logged_in(request.getfixturevalue(fixture)).get(ART + "edit/").status_code == 403


# --- one group, joining and leaving ----------------------------------------------------------------


def test_detail_for_an_outsider_offers_ask_to_join_and_hides_members(member, leader, group):
    page = text(logged_in(member).get(ART))
    assert "<h1>Art Club</h1>" in page
    assert "Leader Jo" in page  # leaders are shown so people know who says yes
    assert "Ask to join Art Club" in page
    assert "Only members can see who" in page
    assert "Manage members" not in page


def test_detail_for_a_member_lists_members_and_offers_leave(member, leader, group, add_member):
    add_member(group, member)
    page = text(logged_in(member).get(ART))
    assert "Who's in the group" in page
    assert "Robin" in page
    assert 'href="/groups/art-club/leave/"' in page
    assert "Ask to join" not in page


def test_detail_for_a_leader_links_to_running_the_group(leader):
    page = text(logged_in(leader).get(ART))
    assert 'href="/groups/art-club/members/"' in page
    assert 'href="/groups/art-club/edit/"' in page


def test_detail_for_an_evaluator_shows_no_names(evaluator, leader):
    page = text(logged_in(evaluator).get(ART))
    assert "Leader Jo" not in page
    assert "evaluators don't join groups" in page


def test_detail_of_an_unlisted_group_is_not_found_for_outsiders(member, make_group):
    make_group(name="Hidden", slug="hidden", is_listed=False)
    response = logged_in(member).get("/groups/hidden/")
    assert response.status_code == 404
    assert "We couldn&#x27;t find that group." in text(response)


def test_join_an_open_group(member, make_group):
    open_group = make_group(name="Open Mic", slug="open-mic", join_policy=JoinPolicy.OPEN)
    response = logged_in(member).post("/groups/open-mic/join/", follow=True)
    assert status_of(open_group, member) == MembershipStatus.ACTIVE
    assert "Welcome to Open Mic! You&#x27;re a member now." in text(response)


def test_ask_to_join_a_request_group(member, leader, group):
    response = logged_in(member).post(ART + "join/", follow=True)
    assert status_of(group, member) == MembershipStatus.PENDING
    assert "A peer leader will look soon" in text(response)
    assert Notification.objects.filter(user=leader, kind="membership_requested").exists()
    assert "Take back my request" in text(response)


def test_join_an_invite_only_group_shows_a_kind_error(member, make_group):
    make_group(name="Garden", slug="garden", join_policy=JoinPolicy.INVITE)
    response = logged_in(member).post("/groups/garden/join/", follow=True)
    assert response.status_code == 200
    assert "This group is by invitation" in " ".join(messages_of(response))
    assert Membership.objects.filter(user=member).count() == 0


def test_join_needs_post(member, group):
    assert logged_in(member).get(ART + "join/").status_code == 405


def test_leave_asks_first_then_leaves(member, group, add_member):
    add_member(group, member)
    client = logged_in(member)

    confirm = text(client.get(ART + "leave/"))
    assert "<h1>Leave Art Club?</h1>" in confirm
    assert "Yes, leave the group" in confirm
    assert status_of(group, member) == MembershipStatus.ACTIVE

    response = client.post(ART + "leave/", follow=True)
    assert status_of(group, member) == MembershipStatus.LEFT
    assert "You&#x27;ve left Art Club." in text(response)


def test_leave_when_not_a_member(member, group):
    client = logged_in(member)
    assert "You're not in Art Club" in text(client.get(ART + "leave/"))
    response = client.post(ART + "leave/", follow=True)
    assert "nothing to leave" in text(response)


def test_take_back_a_request(member, group, add_member):
    add_member(group, member, status=MembershipStatus.PENDING)
    response = logged_in(member).post(ART + "leave/", follow=True)
    assert status_of(group, member) == MembershipStatus.LEFT
    assert "Your request to join Art Club is taken back." in text(response)


# --- the members page ------------------------------------------------------------------------------


@pytest.fixture
def asker(make_user, group, add_member):
    user = make_user(display_name="Asker")
    add_member(group, user, status=MembershipStatus.PENDING)
    return user


@pytest.fixture
def sky(make_user, group, add_member):
    user = make_user(display_name="Sky")
    add_member(group, user)
    return user


def test_members_page_for_a_leader(leader, asker, sky, make_user, group, add_member):
    add_member(group, make_user(display_name="Banned Bo"), status=MembershipStatus.BANNED)
    page = text(logged_in(leader).get(ART + "members/"))
    assert "<h1>Members of Art Club</h1>" in page
    assert f"/groups/art-club/members/{asker.pk}/approve/" in page
    assert f"/groups/art-club/members/{asker.pk}/decline/" in page
    assert f"/groups/art-club/members/{sky.pk}/remove/" in page
    assert f"/groups/art-club/members/{sky.pk}/ban/" in page
    assert f"/groups/art-club/members/{leader.pk}/remove/" not in page  # not yourself
    assert "Banned Bo" in page and "Lift the ban" in page
    assert "Make peer leader" not in page  # staff only


def test_members_page_for_staff_offers_peer_leaders(staff, leader, sky):
    page = text(logged_in(staff).get(ART + "members/"))
    assert f"/groups/art-club/members/{sky.pk}/promote/" in page
    assert f"/groups/art-club/members/{leader.pk}/demote/" in page
    assert f"/groups/art-club/members/{leader.pk}/remove/" in page


@pytest.mark.parametrize("fixture", ["sky", "member", "moderator", "evaluator"])
def test_members_page_is_for_leaders_and_staff(request, fixture, group):
    response = logged_in(request.getfixturevalue(fixture)).get(ART + "members/")
    assert response.status_code == 403
    assert "Only this group&#x27;s peer leaders and staff" in text(response)


def test_leader_approves_a_request(leader, asker, group):
    response = logged_in(leader).post(f"{ART}members/{asker.pk}/approve/", follow=True)
    assert status_of(group, asker) == MembershipStatus.ACTIVE
    assert "Asker is in the group now." in text(response)
    assert Notification.objects.filter(user=asker, kind="membership_approved").exists()


def test_leader_declines_a_request(leader, asker, group):
    logged_in(leader).post(f"{ART}members/{asker.pk}/decline/")
    assert status_of(group, asker) == MembershipStatus.DECLINED


def test_remove_asks_first(leader, sky, group):
    client = logged_in(leader)
    confirm = text(client.get(f"{ART}members/{sky.pk}/remove/"))
    assert "<h1>Remove Sky from Art Club?</h1>" in confirm
    assert status_of(group, sky) == MembershipStatus.ACTIVE
    client.post(f"{ART}members/{sky.pk}/remove/")
    assert status_of(group, sky) == MembershipStatus.REMOVED


def test_ban_and_unban(leader, sky, group):
    client = logged_in(leader)
    client.post(f"{ART}members/{sky.pk}/ban/")
    assert status_of(group, sky) == MembershipStatus.BANNED
    client.post(f"{ART}members/{sky.pk}/unban/")
    assert status_of(group, sky) == MembershipStatus.REMOVED


def test_staff_promotes(staff, sky, group):
    logged_in(staff).post(f"{ART}members/{sky.pk}/promote/")
    assert Membership.objects.get(group=group, user=sky).role == MembershipRole.LEADER


def test_a_refused_action_is_a_message_not_an_error_page(leader, sky, group):
    response = logged_in(leader).post(f"{ART}members/{sky.pk}/promote/", follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["Only staff can choose peer leaders."]
    assert Membership.objects.get(group=group, user=sky).role == MembershipRole.MEMBER


def test_unknown_action_or_person(leader, sky):
    client = logged_in(leader)
    assert client.post(f"{ART}members/{sky.pk}/knight/").status_code == 404
    assert client.post(f"{ART}members/999999/approve/").status_code == 404


def test_add_a_person_by_display_name(leader, member, group):
    response = logged_in(leader).post(ART + "members/", {"display_name": "robin"}, follow=True)
    assert status_of(group, member) == MembershipStatus.ACTIVE
    assert "Robin is in Art Club now." in text(response)


def test_add_an_unknown_name_shows_a_form_error(leader, group):
    response = logged_in(leader).post(ART + "members/", {"display_name": "Nobody Here"})
    assert response.status_code == 200
    assert "We couldn&#x27;t find anyone with that name." in text(response)
    assert Membership.objects.filter(group=group).count() == 1

"""/invitations/: the list, making a code, seeing its link, cancelling it."""

from __future__ import annotations

import pytest

from community.models import Invitation, MembershipRole
from community.services.invitations import invitation_create


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_anonymous_is_asked_to_log_in(client, db):
    response = client.get("/invitations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/invitations/")


def test_member_sees_why_they_cannot_invite(client, member):
    client.force_login(member)
    response = client.get("/invitations/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only staff and peer leaders can make invitations" in html
    assert 'name="max_uses"' not in html


def test_member_cannot_make_a_code_by_posting(client, member, group, add_member):
    add_member(group, member)
    client.force_login(member)
    client.post("/invitations/", {"group": group.pk, "max_uses": 1, "expires_in_days": 14})
    assert not Invitation.objects.exists()


def test_leader_only_gets_their_groups_to_choose_from(client, leader, group, make_group):
    make_group(name="Chess Club")
    client.force_login(leader)
    html = client.get("/invitations/").content.decode()
    assert "Art Club" in html
    assert "Chess Club" not in html
    assert "No group" not in html


def test_staff_can_choose_any_group_or_none(client, staff, group, make_group):
    make_group(name="Chess Club")
    client.force_login(staff)
    html = client.get("/invitations/").content.decode()
    assert "Art Club" in html
    assert "Chess Club" in html
    assert "No group (they join Here and Now only)" in html


def test_leader_makes_a_code_and_sees_the_link(client, leader, group):
    client.force_login(leader)
    response = client.post(
        "/invitations/", {"group": group.pk, "max_uses": 2, "expires_in_days": 7, "note": "For Sam"}, follow=True
    )
    invitation = Invitation.objects.get()
    assert response.redirect_chain[-1][0] == f"/invitations/{invitation.pk}/"
    assert invitation.group == group
    assert invitation.max_uses == 2
    assert invitation.created_by == leader
    html = response.content.decode()
    assert invitation.code in html
    assert f"http://testserver/join/?code={invitation.code}" in html
    assert "For Sam" in html
    assert any(invitation.code in message for message in messages_on(response))


def test_staff_makes_a_code_without_a_group(client, staff):
    client.force_login(staff)
    client.post("/invitations/", {"group": "", "max_uses": 1, "expires_in_days": 14})
    assert Invitation.objects.get().group is None


def test_leader_cannot_pick_a_group_they_do_not_lead(client, leader, make_group):
    other = make_group()
    client.force_login(leader)
    response = client.post("/invitations/", {"group": other.pk, "max_uses": 1, "expires_in_days": 14})
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize(("field", "value"), [("max_uses", 101), ("expires_in_days", 91), ("max_uses", 0)])
def test_out_of_range_values_show_an_error(client, staff, field, value):
    client.force_login(staff)
    data = {"group": "", "max_uses": 1, "expires_in_days": 14, field: value}
    response = client.post("/invitations/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Invitation.objects.exists()


def test_service_refusal_shows_on_the_form(client, staff, group, monkeypatch):
    """A refusal only the service knows about (here: the group was archived a moment ago) appears on the form."""
    from community.errors import Conflict
    from community.views import invitations as views

    def refuse(**kwargs):
        raise Conflict("This group is archived, so nobody new can join it.", code="group_archived")

    monkeypatch.setattr(views, "invitation_create", refuse)
    client.force_login(staff)
    response = client.post("/invitations/", {"group": group.pk, "max_uses": 1, "expires_in_days": 14})
    assert response.status_code == 200
    assert "archived" in response.content.decode()


def test_list_shows_status_in_words(client, staff, group):
    invitation_create(actor=staff, group=group)
    client.force_login(staff)
    html = client.get("/invitations/").content.decode()
    assert "Ready to use" in html
    assert "1 of 1" in html


def test_list_query_count_does_not_grow(
    client, staff, make_user, make_group, add_member, django_assert_max_num_queries
):
    client.force_login(staff)

    def make_some(n: int) -> None:
        for _ in range(n):
            group = make_group()
            creator = make_user()
            add_member(group, creator, role=MembershipRole.LEADER)
            invitation_create(actor=creator, group=group)

    make_some(2)
    client.get("/invitations/")
    with django_assert_max_num_queries(12) as few:
        client.get("/invitations/")
    make_some(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/invitations/")
    assert len(response.context["rows"]) == 17


def test_creator_cancels_a_code(client, leader, group):
    invitation = invitation_create(actor=leader, group=group)
    client.force_login(leader)
    response = client.post(f"/invitations/{invitation.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == "/invitations/"
    invitation.refresh_from_db()
    assert invitation.revoked_by == leader
    assert "Cancelled" in response.content.decode()
    assert any("cancelled" in message for message in messages_on(response))


def test_cancel_is_post_only(client, leader, group):
    invitation = invitation_create(actor=leader, group=group)
    client.force_login(leader)
    assert client.get(f"/invitations/{invitation.pk}/revoke/").status_code == 405


def test_co_leader_sees_the_code_but_cannot_cancel(client, leader, group, make_user, add_member):
    invitation = invitation_create(actor=leader, group=group)
    co_leader = make_user()
    add_member(group, co_leader, role=MembershipRole.LEADER)
    client.force_login(co_leader)
    detail = client.get(f"/invitations/{invitation.pk}/").content.decode()
    assert invitation.code in detail
    assert "Cancel this code" not in detail
    response = client.post(f"/invitations/{invitation.pk}/revoke/", follow=True)
    assert any("Only the person who made this invitation" in message for message in messages_on(response))
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("role_fixture", ["member", "moderator", "evaluator"])
def test_others_get_a_friendly_not_found(request, client, staff, role_fixture):
    invitation = invitation_create(actor=staff)
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(f"/invitations/{invitation.pk}/")
    assert response.status_code == 404
    assert "We couldn&#x27;t find that invitation." in response.content.decode()
    assert client.post(f"/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_used_code_detail_says_it_cannot_be_used(client, staff):
    invitation = invitation_create(actor=staff)
    Invitation.objects.filter(pk=invitation.pk).update(use_count=1)
    client.force_login(staff)
    html = client.get(f"/invitations/{invitation.pk}/").content.decode()
    assert "can&#x27;t be used any more" in html or "can't be used any more" in html
    assert "/join/?code=" not in html

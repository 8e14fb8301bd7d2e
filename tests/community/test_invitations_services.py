"""Invitation services: making, cancelling and checking codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from community.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RateLimited
from community.models import AuditEntry, Invitation, MembershipRole
from community.selectors.invitations import invitation_group_choices, invitations_visible_to
from community.services.invitations import (
    CODE_ALPHABET,
    invitation_code_normalise,
    invitation_create,
    invitation_find_usable,
    invitation_revoke,
)


def test_staff_can_make_a_code_without_a_group(staff):
    invitation = invitation_create(actor=staff)
    assert invitation.group is None
    assert invitation.max_uses == 1
    assert invitation.created_by == staff
    days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
    assert 13.9 < days <= 14
    assert AuditEntry.objects.filter(action="invitation.created", target_id=str(invitation.pk), actor=staff).exists()


def test_code_is_easy_to_read_aloud_and_unguessable(staff):
    codes = {invitation_create(actor=staff).code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert code.startswith("HN-")
        body = code[3:]
        assert len(body) == 8
        assert set(body) <= set(CODE_ALPHABET)
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_staff_can_make_a_code_for_any_group(staff, group):
    invitation = invitation_create(actor=staff, group=group, max_uses=5, expires_in_days=30, note="For the youth club")
    assert invitation.group == group
    assert invitation.max_uses == 5
    assert invitation.note == "For the youth club"


def test_leader_can_make_a_code_for_their_group(leader, group):
    invitation = invitation_create(actor=leader, group=group)
    assert invitation.group == group


def test_leader_cannot_make_a_code_for_another_group(leader, make_group):
    other = make_group()
    with pytest.raises(Forbidden) as caught:
        invitation_create(actor=leader, group=other)
    assert caught.value.code == "not_allowed_to_invite"


def test_leader_needs_a_group(leader):
    with pytest.raises(Forbidden) as caught:
        invitation_create(actor=leader, group=None)
    assert caught.value.code == "not_allowed_to_invite"


@pytest.mark.parametrize("role_fixture", ["member", "moderator", "evaluator"])
def test_people_who_are_not_staff_or_leaders_cannot_invite(request, role_fixture, group):
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(Forbidden) as caught:
        invitation_create(actor=actor, group=group)
    assert caught.value.code == "not_allowed_to_invite"
    assert not Invitation.objects.exists()


def test_plain_member_of_the_group_cannot_invite(member, group, add_member):
    add_member(group, member)
    with pytest.raises(Forbidden):
        invitation_create(actor=member, group=group)


@pytest.mark.parametrize("max_uses", [0, -1, 101])
def test_max_uses_must_be_between_1_and_100(staff, max_uses):
    with pytest.raises(InvalidInput) as caught:
        invitation_create(actor=staff, max_uses=max_uses)
    assert caught.value.code == "invalid_max_uses"


@pytest.mark.parametrize("days", [0, 91])
def test_expiry_must_be_between_1_and_90_days(staff, days):
    with pytest.raises(InvalidInput) as caught:
        invitation_create(actor=staff, expires_in_days=days)
    assert caught.value.code == "invalid_expiry"


def test_edges_of_the_allowed_ranges_are_fine(staff):
    assert invitation_create(actor=staff, max_uses=100, expires_in_days=90).max_uses == 100
    assert invitation_create(actor=staff, max_uses=1, expires_in_days=1).max_uses == 1


def test_no_codes_for_an_archived_group(staff, make_group):
    archived = make_group(is_archived=True)
    with pytest.raises(Conflict) as caught:
        invitation_create(actor=staff, group=archived)
    assert caught.value.code == "group_archived"


def test_note_is_limited(staff):
    with pytest.raises(InvalidInput) as caught:
        invitation_create(actor=staff, note="x" * 121)
    assert caught.value.code == "invalid_note"


def test_creator_can_revoke_and_it_is_audited(leader, group):
    invitation = invitation_create(actor=leader, group=group)
    invitation_revoke(actor=leader, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.revoked_by == leader
    assert invitation.status == "revoked"
    assert AuditEntry.objects.filter(action="invitation.revoked", target_id=str(invitation.pk)).count() == 1


def test_revoking_twice_is_fine_and_keeps_the_first_time(staff):
    invitation = invitation_create(actor=staff)
    first = invitation_revoke(actor=staff, invitation=invitation).revoked_at
    second = invitation_revoke(actor=staff, invitation=invitation).revoked_at
    assert first == second
    assert AuditEntry.objects.filter(action="invitation.revoked").count() == 1


def test_staff_can_revoke_a_leaders_code(staff, leader, group):
    invitation = invitation_create(actor=leader, group=group)
    invitation_revoke(actor=staff, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_by == staff


def test_another_leader_cannot_revoke(leader, group, make_user, add_member):
    invitation = invitation_create(actor=leader, group=group)
    co_leader = make_user()
    add_member(group, co_leader, role=MembershipRole.LEADER)
    with pytest.raises(Forbidden) as caught:
        invitation_revoke(actor=co_leader, invitation=invitation)
    assert caught.value.code == "not_allowed_to_revoke"
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize(
    "typed",
    ["HN-ABCD2345", "hn-abcd2345", "  hn abcd 2345 ", "ABCD2345", "abcd-2345", "HNABCD2345", "hn—abcd—2345"],
)
def test_codes_are_forgiving_to_type(typed):
    assert invitation_code_normalise(typed) == "HN-ABCD2345"


def test_a_code_body_that_starts_with_hn_is_kept_whole():
    assert invitation_code_normalise("HNAB2345") == "HN-HNAB2345"


def test_find_usable_code(staff, group):
    invitation = invitation_create(actor=staff, group=group)
    found = invitation_find_usable(code=invitation.code.lower().replace("-", " "))
    assert found == invitation


def test_unknown_code(db):
    with pytest.raises(NotFound) as caught:
        invitation_find_usable(code="HN-ZZZZZZZZ")
    assert caught.value.code == "invitation_not_found"


def test_expired_code_says_so_kindly(staff):
    invitation = invitation_create(actor=staff)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError) as caught:
        invitation_find_usable(code=invitation.code)
    assert caught.value.code == "invitation_expired"
    assert caught.value.detail == "This code has expired. Ask the person who gave it to you for a new one."


def test_used_up_code(staff):
    invitation = invitation_create(actor=staff, max_uses=2)
    Invitation.objects.filter(pk=invitation.pk).update(use_count=2)
    with pytest.raises(DomainError) as caught:
        invitation_find_usable(code=invitation.code)
    assert caught.value.code == "invitation_used_up"


def test_revoked_code(staff):
    invitation = invitation_create(actor=staff)
    invitation_revoke(actor=staff, invitation=invitation)
    with pytest.raises(DomainError) as caught:
        invitation_find_usable(code=invitation.code)
    assert caught.value.code == "invitation_revoked"


@override_settings(HN_CODE_ATTEMPTS_PER_15_MIN=3)
def test_tries_at_codes_are_limited_per_address(staff):
    invitation = invitation_create(actor=staff)
    for _ in range(3):
        with pytest.raises(NotFound):
            invitation_find_usable(code="HN-WRONGWRG", client_ip="10.0.0.1")
    with pytest.raises(RateLimited) as caught:
        invitation_find_usable(code=invitation.code, client_ip="10.0.0.1")
    assert caught.value.code == "rate_limited"
    assert invitation_find_usable(code=invitation.code, client_ip="10.0.0.2") == invitation


def test_selector_staff_see_every_code(staff, leader, group):
    mine = invitation_create(actor=staff)
    theirs = invitation_create(actor=leader, group=group)
    assert set(invitations_visible_to(user=staff)) == {mine, theirs}


def test_selector_leader_sees_own_and_their_groups_codes(staff, leader, group, make_group):
    for_their_group = invitation_create(actor=staff, group=group)
    own = invitation_create(actor=leader, group=group)
    invitation_create(actor=staff, group=make_group())
    invitation_create(actor=staff)
    assert set(invitations_visible_to(user=leader)) == {for_their_group, own}


def test_selector_member_sees_nothing(staff, member, group, add_member):
    add_member(group, member)
    invitation_create(actor=staff, group=group)
    assert list(invitations_visible_to(user=member)) == []


def test_selector_filters_by_status_and_group(staff, group):
    active = invitation_create(actor=staff, group=group)
    revoked = invitation_revoke(actor=staff, invitation=invitation_create(actor=staff))
    expired = invitation_create(actor=staff)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    used_up = invitation_create(actor=staff)
    Invitation.objects.filter(pk=used_up.pk).update(use_count=1)
    assert list(invitations_visible_to(user=staff, status="active")) == [active]
    assert list(invitations_visible_to(user=staff, status="revoked")) == [revoked]
    assert list(invitations_visible_to(user=staff, status="expired")) == [expired]
    assert list(invitations_visible_to(user=staff, status="used_up")) == [used_up]
    assert list(invitations_visible_to(user=staff, group_id=group.pk)) == [active]


def test_group_choices(staff, leader, group, make_group):
    other = make_group()
    make_group(is_archived=True)
    assert set(invitation_group_choices(user=staff)) == {group, other}
    assert list(invitation_group_choices(user=leader)) == [group]

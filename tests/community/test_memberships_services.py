"""Membership services: joining, leaving, requests, removals, bans, adding people and peer leaders."""

from __future__ import annotations

import pytest

from community import permissions
from community.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from community.models import (
    AuditEntry,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
    Notification,
    User,
)
from community.services.memberships import (
    JOIN_REQUESTS_PER_HOUR,
    membership_add,
    membership_approve,
    membership_ban,
    membership_decline,
    membership_demote,
    membership_join,
    membership_leave,
    membership_promote,
    membership_remove,
    membership_unban,
)

ACTED_ON_PERSON = [
    membership_approve,
    membership_decline,
    membership_remove,
    membership_ban,
    membership_unban,
    membership_add,
    membership_promote,
    membership_demote,
]


def status_of(group, user) -> str | None:
    return Membership.objects.filter(group=group, user=user).values_list("status", flat=True).first()


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def audit_for(group) -> list[str]:
    return list(AuditEntry.objects.filter(group=group).order_by("id").values_list("action", flat=True))


@pytest.fixture
def open_group(make_group):
    return make_group(name="Open Mic", join_policy=JoinPolicy.OPEN)


@pytest.fixture
def invite_group(make_group):
    return make_group(name="Secret Garden", join_policy=JoinPolicy.INVITE)


@pytest.fixture
def pending(member, group, add_member, leader):
    """Robin has asked to join Art Club, which Leader Jo leads."""
    return add_member(group, member, status=MembershipStatus.PENDING)


class TestJoin:
    def test_open_group_makes_you_a_member_at_once(self, member, open_group):
        membership = membership_join(actor=member, group=open_group)

        membership.refresh_from_db()
        assert membership.status == MembershipStatus.ACTIVE
        assert membership.role == MembershipRole.MEMBER
        assert membership.joined_at is not None
        assert membership.decided_by == member
        entry = AuditEntry.objects.get(action="membership.joined")
        assert (entry.actor, entry.group, entry.data["to"], entry.data["from"]) == (member, open_group, "active", None)

    def test_request_group_makes_you_pending_and_tells_every_leader(self, member, group, leader, make_user, add_member):
        other_leader = make_user(display_name="Leader Two")
        add_member(group, other_leader, role=MembershipRole.LEADER)
        plain_member = make_user(display_name="Just Member")
        add_member(group, plain_member)

        membership = membership_join(actor=member, group=group)

        assert membership.status == MembershipStatus.PENDING
        assert membership.joined_at is None
        assert kinds_for(leader) == ["membership_requested"]
        assert kinds_for(other_leader) == ["membership_requested"]
        assert kinds_for(plain_member) == []
        note = Notification.objects.get(user=leader)
        assert "Robin" in note.title
        assert note.url == "/groups/art-club/members/"
        assert audit_for(group) == ["membership.requested"]

    def test_invite_only_refuses(self, member, invite_group):
        with pytest.raises(Forbidden) as error:
            membership_join(actor=member, group=invite_group)
        assert error.value.code == "invite_only"
        assert status_of(invite_group, member) is None

    def test_banned_refuses(self, member, open_group, add_member):
        add_member(open_group, member, status=MembershipStatus.BANNED)
        with pytest.raises(Forbidden) as error:
            membership_join(actor=member, group=open_group)
        assert error.value.code == "banned_from_group"
        assert status_of(open_group, member) == MembershipStatus.BANNED

    def test_banned_is_checked_before_invite_only(self, member, invite_group, add_member):
        add_member(invite_group, member, status=MembershipStatus.BANNED)
        with pytest.raises(Forbidden) as error:
            membership_join(actor=member, group=invite_group)
        assert error.value.code == "banned_from_group"

    @pytest.mark.parametrize("policy", [JoinPolicy.OPEN, JoinPolicy.REQUEST])
    def test_joining_twice_returns_the_same_membership_without_noise(self, member, make_group, leader, policy):
        target = make_group(join_policy=policy)
        first = membership_join(actor=member, group=target)
        second = membership_join(actor=member, group=target)

        assert first.pk == second.pk
        assert Membership.objects.filter(group=target, user=member).count() == 1
        assert AuditEntry.objects.filter(group=target).count() == 1

    def test_pending_leader_notifications_are_not_repeated(self, member, group, leader):
        membership_join(actor=member, group=group)
        membership_join(actor=member, group=group)
        assert kinds_for(leader) == ["membership_requested"]

    @pytest.mark.parametrize("before", [MembershipStatus.LEFT, MembershipStatus.DECLINED, MembershipStatus.REMOVED])
    def test_rejoining_follows_the_policy(self, member, group, open_group, add_member, before):
        add_member(group, member, status=before)
        add_member(open_group, member, status=before)

        assert membership_join(actor=member, group=group).status == MembershipStatus.PENDING
        assert membership_join(actor=member, group=open_group).status == MembershipStatus.ACTIVE
        assert AuditEntry.objects.get(group=open_group).data["from"] == before

    def test_rejoining_after_leading_does_not_restore_leadership(self, member, open_group, add_member):
        add_member(open_group, member, role=MembershipRole.LEADER, status=MembershipStatus.LEFT)
        assert membership_join(actor=member, group=open_group).role == MembershipRole.MEMBER

    def test_unlisted_group_is_not_found_for_outsiders(self, member, make_group):
        hidden = make_group(is_listed=False, join_policy=JoinPolicy.OPEN)
        with pytest.raises(NotFound) as error:
            membership_join(actor=member, group=hidden)
        assert error.value.code == "group_not_found"

    def test_archived_group_refuses(self, staff, make_group):
        archived = make_group(join_policy=JoinPolicy.OPEN, is_archived=True)
        with pytest.raises(Forbidden) as error:
            membership_join(actor=staff, group=archived)
        assert error.value.code == "group_archived"

    def test_evaluators_do_not_join(self, evaluator, open_group):
        with pytest.raises(Forbidden) as error:
            membership_join(actor=evaluator, group=open_group)
        assert error.value.code == "evaluator_cannot_join"

    def test_asking_again_and_again_is_rate_limited(self, member, group, leader):
        for _ in range(JOIN_REQUESTS_PER_HOUR):
            membership_join(actor=member, group=group)
            membership_leave(actor=member, group=group)
        with pytest.raises(RateLimited) as error:
            membership_join(actor=member, group=group)
        assert error.value.code == "rate_limited"
        assert kinds_for(leader) == ["membership_requested"] * JOIN_REQUESTS_PER_HOUR

    def test_permission_cache_sees_the_new_membership(self, member, open_group):
        assert permissions.can_see_members(member, open_group) is False
        membership_join(actor=member, group=open_group)
        assert permissions.can_see_members(member, open_group) is True


class TestLeave:
    def test_member_leaves(self, member, group, add_member):
        add_member(group, member)
        membership = membership_leave(actor=member, group=group)
        assert membership.status == MembershipStatus.LEFT
        assert status_of(group, member) == MembershipStatus.LEFT
        assert audit_for(group) == ["membership.left"]

    def test_leaving_twice_and_never_joining_are_fine(self, member, group, add_member):
        assert membership_leave(actor=member, group=group) is None
        add_member(group, member)
        membership_leave(actor=member, group=group)
        again = membership_leave(actor=member, group=group)
        assert again.status == MembershipStatus.LEFT
        assert audit_for(group) == ["membership.left"]

    def test_taking_back_a_request(self, pending, member, group):
        membership_leave(actor=member, group=group)
        assert status_of(group, member) == MembershipStatus.LEFT

    def test_the_last_leader_may_leave_and_stops_being_a_leader(self, leader, group):
        membership = membership_leave(actor=leader, group=group)
        assert (membership.status, membership.role) == (MembershipStatus.LEFT, MembershipRole.MEMBER)

    def test_leaving_does_not_lift_a_ban(self, member, group, add_member):
        add_member(group, member, status=MembershipStatus.BANNED)
        membership_leave(actor=member, group=group)
        assert status_of(group, member) == MembershipStatus.BANNED


class TestApproveAndDecline:
    def test_leader_approves(self, pending, leader, member, group):
        membership = membership_approve(actor=leader, group=group, user=member)

        assert membership.status == MembershipStatus.ACTIVE
        assert membership.decided_by == leader
        assert membership.joined_at is not None
        assert kinds_for(member) == ["membership_approved"]
        assert Notification.objects.get(user=member).url == "/groups/art-club/"
        assert audit_for(group) == ["membership.approved"]

    def test_staff_declines(self, pending, staff, member, group):
        membership = membership_decline(actor=staff, group=group, user=member)

        assert membership.status == MembershipStatus.DECLINED
        assert membership.decided_by == staff
        assert kinds_for(member) == ["membership_declined"]
        assert audit_for(group) == ["membership.declined"]

    @pytest.mark.parametrize("service", [membership_approve, membership_decline])
    @pytest.mark.parametrize("state", [None, MembershipStatus.ACTIVE, MembershipStatus.DECLINED])
    def test_only_pending_requests(self, service, state, leader, member, group, add_member):
        if state:
            add_member(group, member, status=state)
        with pytest.raises(Conflict) as error:
            service(actor=leader, group=group, user=member)
        assert error.value.code == "not_pending"

    @pytest.mark.parametrize("service", [membership_approve, membership_decline])
    @pytest.mark.parametrize("fixture", ["member", "moderator", "evaluator"])
    def test_only_leaders_and_staff(self, request, service, fixture, pending, make_user, group):
        actor = make_user(display_name="Someone Else") if fixture == "member" else request.getfixturevalue(fixture)
        with pytest.raises(Forbidden) as error:
            service(actor=actor, group=group, user=pending.user)
        assert error.value.code == "not_a_leader"
        assert status_of(group, pending.user) == MembershipStatus.PENDING

    def test_no_approving_into_an_archived_group_but_declining_is_fine(self, pending, leader, member, group):
        group.is_archived = True
        group.save(update_fields=["is_archived"])
        with pytest.raises(Forbidden) as error:
            membership_approve(actor=leader, group=group, user=member)
        assert error.value.code == "group_archived"
        assert membership_decline(actor=leader, group=group, user=member).status == MembershipStatus.DECLINED

    def test_a_leader_of_another_group_cannot_decide(self, pending, make_user, make_group, add_member, group):
        elsewhere = make_user(display_name="Elsewhere Leader")
        add_member(make_group(), elsewhere, role=MembershipRole.LEADER)
        with pytest.raises(Forbidden) as error:
            membership_approve(actor=elsewhere, group=group, user=pending.user)
        assert error.value.code == "not_a_leader"


class TestRemove:
    def test_leader_removes_a_member(self, leader, member, group, add_member):
        add_member(group, member)
        membership = membership_remove(actor=leader, group=group, user=member)
        assert (membership.status, membership.decided_by) == (MembershipStatus.REMOVED, leader)
        assert kinds_for(member) == ["membership_removed"]
        assert audit_for(group) == ["membership.removed"]

    def test_removing_twice_is_fine(self, leader, member, group, add_member):
        add_member(group, member)
        membership_remove(actor=leader, group=group, user=member)
        membership_remove(actor=leader, group=group, user=member)
        assert kinds_for(member) == ["membership_removed"]
        assert audit_for(group) == ["membership.removed"]

    @pytest.mark.parametrize("state", [None, MembershipStatus.PENDING, MembershipStatus.LEFT, MembershipStatus.BANNED])
    def test_not_a_member(self, leader, member, group, add_member, state):
        if state:
            add_member(group, member, status=state)
        with pytest.raises(Conflict) as error:
            membership_remove(actor=leader, group=group, user=member)
        assert error.value.code == "not_a_member"

    def test_a_leader_cannot_remove_another_leader(self, leader, make_user, group, add_member):
        other = make_user(display_name="Co Leader")
        add_member(group, other, role=MembershipRole.LEADER)
        with pytest.raises(Forbidden) as error:
            membership_remove(actor=leader, group=group, user=other)
        assert error.value.code == "cannot_remove_leader"
        assert status_of(group, other) == MembershipStatus.ACTIVE

    def test_staff_can_remove_a_leader_who_then_is_no_longer_a_leader(self, staff, leader, group):
        membership = membership_remove(actor=staff, group=group, user=leader)
        assert (membership.status, membership.role) == (MembershipStatus.REMOVED, MembershipRole.MEMBER)

    def test_not_yourself(self, leader, group):
        with pytest.raises(InvalidInput) as error:
            membership_remove(actor=leader, group=group, user=leader)
        assert error.value.code == "not_yourself"

    def test_plain_member_cannot_remove(self, member, make_user, group, add_member):
        add_member(group, member)
        other = make_user()
        add_member(group, other)
        with pytest.raises(Forbidden) as error:
            membership_remove(actor=member, group=group, user=other)
        assert error.value.code == "not_a_leader"


class TestBanAndUnban:
    def test_leader_bans_a_member(self, leader, member, group, add_member):
        add_member(group, member)
        membership = membership_ban(actor=leader, group=group, user=member)
        assert (membership.status, membership.decided_by) == (MembershipStatus.BANNED, leader)
        assert kinds_for(member) == ["membership_removed"]
        assert audit_for(group) == ["membership.banned"]

    def test_banning_someone_never_in_the_group_keeps_them_out_quietly(self, leader, member, group):
        membership_ban(actor=leader, group=group, user=member)
        assert status_of(group, member) == MembershipStatus.BANNED
        assert kinds_for(member) == []
        assert AuditEntry.objects.get(action="membership.banned").data["from"] is None

    def test_banning_twice_is_fine(self, leader, member, group, add_member):
        add_member(group, member)
        membership_ban(actor=leader, group=group, user=member)
        membership_ban(actor=leader, group=group, user=member)
        assert audit_for(group) == ["membership.banned"]

    def test_a_leader_cannot_ban_another_leader_but_staff_can(self, leader, staff, make_user, group, add_member):
        other = make_user(display_name="Co Leader")
        add_member(group, other, role=MembershipRole.LEADER)
        with pytest.raises(Forbidden) as error:
            membership_ban(actor=leader, group=group, user=other)
        assert error.value.code == "cannot_remove_leader"
        assert membership_ban(actor=staff, group=group, user=other).role == MembershipRole.MEMBER

    def test_not_yourself(self, staff, group):
        with pytest.raises(InvalidInput) as error:
            membership_ban(actor=staff, group=group, user=staff)
        assert error.value.code == "not_yourself"

    def test_unban_lets_them_ask_again(self, leader, member, group, add_member):
        add_member(group, member, status=MembershipStatus.BANNED)
        membership = membership_unban(actor=leader, group=group, user=member)
        assert (membership.status, membership.decided_by) == (MembershipStatus.REMOVED, leader)
        assert audit_for(group) == ["membership.unbanned"]
        assert membership_join(actor=member, group=group).status == MembershipStatus.PENDING

    @pytest.mark.parametrize("state", [None, MembershipStatus.ACTIVE])
    def test_unban_needs_a_ban(self, leader, member, group, add_member, state):
        if state:
            add_member(group, member, status=state)
        with pytest.raises(Conflict) as error:
            membership_unban(actor=leader, group=group, user=member)
        assert error.value.code == "not_banned"

    @pytest.mark.parametrize("service", [membership_remove, membership_approve])
    def test_moderators_are_not_group_leaders(self, service, moderator, member, group, add_member):
        add_member(group, member, status=MembershipStatus.PENDING)
        with pytest.raises(Forbidden) as error:
            service(actor=moderator, group=group, user=member)
        assert error.value.code == "not_a_leader"

    def test_moderators_ban_and_unban_site_wide(self, moderator, member, group, add_member):
        add_member(group, member)
        assert membership_ban(actor=moderator, group=group, user=member).status == MembershipStatus.BANNED
        assert membership_unban(actor=moderator, group=group, user=member).status == MembershipStatus.REMOVED


class TestAdd:
    def test_leader_adds_someone_to_an_invite_only_group(self, invite_group, make_user, add_member, member):
        invite_leader = make_user(display_name="Garden Leader")
        add_member(invite_group, invite_leader, role=MembershipRole.LEADER)

        membership = membership_add(actor=invite_leader, group=invite_group, user=member)

        assert (membership.status, membership.decided_by) == (MembershipStatus.ACTIVE, invite_leader)
        assert kinds_for(member) == ["membership_added"]
        assert audit_for(invite_group) == ["membership.added"]

    def test_adding_a_pending_person_lets_them_in(self, pending, staff, member, group):
        assert membership_add(actor=staff, group=group, user=member).status == MembershipStatus.ACTIVE

    def test_adding_twice_is_fine(self, staff, member, group):
        membership_add(actor=staff, group=group, user=member)
        membership_add(actor=staff, group=group, user=member)
        assert kinds_for(member) == ["membership_added"]
        assert Membership.objects.filter(group=group, user=member).count() == 1

    def test_refused_when_banned(self, staff, member, group, add_member):
        add_member(group, member, status=MembershipStatus.BANNED)
        with pytest.raises(Forbidden) as error:
            membership_add(actor=staff, group=group, user=member)
        assert error.value.code == "banned_from_group"

    def test_evaluators_cannot_be_added(self, staff, evaluator, group):
        with pytest.raises(Forbidden) as error:
            membership_add(actor=staff, group=group, user=evaluator)
        assert error.value.code == "evaluator_cannot_join"

    def test_not_into_an_archived_group(self, staff, member, make_group):
        with pytest.raises(Forbidden) as error:
            membership_add(actor=staff, group=make_group(is_archived=True), user=member)
        assert error.value.code == "group_archived"

    def test_plain_member_cannot_add(self, member, make_user, group, add_member):
        add_member(group, member)
        with pytest.raises(Forbidden) as error:
            membership_add(actor=member, group=group, user=make_user())
        assert error.value.code == "not_a_leader"


class TestPromoteAndDemote:
    def test_staff_promotes_and_demotes(self, staff, member, group, add_member):
        add_member(group, member)

        promoted = membership_promote(actor=staff, group=group, user=member)
        assert (promoted.role, promoted.decided_by) == (MembershipRole.LEADER, staff)
        assert permissions.can_lead_group(member, group) is True

        demoted = membership_demote(actor=staff, group=group, user=member)
        assert (demoted.role, demoted.status) == (MembershipRole.MEMBER, MembershipStatus.ACTIVE)
        assert permissions.can_lead_group(member, group) is False

        assert kinds_for(member) == ["leader_changed", "leader_changed"]
        assert audit_for(group) == ["membership.promoted", "membership.demoted"]

    def test_promoting_a_leader_again_changes_nothing(self, staff, leader, group):
        membership_promote(actor=staff, group=group, user=leader)
        membership_demote(actor=staff, group=group, user=leader)
        membership_demote(actor=staff, group=group, user=leader)
        assert audit_for(group) == ["membership.demoted"]

    @pytest.mark.parametrize("state", [None, MembershipStatus.PENDING, MembershipStatus.LEFT])
    def test_only_active_members(self, staff, member, group, add_member, state):
        if state:
            add_member(group, member, status=state)
        with pytest.raises(Conflict) as error:
            membership_promote(actor=staff, group=group, user=member)
        assert error.value.code == "not_a_member"

    @pytest.mark.parametrize("service", [membership_promote, membership_demote])
    @pytest.mark.parametrize("fixture", ["leader", "moderator"])
    def test_only_staff_appoint(self, request, service, fixture, member, group, add_member):
        add_member(group, member)
        with pytest.raises(Forbidden) as error:
            service(actor=request.getfixturevalue(fixture), group=group, user=member)
        assert error.value.code == "staff_only"


@pytest.mark.parametrize("service", ACTED_ON_PERSON)
def test_unknown_or_deactivated_people_are_not_found(service, staff, group, make_user):
    gone = make_user(is_active=False)
    for person in (gone, User(pk=999_999)):
        with pytest.raises(NotFound) as error:
            service(actor=staff, group=group, user=person)
        assert error.value.code == "person_not_found"


@pytest.mark.parametrize("service", ACTED_ON_PERSON)
def test_hidden_groups_are_not_found_for_outsiders(service, member, make_group, make_user):
    hidden = make_group(is_listed=False)
    with pytest.raises(NotFound) as error:
        service(actor=member, group=hidden, user=make_user())
    assert error.value.code == "group_not_found"

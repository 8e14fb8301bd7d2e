"""Group selectors: who sees which groups and members, the annotations, and that queries don't grow with rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from community.errors import Forbidden, InvalidInput, NotFound
from community.models import MembershipRole, MembershipStatus
from community.selectors.groups import (
    group_detail_for,
    group_members_for,
    groups_led_by,
    groups_visible_to,
    person_for_membership,
)


@pytest.fixture
def world(make_group, make_user, add_member, member):
    """A listed group, an unlisted one Robin is in, an unlisted one Robin isn't in, and an archived one."""
    listed = make_group(name="Listed")
    hidden_mine = make_group(name="Hidden Mine", is_listed=False)
    hidden_other = make_group(name="Hidden Other", is_listed=False)
    archived = make_group(name="Archived", is_archived=True)
    add_member(hidden_mine, member)
    return {"listed": listed, "hidden_mine": hidden_mine, "hidden_other": hidden_other, "archived": archived}


def names(groups) -> list[str]:
    return [group.name for group in groups]


class TestVisibility:
    def test_member_sees_listed_groups_and_their_own(self, world, member):
        assert names(groups_visible_to(user=member)) == ["Hidden Mine", "Listed"]

    @pytest.mark.parametrize("fixture", ["moderator", "staff"])
    def test_moderators_and_staff_see_everything(self, request, world, fixture):
        seen = names(groups_visible_to(user=request.getfixturevalue(fixture)))
        assert seen == ["Archived", "Hidden Mine", "Hidden Other", "Listed"]

    def test_evaluator_sees_only_listed_groups(self, world, evaluator):
        assert names(groups_visible_to(user=evaluator)) == ["Listed"]

    def test_anonymous_sees_nothing(self, world):
        assert names(groups_visible_to(user=AnonymousUser())) == []

    def test_pending_or_left_does_not_reveal_an_unlisted_group(self, world, make_user, add_member):
        asker, leaver = make_user(), make_user()
        add_member(world["hidden_other"], asker, status=MembershipStatus.PENDING)
        add_member(world["hidden_other"], leaver, status=MembershipStatus.LEFT)
        assert "Hidden Other" not in names(groups_visible_to(user=asker))
        assert "Hidden Other" not in names(groups_visible_to(user=leaver))

    def test_active_member_still_sees_an_archived_group(self, world, member, add_member):
        add_member(world["archived"], member)
        assert "Archived" in names(groups_visible_to(user=member))

    def test_detail_hides_what_the_list_hides(self, world, member):
        with pytest.raises(NotFound) as error:
            group_detail_for(user=member, slug=world["hidden_other"].slug)
        assert error.value.code == "group_not_found"
        with pytest.raises(NotFound):
            group_detail_for(user=member, slug="no-such-group")
        assert group_detail_for(user=member, slug=world["hidden_mine"].slug).name == "Hidden Mine"


class TestAnnotations:
    def test_member_count_and_my_place(self, group, leader, member, make_user, add_member):
        add_member(group, member, status=MembershipStatus.PENDING)
        add_member(group, make_user())
        add_member(group, make_user(), status=MembershipStatus.BANNED)
        add_member(group, make_user(is_active=False))

        for_member = groups_visible_to(user=member).get(pk=group.pk)
        for_leader = groups_visible_to(user=leader).get(pk=group.pk)

        assert for_member.member_count == 2  # the leader and one active member; not pending, banned or deactivated
        assert (for_member.my_status, for_member.my_role) == ("pending", "member")
        assert (for_leader.my_status, for_leader.my_role) == ("active", "leader")

    def test_no_membership_means_none(self, group, member):
        row = groups_visible_to(user=member).get()
        assert (row.member_count, row.my_status, row.my_role) == (0, None, None)

    def test_search_looks_at_name_and_description(self, make_group, member):
        make_group(name="Football", description="Kick about on Sundays")
        make_group(name="Cooking", description="Cheap, tasty meals")
        assert names(groups_visible_to(user=member, search="foot")) == ["Football"]
        assert names(groups_visible_to(user=member, search="TASTY")) == ["Cooking"]
        assert names(groups_visible_to(user=member, search="  ")) == ["Cooking", "Football"]

    def test_mine_keeps_groups_i_am_in_or_asked_to_join(self, make_group, member, add_member):
        joined, asked, left, _other = (make_group(name=n) for n in ("Joined", "Asked", "Left", "Other"))
        add_member(joined, member)
        add_member(asked, member, status=MembershipStatus.PENDING)
        add_member(left, member, status=MembershipStatus.LEFT)
        assert names(groups_visible_to(user=member, mine=True)) == ["Asked", "Joined"]

    def test_detail_lists_active_leaders(self, group, leader, make_user, add_member, member):
        add_member(group, make_user(display_name="Former Leader"), role=MembershipRole.LEADER, status="left")
        add_member(group, make_user(display_name="Amy Leader"), role=MembershipRole.LEADER)
        detail = group_detail_for(user=member, slug=group.slug)
        assert [m.user.display_name for m in detail.leader_memberships] == ["Amy Leader", "Leader Jo"]


class TestMembers:
    @pytest.fixture
    def filled(self, group, leader, member, make_user, add_member):
        add_member(group, member)
        add_member(group, make_user(display_name="Aaron"))
        add_member(group, make_user(display_name="Zed Leader"), role=MembershipRole.LEADER)
        add_member(group, make_user(display_name="Asker"), status=MembershipStatus.PENDING)
        add_member(group, make_user(display_name="Banned Bo"), status=MembershipStatus.BANNED)
        return group

    def test_leaders_first_then_by_name(self, filled, member):
        members = group_members_for(viewer=member, group=filled)
        assert [m.user.display_name for m in members] == ["Leader Jo", "Zed Leader", "Aaron", "Robin"]

    @pytest.mark.parametrize("fixture", ["leader", "staff"])
    def test_leaders_and_staff_see_pending_and_banned(self, request, filled, fixture):
        viewer = request.getfixturevalue(fixture)
        pending = group_members_for(viewer=viewer, group=filled, status=MembershipStatus.PENDING)
        banned = group_members_for(viewer=viewer, group=filled, status=MembershipStatus.BANNED)
        assert [m.user.display_name for m in pending] == ["Asker"]
        assert [m.user.display_name for m in banned] == ["Banned Bo"]

    @pytest.mark.parametrize("fixture", ["member", "moderator"])
    def test_others_do_not_see_pending(self, request, filled, fixture):
        with pytest.raises(Forbidden) as error:
            group_members_for(viewer=request.getfixturevalue(fixture), group=filled, status=MembershipStatus.PENDING)
        assert error.value.code == "not_a_leader"

    def test_moderators_see_members(self, filled, moderator):
        assert len(group_members_for(viewer=moderator, group=filled)) == 4

    @pytest.mark.parametrize("outsider", ["evaluator", "stranger"])
    def test_outsiders_and_evaluators_do_not_see_members(self, filled, evaluator, make_user, outsider):
        viewer = evaluator if outsider == "evaluator" else make_user()
        with pytest.raises(Forbidden) as error:
            group_members_for(viewer=viewer, group=filled)
        assert error.value.code == "not_a_member"

    def test_unknown_status(self, filled, leader):
        with pytest.raises(InvalidInput) as error:
            group_members_for(viewer=leader, group=filled, status="royalty")
        assert error.value.code == "invalid_status"

    def test_query_count_does_not_grow_with_members(
        self, group, leader, make_user, add_member, django_assert_num_queries
    ):
        group_members_for(viewer=leader, group=group)  # the permission check caches the viewer's membership

        def run(n: int) -> None:
            for _ in range(n):
                add_member(group, make_user())
            with django_assert_num_queries(1):
                [m.user.profile.pronouns for m in group_members_for(viewer=leader, group=group)]

        run(3)
        run(12)


def test_groups_led_by(make_group, member, add_member):
    led, archived_led, joined = make_group(name="Led"), make_group(name="Old", is_archived=True), make_group()
    add_member(led, member, role=MembershipRole.LEADER)
    add_member(archived_led, member, role=MembershipRole.LEADER)
    add_member(joined, member)
    assert names(groups_led_by(user=member)) == ["Led"]
    assert names(groups_led_by(user=AnonymousUser())) == []


def test_groups_list_query_count_does_not_grow(make_group, member, add_member, django_assert_num_queries):
    def run(n: int) -> None:
        for _ in range(n):
            add_member(make_group(), member)
        with django_assert_num_queries(1):
            [(g.member_count, g.my_status) for g in groups_visible_to(user=member)]

    run(3)
    run(12)


class TestPersonForMembership:
    def test_by_id_and_by_name_in_any_case(self, member):
        assert person_for_membership(user_id=member.pk) == member
        assert person_for_membership(display_name="  rOBIN ") == member

    @pytest.mark.parametrize("how", ["missing id", "missing name", "blank", "deactivated"])
    def test_not_found(self, make_user, how):
        gone = make_user(display_name="Gone", is_active=False)
        kwargs = {
            "missing id": {"user_id": 999_999},
            "missing name": {"display_name": "Nobody"},
            "blank": {"display_name": " "},
            "deactivated": {"user_id": gone.pk},
        }[how]
        with pytest.raises(NotFound) as error:
            person_for_membership(**kwargs)
        assert error.value.code == "person_not_found"

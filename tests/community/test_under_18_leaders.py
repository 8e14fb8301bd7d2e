"""An under-18 peer leader is named only inside their group: people who aren't members see that the group has a peer
leader, not who it is (pages and API). Members of the group, moderators and staff still see every leader."""

from __future__ import annotations

import pytest

from community.models import AgeBand, MembershipRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def young_leader(make_user, group, add_member):
    user = make_user(display_name="Sky Under", age_band=AgeBand.UNDER_18)
    add_member(group, user, role=MembershipRole.LEADER)
    return user


@pytest.fixture
def adult_leader(make_user, group, add_member):
    user = make_user(display_name="Jo Grown", age_band=AgeBand.ADULT)
    add_member(group, user, role=MembershipRole.LEADER)
    return user


def leader_names(api_as, user, group) -> list[str]:
    response = api_as(user).get(f"/api/v1/groups/{group.slug}/")
    assert response.status_code == 200
    return [leader["display_name"] for leader in response.json()["leaders"]]


def test_someone_outside_the_group_is_not_told_who_an_under_18_leader_is(
    client, api_as, member, group, young_leader, adult_leader
):
    assert leader_names(api_as, member, group) == ["Jo Grown"]

    client.force_login(member)
    page = client.get(f"/groups/{group.slug}/").content.decode()
    assert "Sky Under" not in page
    assert "Jo Grown" in page
    assert "You'll see who else leads this group once you've joined." in page


def test_a_group_led_only_by_an_under_18_says_it_has_a_leader(client, member, group, young_leader):
    client.force_login(member)
    page = client.get(f"/groups/{group.slug}/").content.decode()
    assert "Sky Under" not in page
    assert "This group has a peer leader. You'll see who they are once you've joined." in page
    assert "doesn't have a peer leader yet" not in page


def test_the_group_s_members_moderators_and_staff_see_every_leader(
    api_as, make_user, add_member, group, young_leader, adult_leader, moderator, staff
):
    in_the_group = make_user(display_name="Kai")
    add_member(group, in_the_group)
    for viewer in (in_the_group, moderator, staff, young_leader):
        assert sorted(leader_names(api_as, viewer, group)) == ["Jo Grown", "Sky Under"], viewer

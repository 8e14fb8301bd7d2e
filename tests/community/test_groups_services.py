"""Group services: create, update, archive."""

from __future__ import annotations

import pytest

from community.errors import Conflict, Forbidden, InvalidInput
from community.models import AuditEntry, Group, JoinPolicy
from community.services.groups import group_archive, group_create, group_update


def audit_actions(group: Group) -> list[str]:
    return list(AuditEntry.objects.filter(group=group).order_by("id").values_list("action", flat=True))


class TestGroupCreate:
    def test_staff_creates_a_group_with_a_slug_and_an_audit_row(self, staff):
        group = group_create(
            actor=staff,
            name="  Saturday   Walkers ",
            description="Walks.",
            join_policy=JoinPolicy.OPEN,
            is_listed=False,
        )

        group.refresh_from_db()
        assert group.name == "Saturday Walkers"
        assert group.slug == "saturday-walkers"
        assert group.join_policy == JoinPolicy.OPEN
        assert group.is_listed is False
        assert group.created_by == staff
        entry = AuditEntry.objects.get(action="group.created")
        assert entry.actor == staff
        assert entry.group == group
        assert entry.data["name"] == "Saturday Walkers"

    def test_defaults_to_a_listed_group_people_ask_to_join(self, staff):
        group = group_create(actor=staff, name="Cooking")
        assert (group.join_policy, group.is_listed, group.is_archived) == (JoinPolicy.REQUEST, True, False)

    @pytest.mark.parametrize("fixture", ["member", "moderator", "evaluator", "leader"])
    def test_only_staff_can_create(self, request, fixture):
        with pytest.raises(Forbidden) as error:
            group_create(actor=request.getfixturevalue(fixture), name="Sneaky")
        assert error.value.code == "staff_only"
        assert not Group.objects.filter(name="Sneaky").exists()

    def test_name_taken_in_any_case(self, staff, group):
        with pytest.raises(Conflict) as error:
            group_create(actor=staff, name="ART CLUB")
        assert error.value.code == "group_name_taken"

    def test_slug_is_made_unique(self, staff, make_group):
        make_group(name="Music old", slug="music")
        group = group_create(actor=staff, name="Music")
        assert group.slug == "music-2"

    def test_slug_never_collides_with_the_new_group_page(self, staff):
        assert group_create(actor=staff, name="New").slug == "new-2"

    def test_a_name_with_no_letters_still_gets_a_slug(self, staff):
        assert group_create(actor=staff, name="🎨🎶").slug == "group"

    @pytest.mark.parametrize(("name", "code"), [("   ", "name_required"), ("x" * 81, "name_too_long")])
    def test_bad_names(self, staff, name, code):
        with pytest.raises(InvalidInput) as error:
            group_create(actor=staff, name=name)
        assert error.value.code == code

    def test_unknown_join_policy(self, staff):
        with pytest.raises(InvalidInput) as error:
            group_create(actor=staff, name="Odd", join_policy="whenever")
        assert error.value.code == "invalid_join_policy"


class TestGroupUpdate:
    def test_leader_changes_description_and_join_policy(self, leader, group):
        updated = group_update(actor=leader, group=group, description="We paint.", join_policy=JoinPolicy.OPEN)

        group.refresh_from_db()
        assert updated.description == group.description == "We paint."
        assert group.join_policy == JoinPolicy.OPEN
        entry = AuditEntry.objects.get(action="group.updated")
        assert entry.actor == leader
        assert entry.data["after"] == {"description": "We paint.", "join_policy": "open"}
        assert entry.data["before"]["join_policy"] == "request"

    @pytest.mark.parametrize(
        "change", [{"name": "Painting"}, {"is_listed": False}, {"is_archived": True}], ids=["name", "listed", "archive"]
    )
    def test_leader_cannot_change_staff_settings(self, leader, group, change):
        with pytest.raises(Forbidden) as error:
            group_update(actor=leader, group=group, **change)
        assert error.value.code == "staff_only"
        group.refresh_from_db()
        assert (group.name, group.is_listed, group.is_archived) == ("Art Club", True, False)

    def test_leader_may_resend_unchanged_staff_settings(self, leader, group):
        group_update(actor=leader, group=group, name="Art Club", is_listed=True, description="New words")
        group.refresh_from_db()
        assert group.description == "New words"

    def test_staff_changes_everything(self, staff, group):
        group_update(actor=staff, group=group, name="Painting", is_listed=False, is_archived=True)
        group.refresh_from_db()
        assert (group.name, group.is_listed, group.is_archived) == ("Painting", False, True)
        assert group.slug == "art-club"  # links keep working after a rename

    @pytest.mark.parametrize("fixture", ["member", "moderator", "evaluator"])
    def test_non_leaders_cannot_update(self, request, group, fixture):
        with pytest.raises(Forbidden) as error:
            group_update(actor=request.getfixturevalue(fixture), group=group, description="Hi")
        assert error.value.code == "not_a_leader"

    def test_rename_to_a_taken_name(self, staff, group, make_group):
        make_group(name="Football")
        with pytest.raises(Conflict) as error:
            group_update(actor=staff, group=group, name="football")
        assert error.value.code == "group_name_taken"

    def test_no_change_writes_no_audit(self, staff, group):
        group_update(actor=staff, group=group, name="Art Club")
        assert not AuditEntry.objects.filter(action="group.updated").exists()

    def test_bad_name_and_policy(self, staff, group):
        with pytest.raises(InvalidInput) as error:
            group_update(actor=staff, group=group, name="")
        assert error.value.code == "name_required"
        with pytest.raises(InvalidInput) as error:
            group_update(actor=staff, group=group, join_policy="sometimes")
        assert error.value.code == "invalid_join_policy"


class TestGroupArchive:
    def test_staff_archives_once(self, staff, group):
        group_archive(actor=staff, group=group)
        group_archive(actor=staff, group=group)

        group.refresh_from_db()
        assert group.is_archived is True
        assert audit_actions(group) == ["group.archived"]

    @pytest.mark.parametrize("fixture", ["leader", "member", "moderator"])
    def test_only_staff_archive(self, request, group, fixture):
        with pytest.raises(Forbidden) as error:
            group_archive(actor=request.getfixturevalue(fixture), group=group)
        assert error.value.code == "staff_only"
        group.refresh_from_db()
        assert group.is_archived is False

"""Reads about people, shared by pages and the API. Every read goes through community.permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile

from community import permissions
from community.errors import Forbidden, NotFound
from community.models import Group, Membership, MembershipStatus, Profile, User


@dataclass(frozen=True)
class PersonView:
    """A person as one viewer may see them."""

    person: User
    profile: Profile
    is_self: bool
    show_real_name: bool
    groups_in_common: list[Group]

    @property
    def real_name(self) -> str:
        return self.person.real_name if self.show_real_name else ""


def profile_for_viewer(*, viewer: User, user_id: int) -> PersonView:
    person = permissions.access_profile(viewer=viewer, user_id=user_id)
    return PersonView(
        person=person,
        profile=person.profile,
        is_self=viewer.pk == person.pk,
        show_real_name=permissions.can_see_real_name(viewer, person),
        groups_in_common=groups_in_common(viewer=viewer, person=person),
    )


def groups_in_common(*, viewer: User, person: User) -> list[Group]:
    """Active groups where both people are active members, in one query."""
    viewer_groups = Membership.objects.active().filter(user_id=viewer.pk).values("group_id")
    return list(
        Group.objects.active()
        .filter(pk__in=viewer_groups, memberships__user_id=person.pk, memberships__status=MembershipStatus.ACTIVE)
        .order_by("name")
    )


def avatar_for_viewer(*, viewer: User, user_id: int) -> FieldFile:
    """The picture of a person the viewer may see; NotFound otherwise, or when there is no picture."""
    person = permissions.access_profile(viewer=viewer, user_id=user_id)
    avatar = person.profile.avatar
    if not avatar:
        raise NotFound("There's no picture here.", code="avatar_not_found")
    return avatar


def people_for_staff(*, viewer: User, search: str = "") -> QuerySet[User]:
    """Everyone, for staff managing roles, searchable by display name, real name or email. Not the anonymous
    stand-ins deleted accounts leave (they are nobody, with no role to manage)."""
    if not permissions.can_manage_roles(viewer):
        raise Forbidden("Only staff can see the list of everyone.", code="not_staff")
    people = User.objects.filter(erased_at__isnull=True).order_by("display_name", "pk")
    search = " ".join(search.split())
    if search:
        people = people.filter(
            Q(display_name__icontains=search) | Q(real_name__icontains=search) | Q(email__icontains=search)
        )
    return people

"""Every permission rule in community, in one place.

`access_*` functions fetch something only if the user may see or act on it and raise a DomainError otherwise;
`can_*` functions answer yes or no for templates and serializers.
"""

from __future__ import annotations

from community.errors import Forbidden, NotFound
from community.models import Group, Membership, MembershipStatus, ProfileVisibility, SiteRole, User


def is_site_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.site_role == SiteRole.STAFF)


def is_moderator_or_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.site_role in (SiteRole.MODERATOR, SiteRole.STAFF))


def _membership(user: User, group: Group) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = user._membership_cache = {}
    if group.pk not in cache:
        cache[group.pk] = Membership.objects.filter(user=user, group=group).first()
    return cache[group.pk]


def is_active_member(user: User, group: Group) -> bool:
    membership = _membership(user, group)
    return membership is not None and membership.status == MembershipStatus.ACTIVE


def is_group_leader(user: User, group: Group) -> bool:
    membership = _membership(user, group)
    return membership is not None and membership.is_leader


def can_see_group(user: User, group: Group) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_moderator_or_staff(user):
        return True
    if group.is_archived:
        return is_active_member(user, group)
    return group.is_listed or is_active_member(user, group)


def access_group(*, user: User, slug: str) -> Group:
    group = Group.objects.filter(slug=slug).first()
    if group is None or not can_see_group(user, group):
        raise NotFound("We couldn't find that group.", code="group_not_found")
    return group


def can_lead_group(user: User, group: Group) -> bool:
    """Peer leaders of this group and staff run the group's members, invitations and events."""
    return is_site_staff(user) or is_group_leader(user, group)


def access_group_as_leader(*, user: User, slug: str) -> Group:
    group = access_group(user=user, slug=slug)
    if not can_lead_group(user, group):
        raise Forbidden("Only this group's peer leaders and staff can do that.", code="not_a_leader")
    return group


def can_appoint_leaders(user: User, group: Group) -> bool:
    return is_site_staff(user)


def can_create_group(user: User) -> bool:
    return is_site_staff(user)


def can_edit_group(user: User, group: Group) -> bool:
    return can_lead_group(user, group)


def can_see_members(user: User, group: Group) -> bool:
    if user.is_authenticated and user.site_role == SiteRole.EVALUATOR:
        return False
    return is_moderator_or_staff(user) or is_active_member(user, group)


def access_group_members(*, user: User, slug: str) -> Group:
    group = access_group(user=user, slug=slug)
    if not can_see_members(user, group):
        raise Forbidden("Join this group to see who's in it.", code="not_a_member")
    return group


def can_create_invitation(user: User, group: Group | None) -> bool:
    if is_site_staff(user):
        return True
    return group is not None and is_group_leader(user, group)


def can_invite_anywhere(user: User) -> bool:
    """Staff, or anyone who leads at least one group, may open the invitations page."""
    if is_site_staff(user):
        return True
    return bool(
        user.is_authenticated and Membership.objects.leaders().filter(user=user, group__is_archived=False).exists()
    )


def can_manage_roles(user: User) -> bool:
    return is_site_staff(user)


def shares_active_group(viewer: User, subject: User) -> bool:
    return (
        Membership.objects.active()
        .filter(user=subject, group__in=Membership.objects.active().filter(user=viewer).values("group"))
        .exists()
    )


def can_see_profile(viewer: User, subject: User) -> bool:
    if not viewer.is_authenticated or not viewer.is_active or viewer.site_role == SiteRole.EVALUATOR:
        return False
    if viewer.pk == subject.pk or is_moderator_or_staff(viewer):
        return True
    if not subject.is_active:
        return False
    if subject.profile.profile_visibility == ProfileVisibility.ALL_MEMBERS:
        return True
    return shares_active_group(viewer, subject)


def can_see_real_name(viewer: User, subject: User) -> bool:
    return viewer.pk == subject.pk or is_site_staff(viewer)


def access_profile(*, viewer: User, user_id: int) -> User:
    subject = User.objects.select_related("profile").filter(pk=user_id).first()
    if subject is None or not can_see_profile(viewer, subject):
        raise NotFound("We couldn't find that person.", code="person_not_found")
    return subject

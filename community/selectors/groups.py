"""Reads about groups and their members, shared by the pages and the API. No writes; query counts are tested."""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from community import permissions
from community.errors import Forbidden, InvalidInput, NotFound
from community.models import Group, Membership, MembershipRole, MembershipStatus, User


def _with_counts_and_my_place(groups: QuerySet[Group], *, user: User) -> QuerySet[Group]:
    """Annotate member_count, my_status and my_role (None when the user has no membership row)."""
    member_count = (
        Membership.objects.filter(group=OuterRef("pk"), status=MembershipStatus.ACTIVE, user__is_active=True)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    groups = groups.annotate(member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0))
    if not user.is_authenticated:
        return groups.annotate(
            my_status=Value(None, output_field=CharField()), my_role=Value(None, output_field=CharField())
        )
    mine = Membership.objects.filter(group=OuterRef("pk"), user=user)
    return groups.annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_role=Subquery(mine.values("role")[:1]),
    )


def groups_visible_to(*, user: User, search: str = "", mine: bool = False) -> QuerySet[Group]:
    """The groups `user` may see, by name; `mine` keeps the ones they are in or have asked to join."""
    groups = permissions.visible_groups(user)
    search = (search or "").strip()
    if search:
        groups = groups.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if mine:
        groups = groups.filter(
            pk__in=Membership.objects.filter(
                user=user, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING]
            ).values("group")
        )
    return _with_counts_and_my_place(groups, user=user).order_by(Lower("name"), "pk")


def _leaders_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.leaders()
        .filter(user__is_active=True)
        .select_related("user", "user__profile")
        .order_by(Lower("user__display_name")),
        to_attr="leader_memberships",
    )


def group_detail_for(*, user: User, slug: str) -> Group:
    """One group with member_count, my_status, my_role and `leader_memberships`; NotFound if hidden from `user`."""
    group = (
        _with_counts_and_my_place(Group.objects.filter(slug=slug), user=user)
        .prefetch_related(_leaders_prefetch())
        .first()
    )
    if group is None or not permissions.can_see_group(user, group):
        raise NotFound("We couldn't find that group.", code="group_not_found")
    return group


def group_members_for(*, viewer: User, group: Group, status: str = MembershipStatus.ACTIVE) -> QuerySet[Membership]:
    """Memberships of `group` with one status, leaders first. Only leaders and staff see anything but members."""
    if status not in MembershipStatus.values:
        raise InvalidInput("That isn't a membership status we know.", code="invalid_status")
    if status == MembershipStatus.ACTIVE:
        if not permissions.can_see_members(viewer, group):
            raise Forbidden("Join this group to see who's in it.", code="not_a_member")
    elif not permissions.can_see_join_requests(viewer, group):
        raise Forbidden("Only this group's peer leaders and staff can see that.", code="not_a_leader")
    return (
        Membership.objects.filter(group=group, status=status, user__is_active=True)
        .select_related("user", "user__profile")
        .annotate(leader_first=Case(When(role=MembershipRole.LEADER, then=0), default=1, output_field=IntegerField()))
        .order_by("leader_first", Lower("user__display_name"), "pk")
    )


def groups_led_by(*, user: User) -> QuerySet[Group]:
    """Open (not archived) groups where `user` is an active peer leader."""
    if not user.is_authenticated:
        return Group.objects.none()
    led = Membership.objects.leaders().filter(user=user).values("group")
    return Group.objects.active().filter(pk__in=led).order_by(Lower("name"), "pk")


def person_for_membership(*, user_id: int | None = None, display_name: str = "") -> User:
    """An active person, by id or by display name (any case), for leaders managing a group."""
    people = User.objects.filter(is_active=True)
    person = None
    if user_id is not None:
        person = people.filter(pk=user_id).first()
    elif display_name.strip():
        person = people.filter(display_name__iexact=display_name.strip()).first()
    if person is None:
        raise NotFound("We couldn't find anyone with that name. Please check the spelling.", code="person_not_found")
    return person

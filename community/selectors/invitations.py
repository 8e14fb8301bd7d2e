"""Reads about invitations that the pages and the API share."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from community import permissions
from community.models import Group, Invitation, User

INVITATION_STATUSES = ("active", "expired", "used_up", "revoked")


def _status_q(status: str) -> Q:
    """Mirrors Invitation.status: revoked beats used up, which beats expired."""
    now = timezone.now()
    not_revoked = Q(revoked_at__isnull=True)
    used_up = Q(use_count__gte=F("max_uses"))
    if status == "revoked":
        return Q(revoked_at__isnull=False)
    if status == "used_up":
        return not_revoked & used_up
    if status == "expired":
        return not_revoked & ~used_up & Q(expires_at__lte=now)
    return not_revoked & ~used_up & Q(expires_at__gt=now)


def invitations_visible_to(*, user: User, status: str = "", group_id: int | None = None) -> QuerySet[Invitation]:
    """Staff: every invitation. Others: the ones they made and the ones for groups they lead. Newest first."""
    queryset = (
        Invitation.objects.filter(permissions.visible_invitations_q(user))
        .select_related("group", "created_by")
        .order_by("-created_at", "-id")
    )
    if status in INVITATION_STATUSES:
        queryset = queryset.filter(_status_q(status))
    if group_id is not None:
        queryset = queryset.filter(group_id=group_id)
    return queryset


def invitation_group_choices(*, user: User) -> QuerySet[Group]:
    """Groups `user` may invite people to: every active group for staff, the groups they lead for peer leaders."""
    return permissions.invitable_groups(user).order_by("name")


def invitation_signup_url(*, request, invitation: Invitation) -> str:
    """The link to give someone: the sign-up page with the code filled in."""
    return request.build_absolute_uri(reverse("community:signup") + "?" + urlencode({"code": invitation.code}))

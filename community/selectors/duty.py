"""Who is on duty as a moderator now."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import ModeratorDuty, SiteRole, User


def moderators_on_duty() -> QuerySet[User]:
    # A subquery, not duties__ended_at__isnull: that join would also match moderators with no duty rows at all.
    return User.objects.filter(
        is_active=True,
        site_role__in=(SiteRole.MODERATOR, SiteRole.STAFF),
        pk__in=ModeratorDuty.objects.filter(ended_at__isnull=True).values("moderator"),
    )


def anyone_on_duty() -> bool:
    return ModeratorDuty.objects.filter(ended_at__isnull=True, moderator__is_active=True).exists()


def is_on_duty(*, user: User) -> bool:
    return ModeratorDuty.objects.filter(moderator=user, ended_at__isnull=True).exists()


def safeguarding_leads() -> QuerySet[User]:
    """Staff who lead safeguarding: told of every crisis alert and every escalation."""
    return User.objects.filter(is_active=True, is_safeguarding_lead=True)

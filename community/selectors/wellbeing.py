"""Reads of a member's own wellbeing records, shared by the pages and the REST API. Only ever the member's own."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import User, WellbeingCheckIn


def checkins_for_user(*, user: User) -> QuerySet[WellbeingCheckIn]:
    """The member's own check-ins, newest first."""
    return WellbeingCheckIn.objects.filter(user=user).order_by("-created_at", "-id")

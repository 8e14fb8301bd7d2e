"""A member's copy of what community keeps about them: one function per section in sections.py.

Each takes the member and returns JSON-ready data (`json_ready`: ISO datetimes, plain numbers). Only the member's own
data: other people appear only where the member chose them (whom they blocked or muted, by display name) or where the
member was already told (a notification's words, e.g. "Kai would like to message you"), never in ties (counts only)
or invitations (never who used them). Each function runs a fixed number of queries.

`files(user)` names the images that go in the download's images/ folder, at the paths the JSON mentions.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from rest_framework.authtoken.models import Token

from community.models import (
    ActivityStatus,
    DataExport,
    DestinationArea,
    EvaluationConsent,
    Goal,
    GoalStep,
    Invitation,
    InvitationRedemption,
    Membership,
    Notification,
    NotificationPreference,
    ParticipationEntry,
    PersonBlock,
    PersonMute,
    PolicyAcceptance,
    Profile,
    Tie,
    User,
    WellbeingCheckIn,
    WellbeingSettings,
)
from community.queries import one_or_none


def json_ready(value: Any) -> Any:
    """Dates and times as ISO 8601 text, decimals as numbers, recursively through dicts and lists."""
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def image_path(folder: str, stem: str, stored_name: str) -> str:
    """Where a stored image goes in the download: images/<folder>/<stem><its extension>."""
    extension = os.path.splitext(stored_name)[1].lower()
    return f"images/{folder}/{stem}{extension}"


def _avatar(user: User) -> str:
    return one_or_none(Profile.objects.filter(user_id=user.pk).values_list("avatar", flat=True)) or ""


def files(user: User) -> list[tuple[str, str]]:
    """(path in the download, name in the default storage) of the member's picture."""
    avatar = _avatar(user)
    return [(image_path("profile", "picture", avatar), avatar)] if avatar else []


def account(user: User) -> dict:
    redemption = one_or_none(
        InvitationRedemption.objects.filter(user_id=user.pk).values("invitation__group__name", "redeemed_at")
    )
    token_created = one_or_none(Token.objects.filter(user_id=user.pk).values_list("created", flat=True))
    return json_ready(
        {
            "email": user.email,
            "display_name": user.display_name,
            "real_name": user.real_name,
            "age_band": user.get_age_band_display() if user.age_band else "",
            "role": user.get_site_role_display(),
            "is_safeguarding_lead": user.is_safeguarding_lead,
            "joined_at": user.date_joined,
            "eligibility_confirmed_at": user.eligibility_confirmed_at,
            "agreement_accepted_at": user.agreement_accepted_at,
            "last_login": user.last_login,
            "joined_with_invitation": None
            if redemption is None
            else {
                "group": redemption["invitation__group__name"],
                "used_at": redemption["redeemed_at"],
            },
            # Never the token itself: anyone holding it could act as you.
            "app_sign_in_created_at": token_created,
        }
    )


def profile(user: User) -> dict:
    row = one_or_none(Profile.objects.filter(user_id=user.pk))
    preferences = list(NotificationPreference.objects.filter(user_id=user.pk).order_by("kind").values("kind", "email"))
    if row is None:
        return {"notification_emails": preferences}
    return json_ready(
        {
            "pronouns": row.pronouns,
            "about_me": row.bio,
            "interests": row.interests,
            "picture": image_path("profile", "picture", row.avatar.name) if row.avatar else None,
            "who_can_see_your_profile": row.get_profile_visibility_display(),
            "show_when_online": row.show_online,
            "who_can_message_you": row.get_direct_messages_display(),
            "quiet_hours_start": row.quiet_hours_start,
            "quiet_hours_end": row.quiet_hours_end,
            "updated_at": row.updated_at,
            "notification_emails": preferences,
        }
    )


def agreements(user: User) -> list[dict]:
    rows = PolicyAcceptance.objects.filter(user_id=user.pk).order_by("accepted_at", "id")
    return json_ready(
        [
            {"document": row["document__title"], "kind": row["document__kind"], "version": row["document__version"],
             "accepted_at": row["accepted_at"]}
            for row in rows.values("document__title", "document__kind", "document__version", "accepted_at")
        ]
    )  # fmt: skip


def groups(user: User) -> dict:
    memberships = Membership.objects.filter(user_id=user.pk).order_by("created_at", "id")
    invitations = Invitation.objects.filter(created_by_id=user.pk).order_by("created_at", "id")
    return json_ready(
        {
            "memberships": list(memberships.values("group__name", "role", "status", "joined_at", "created_at")),
            # Invitations you made; never who used them, nor the codes (someone holding a code could still use it).
            "invitations_you_made": [
                {
                    "group": invitation.group.name if invitation.group else None,
                    "note": invitation.note,
                    "uses": invitation.use_count,
                    "max_uses": invitation.max_uses,
                    "status": invitation.status,
                    "created_at": invitation.created_at,
                    "expires_at": invitation.expires_at,
                }
                for invitation in invitations.select_related("group")
            ],
        }
    )


def notifications(user: User) -> list[dict]:
    rows = Notification.objects.filter(user_id=user.pk).order_by("created_at", "id")
    return json_ready(
        list(rows.values("kind", "title", "body", "url", "created_at", "read_at", "email_status", "emailed_at"))
    )


def participation(user: User) -> dict:
    """What you took part in, and how many people you met: counts only, never who."""
    entries = ParticipationEntry.objects.filter(user_id=user.pk).order_by("occurred_at", "id")
    ties = Tie.objects.filter(Q(user_low_id=user.pk) | Q(user_high_id=user.pk)).aggregate(
        people_met=Count("pk"), met_twice_or_more=Count("pk", filter=Q(times_met__gte=2))
    )
    return json_ready(
        {
            "activities": [
                {"activity": row["activity_key"], "group": row["group__name"], "category": row["category"],
                 "took_place_at": row["occurred_at"]}
                for row in entries.values("activity_key", "group__name", "category", "occurred_at")
            ],
            "people_met": ties["people_met"],
            "people_met_twice_or_more": ties["met_twice_or_more"],
        }
    )  # fmt: skip


_CHECKIN_FIELDS = [field.name for field in WellbeingCheckIn._meta.concrete_fields if field.name not in ("id", "user")]


def wellbeing(user: User) -> dict:
    settings_row = one_or_none(WellbeingSettings.objects.filter(user_id=user.pk))
    checkins = WellbeingCheckIn.objects.filter(user_id=user.pk).order_by("created_at", "id")
    return json_ready(
        {
            "checkins": list(checkins.values(*_CHECKIN_FIELDS)),
            "invitations_to_check_in": settings_row.invitations_on if settings_row else True,
            "last_invited_at": settings_row.last_invited_at if settings_row else None,
        }
    )


def consent(user: User) -> list[dict]:
    rows = EvaluationConsent.objects.filter(user_id=user.pk).order_by("recorded_at", "id")
    return json_ready([{"counts_in_programme_figures": row["consents"], "recorded_at": row["recorded_at"]}
                       for row in rows.values("consents", "recorded_at")])  # fmt: skip


def destination(user: User) -> dict:
    steps = defaultdict(list)
    for step in (
        GoalStep.objects.filter(goal__user_id=user.pk).order_by("position", "id").values("goal_id", "text", "done_at")
    ):
        steps[step.pop("goal_id")].append(step)
    goals = Goal.objects.filter(user_id=user.pk).order_by("created_at", "id")
    return json_ready(
        {
            "areas": list(
                DestinationArea.objects.filter(user_id=user.pk).order_by("chosen_at").values("area", "chosen_at")
            ),
            "goals": [
                {**goal, "steps": steps.get(goal.pop("id"), [])}
                for goal in goals.values("id", "area", "title", "progress", "created_at", "updated_at", "achieved_at")
            ],
            "what_you_are_doing_now": list(
                ActivityStatus.objects.filter(user_id=user.pk)
                .order_by("recorded_at", "id")
                .values("code", "recorded_at")
            ),
        }
    )


def people_controls(user: User) -> dict:
    """Whom you blocked or muted is your own choice, so their display names are in your copy."""
    blocks = PersonBlock.objects.filter(blocker_id=user.pk).order_by("created_at", "id")
    mutes = PersonMute.objects.filter(muter_id=user.pk).order_by("created_at", "id")
    return json_ready(
        {
            "blocked": _named_since(blocks.values_list("blocked__display_name", "created_at")),
            "muted": _named_since(mutes.values_list("muted__display_name", "created_at")),
        }
    )


def _named_since(rows) -> list[dict]:
    return [{"display_name": name, "since": at} for name, at in rows]


def data_exports(user: User) -> list[dict]:
    rows = DataExport.objects.filter(user_id=user.pk).order_by("requested_at", "id")
    return json_ready(
        list(rows.values("requested_at", "status", "ready_at", "expires_at", "downloaded_at", "size_bytes"))
    )

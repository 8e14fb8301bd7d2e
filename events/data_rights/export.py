"""A member's copy of what events keeps about them: one function per section in sections.py.

Only the member's own answers, check-ins, pulses, ideas, backings and comments; never who else was going, who checked
them in, or who answered or closed their idea. One or two queries each.
"""

from __future__ import annotations

from community.data_rights.export import json_ready
from community.models import User
from events.models import Attendance, Idea, IdeaBacking, IdeaComment, Pulse, Rsvp

_EVENT = ("event__title", "event__group__name", "event__starts_at")


def _event(row: dict) -> dict:
    return {"event": row.pop("event__title"), "group": row.pop("event__group__name"),
            "starts_at": row.pop("event__starts_at")}  # fmt: skip


def rsvps(user: User) -> list[dict]:
    rows = Rsvp.objects.filter(user_id=user.pk).order_by("created_at", "id")
    return json_ready([{**_event(row), **row} for row in rows.values(*_EVENT, "status", "created_at", "updated_at")])


def attendance(user: User) -> list[dict]:
    rows = Attendance.objects.filter(user_id=user.pk).order_by("checked_in_at", "id")
    return json_ready([{**_event(row), **row} for row in rows.values(*_EVENT, "method", "checked_in_at")])


def pulses(user: User) -> list[dict]:
    rows = Pulse.objects.filter(user_id=user.pk).order_by("created_at", "id")
    return json_ready(
        [
            {**_event(row), **row}
            for row in rows.values(*_EVENT, "feeling", "connected", "note_to_organisers", "created_at")
        ]
    )


def ideas(user: User) -> dict:
    suggested = Idea.objects.filter(proposed_by_id=user.pk).order_by("created_at", "id")
    backed = IdeaBacking.objects.filter(user_id=user.pk).order_by("created_at", "id")
    comments = IdeaComment.objects.filter(author_id=user.pk).order_by("created_at", "id")
    return json_ready(
        {
            "suggested": [
                {"group": row.pop("group__name"), **row}
                for row in suggested.values(
                    "group__name", "title", "why", "rough_when", "status", "leader_answer", "closed_reason",
                    "created_at",
                )
            ],
            "backed": [{"idea": title, "group": group, "backed_at": at}
                       for title, group, at in backed.values_list("idea__title", "idea__group__name", "created_at")],
            "comments": [{"idea": title, "comment": body, "written_at": at}
                         for title, body, at in comments.values_list("idea__title", "body", "created_at")],
        }
    )  # fmt: skip

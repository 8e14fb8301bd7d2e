"""A member's copy of what messaging keeps about them: one function per section in sections.py.

Only what the member wrote or did: their messages (with earlier versions of them), their reactions, their side of
their chats and the reports they made. A room is named by its group or event; a direct conversation is only ever
"Direct conversation", never the other person. A reply points at the message it answers by id only, and a report
never names the person reported or quotes their message. A fixed number of queries each, however much there is.

`files(user)` names the pictures the member sent, at the paths the JSON mentions.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from community.data_rights.export import image_path, json_ready
from community.models import User
from messaging.models import (
    CaseStatus,
    Message,
    MessageEdit,
    Reaction,
    ReadMarker,
    Report,
    ReportReason,
    Room,
    RoomKind,
)
from messaging.services.moderation.reports import outcome_words

DIRECT_LABEL = "Direct conversation"
_ROOM = ("room_id", "room__kind", "room__group__name", "room__event__title")


def _room(row: dict, prefix: str = "") -> dict:
    """The room's id and label from a values() row with the _ROOM fields (under `prefix`), popping them."""
    kind = row.pop(f"{prefix}room__kind")
    group = row.pop(f"{prefix}room__group__name")
    event = row.pop(f"{prefix}room__event__title")
    label = {RoomKind.GROUP: group, RoomKind.EVENT: event}.get(kind, DIRECT_LABEL)
    return {"room_id": row.pop(f"{prefix}room_id"), "room": label}


def _status(row: dict) -> str:
    if row["deleted_at"] is not None:
        return "deleted by you"
    if row["is_hidden"]:
        return "removed by a moderator"
    if row["is_held"]:
        return "held for a moderator to check"
    return "shown"


def files(user: User) -> list[tuple[str, str]]:
    """(path in the download, name in the default storage) of each picture the member sent."""
    rows = Message.objects.filter(author_id=user.pk).exclude(image="").values_list("pk", "image")
    return [(image_path("messages", str(pk), name), name) for pk, name in rows]


def messages(user: User) -> list[dict]:
    earlier = defaultdict(list)
    edits = MessageEdit.objects.filter(message__author_id=user.pk).order_by("edited_at", "id")
    for message_id, kind, body, at in edits.values_list("message_id", "kind", "previous_body", "edited_at"):
        earlier[message_id].append({"before": "edit" if kind == "edit" else "delete", "text": body, "changed_at": at})
    rows = (
        Message.objects.filter(author_id=user.pk)
        .order_by("id")
        .values(
            "id",
            *_ROOM,
            "body",
            "image",
            "reply_to_id",
            "created_at",
            "edited_at",
            "deleted_at",
            "is_held",
            "is_hidden",
        )
    )
    result = []
    for row in rows:
        image = row.pop("image")
        result.append(
            {
                "id": row["id"],
                **_room(row),
                "text": row["body"],
                "picture": image_path("messages", str(row["id"]), image) if image else None,
                "reply_to_message_id": row["reply_to_id"],
                "sent_at": row["created_at"],
                "edited_at": row["edited_at"],
                "deleted_at": row["deleted_at"],
                "status": _status(row),
                "earlier_versions": earlier.get(row["id"], []),
            }
        )
    return json_ready(result)


def reactions(user: User) -> list[dict]:
    rows = Reaction.objects.filter(user_id=user.pk).order_by("created_at", "id")
    return json_ready(
        [
            {"emoji": row["emoji"], "message_id": row["message_id"], **_room(row, "message__"),
             "added_at": row["created_at"]}
            for row in rows.values("emoji", "message_id", "created_at", *(f"message__{field}" for field in _ROOM))
        ]
    )  # fmt: skip


def chats(user: User) -> dict:
    direct = Room.objects.filter(Q(user_low_id=user.pk) | Q(user_high_id=user.pk), kind=RoomKind.DIRECT).order_by(
        "created_at", "pk"
    )
    markers = ReadMarker.objects.filter(user_id=user.pk).order_by("room_id")
    return json_ready(
        {
            "direct_conversations": [
                {"room_id": row["pk"], "room": DIRECT_LABEL, "you_asked": row["requested_by_id"] == user.pk,
                 "status": row["direct_status"], "started_at": row["created_at"]}
                for row in direct.values("pk", "requested_by_id", "direct_status", "created_at")
            ],
            "how_far_you_have_read": [
                {**_room(row), "last_read_message_id": row["last_read_message_id"], "updated_at": row["updated_at"]}
                for row in markers.values(*_ROOM, "last_read_message_id", "updated_at")
            ],
        }
    )  # fmt: skip


def reports(user: User) -> list[dict]:
    """Reports you made: what kind of thing, why, your note, and the outcome you were told. Never who or what the
    report was about beyond its kind, so nobody else's name or words are in your copy."""
    result = []
    for report in Report.objects.filter(reporter_id=user.pk).select_related("case").order_by("created_at", "id"):
        looked_at = report.case.status == CaseStatus.RESOLVED
        result.append(
            {
                "about": report.case.get_kind_display(),
                "reason": ReportReason(report.reason).label,
                "your_note": report.note,
                "reported_at": report.created_at,
                "status": "looked at" if looked_at else "open",
                "outcome": outcome_words(report.case) if looked_at else None,
                "told_at": report.reporter_told_at,
            }
        )
    return json_ready(result)

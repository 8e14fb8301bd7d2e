"""Permission rows for room controls, duty and word lists (/api/v1/moderation/rooms/, /duty/, /word-list/).
Moderators and staff only: everyone else signed in gets 403 `moderators_only`."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

MODERATORS = {A: 401, O: 403, G: 403, L: 403, M: 200, S: 200, E: 403}
CREATED = {**MODERATORS, M: 201, S: 201}
REMOVED = {**MODERATORS, M: 204, S: 204}


def _room(w, rest: str = "") -> str:
    from tests.test_api_permission_matrix import chat

    return f"/api/v1/moderation/rooms/{chat(w)['room'].pk}/{rest}"


def _entry(w) -> str:
    """A word-list entry, made the first time a row asks (and kept on the world)."""
    if "_word" not in w.__dict__:
        from messaging.models import WordListEntry

        w.__dict__["_word"] = WordListEntry.objects.create(phrase="muppet", action="flag")
    return f"/api/v1/moderation/word-list/{w.__dict__['_word'].pk}/"


ROWS = [
    ("moderation-rooms", "GET", "api/v1/moderation/rooms/", lambda w: "/api/v1/moderation/rooms/", None,
     MODERATORS),
    ("moderation-room", "GET", "api/v1/moderation/rooms/<int:room_id>/", _room, None, MODERATORS),
    ("moderation-room-update", "PATCH", "api/v1/moderation/rooms/<int:room_id>/", _room,
     lambda w: {"slow_mode_seconds": 30, "is_locked": True}, MODERATORS),
    ("moderation-duty", "GET", "api/v1/moderation/duty/", lambda w: "/api/v1/moderation/duty/", None, MODERATORS),
    ("moderation-duty-start", "POST", "api/v1/moderation/duty/", lambda w: "/api/v1/moderation/duty/", None,
     MODERATORS),
    ("moderation-duty-end", "DELETE", "api/v1/moderation/duty/", lambda w: "/api/v1/moderation/duty/", None,
     MODERATORS),
    ("moderation-word-list", "GET", "api/v1/moderation/word-list/", lambda w: "/api/v1/moderation/word-list/",
     None, MODERATORS),
    ("moderation-word-add", "POST", "api/v1/moderation/word-list/", lambda w: "/api/v1/moderation/word-list/",
     lambda w: {"phrase": "numpty", "action": "hold"}, CREATED),
    ("moderation-word", "GET", "api/v1/moderation/word-list/<int:entry_id>/", _entry, None, MODERATORS),
    ("moderation-word-update", "PATCH", "api/v1/moderation/word-list/<int:entry_id>/", _entry,
     lambda w: {"action": "block"}, MODERATORS),
    ("moderation-word-remove", "DELETE", "api/v1/moderation/word-list/<int:entry_id>/", _entry, None, REMOVED),
    ("moderation-word-test", "POST", "api/v1/moderation/word-list/test/",
     lambda w: "/api/v1/moderation/word-list/test/", lambda w: {"text": "you muppet"}, MODERATORS),
]  # fmt: skip

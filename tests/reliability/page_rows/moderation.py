"""Moderators' pages: the queue, cases, concerns, message actions, sanctions, people and notes, the audit log, room
controls, duty and the word list. Moderators and staff only."""

from __future__ import annotations

from tests.reliability.page_rows import LOGIN
from tests.reliability.page_rows._shared import MODERATORS, MODERATORS_DONE, A, E, G, L, M, O, S


def mod(w) -> dict:
    from tests.permission_rows.moderation import mod

    return mod(w)


def room(w) -> int:
    from tests.test_api_permission_matrix import chat

    return chat(w)["room"].pk


def concern(w) -> int:
    from tests.permission_rows.safeguarding import _concern

    return _concern(w).pk


def word(w) -> int:
    from tests.permission_rows.room_controls import _entry

    _entry(w)
    return w.__dict__["_word"].pk


ROWS = [
    ("moderation-queue", "GET", "moderation/", lambda w: "/moderation/", None, MODERATORS),
    ("moderation-case", "GET", "moderation/cases/<int:case_id>/", lambda w: f"/moderation/cases/{mod(w)['case'].pk}/",
     None, MODERATORS),
    ("moderation-case-claim", "POST", "moderation/cases/<int:case_id>/<slug:action>/",
     lambda w: f"/moderation/cases/{mod(w)['case'].pk}/claim/", None, MODERATORS_DONE),
    ("moderation-concern", "GET", "moderation/concerns/<int:concern_id>/",
     lambda w: f"/moderation/concerns/{concern(w)}/", None, MODERATORS),
    ("moderation-concern-claim", "POST", "moderation/concerns/<int:concern_id>/<slug:action>/",
     lambda w: f"/moderation/concerns/{concern(w)}/claim/", None, MODERATORS_DONE),
    ("moderation-message-hide", "POST", "moderation/messages/<int:message_id>/<slug:action>/",
     lambda w: f"/moderation/messages/{mod(w)['theirs'].pk}/hide/", lambda w: {"reason": "Unkind"}, MODERATORS_DONE),
    ("moderation-held-approve", "POST", "moderation/messages/<int:message_id>/<slug:action>/",
     lambda w: f"/moderation/messages/{mod(w)['held'].pk}/approve/", None, MODERATORS_DONE),
    ("moderation-sanction-add", "POST", "moderation/sanctions/", lambda w: "/moderation/sanctions/",
     lambda w: {"user_id": w.target.pk, "kind": "warn", "reason": "Be kind"}, MODERATORS_DONE),
    ("moderation-sanction-lift", "GET", "moderation/sanctions/<int:sanction_id>/lift/",
     lambda w: f"/moderation/sanctions/{mod(w)['silence'].pk}/lift/", None,
     {A: LOGIN, O: 405, G: 405, L: 405, M: 405, S: 405, E: 405}),
    ("moderation-sanction-lift-post", "POST", "moderation/sanctions/<int:sanction_id>/lift/",
     lambda w: f"/moderation/sanctions/{mod(w)['silence'].pk}/lift/", lambda w: {"reason": "Calmer now"},
     MODERATORS_DONE),
    ("moderation-person", "GET", "moderation/people/<int:user_id>/", lambda w: f"/moderation/people/{w.target.pk}/",
     None, MODERATORS),
    ("moderation-note-add", "POST", "moderation/people/<int:user_id>/notes/",
     lambda w: f"/moderation/people/{w.target.pk}/notes/", lambda w: {"body": "Checked in with them"}, MODERATORS_DONE),
    ("moderation-audit", "GET", "moderation/audit/", lambda w: "/moderation/audit/", None, MODERATORS),
    ("moderation-rooms", "GET", "moderation/rooms/", lambda w: "/moderation/rooms/", None, MODERATORS),
    ("moderation-room", "GET", "moderation/rooms/<int:room_id>/", lambda w: f"/moderation/rooms/{room(w)}/", None,
     MODERATORS),
    ("moderation-room-slow-mode", "POST", "moderation/rooms/<int:room_id>/slow-mode/",
     lambda w: f"/moderation/rooms/{room(w)}/slow-mode/", lambda w: {"seconds": "30"}, MODERATORS_DONE),
    ("moderation-room-lock", "POST", "moderation/rooms/<int:room_id>/lock/",
     lambda w: f"/moderation/rooms/{room(w)}/lock/", None, MODERATORS_DONE),
    ("moderation-room-staffed-hours", "POST", "moderation/rooms/<int:room_id>/staffed-hours/",
     lambda w: f"/moderation/rooms/{room(w)}/staffed-hours/", lambda w: {}, MODERATORS_DONE),
    ("moderation-duty", "POST", "moderation/duty/", lambda w: "/moderation/duty/", None, MODERATORS_DONE),
    ("moderation-word-list", "GET", "moderation/word-list/", lambda w: "/moderation/word-list/", None, MODERATORS),
    ("moderation-word-list-post", "POST", "moderation/word-list/", lambda w: "/moderation/word-list/",
     lambda w: {"phrase": "numpty", "action": "hold"}, MODERATORS_DONE),
    ("moderation-word-edit", "GET", "moderation/word-list/<int:entry_id>/",
     lambda w: f"/moderation/word-list/{word(w)}/", None, MODERATORS),
    ("moderation-word-edit-post", "POST", "moderation/word-list/<int:entry_id>/",
     lambda w: f"/moderation/word-list/{word(w)}/", lambda w: {"action": "block"},
     {A: LOGIN, O: 403, G: 403, L: 403, M: 400, S: 400, E: 403}),
    ("moderation-word-remove", "POST", "moderation/word-list/<int:entry_id>/remove/",
     lambda w: f"/moderation/word-list/{word(w)}/remove/", None, MODERATORS_DONE),
]  # fmt: skip

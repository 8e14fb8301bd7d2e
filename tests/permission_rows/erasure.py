"""Permission rows for deleting my account (/api/v1/me/delete-account/). Everyone signed in may ask; the row sends a
wrong password so nobody in the matrix's world is actually erased: every role gets 400 wrong_password, anonymous 401.
"""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

WRONG_PASSWORD_FOR_EVERYONE = {A: 401, O: 400, G: 400, L: 400, M: 400, S: 400, E: 400}

ROWS = [
    ("me-delete-account", "POST", "api/v1/me/delete-account/", lambda w: "/api/v1/me/delete-account/",
     lambda w: {"password": "not-the-password", "confirm": True}, WRONG_PASSWORD_FOR_EVERYONE),
]  # fmt: skip

"""Permission rows for blocking and muting (/api/v1/me/blocks/, /api/v1/me/mutes/). Anyone with chat may block or
mute any person; evaluators have no chat."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

LIST = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
ADD = {A: 401, O: 201, G: 201, L: 201, M: 201, S: 201, E: 403}
REMOVE = {A: 401, O: 204, G: 204, L: 204, M: 204, S: 204, E: 403}


def _target(w) -> dict:
    return {"user_id": w.target.pk}


ROWS = [
    ("me-blocks", "GET", "api/v1/me/blocks/", lambda w: "/api/v1/me/blocks/", None, LIST),
    ("me-block-add", "POST", "api/v1/me/blocks/", lambda w: "/api/v1/me/blocks/", _target, ADD),
    ("me-block-remove", "DELETE", "api/v1/me/blocks/<int:user_id>/",
     lambda w: f"/api/v1/me/blocks/{w.target.pk}/", None, REMOVE),
    ("me-mutes", "GET", "api/v1/me/mutes/", lambda w: "/api/v1/me/mutes/", None, LIST),
    ("me-mute-add", "POST", "api/v1/me/mutes/", lambda w: "/api/v1/me/mutes/", _target, ADD),
    ("me-mute-remove", "DELETE", "api/v1/me/mutes/<int:user_id>/",
     lambda w: f"/api/v1/me/mutes/{w.target.pk}/", None, REMOVE),
]  # fmt: skip

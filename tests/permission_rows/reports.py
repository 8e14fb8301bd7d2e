"""Permission rows for members' reports. You can report only what you can see, never your own; evaluators see none
of it. The message is Target's in Art Club's chat; the event is the leader's."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741


def _reason(w) -> dict:
    return {"reason": "bullying", "note": "They keep doing it."}


def _their_message(w) -> str:
    from tests.test_api_permission_matrix import chat

    return f"/api/v1/messages/{chat(w)['theirs'].pk}/report/"


ROWS = [
    ("report-message", "POST", "api/v1/messages/<int:message_id>/report/", _their_message, _reason,
     {A: 401, O: 404, G: 201, L: 201, M: 201, S: 201, E: 404}),
    ("report-person", "POST", "api/v1/people/<int:user_id>/report/",
     lambda w: f"/api/v1/people/{w.target.pk}/report/", _reason,
     {A: 401, O: 404, G: 201, L: 201, M: 201, S: 201, E: 404}),
    ("report-event", "POST", "api/v1/events/<int:event_id>/report/",
     lambda w: f"/api/v1/events/{w.event.pk}/report/", _reason,
     {A: 401, O: 404, G: 201, L: 400, M: 201, S: 201, E: 404}),  # the leader made it: not_yourself
    ("my-reports", "GET", "api/v1/me/reports/", lambda w: "/api/v1/me/reports/", None,
     {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}),
]  # fmt: skip

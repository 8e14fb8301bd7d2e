"""Chat pages (rooms, direct conversations) and the report pages. The room is Art Club's; the conversation request is
from target to group_member."""

from __future__ import annotations

from tests.reliability.page_rows import DONE, LOGIN, REFUSED
from tests.reliability.page_rows._shared import IN_GROUP, SEEN_IN_GROUP, SIGNED_IN, A, E, G, L, M, O, S


def chat(w) -> dict:
    from tests.test_api_permission_matrix import chat

    return chat(w)


ROWS = [
    ("room-list", "GET", "chat/", lambda w: "/chat/", None, SIGNED_IN),
    ("room", "GET", "chat/<int:room_id>/", lambda w: f"/chat/{chat(w)['room'].pk}/", None, IN_GROUP),
    ("direct-room", "GET", "chat/<int:room_id>/", lambda w: f"/chat/{chat(w)['request'].pk}/", None,
     {A: LOGIN, O: 404, G: 200, L: 404, M: 404, S: 404, E: 404}),
    ("direct-accept", "POST", "chat/<int:room_id>/accept/", lambda w: f"/chat/{chat(w)['request'].pk}/accept/",
     None, {A: LOGIN, O: REFUSED, G: DONE, L: REFUSED, M: REFUSED, S: REFUSED, E: REFUSED}),
    ("direct-decline", "POST", "chat/<int:room_id>/decline/", lambda w: f"/chat/{chat(w)['request'].pk}/decline/",
     None, {A: LOGIN, O: REFUSED, G: DONE, L: REFUSED, M: REFUSED, S: REFUSED, E: REFUSED}),
    ("group-room", "GET", "chat/group/<slug:slug>/", lambda w: "/chat/group/art-club/", None,
     {A: LOGIN, O: 403, G: DONE, L: DONE, M: DONE, S: DONE, E: 403}),
    ("event-room", "GET", "chat/event/<int:event_id>/", lambda w: f"/chat/event/{w.event.pk}/", None,
     {A: LOGIN, O: 404, G: DONE, L: DONE, M: DONE, S: DONE, E: 404}),
    ("report-message", "GET", "report/message/<int:target_id>/",
     lambda w: f"/report/message/{chat(w)['theirs'].pk}/", None, SEEN_IN_GROUP),
    ("report-message-post", "POST", "report/message/<int:target_id>/",
     lambda w: f"/report/message/{chat(w)['theirs'].pk}/", lambda w: {"reason": "bullying"}, SEEN_IN_GROUP),
    ("report-person", "GET", "report/person/<int:target_id>/", lambda w: f"/report/person/{w.target.pk}/", None,
     SEEN_IN_GROUP),
    ("report-person-post", "POST", "report/person/<int:target_id>/", lambda w: f"/report/person/{w.target.pk}/",
     lambda w: {"reason": "bullying"}, SEEN_IN_GROUP),
    ("report-event", "GET", "report/event/<int:target_id>/", lambda w: f"/report/event/{w.event.pk}/", None,
     {A: LOGIN, O: 404, G: 200, L: 400, M: 200, S: 200, E: 404}),
    ("report-event-post", "POST", "report/event/<int:target_id>/", lambda w: f"/report/event/{w.event.pk}/",
     lambda w: {"reason": "bullying"}, {A: LOGIN, O: 404, G: 200, L: 400, M: 200, S: 200, E: 404}),
    ("my-reports", "GET", "me/reports/", lambda w: "/me/reports/", None, SIGNED_IN),
]  # fmt: skip

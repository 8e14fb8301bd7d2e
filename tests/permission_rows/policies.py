"""Permission rows for the community agreement and the privacy notice: anyone reads the current versions; each
signed-in person sees and accepts their own."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

EVERYONE = {A: 200, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
SIGNED_IN = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}


def _current_ids(w) -> dict:
    from community.services.policies import policies_current

    return {"documents": [document.pk for document in policies_current()]}


ROWS = [
    ("policies-current", "GET", "api/v1/policies/", lambda w: "/api/v1/policies/", None, EVERYONE),
    ("my-policies", "GET", "api/v1/me/policies/", lambda w: "/api/v1/me/policies/", None, SIGNED_IN),
    ("my-policies-accept", "POST", "api/v1/me/policies/accept/", lambda w: "/api/v1/me/policies/accept/",
     _current_ids, SIGNED_IN),
]  # fmt: skip

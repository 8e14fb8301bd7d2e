"""Permission rows for copies of my data (/api/v1/me/exports/). Anyone signed in may ask for a copy of their own data
(evaluators too: they are people with accounts). Nobody reaches anyone else's copy, staff included: it is simply not
found."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

SIGNED_IN = {A: 401, O: 200, G: 200, L: 200, M: 200, S: 200, E: 200}
ASKED = {A: 401, O: 202, G: 202, L: 202, M: 202, S: 202, E: 202}
SOMEONE_ELSES = {A: 401, O: 404, G: 404, L: 404, M: 404, S: 404, E: 404}
GROUP_MEMBERS_OWN = {**SOMEONE_ELSES, G: 200}


def _ready_export_of(w, owner: str):
    """A ready copy of Target's (or the named role's) data, made the first time a row asks."""
    from community.services.data_export import data_export_build, data_export_request

    key = f"_export_{owner}"
    if key not in w.__dict__:
        person = w.target if owner == "target" else w.users[owner]
        w.__dict__[key] = data_export_build(export_id=data_export_request(actor=person).pk)
    return w.__dict__[key]


def _export_url(owner: str, rest: str = ""):
    return lambda w: f"/api/v1/me/exports/{_ready_export_of(w, owner).pk}/{rest}"


EXPORT = "api/v1/me/exports/<int:export_id>/"
DOWNLOAD = "api/v1/me/exports/<int:export_id>/download/"

ROWS = [
    ("me-exports", "GET", "api/v1/me/exports/", lambda w: "/api/v1/me/exports/", None, SIGNED_IN),
    ("me-export-ask", "POST", "api/v1/me/exports/", lambda w: "/api/v1/me/exports/", None, ASKED),
    ("me-export-someone-elses", "GET", EXPORT, _export_url("target"), None, SOMEONE_ELSES),
    ("me-export-own", "GET", EXPORT, _export_url("group_member"), None, GROUP_MEMBERS_OWN),
    ("me-export-download-someone-elses", "GET", DOWNLOAD, _export_url("target", "download/"), None, SOMEONE_ELSES),
    ("me-export-download-own", "GET", DOWNLOAD, _export_url("group_member", "download/"), None, GROUP_MEMBERS_OWN),
]  # fmt: skip

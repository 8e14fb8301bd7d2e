"""Permission rows for the programme figures (/api/v1/programme/...) and a group's own figures
(/api/v1/groups/<slug>/figures/). Staff and evaluators see programme aggregates; a group's peer leaders see their
own group's; members and moderators see neither. None of them ever names a person."""

from __future__ import annotations

A, O, G, L, M, S, E = "anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"  # noqa: E741

PROGRAMME = {A: 401, O: 403, G: 403, L: 403, M: 403, S: 200, E: 200}
GROUP_FIGURES = {A: 401, O: 403, G: 403, L: 200, M: 403, S: 200, E: 200}

ROWS = [
    ("programme-summary", "GET", "api/v1/programme/summary/", lambda w: "/api/v1/programme/summary/", None, PROGRAMME),
    ("programme-table", "GET", "api/v1/programme/tables/<slug:key>/",
     lambda w: "/api/v1/programme/tables/attendance/", None, PROGRAMME),
    ("programme-table-csv", "GET", "api/v1/programme/tables/<slug:key>/csv/",
     lambda w: "/api/v1/programme/tables/attendance/csv/", None, PROGRAMME),
    ("group-figures", "GET", "api/v1/groups/<slug:slug>/figures/", lambda w: "/api/v1/groups/art-club/figures/", None,
     GROUP_FIGURES),
]  # fmt: skip

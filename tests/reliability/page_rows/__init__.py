"""Rows for the page permission matrix (tests/reliability/test_page_permission_matrix.py), one module per area.

Each module defines `ROWS`: (name, method, route pattern, url(w), body(w), {role: expected}), the shape of the API
matrix's rows (tests/permission_rows/). Rows get the API matrix's World `w` and reuse its helpers (`chat(w)`, and the
lazily made cases, concerns, check-ins and exports of tests/permission_rows/). An expected value is a status code, or
one of three redirects: LOGIN (to the sign-in page: what a page does for someone not signed in), DONE (on, with no
error message: the thing was done) or REFUSED (on, with an error message saying why not, which is how many pages
refuse a button press).
"""

from __future__ import annotations

import importlib
import pkgutil

ROLES = ["anonymous", "outsider", "group_member", "leader", "moderator", "staff", "evaluator"]
LOGIN = "login"
DONE = "done"
REFUSED = "refused"


def collect() -> list[tuple]:
    rows: list[tuple] = []
    for name in modules():
        rows.extend(rows_of(name))
    return rows


def modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def rows_of(module: str) -> list[tuple]:
    return importlib.import_module(f"{__name__}.{module}").ROWS

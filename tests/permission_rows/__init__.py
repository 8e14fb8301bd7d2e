"""More rows for the API permission matrix (tests/test_api_permission_matrix.py), one module per feature.

Each module defines `ROWS`: (name, method, route pattern, url(w), body(w), {role: expected status}), the same shape as
the main table. Rows get the matrix's World `w`; helpers such as `chat(w)` are imported from the main module inside
functions (it imports this package while it loads).
"""

from __future__ import annotations

import importlib
import pkgutil


def collect() -> list[tuple]:
    rows: list[tuple] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        rows.extend(importlib.import_module(f"{__name__}.{module_info.name}").ROWS)
    return rows

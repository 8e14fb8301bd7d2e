"""Small query helpers shared by every app."""

from __future__ import annotations

from django.db.models import QuerySet


def one_or_none(queryset: QuerySet):
    """The row a filter on a unique key finds, or None. Like `.first()` without the ORDER BY it adds, which costs
    the ORM a sort clause to build on every call for nothing when at most one row can match."""
    for row in queryset[:1]:
        return row
    return None

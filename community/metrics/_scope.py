"""What the programme figures share: a period as dates (start included, end excluded) and who counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils import timezone

from community.models import Group, ParticipationEntry
from community.selectors.consent import consenting_users


def moment(day: date) -> datetime:
    """Local midnight at the start of `day` (the site's time zone)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month that overlaps [start, end)."""
    months, month = [], month_start(start)
    while month < end:
        months.append(month)
        month = next_month(month)
    return months


def as_local_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def group_id_of(group: Group | int | None) -> int | None:
    if group is None or isinstance(group, int):
        return group
    return group.pk


def check_period(start: date, end: date) -> None:
    if end <= start:
        raise ValueError(f"A period ends after it starts (start {start}, end {end}; the end is excluded).")


def consenting_ids():
    """A subquery of the members who consent now (community.selectors.consent)."""
    return consenting_users().values("pk")


def programme_entries(*, group: Group | int | None = None, category: str | None = None, scan: bool = False) -> QuerySet:
    """Ledger entries of consenting members, narrowed to one group's and/or one category's activities.

    `scan=True` checks consent row by row instead of looking each consenting member up in the (user, occurred_at)
    index: faster on SQLite when most of a period's rows are read anyway (attendance by category)."""
    consenting = consenting_ids()
    if scan:
        entries = ParticipationEntry.objects.annotate(member=unindexed("user_id")).filter(member__in=consenting)
    else:
        entries = ParticipationEntry.objects.filter(user_id__in=consenting)
    group_id = group_id_of(group)
    if group_id is not None:
        entries = entries.filter(group_id=group_id)
    if category:
        entries = entries.filter(category=category)
    return entries.order_by()


def in_period(queryset: QuerySet, field: str, *, start: date | None, end: date | None) -> QuerySet:
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": moment(start)})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lt": moment(end)})
    return queryset


def month_bucket(field: str, months: list[date]) -> Case:
    """The index in `months` of the local month that the datetime `field` falls in (None before the first month or
    after the last). Plain comparisons with the months' first moments, so the database does no time-zone or date
    arithmetic per row (SQLite would call back into Python for every row of a TruncMonth)."""
    bounds = [moment(month) for month in months[1:]] + [moment(next_month(months[-1]))]
    return Case(
        *(When(**{f"{field}__lt": bound}, then=Value(index)) for index, bound in enumerate(bounds)),
        default=Value(None),
        output_field=IntegerField(),
    )


def unindexed(field: str) -> CombinedExpression:
    """`field` + 0: the same value, but SQLite's planner can no longer probe an index with it. For `x IN (subquery)`
    beside another `IN` on the same composite index, where probing every pair of the two lists is far slower than
    scanning one list and checking the other."""
    return CombinedExpression(F(field), "+", Value(0), output_field=IntegerField())

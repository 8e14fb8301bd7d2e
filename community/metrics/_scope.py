"""What the programme figures share: a period as dates (start included, end excluded) and who counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
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


def programme_entries(*, group: Group | int | None = None, category: str | None = None) -> QuerySet:
    """Ledger entries of consenting members, narrowed to one group's and/or one category's activities."""
    entries = ParticipationEntry.objects.filter(user_id__in=consenting_ids())
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

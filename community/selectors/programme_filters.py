"""The filters of the programme figures (period, group, event category), read from a query string.

One parser for the page, the CSV downloads and the API, so the same link gives the same figures everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from community.errors import InvalidInput
from community.models import Group, ParticipationEntry

DEFAULT_DAYS = 365
LONGEST_DAYS = 5 * 366
CATEGORY_MAX = 30
# Dates outside these are refused: the figures also look at the period before (and the day after) the one chosen,
# which would run off the calendar near year 1 or 9999.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


@dataclass(frozen=True)
class ProgrammeFilters:
    """From `date_from` to `date_to`, both days included. `group` and `category` narrow the figures to the people
    who took part in that group's (or category's) activities in the period, and attendance to those activities."""

    date_from: date
    date_to: date
    group: Group | None = None
    category: str = ""

    @property
    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def ends(self) -> datetime:
        """The first moment after the period (exclusive end)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def query(self) -> dict[str, str]:
        """The filters as query-string values (for links to the CSV downloads with the same filters)."""
        values = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        if self.group is not None:
            values["group"] = self.group.slug
        if self.category:
            values["category"] = self.category
        return values


def default_period(today: date | None = None) -> tuple[date, date]:
    """The year up to today."""
    today = today or timezone.localdate()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def _day(params: Mapping, key: str, fallback: date, label: str) -> date:
    text = (params.get(key) or "").strip()
    if not text:
        return fallback
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"The {label} date should look like 2026-01-31.", code="invalid_filter", fields={key: ["Not a date."]}
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(
            f"The {label} date should be between {EARLIEST.year} and {LATEST.year}.",
            code="invalid_filter",
            fields={key: ["Out of range."]},
        )
    return day


def programme_filters_from(*, params: Mapping) -> ProgrammeFilters:
    """Read `from`, `to` (YYYY-MM-DD), `group` (a slug) and `category` from `params`. No period means the year up to
    today. Raises InvalidInput (code `invalid_filter`) for a bad date, a period backwards or longer than five years,
    or a group that doesn't exist."""
    first, last = default_period()
    date_from = _day(params, "from", first, "start")
    date_to = _day(params, "to", last, "end")
    if date_to < date_from:
        raise InvalidInput(
            "The end date is before the start date.", code="invalid_filter", fields={"to": ["Too early."]}
        )
    if (date_to - date_from).days > LONGEST_DAYS:
        raise InvalidInput(
            "Choose a period of five years or less.", code="invalid_filter", fields={"from": ["Too long."]}
        )
    group = None
    slug = (params.get("group") or "").strip()
    if slug:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            raise InvalidInput("We couldn't find that group.", code="invalid_filter", fields={"group": ["Unknown."]})
    category = (params.get("category") or "").strip()[:CATEGORY_MAX]
    return ProgrammeFilters(date_from=date_from, date_to=date_to, group=group, category=category)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """What the filter form offers: every group by name, and the event categories in the ledger (two queries)."""
    groups = [(slug, name) for slug, name in Group.objects.order_by("name").values_list("slug", "name")]
    categories = sorted(
        {
            value
            for value in ParticipationEntry.objects.exclude(category="")
            .order_by()
            .values_list("category", flat=True)
            .distinct()
        }
    )
    return {"groups": groups, "categories": [(key, category_label(key)) for key in categories]}


def category_label(key: str) -> str:
    """ "independent_living" -> "Independent living" (community keeps the key only; events owns the wording)."""
    return key.replace("_", " ").capitalize() if key else "Other"

"""The FLOOR: the same rows as each endpoint, fetched by one hand-written SQL query and encoded with json.dumps.

No Django request, no authentication, no ORM, no serializers: about as little as Python can do to give the same
answer. An endpoint's time divided by the floor's is what the framework, the permission checks, the ORM and the
serializers cost on top.

Table names are written out, as a developer writing SQL by hand would. The output has the same fields and values
as the endpoint's (the benchmark checks that before it measures), including the derived ones (the time in words,
places left, what only people going may see), computed here in plain Python. The rules are written for the
benchmark's member and organiser (site role "member"); staff and moderators' extra rights are not modelled.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
MONTHS += ("November", "December")


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):  # SQLite may hand an expression's value back as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def iso(value: datetime | str | None) -> str | None:
    """The same text DRF's DateTimeField gives: UK time, ISO 8601, 'Z' for UTC."""
    if value is None:
        return None
    text = _aware(value).astimezone(LONDON).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}" if moment.minute else f"{hour}{suffix}"


def _day(moment: datetime, this_year: int) -> str:
    text = f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month]}"
    return text if moment.year == this_year else f"{text} {moment.year}"


def when(starts_at: datetime, ends_at: datetime, this_year: int) -> str:
    """'Friday 4 December, 6pm to 8pm' in UK time, as events.wording.when_in_words says it."""
    start, end = _aware(starts_at).astimezone(LONDON), _aware(ends_at).astimezone(LONDON)
    text = f"{_day(start, this_year)}, {_clock(start)} to "
    if end.date() != start.date():
        text += f"{_day(end, this_year)}, "
    return text + _clock(end)


def encode(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _db_now() -> tuple[datetime, object]:
    now = timezone.now()
    return now, connection.ops.adapt_datetimefield_value(now)


_VISIBLE_UPCOMING = """
     {alias}.ends_at >= %(now)s
     AND ({alias}.visibility = 'all_members'
          OR {alias}.group_id IN (SELECT m.group_id FROM community_membership m
                                   WHERE m.user_id = %(user)s AND m.status = 'active'))"""
_EVENT_COLUMNS = """
SELECT e.id, e.title, e.description, e.category, e.destination_areas, e.starts_at, e.ends_at, e.is_online, e.area,
       e.venue_address, e.joining_link, e.accessibility_info, e.capacity, e.going_count, e.rsvp_mode,
       e.rsvp_closes_at, e.status, e.visibility, e.cancelled_at, e.cancel_reason, e.series_id, g.slug, g.name,
       (SELECT r.status FROM events_rsvp r WHERE r.event_id = e.id AND r.user_id = %(user)s) AS my_status,
       e.group_id IN (SELECT m.group_id FROM community_membership m
                       WHERE m.user_id = %(user)s AND m.status = 'active' AND m.role = 'leader') AS is_organiser,"""

# Two ways to write the one query; which is faster depends on the database and its indexes, so the benchmark times
# both on the seeded data and uses the faster (fastest_events_query). Both pick the page first (narrow rows), then
# widen only its rows with the event's text, the group, the member's RSVP and whether they organise it.
EVENTS_SQL = {
    # The total rides along as a window function over the page's scan.
    "window count": f"""
WITH page AS (
  SELECT e.id, e.starts_at, COUNT(*) OVER () AS total FROM events_event e
   WHERE {_VISIBLE_UPCOMING.format(alias="e")}
   ORDER BY e.starts_at, e.id LIMIT %(size)s
){_EVENT_COLUMNS}
       page.total
  FROM page JOIN events_event e ON e.id = page.id JOIN community_group g ON g.id = e.group_id
 ORDER BY page.starts_at, page.id
""",  # noqa: S608 - built from the constant fragments above, no input
    # The total is its own uncorrelated subquery, so the page can stop after `size` rows of an ordered index.
    "count subquery": f"""
WITH page AS (
  SELECT e.id, e.starts_at FROM events_event e
   WHERE {_VISIBLE_UPCOMING.format(alias="e")}
   ORDER BY e.starts_at, e.id LIMIT %(size)s
){_EVENT_COLUMNS}
       (SELECT COUNT(*) FROM events_event c WHERE {_VISIBLE_UPCOMING.format(alias="c")}) AS total
  FROM page JOIN events_event e ON e.id = page.id JOIN community_group g ON g.id = e.group_id
 ORDER BY page.starts_at, page.id
""",  # noqa: S608 - built from the constant fragments above, no input
}


def fastest_events_query(*, user_id: int, page_size: int, tries: int = 15) -> str:
    """The name of the EVENTS_SQL variant with the lowest median time on this database (same rows either way)."""
    medians = {}
    for name in EVENTS_SQL:
        spent = []
        for _ in range(tries):
            begin = time.perf_counter()
            upcoming_events(user_id=user_id, page_size=page_size, query=name)
            spent.append(time.perf_counter() - begin)
        medians[name] = sorted(spent)[len(spent) // 2]
    return min(medians, key=medians.get)


def upcoming_events(*, user_id: int, page_size: int, query: str = "window count") -> bytes:
    """GET /api/v1/events/?page_size=N for a member: the page's events and the total count, in one statement."""
    now, db_now = _db_now()
    with connection.cursor() as cursor:
        cursor.execute(EVENTS_SQL[query], {"now": db_now, "user": user_id, "size": page_size})
        rows = cursor.fetchall()
    this_year = now.astimezone(LONDON).year
    results = []
    for row in rows:
        (event_id, title, description, category, areas, starts_at, ends_at, is_online, area, venue, link) = row[:11]
        (access, capacity, going, rsvp_mode, closes_at, status, visibility, cancelled_at, reason) = row[11:20]
        (series_id, slug, name, my_status, is_organiser) = row[20:25]
        private = bool(is_organiser) or my_status == "going"
        results.append(
            {
                "id": event_id,
                "url": f"/events/{event_id}/",
                "group": {"slug": slug, "name": name},
                "series_id": series_id,
                "title": title,
                "description": description,
                "category": category,
                "destination_areas": json.loads(areas) if isinstance(areas, str) else areas,
                "starts_at": iso(starts_at),
                "ends_at": iso(ends_at),
                "when": when(starts_at, ends_at, this_year),
                "is_online": bool(is_online),
                "area": area,
                "venue_address": venue if private else None,
                "joining_link": link if private else None,
                "accessibility_info": access,
                "capacity": capacity,
                "going_count": going,
                "places_left": None if capacity is None else max(capacity - going, 0),
                "rsvp_mode": rsvp_mode,
                "rsvp_closes_at": iso(closes_at),
                "status": status,
                "visibility": visibility,
                "cancelled_at": iso(cancelled_at),
                "cancel_reason": reason,
                "my_rsvp_status": my_status,
                "is_organiser": bool(is_organiser),
            }
        )
    return encode({"count": rows[0][25] if rows else 0, "results": results})


ATTENDEES_SQL = """
SELECT r.user_id, u.display_name, r.status, r.created_at, r.queued_at, a.checked_in_at, a.method, r.id,
       e.capacity, e.going_count
  FROM events_rsvp r
  JOIN events_event e ON e.id = r.event_id
  JOIN community_user u ON u.id = r.user_id
  LEFT JOIN events_attendance a ON a.event_id = r.event_id AND a.user_id = r.user_id
 WHERE r.event_id = %s AND r.status IN ('going', 'waitlisted', 'pending')
 ORDER BY LOWER(u.display_name), r.queued_at, r.id
"""


def attendees(*, event_id: int) -> bytes:
    """GET /api/v1/events/<id>/attendees/: going by name, waiting and asking in arrival order, with check-ins."""
    with connection.cursor() as cursor:
        cursor.execute(ATTENDEES_SQL, [event_id])
        rows = cursor.fetchall()
    lists: dict[str, list] = {"going": [], "waitlisted": [], "pending": []}
    for row in rows:
        lists[row[2]].append(row)
    for status in ("waitlisted", "pending"):
        lists[status].sort(key=lambda row: (_aware(row[4]), row[7]))

    def person(row) -> dict:
        return {
            "user_id": row[0],
            "display_name": row[1],
            "status": row[2],
            "rsvp_at": iso(row[3]),
            "queued_at": iso(row[4]),
            "checked_in_at": iso(row[5]),
            "check_in_method": row[6],
        }

    return encode(
        {
            "event_id": event_id,
            "capacity": rows[0][8] if rows else None,
            "going_count": rows[0][9] if rows else 0,
            "checked_in_count": sum(1 for row in lists["going"] if row[5] is not None),
            **{status: [person(row) for row in people] for status, people in lists.items()},
        }
    )


LOCK_EVENT_SQL = "SELECT capacity, going_count FROM events_event WHERE id = %s FOR UPDATE"
READ_EVENT_SQL = "SELECT capacity, going_count FROM events_event WHERE id = %s"  # SQLite: BEGIN IMMEDIATE locks
INSERT_RSVP_SQL = (
    "INSERT INTO events_rsvp (event_id, user_id, status, queued_at, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
)
COUNT_GOING_SQL = "UPDATE events_event SET going_count = going_count + 1 WHERE id = %s"


def rsvp_going(*, event_id: int, user_id: int) -> bytes:
    """One RSVP by hand: lock the event, take a place if one is free (else the waiting list), keep the count."""
    read = LOCK_EVENT_SQL if connection.features.has_select_for_update else READ_EVENT_SQL
    _, db_now = _db_now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(read, [event_id])
        capacity, going = cursor.fetchone()
        status = "going" if capacity is None or going < capacity else "waitlisted"
        cursor.execute(INSERT_RSVP_SQL, [event_id, user_id, status, db_now, db_now, db_now])
        if status == "going":
            cursor.execute(COUNT_GOING_SQL, [event_id])
    return encode({"status": status})

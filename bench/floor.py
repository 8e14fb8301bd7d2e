"""The FLOOR: the same rows as each endpoint, fetched by one hand-written SQL query and encoded with json.dumps.

No Django request, no authentication, no serializers: as little as a Python web app can do to answer. An endpoint's
time divided by the floor's is what the framework, the permission checks and the serializers cost.

Table names are written out, as a developer writing SQL by hand would. The output has the same fields and values
as the endpoint's (the benchmark checks that before it measures).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from events.models import RsvpStatus

LONDON = ZoneInfo("Europe/London")
ACTIVE = (RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value, RsvpStatus.PENDING.value)


def iso(value: datetime | str | None) -> str | None:
    """The same text DRF's DateTimeField gives: UK time, ISO 8601, 'Z' for UTC."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite hands some expressions back as text
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(LONDON).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def encode(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _now_param() -> object:
    from django.utils import timezone

    return connection.ops.adapt_datetimefield_value(timezone.now())


EVENTS_SQL = """
SELECT e.id, e.title, e.category, e.starts_at, e.ends_at, e.is_online, e.area, g.slug, g.name, e.capacity,
       e.going_count, e.status, e.visibility, e.rsvp_mode,
       (SELECT r.status FROM events_rsvp r WHERE r.event_id = e.id AND r.user_id = %s) AS my_status,
       COUNT(*) OVER () AS total
  FROM events_event e
  JOIN community_group g ON g.id = e.group_id
 WHERE e.ends_at >= %s
   AND (e.visibility = 'all_members'
        OR e.group_id IN (SELECT m.group_id FROM community_membership m WHERE m.user_id = %s AND m.status = 'active'))
 ORDER BY e.starts_at, e.id
 LIMIT %s
"""


def upcoming_events(*, user_id: int, page_size: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(EVENTS_SQL, [user_id, _now_param(), user_id, page_size])
        rows = cursor.fetchall()
    results = [
        {
            "id": row[0],
            "title": row[1],
            "category": row[2],
            "starts_at": iso(row[3]),
            "ends_at": iso(row[4]),
            "is_online": bool(row[5]),
            "area": row[6],
            "group": {"slug": row[7], "name": row[8]},
            "capacity": row[9],
            "going_count": row[10],
            "status": row[11],
            "visibility": row[12],
            "rsvp_mode": row[13],
            "my_rsvp_status": row[14],
        }
        for row in rows
    ]
    return encode({"count": rows[0][15] if rows else 0, "results": results})


ATTENDEES_SQL = """
SELECT r.user_id, u.display_name, r.status, r.queued_at, a.checked_in_at, a.method, r.id
  FROM events_rsvp r
  JOIN community_user u ON u.id = r.user_id
  LEFT JOIN events_attendance a ON a.event_id = r.event_id AND a.user_id = r.user_id
 WHERE r.event_id = %s AND r.status IN ('going', 'waitlisted', 'pending')
 ORDER BY LOWER(u.display_name), r.queued_at, r.id
"""
LOCK_EVENT_SQL = "SELECT capacity, going_count FROM events_event WHERE id = %s FOR UPDATE"
READ_EVENT_SQL = "SELECT capacity, going_count FROM events_event WHERE id = %s"  # SQLite: BEGIN IMMEDIATE locks
INSERT_RSVP_SQL = (
    "INSERT INTO events_rsvp (event_id, user_id, status, queued_at, created_at, updated_at)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
)
COUNT_GOING_SQL = "UPDATE events_event SET going_count = going_count + 1 WHERE id = %s"


def attendees(*, event_id: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(ATTENDEES_SQL, [event_id])
        rows = cursor.fetchall()
    lists: dict[str, list] = {status: [] for status in ACTIVE}
    checked_in = 0
    for row in rows:
        lists[row[2]].append(row)
        if row[2] == RsvpStatus.GOING and row[4] is not None:
            checked_in += 1
    for status in (RsvpStatus.WAITLISTED, RsvpStatus.PENDING):
        lists[status].sort(key=lambda row: (row[3], row[6]))

    def person(row) -> dict:
        return {
            "user_id": row[0],
            "display_name": row[1],
            "status": row[2],
            "queued_at": iso(row[3]),
            "checked_in_at": iso(row[4]),
            "check_in_method": row[5],
        }

    return encode(
        {
            "going": [person(row) for row in lists[RsvpStatus.GOING]],
            "waitlisted": [person(row) for row in lists[RsvpStatus.WAITLISTED]],
            "pending": [person(row) for row in lists[RsvpStatus.PENDING]],
            "checked_in_count": checked_in,
        }
    )


def rsvp_going(*, event_id: int, user_id: int) -> bytes:
    """One RSVP by hand: lock the event, take a place if one is free (else the waiting list), keep the count."""
    read = LOCK_EVENT_SQL if connection.features.has_select_for_update else READ_EVENT_SQL
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(read, [event_id])
        capacity, going = cursor.fetchone()
        status = RsvpStatus.GOING.value if capacity is None or going < capacity else RsvpStatus.WAITLISTED.value
        now = _now_param()
        cursor.execute(INSERT_RSVP_SQL, [event_id, user_id, status, now, now, now])
        if status == RsvpStatus.GOING:
            cursor.execute(COUNT_GOING_SQL, [event_id])
    return encode({"status": status})

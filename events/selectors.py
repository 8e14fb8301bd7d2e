"""Reads of events that pages and the API share. No writes; query counts do not grow with the number of rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db.models import Count, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from community.models import Group, Membership, User
from community.permissions import is_site_staff
from events.models import Attendance, Event, EventStatus, Pulse, Rsvp, RsvpStatus
from events.permissions import (
    access_event,
    can_organise_event,
    can_see_private_details,
    organised_by,
    require_organiser,
    visible_events,
)
from events.services.checkin import attendance_window, is_within, self_check_in_window
from events.services.shared import ACTIVE_RSVP_STATUSES


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _count_of(model, *, status: str | None = None) -> Coalesce:
    """A correlated COUNT subquery per event (so several counts never multiply each other through joins)."""
    rows = model.objects.filter(event=OuterRef("pk"))
    if status is not None:
        rows = rows.filter(status=status)
    counted = rows.order_by().values("event").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def upcoming_events_for(
    *,
    user: User,
    group: Group | None = None,
    category: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    mine: bool = False,
    include_cancelled: bool = True,
    now: datetime | None = None,
) -> QuerySet[Event]:
    """Events `user` can see that haven't ended yet, soonest first, in one query.

    Each event has `group` loaded, its exact `going_count`, and `my_rsvp_status` (None if the user hasn't answered).
    `mine` keeps only events the user is going to, waiting for, or asked to come to. Dates are UK calendar days,
    both ends included. Cancelled events are kept (shown as cancelled) unless `include_cancelled` is False.
    """
    now = now or timezone.now()
    my_status = Rsvp.objects.filter(event=OuterRef("pk"), user_id=user.pk).values("status")[:1]
    events = (
        visible_events(user)
        .filter(ends_at__gte=now)
        .select_related("group")
        .annotate(my_rsvp_status=Subquery(my_status))
        .order_by("starts_at", "id")
    )
    if group is not None:
        events = events.filter(group=group)
    if category:
        events = events.filter(category=category)
    if date_from is not None:
        events = events.filter(starts_at__gte=_day_start(date_from))
    if date_to is not None:
        events = events.filter(starts_at__lt=_day_start(date_to + timedelta(days=1)))
    if mine:
        events = events.filter(my_rsvp_status__in=ACTIVE_RSVP_STATUSES)
    if not include_cancelled:
        events = events.filter(status=EventStatus.SCHEDULED)
    return events


class EventListRow(NamedTuple):
    """One event of a list as plain values, for answers that only write them out (the API's list)."""

    id: int
    group_slug: str
    group_name: str
    series_id: int | None
    title: str
    description: str
    category: str
    destination_areas: list
    starts_at: datetime
    ends_at: datetime
    is_online: bool
    area: str
    venue_address: str
    joining_link: str
    accessibility_info: str
    capacity: int | None
    going_count: int
    rsvp_mode: str
    rsvp_closes_at: datetime | None
    status: str
    visibility: str
    cancelled_at: datetime | None
    cancel_reason: str
    my_rsvp_status: str | None
    is_organiser: bool


EVENT_LIST_ROW_COLUMNS = (
    *("id", "group__slug", "group__name", "series_id", "title", "description", "category", "destination_areas"),
    *("starts_at", "ends_at", "is_online", "area", "venue_address", "joining_link", "accessibility_info", "capacity"),
    *("going_count", "rsvp_mode", "rsvp_closes_at", "status", "visibility", "cancelled_at", "cancel_reason"),
    *("my_rsvp_status", "is_organiser"),
)  # in EventListRow's order


def event_list_rows(events: QuerySet[Event], *, user: User) -> QuerySet:
    """`events` (from upcoming_events_for(user=user)) as tuples in EventListRow's order, each with whether `user`
    organises it, still one query: no model instances to build and no membership to look up per row."""
    return events.annotate(is_organiser=organised_by(user)).values_list(*EVENT_LIST_ROW_COLUMNS)


@dataclass(frozen=True)
class EventDetail:
    event: Event
    my_rsvp: Rsvp | None
    is_organiser: bool
    can_see_private_details: bool
    waitlist_position: int | None  # 1 for the next person to get a place
    is_checked_in: bool
    has_pulse: bool
    self_check_in_open: bool
    attendance_open: bool  # organisers may mark attendance now

    @property
    def my_rsvp_status(self) -> str | None:
        return self.my_rsvp.status if self.my_rsvp else None


def event_detail_for(
    *, user: User, event_id: int, event: Event | None = None, my_rsvp: Rsvp | None = None
) -> EventDetail:
    """One event as `user` sees it, with their RSVP and what they may see and do. Raises event_not_found.

    A caller that has just changed the user's RSVP passes the `event` and `my_rsvp` the service handed back (the
    service has checked the user may see the event), so neither is read again.
    """
    if event is None:
        event = access_event(user=user, event_id=event_id)
    if my_rsvp is None:
        my_rsvp = (
            Rsvp.objects.filter(event=event, user_id=user.pk)
            .annotate(
                checked_in=Exists(Attendance.objects.filter(event=event, user_id=user.pk)),
                answered_pulse=Exists(Pulse.objects.filter(event=event, user_id=user.pk)),
            )
            .first()
        )
    checked_in, answered_pulse = _check_in_and_pulse(event, user, my_rsvp)
    position = None
    if my_rsvp is not None and my_rsvp.status == RsvpStatus.WAITLISTED:
        ahead = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).filter(
            Q(queued_at__lt=my_rsvp.queued_at) | Q(queued_at=my_rsvp.queued_at, pk__lt=my_rsvp.pk)
        )
        position = ahead.count() + 1
    status = my_rsvp.status if my_rsvp else ""
    organiser = can_organise_event(user, event)
    return EventDetail(
        event=event,
        my_rsvp=my_rsvp,
        is_organiser=organiser,
        can_see_private_details=can_see_private_details(user, event, rsvp_status=status),
        waitlist_position=position,
        is_checked_in=checked_in,
        has_pulse=answered_pulse,
        self_check_in_open=not event.is_cancelled and is_within(self_check_in_window(event)),
        attendance_open=organiser and not event.is_cancelled and is_within(attendance_window(event)),
    )


def _check_in_and_pulse(event: Event, user: User, my_rsvp: Rsvp | None) -> tuple[bool, bool]:
    """Whether `user` is checked in at `event` and has shared how it went."""
    if my_rsvp is None:
        return False, False
    if hasattr(my_rsvp, "checked_in"):  # annotated by event_detail_for's own query
        return bool(my_rsvp.checked_in), bool(my_rsvp.answered_pulse)
    if my_rsvp.status != RsvpStatus.GOING:
        # Only people going are checked in (and only people checked in share how it went), and nothing moves someone
        # checked in off "going": cancel, decline and remove all refuse with already_checked_in.
        return False, False
    flags = (
        Attendance.objects.filter(event=event, user_id=user.pk)
        .annotate(answered_pulse=Exists(Pulse.objects.filter(event=event, user_id=user.pk)))
        .values_list("answered_pulse", flat=True)
        .first()
    )
    return flags is not None, bool(flags)


class AttendeeRow(NamedTuple):
    """One person on an event's lists as plain values, for answers that only write them out (the API)."""

    id: int  # the RSVP's
    user_id: int
    display_name: str
    status: str
    queued_at: datetime
    created_at: datetime
    checked_in_at: datetime | None
    check_in_method: str | None


@dataclass(frozen=True)
class Attendees:
    """An event's people for its organisers: RSVPs (attendees_for: `user` loaded, its id and display name only) or
    AttendeeRows (attendee_rows_for), each with `checked_in_at` / `check_in_method` (None if not checked in)."""

    going: list[Rsvp | AttendeeRow] = field(default_factory=list)
    waitlisted: list[Rsvp | AttendeeRow] = field(default_factory=list)  # arrival order: first is next for a place
    pending: list[Rsvp | AttendeeRow] = field(default_factory=list)  # oldest request first

    @property
    def checked_in_count(self) -> int:
        return sum(1 for rsvp in self.going if rsvp.checked_in_at is not None)


def _attendee_rsvps(*, organiser: User, event: Event, search: str) -> QuerySet[Rsvp]:
    require_organiser(organiser, event)
    rsvps = (
        Rsvp.objects.filter(event=event, status__in=ACTIVE_RSVP_STATUSES)
        # The person's check-in at this event, if any, by one LEFT JOIN (at most one row: one per person per event).
        .annotate(
            here=FilteredRelation("user__attendances", condition=Q(user__attendances__event=event)),
            checked_in_at=F("here__checked_in_at"),
            check_in_method=F("here__method"),
        )
        .order_by(Lower("user__display_name"), "queued_at", "id")
    )
    search = (search or "").strip()
    if search:
        rsvps = rsvps.filter(user__display_name__icontains=search)
    return rsvps


def _grouped(people: Iterable[Rsvp | AttendeeRow]) -> Attendees:
    result = Attendees()
    lists = {
        RsvpStatus.GOING: result.going,
        RsvpStatus.WAITLISTED: result.waitlisted,
        RsvpStatus.PENDING: result.pending,
    }
    for person in people:
        lists[person.status].append(person)
    result.waitlisted.sort(key=lambda person: (person.queued_at, person.id))
    result.pending.sort(key=lambda person: (person.queued_at, person.id))
    return result


def attendees_for(*, organiser: User, event: Event, search: str = "") -> Attendees:
    """Who is going (by name), waiting (in order) and asking (oldest first), with check-ins, in one query.

    `search` keeps people whose display name contains it. Refuses not_an_organiser.
    """
    rsvps = (
        _attendee_rsvps(organiser=organiser, event=event, search=search)
        .select_related("user")
        # Only what the organiser pages and the CSV read: not the whole User row (password hash and all).
        .only("id", "event_id", "user_id", "status", "queued_at", "created_at", "user__id", "user__display_name")
    )
    return _grouped(rsvps)


def attendee_rows_for(*, organiser: User, event: Event, search: str = "") -> Attendees:
    """The same people in the same order as attendees_for, as AttendeeRows: no model instances to build, for the API
    (a list of 200 people costs a few milliseconds less). Refuses not_an_organiser."""
    rows = _attendee_rsvps(organiser=organiser, event=event, search=search).values_list(
        "id",
        "user_id",
        "user__display_name",
        "status",
        "queued_at",
        "created_at",
        "checked_in_at",
        "check_in_method",
    )  # in AttendeeRow's order
    return _grouped(map(AttendeeRow._make, rows))


def events_organised_by(*, user: User, include_past: bool = False, now: datetime | None = None) -> QuerySet[Event]:
    """Events in the groups `user` leads (and, for staff, the events they created), soonest first, each with
    `waitlisted_count`, `pending_count` and `checked_in_count`. One query. Staff see their own events here, not every
    event on the site."""
    led_groups = Membership.objects.leaders().filter(user_id=user.pk).values("group")
    mine = Q(group__in=led_groups)
    if is_site_staff(user):
        mine |= Q(created_by_id=user.pk)
    events = (
        Event.objects.filter(mine)
        .select_related("group")
        .annotate(
            waitlisted_count=_count_of(Rsvp, status=RsvpStatus.WAITLISTED),
            pending_count=_count_of(Rsvp, status=RsvpStatus.PENDING),
            checked_in_count=_count_of(Attendance),
        )
        .order_by("starts_at", "id")
    )
    if not include_past:
        events = events.filter(ends_at__gte=now or timezone.now())
    return events


def my_rsvps(*, user: User, upcoming_only: bool = True, now: datetime | None = None) -> QuerySet[Rsvp]:
    """`user`'s own going / waiting / asking RSVPs, with their events and groups, soonest event first."""
    rsvps = (
        Rsvp.objects.filter(user_id=user.pk, status__in=ACTIVE_RSVP_STATUSES)
        .select_related("event", "event__group")
        .order_by("event__starts_at", "event_id")
    )
    if upcoming_only:
        rsvps = rsvps.filter(event__ends_at__gte=now or timezone.now())
    return rsvps

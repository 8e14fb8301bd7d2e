"""iCalendar (RFC 5545) for events: one event as a download, a person's own feed and a group's feed.

Times are written in UK time with TZID=Europe/London and a VTIMEZONE, so an 18:00 meetup stays at 18:00 on both sides
of a clock change. Each event keeps the same UID forever (event-<id>@here-and-now) and its SEQUENCE (raised by the
event services whenever the time, place or status changes), so calendar apps update it in place. Cancelled events stay
in the feeds as STATUS:CANCELLED, so they don't just vanish. The exact address and joining link are written only for
people going; everyone else sees the rough area.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from community.models import Group, Membership, User
from events import permissions
from events.ideas.links import absolute, event_path
from events.models import CalendarToken, CalendarTokenKind, Event, EventStatus, Rsvp, RsvpStatus

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Here and Now//Events//EN"
UID_DOMAIN = "here-and-now"
FEED_KEEPS_PAST_DAYS = 90
FEED_MAX_EVENTS = 500
FEED_RSVP_STATUSES = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.PENDING)


@dataclass(frozen=True)
class CalendarEntry:
    event: Event
    status: str  # CONFIRMED, TENTATIVE or CANCELLED
    show_private_details: bool


# --- reads --------------------------------------------------------------------------------------------------------


def _feed_window_start() -> datetime:
    return timezone.now() - timedelta(days=FEED_KEEPS_PAST_DAYS)


def personal_feed_events(*, user: User) -> list[tuple[Event, str]]:
    """(event, my RSVP status) for the events `user` is going to, waitlisted for or waiting approval for.

    A cancelled event stays (as cancelled) for anyone who had a place or was waiting, even if cancelling it also
    cancelled their RSVP. Events `user` can no longer see (they left the group) drop out. One query.
    """
    rsvps = (
        Rsvp.objects.filter(
            user=user, event__in=permissions.visible_events(user), event__ends_at__gte=_feed_window_start()
        )
        .filter(
            Q(status__in=FEED_RSVP_STATUSES)
            | Q(event__status=EventStatus.CANCELLED, status__in=(*FEED_RSVP_STATUSES, RsvpStatus.CANCELLED))
        )
        .select_related("event")
        .order_by("event__starts_at", "event_id")[:FEED_MAX_EVENTS]
    )
    return [(rsvp.event, rsvp.status) for rsvp in rsvps]


def group_feed_events(*, user: User, group: Group) -> QuerySet[Event]:
    """A group's scheduled and cancelled events that `user` can see, each with `my_rsvp_status`. One query."""
    mine = Rsvp.objects.filter(event=OuterRef("pk"), user_id=user.pk).values("status")[:1]
    return (
        permissions.visible_events(user)
        .filter(
            group=group,
            status__in=(EventStatus.SCHEDULED, EventStatus.CANCELLED),
            ends_at__gte=_feed_window_start(),
        )
        .annotate(my_rsvp_status=Subquery(mine))
        .order_by("starts_at", "id")[:FEED_MAX_EVENTS]
    )


def my_rsvp_status(*, user: User, event: Event) -> str | None:
    return Rsvp.objects.filter(event=event, user_id=user.pk).values_list("status", flat=True).first()


@dataclass(frozen=True)
class CalendarLink:
    kind: str
    group: Group | None
    token: CalendarToken | None

    @property
    def url(self) -> str:
        return feed_url(self.token) if self.token else ""

    @property
    def webcal_url(self) -> str:
        return webcal_url(self.token) if self.token else ""


def calendar_links_for(*, user: User) -> list[CalendarLink]:
    """The person's own feed, then one feed per group they are an active member of, each with its token (or None
    if they haven't made that link yet). Two queries."""
    tokens = {(token.kind, token.group_id): token for token in CalendarToken.objects.filter(user=user)}
    links = [CalendarLink(CalendarTokenKind.PERSONAL, None, tokens.get((CalendarTokenKind.PERSONAL, None)))]
    memberships = Membership.objects.active().filter(user=user).select_related("group").order_by("group__name")
    for membership in memberships:
        group = membership.group
        links.append(CalendarLink(CalendarTokenKind.GROUP, group, tokens.get((CalendarTokenKind.GROUP, group.pk))))
    return links


def feed_path(token: CalendarToken) -> str:
    return reverse("events:calendar-feed", kwargs={"token": token.token})


def feed_url(token: CalendarToken) -> str:
    return absolute(feed_path(token))


def webcal_url(token: CalendarToken) -> str:
    """The same address with webcal://, which phones open straight in their calendar app to subscribe."""
    url = feed_url(token)
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


# --- writing iCalendar --------------------------------------------------------------------------------------------


def london_vtimezone() -> icalendar.Timezone:
    """Europe/London as RFC 5545 rules: BST from the last Sunday of March (01:00 UTC) to the last Sunday of October."""
    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/London")
    zone.add("x-lic-location", "Europe/London")
    daylight = icalendar.TimezoneDaylight()
    daylight.add("tzname", "BST")
    daylight.add("tzoffsetfrom", timedelta(hours=0))
    daylight.add("tzoffsetto", timedelta(hours=1))
    daylight.add("dtstart", datetime(1970, 3, 29, 1, 0, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    standard = icalendar.TimezoneStandard()
    standard.add("tzname", "GMT")
    standard.add("tzoffsetfrom", timedelta(hours=1))
    standard.add("tzoffsetto", timedelta(hours=0))
    standard.add("dtstart", datetime(1970, 10, 25, 2, 0, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def event_sequence(event: Event) -> int:
    """The revision number the event services raise whenever the time, place or status changes."""
    return event.sequence


def entry_status(*, event: Event, rsvp_status: str | None) -> str:
    if event.status == EventStatus.CANCELLED:
        return "CANCELLED"
    if rsvp_status in (RsvpStatus.WAITLISTED, RsvpStatus.PENDING):
        return "TENTATIVE"
    return "CONFIRMED"


def _location(event: Event, *, show_private_details: bool) -> str:
    if show_private_details:
        if event.is_online:
            return "Online"
        if event.venue_address:
            return event.venue_address
    if event.area:
        return f"Online ({event.area})" if event.is_online else event.area
    return "Online" if event.is_online else ""


def _description(event: Event, *, status: str, show_private_details: bool, url: str) -> str:
    parts = []
    if status == "CANCELLED":
        parts.append("This event is cancelled.")
        if event.cancel_reason:
            parts.append(f"The organisers said: {event.cancel_reason}")
    elif status == "TENTATIVE":
        parts.append("You're not confirmed yet: you're on the waiting list or waiting for an organiser to say yes.")
    if event.description:
        parts.append(event.description)
    if show_private_details and event.joining_link:
        parts.append(f"Joining link: {event.joining_link}")
    if event.accessibility_info:
        parts.append(f"Accessibility: {event.accessibility_info}")
    parts.append(f"More details: {url}")
    return "\n\n".join(parts)


def event_component(entry: CalendarEntry, *, stamp: datetime) -> icalendar.Event:
    event = entry.event
    url = absolute(event_path(event))
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp)
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", event_sequence(event))
    summary = f"Cancelled: {event.title}" if entry.status == "CANCELLED" else event.title
    component.add("summary", summary)
    component.add("dtstart", event.starts_at.astimezone(LONDON))
    component.add("dtend", event.ends_at.astimezone(LONDON))
    component.add("status", entry.status)
    component.add("transp", "TRANSPARENT" if entry.status == "CANCELLED" else "OPAQUE")
    location = _location(event, show_private_details=entry.show_private_details)
    if location:
        component.add("location", location)
    component.add(
        "description",
        _description(event, status=entry.status, show_private_details=entry.show_private_details, url=url),
    )
    component.add("categories", [event.get_category_display()])
    component.add("url", url)
    return component


def build_calendar(*, name: str, entries: list[CalendarEntry], is_feed: bool) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    if is_feed:
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", timedelta(hours=1))
    calendar.add_component(london_vtimezone())
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        calendar.add_component(event_component(entry, stamp=stamp))
    return calendar.to_ical()


def event_calendar(*, event: Event, viewer: User) -> bytes:
    """One event, for the "add to calendar" download. The caller has checked `viewer` can see it."""
    rsvp_status = my_rsvp_status(user=viewer, event=event)
    entry = CalendarEntry(
        event=event,
        status=entry_status(event=event, rsvp_status=rsvp_status),
        show_private_details=permissions.can_see_private_details(viewer, event, rsvp_status=rsvp_status or ""),
    )
    return build_calendar(name=event.title, entries=[entry], is_feed=False)


def personal_feed(*, user: User) -> bytes:
    entries = [
        CalendarEntry(
            event=event,
            status=entry_status(event=event, rsvp_status=status),
            show_private_details=permissions.feed_shows_private_details(rsvp_status=status),
        )
        for event, status in personal_feed_events(user=user)
    ]
    return build_calendar(name="Here and Now: my events", entries=entries, is_feed=True)


def group_feed(*, user: User, group: Group) -> bytes:
    entries = [
        CalendarEntry(
            event=event,
            status="CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED",
            show_private_details=permissions.feed_shows_private_details(rsvp_status=event.my_rsvp_status),
        )
        for event in group_feed_events(user=user, group=group)
    ]
    return build_calendar(name=f"Here and Now: {group.name}", entries=entries, is_feed=True)


def feed_for_token(token: CalendarToken) -> bytes:
    """The feed a (checked) token opens."""
    if token.kind == CalendarTokenKind.GROUP:
        return group_feed(user=token.user, group=token.group)
    return personal_feed(user=token.user)

"""Small helpers the event services share: locking, links, the people to tell, and dates in words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import dateformat, timezone

from community.models import Membership, User
from events.models import Event, Rsvp, RsvpStatus
from events.permissions import can_organise_event, event_not_found

# Someone with one of these has a claim on the event and hears when it changes or is cancelled.
ACTIVE_RSVP_STATUSES = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.PENDING)


def lock_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends: every RSVP change for one event queues here."""
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:  # deleted a moment ago
        raise event_not_found()
    return event


def lock_rsvp(*, event: Event, user: User) -> Rsvp | None:
    rsvp = Rsvp.objects.select_for_update().filter(event=event, user=user).first()
    if rsvp is not None:
        rsvp.event = event  # the locked row, so the caller reads its counts as the service leaves them, with no query
    return rsvp


def event_path(event: Event | int) -> str:
    """The event's page (served by the events pages under /events/<id>/)."""
    event_id = event.pk if isinstance(event, Event) else event
    return f"/events/{event_id}/"


def organiser_path(event: Event) -> str:
    return f"/events/{event.pk}/organise/"


def when_text(moment: datetime) -> str:
    """'Saturday 5 October at 18:00' in UK time."""
    return dateformat.format(timezone.localtime(moment), r"l j F \a\t H:i")


def people_with_status(event: Event, statuses: Iterable[str], *, exclude: User | None = None) -> list[User]:
    queryset = User.objects.filter(rsvps__event=event, rsvps__status__in=list(statuses), is_active=True)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return list(queryset)


def organisers_to_tell(event: Event, *, exclude: User | None = None) -> list[User]:
    """The group's peer leaders, and whoever created the event if they still organise it (for example staff)."""
    leaders = list(
        User.objects.filter(
            pk__in=Membership.objects.leaders().filter(group_id=event.group_id).values("user"), is_active=True
        )
    )
    creator = event.created_by
    if creator is not None and creator.pk not in {leader.pk for leader in leaders} and creator.is_active:
        if can_organise_event(creator, event):
            leaders.append(creator)
    return [person for person in leaders if exclude is None or person.pk != exclude.pk]

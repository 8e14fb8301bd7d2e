"""Creating, editing and cancelling events, one at a time or as a repeating series.

Organisers are the group's peer leaders and staff. Edits and cancellations can apply to one date ("this") or to this
date and every later one in its series ("following"); cancelling one date leaves the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from community.errors import Conflict, Forbidden, InvalidInput
from community.models import Group, User
from community.reference import positive_destinations
from community.services.audit import audit_record
from community.services.notifications import notify_many
from events.models import (
    Event,
    EventCategory,
    EventSeries,
    EventStatus,
    EventVisibility,
    RsvpMode,
)
from events.permissions import can_create_event_in, require_organiser
from events.services.changes import schedule_change_notice
from events.services.rsvps import promote_from_waitlist
from events.services.series import (
    as_local_naive,
    from_local_naive,
    local_moment,
    move_wall_clock,
    occurrence_dates,
    occurrence_times,
)
from events.services.shared import ACTIVE_RSVP_STATUSES, event_path, lock_event, people_with_status, when_text

EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "destination_areas",
    "starts_at",
    "ends_at",
    "is_online",
    "area",
    "venue_address",
    "joining_link",
    "accessibility_info",
    "capacity",
    "rsvp_mode",
    "rsvp_closes_at",
    "visibility",
)
# A change to one of these is news for the people coming (and a new iCalendar SEQUENCE).
NOTICE_FIELDS = frozenset(
    {"title", "starts_at", "ends_at", "is_online", "area", "venue_address", "joining_link", "accessibility_info"}
)
TEXT_LIMITS = {"title": 120, "description": 5000, "area": 120, "venue_address": 500, "accessibility_info": 2000}
SCOPES = ("this", "following")


# --- checking the details --------------------------------------------------------------------------------------------


EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInput(
            "Please give a date and time.", code="invalid_datetime", fields={field: "Not a date and time."}
        )
    if timezone.is_naive(value):
        value = from_local_naive(value)  # a time without a zone is UK time
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        # Far-off years are typing slips, and before 1847 UK time isn't a whole-minute offset from UTC, so the time
        # couldn't be written back out as an ISO 8601 offset.
        raise InvalidInput(
            f"Please give a date between {EARLIEST_YEAR} and {LATEST_YEAR}.",
            code="invalid_datetime",
            fields={field: "Not a date we can use."},
        )
    return value


def _clean(values: dict) -> dict:
    """Check and tidy the given fields; raise InvalidInput with a specific code for the first problem."""
    cleaned = dict(values)
    for field, limit in TEXT_LIMITS.items():
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
            if len(cleaned[field]) > limit:
                raise InvalidInput(
                    f"That's a bit long. Please keep it to {limit} characters.",
                    code="too_long",
                    fields={field: f"At most {limit} characters."},
                )
    if "title" in cleaned and not cleaned["title"]:
        raise InvalidInput("Please give the event a name.", code="title_required", fields={"title": "Needed."})
    if "category" in cleaned and cleaned["category"] not in EventCategory.values:
        raise InvalidInput("Please choose one of the kinds of event.", code="invalid_category")
    if "destination_areas" in cleaned:
        areas = list(dict.fromkeys(cleaned["destination_areas"] or []))
        known = {key for key, _label in positive_destinations()}
        if any(area not in known for area in areas):
            raise InvalidInput(
                "Please choose from the listed areas this event supports.", code="invalid_destination_area"
            )
        cleaned["destination_areas"] = areas
    for field in ("starts_at", "ends_at"):
        if field in cleaned:
            cleaned[field] = _aware(cleaned[field], field)
    if cleaned.get("rsvp_closes_at") is not None:
        cleaned["rsvp_closes_at"] = _aware(cleaned["rsvp_closes_at"], "rsvp_closes_at")
    if "capacity" in cleaned:
        capacity = cleaned["capacity"]
        if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0):
            raise InvalidInput(
                "The number of places needs to be 0 or more, or left empty for no limit.", code="invalid_capacity"
            )
    if "rsvp_mode" in cleaned and cleaned["rsvp_mode"] not in RsvpMode.values:
        raise InvalidInput("Please choose how people sign up.", code="invalid_rsvp_mode")
    if "visibility" in cleaned and cleaned["visibility"] not in EventVisibility.values:
        raise InvalidInput("Please choose who can see this event.", code="invalid_visibility")
    if "is_online" in cleaned:
        cleaned["is_online"] = bool(cleaned["is_online"])
    if "joining_link" in cleaned:
        link = (cleaned["joining_link"] or "").strip()
        if link:
            try:
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError:
                raise InvalidInput(
                    "The joining link needs to be a full web address, starting with https://.", code="invalid_link"
                ) from None
            if len(link) > 200:
                raise InvalidInput("That joining link is too long.", code="invalid_link")
        cleaned["joining_link"] = link
    return cleaned


def _check_times(*, starts_at: datetime, ends_at: datetime, rsvp_closes_at: datetime | None) -> None:
    if ends_at <= starts_at:
        raise InvalidInput("The end time needs to be after the start time.", code="ends_before_start")
    if rsvp_closes_at is not None and rsvp_closes_at > ends_at:
        raise InvalidInput("Sign-ups need to close before the event ends.", code="rsvp_closes_after_end")


# --- creating --------------------------------------------------------------------------------------------------------


def event_create(
    *,
    actor: User,
    group: Group,
    title: str,
    category: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    destination_areas: Sequence[str] = (),
    is_online: bool = False,
    area: str = "",
    venue_address: str = "",
    joining_link: str = "",
    accessibility_info: str = "",
    capacity: int | None = None,
    rsvp_mode: str = RsvpMode.OPEN,
    rsvp_closes_at: datetime | None = None,
    visibility: str = EventVisibility.GROUP,
    repeat: str | None = None,
    repeat_count: int | None = None,
    repeat_until: date | None = None,
) -> Event:
    """Create an event, or a repeating series of them (`repeat` = "weekly" | "fortnightly" | "monthly", with
    `repeat_count` dates and/or dates up to `repeat_until`; at most 52). Each date keeps the same UK wall-clock
    times, and the RSVP cut-off keeps its distance from the start. Returns the first event; the rest share its series.

    Refusals: not_an_organiser, group_archived, title_required, too_long, invalid_category,
    invalid_destination_area, invalid_capacity, invalid_rsvp_mode, invalid_visibility, invalid_link,
    invalid_datetime, ends_before_start, rsvp_closes_after_end, event_in_the_past, invalid_repeat,
    repeat_end_needed, invalid_repeat_count, invalid_repeat_until, too_many_occurrences.
    """
    if not can_create_event_in(actor, group):
        raise Forbidden("Only this group's peer leaders and staff can create events.", code="not_an_organiser")
    if group.is_archived:
        raise Forbidden("This group is closed now, so it can't have new events.", code="group_archived")
    fields = _clean(
        {
            "title": title,
            "description": description,
            "category": category,
            "destination_areas": destination_areas,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "is_online": is_online,
            "area": area,
            "venue_address": venue_address,
            "joining_link": joining_link,
            "accessibility_info": accessibility_info,
            "capacity": capacity,
            "rsvp_mode": rsvp_mode,
            "rsvp_closes_at": rsvp_closes_at,
            "visibility": visibility,
        }
    )
    _check_times(starts_at=fields["starts_at"], ends_at=fields["ends_at"], rsvp_closes_at=fields["rsvp_closes_at"])
    if fields["starts_at"] <= timezone.now():
        raise InvalidInput(
            "The start time has already passed. Please choose a time in the future.", code="event_in_the_past"
        )

    if repeat:
        dates = occurrence_dates(
            first=timezone.localtime(fields["starts_at"]).date(),
            frequency=repeat,
            count=repeat_count,
            until=repeat_until,
        )
    else:
        dates = [timezone.localtime(fields["starts_at"]).date()]
    times = occurrence_times(starts_at=fields["starts_at"], ends_at=fields["ends_at"], dates=dates)

    with transaction.atomic():
        series = EventSeries.objects.create(group=group, frequency=repeat, created_by=actor) if repeat else None
        events = []
        for occurrence_start, occurrence_end in times:
            closes = fields["rsvp_closes_at"]
            if closes is not None:
                closes = move_wall_clock(closes, old_anchor=fields["starts_at"], new_anchor=occurrence_start)
            values = {**fields, "starts_at": occurrence_start, "ends_at": occurrence_end, "rsvp_closes_at": closes}
            events.append(Event(group=group, series=series, created_by=actor, **values))
        created = Event.objects.bulk_create(events)
        first = created[0]
        audit_record(
            actor=actor,
            action="event_created",
            target=first,
            group=group,
            data={"series_id": series.pk if series else None, "dates": len(created)},
        )
    return Event.objects.select_related("group", "series").get(pk=first.pk)


# --- editing ---------------------------------------------------------------------------------------------------------


def _lock_scope(event: Event, scope: str) -> list[Event]:
    """The events an edit or cancellation with `scope` covers, locked, first one first (never a cancelled later one)."""
    if scope not in SCOPES:
        raise InvalidInput('Please choose "this date" or "this and following dates".', code="invalid_scope")
    target = lock_event(event.pk)
    if scope == "this" or target.series_id is None:
        return [target]
    later = list(
        Event.objects.select_for_update()
        .filter(series_id=target.series_id, starts_at__gt=target.starts_at, status=EventStatus.SCHEDULED)
        .order_by("starts_at", "id")
    )
    return [target, *later]


def _new_times(event: Event, *, target: Event, starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """For a later date in the series: the target's day shift and new local times of day, on this event's date."""
    if event.pk == target.pk:
        return starts_at, ends_at
    day_shift = timezone.localtime(starts_at).date() - timezone.localtime(target.starts_at).date()
    end_day_offset = timezone.localtime(ends_at).date() - timezone.localtime(starts_at).date()
    start_day = timezone.localtime(event.starts_at).date() + day_shift
    new_start = local_moment(start_day, as_local_naive(starts_at).time())
    new_end = local_moment(start_day + end_day_offset, as_local_naive(ends_at).time())
    if new_end <= new_start:
        new_end = new_start + (ends_at - starts_at)
    return new_start, new_end


def _changes_for(event: Event, *, target: Event, changes: dict) -> dict:
    """The field values `event` should end up with (only those that differ from what it has)."""
    wanted = {
        field: value for field, value in changes.items() if field not in ("starts_at", "ends_at", "rsvp_closes_at")
    }
    if "starts_at" in changes or "ends_at" in changes:
        new_start, new_end = _new_times(
            event,
            target=target,
            starts_at=changes.get("starts_at", target.starts_at),
            ends_at=changes.get("ends_at", target.ends_at),
        )
        wanted["starts_at"], wanted["ends_at"] = new_start, new_end
    new_start = wanted.get("starts_at", event.starts_at)
    if "rsvp_closes_at" in changes:
        closes = changes["rsvp_closes_at"]
        if closes is not None and event.pk != target.pk:
            target_start = changes.get("starts_at", target.starts_at)
            closes = move_wall_clock(closes, old_anchor=target_start, new_anchor=new_start)
        wanted["rsvp_closes_at"] = closes
    elif event.rsvp_closes_at is not None and new_start != event.starts_at:
        wanted["rsvp_closes_at"] = move_wall_clock(
            event.rsvp_closes_at, old_anchor=event.starts_at, new_anchor=new_start
        )
    return {field: value for field, value in wanted.items() if getattr(event, field) != value}


def event_update(*, actor: User, event: Event, scope: str = "this", **changes) -> Event:
    """Change an event's details. With scope="following" the same changes - and the same shift in date and time of
    day - apply to this date and every later date of its series that isn't cancelled. Raising the capacity (or
    removing it) gives the new places to people waiting at once; lowering it below the number going keeps them all.
    Changes to time, place, title or access information send one "event changed" notice after a quiet spell.
    Returns the event, refreshed.

    Refusals: not_an_organiser, event_cancelled, unknown_field, invalid_scope, event_past (moving a finished event),
    event_in_the_past (moving it into the past), and the field codes of event_create.
    """
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidInput(f"These can't be changed here: {', '.join(unknown)}.", code="unknown_field")
    changes = _clean(changes)
    with transaction.atomic():
        events = _lock_scope(event, scope)
        target = events[0]
        require_organiser(actor, target)
        if target.is_cancelled:
            raise Conflict("This event has been cancelled, so it can't be changed.", code="event_cancelled")
        now = timezone.now()
        moving = "starts_at" in changes or "ends_at" in changes
        if moving and target.ends_at <= now:
            raise Conflict("This event has already happened, so its time can't change.", code="event_past")

        plans = [(each, _changes_for(each, target=target, changes=changes)) for each in events]
        for each, wanted in plans:
            starts = wanted.get("starts_at", each.starts_at)
            ends = wanted.get("ends_at", each.ends_at)
            _check_times(
                starts_at=starts, ends_at=ends, rsvp_closes_at=wanted.get("rsvp_closes_at", each.rsvp_closes_at)
            )
            if "starts_at" in wanted and starts <= now:
                raise InvalidInput("That start time has already passed.", code="event_in_the_past")

        changed_fields: set[str] = set()
        for each, wanted in plans:
            if not wanted:
                continue
            old_capacity = each.capacity
            for field, value in wanted.items():
                setattr(each, field, value)
            fields = [*wanted, "updated_at"]
            if NOTICE_FIELDS & set(wanted):
                each.sequence += 1
                each.changed_at = now
                fields += ["sequence", "changed_at"]
            each.save(update_fields=fields)
            changed_fields |= set(wanted)
            if "capacity" in wanted and (
                each.capacity is None or (old_capacity is not None and each.capacity > old_capacity)
            ):
                promote_from_waitlist(each)
            if NOTICE_FIELDS & set(wanted):
                schedule_change_notice(each)

        if changed_fields:
            audit_record(
                actor=actor,
                action="event_updated",
                target=target,
                group=target.group,
                data={
                    "scope": scope,
                    "fields": sorted(changed_fields),
                    "event_ids": [each.pk for each, wanted in plans if wanted],
                },
            )
    return Event.objects.select_related("group", "series").get(pk=target.pk)


# --- cancelling ------------------------------------------------------------------------------------------------------


def event_cancel(*, actor: User, event: Event, scope: str = "this", reason: str = "") -> list[Event]:
    """Cancel one date, or this and every later date of its series. Everyone going, waiting or asking is told.
    RSVPs are kept (so calendars show the event as cancelled). Cancelling a cancelled date changes nothing.
    Returns the events cancelled by this call.

    Refusals: not_an_organiser, invalid_scope, event_past, too_long (reason over 500 characters).
    """
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise InvalidInput("Please keep the reason to 500 characters.", code="too_long")
    with transaction.atomic():
        events = _lock_scope(event, scope)
        target = events[0]
        require_organiser(actor, target)
        now = timezone.now()
        if target.ends_at <= now:
            raise Conflict("This event has already happened, so it can't be cancelled.", code="event_past")
        cancelled = [each for each in events if not each.is_cancelled]
        for each in cancelled:
            each.status = EventStatus.CANCELLED
            each.cancelled_at = now
            each.cancel_reason = reason
            each.sequence += 1
            each.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"])
            body = f"It was on {when_text(each.starts_at)}."
            if reason:
                body += f" The organisers said: {reason}"
            notify_many(
                users=people_with_status(each, ACTIVE_RSVP_STATUSES, exclude=actor),
                kind="event_cancelled",
                title=f"Cancelled: {each.title}",
                body=body,
                url=event_path(each),
            )
        if cancelled:
            audit_record(
                actor=actor,
                action="event_cancelled",
                target=target,
                group=target.group,
                data={"scope": scope, "reason": reason, "event_ids": [each.pk for each in cancelled]},
            )
    return cancelled

"""Events API: upcoming events, one event, planning and cancelling, RSVPs, the organisers' tools, check-in and pulse.

Thin views: each validates its input, calls a selector or service from events/, and serialises the answer. Refusals
are DomainErrors with a stable code (community/api/errors.py turns them into {"code", "detail"}). The exact address
and the joining link are only ever in an answer for people going and for organisers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, tzinfo

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions as community_permissions
from community.api.errors import JsonRefusalsMixin
from community.api.inputs import validated
from community.api.pagination import StandardPagination
from community.errors import NotFound
from community.models import User
from events import permissions
from events.checkin_codes import check_in_url, current_code, qr_code_svg, seconds_until_next_code
from events.models import (
    Attendance,
    Event,
    EventCategory,
    EventVisibility,
    Idea,
    PulseConnection,
    Rsvp,
    RsvpMode,
    SeriesFrequency,
)
from events.organiser_tools import ATTENDEE_ACTIONS, attendee_person, attendees_csv
from events.selectors import (
    AttendeeRow,
    Attendees,
    EventListRow,
    attendee_rows_for,
    attendees_for,
    event_detail_for,
    event_list_rows,
    upcoming_events_for,
)
from events.services.announcements import event_announce
from events.services.checkin import self_check_in, self_check_in_window
from events.services.events import SCOPES, event_cancel, event_create, event_update
from events.services.pulse import HELD_NOTE_MESSAGE, pulse_delete, pulse_submit
from events.services.rsvps import rsvp_cancel, rsvp_going
from events.services.shared import event_path
from events.wording import Today, places_left, when_in_words

TAGS = ["events"]
NOT_LOGGED_IN = OpenApiResponse(description="Not logged in (code `not_authenticated`).")
EVENT_NOT_FOUND = OpenApiResponse(description="No such event, or not one you can see (code `event_not_found`).")
NOT_AN_ORGANISER = OpenApiResponse(description="Only the event's organisers can do that (code `not_an_organiser`).")
EVENT_ID = OpenApiParameter("event_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The event's id.")
SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The group's slug.")
LIST_FILTERS = [
    OpenApiParameter("category", OpenApiTypes.STR, enum=EventCategory.values, description="One kind of event."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Starting on or after this UK date."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Starting on or before this UK date."),
    OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only events you're going to, waiting for or asked to."),
]


class EventPagination(StandardPagination):
    page_size = 25
    max_page_size = 50


# --- output ---------------------------------------------------------------------------------------------------------


class EventGroupOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class EventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The event's page.")
    group = EventGroupOutputSerializer()
    series_id = serializers.IntegerField(allow_null=True, help_text="Set when the event is one date of a series.")
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=EventCategory.choices)
    destination_areas = serializers.ListField(child=serializers.CharField())
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    when = serializers.SerializerMethodField(help_text='In words, UK time: "Friday 4 December, 6pm to 8pm".')
    is_online = serializers.BooleanField()
    area = serializers.CharField(help_text="Roughly where; shown to everyone who can see the event.")
    venue_address = serializers.SerializerMethodField(help_text="Only for people going and organisers, else null.")
    joining_link = serializers.SerializerMethodField(help_text="Only for people going and organisers, else null.")
    accessibility_info = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True, help_text="null: no limit.")
    going_count = serializers.IntegerField()
    places_left = serializers.SerializerMethodField(help_text="null: no limit.")
    rsvp_mode = serializers.ChoiceField(choices=RsvpMode.choices)
    rsvp_closes_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(help_text="scheduled or cancelled.")
    visibility = serializers.ChoiceField(choices=EventVisibility.choices)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    my_rsvp_status = serializers.CharField(
        allow_null=True, help_text="going, waitlisted, pending, declined or cancelled; null if you haven't answered."
    )
    is_organiser = serializers.SerializerMethodField()

    def _user(self) -> User:
        return self.context["request"].user

    def _shows_private(self, event: Event) -> bool:
        status_now = getattr(event, "my_rsvp_status", None) or ""
        return permissions.can_see_private_details(self._user(), event, rsvp_status=status_now)

    def get_url(self, event: Event) -> str:
        return event_path(event)

    def get_when(self, event: Event) -> str:
        return when_in_words(event.starts_at, event.ends_at)

    def get_venue_address(self, event: Event) -> str | None:
        return event.venue_address if self._shows_private(event) else None

    def get_joining_link(self, event: Event) -> str | None:
        return event.joining_link if self._shows_private(event) else None

    def get_places_left(self, event: Event) -> int | None:
        return places_left(event)

    def get_is_organiser(self, event: Event) -> bool:
        return permissions.can_organise_event(self._user(), event)


class EventDetailOutputSerializer(EventOutputSerializer):
    waitlist_position = serializers.IntegerField(allow_null=True, help_text="1: you're next for a place.")
    is_checked_in = serializers.BooleanField()
    has_pulse = serializers.BooleanField(help_text="Whether you've shared how it went.")
    self_check_in_open = serializers.BooleanField()
    attendance_open = serializers.BooleanField(help_text="Organisers: whether attendance can be marked now.")
    idea_id = serializers.IntegerField(allow_null=True, help_text="The idea this event came from, if you can see it.")


class EventCancelOutputSerializer(serializers.Serializer):
    cancelled_event_ids = serializers.ListField(child=serializers.IntegerField())
    event = EventDetailOutputSerializer()


class EventAttendeeOutputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    display_name = serializers.CharField(source="user.display_name")
    status = serializers.CharField(help_text="going, waitlisted or pending.")
    rsvp_at = serializers.DateTimeField(source="created_at")
    queued_at = serializers.DateTimeField(help_text="Place in the queue: the waiting list is in this order.")
    checked_in_at = serializers.DateTimeField(allow_null=True)
    check_in_method = serializers.CharField(allow_null=True, help_text="organiser or self; null if not here.")


class EventAttendeesOutputSerializer(serializers.Serializer):
    event_id = serializers.IntegerField()
    capacity = serializers.IntegerField(allow_null=True)
    going_count = serializers.IntegerField()
    checked_in_count = serializers.IntegerField()
    going = EventAttendeeOutputSerializer(many=True, help_text="By name.")
    waitlisted = EventAttendeeOutputSerializer(many=True, help_text="In order: the first is next for a place.")
    pending = EventAttendeeOutputSerializer(many=True, help_text="Oldest request first.")


class EventAttendeeActionOutputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    display_name = serializers.CharField()
    rsvp_status = serializers.CharField(allow_null=True)
    checked_in = serializers.BooleanField()


class EventAnnounceOutputSerializer(serializers.Serializer):
    recipients = serializers.IntegerField(help_text="How many people going were told.")


class EventCheckInCodeOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="6 characters; the current and the previous code are accepted.")
    seconds_left = serializers.IntegerField(help_text="Until the next code (codes change every 2 minutes).")
    check_in_url = serializers.CharField(help_text="What the QR code points to.")
    qr_svg = serializers.CharField(help_text="The QR code as an inline SVG.")
    self_check_in_open = serializers.BooleanField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class EventCheckInOutputSerializer(serializers.Serializer):
    event_id = serializers.IntegerField()
    checked_in_at = serializers.DateTimeField()
    method = serializers.CharField(help_text="organiser or self.")


class EventPulseOutputSerializer(serializers.Serializer):
    feeling = serializers.IntegerField(allow_null=True)
    connected = serializers.CharField(help_text="yes, no, not_sure or empty.")
    note = serializers.CharField(source="note_to_organisers", help_text="Your note, as you wrote it.")
    note_held = serializers.BooleanField(
        help_text="True when your note sounded like things may be hard: it went to our safeguarding team only (not "
        "the organisers) and you were sent support contacts. `message` says so kindly."
    )
    message = serializers.SerializerMethodField(help_text="Something to show the person, or empty.")
    created_at = serializers.DateTimeField()

    def get_message(self, pulse) -> str:
        return HELD_NOTE_MESSAGE if pulse.note_held else ""


# --- output without serializer objects ------------------------------------------------------------------------------
# The event list and the attendee list are built by plain functions: DRF's field objects cost more than the data
# (docs/benchmarks.md). EventOutputSerializer and EventAttendeesOutputSerializer still describe these answers in the
# OpenAPI schema, and tests/events/test_events_api_fast_output.py checks both ways give exactly the same output.


def api_datetime(value: datetime | None, tz: tzinfo) -> str | None:
    """A datetime as DRF's DateTimeField writes it: in `tz` (the current time zone), ISO 8601, "Z" for UTC."""
    if value is None or isinstance(value, str):
        return value
    local = value.astimezone(tz) if timezone.is_aware(value) else timezone.make_aware(value, tz)
    text = local.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _strings(values: list | None) -> list | None:
    return None if values is None else [None if value is None else str(value) for value in values]


def event_list_items(rows: Iterable[tuple]) -> list[dict]:
    """What EventOutputSerializer(events, many=True) gives, for rows from event_list_rows (in EventListRow's order).
    The time zone and today are looked up once for the whole list."""
    today = Today.now()
    tz = today.tz
    items = []
    for row in map(EventListRow._make, rows):
        private = permissions.listed_event_shows_private_details(
            is_organiser=row.is_organiser, rsvp_status=row.my_rsvp_status
        )
        items.append(
            {
                "id": row.id,
                "url": event_path(row.id),
                "group": {"slug": row.group_slug, "name": row.group_name},
                "series_id": row.series_id,
                "title": row.title,
                "description": row.description,
                "category": row.category,
                "destination_areas": _strings(row.destination_areas),
                "starts_at": api_datetime(row.starts_at, tz),
                "ends_at": api_datetime(row.ends_at, tz),
                "when": when_in_words(row.starts_at, row.ends_at, today=today),
                "is_online": bool(row.is_online),
                "area": row.area,
                "venue_address": row.venue_address if private else None,
                "joining_link": row.joining_link if private else None,
                "accessibility_info": row.accessibility_info,
                "capacity": row.capacity,
                "going_count": row.going_count,
                "places_left": places_left(row),  # reads capacity and going_count, as on an Event
                "rsvp_mode": row.rsvp_mode,
                "rsvp_closes_at": api_datetime(row.rsvp_closes_at, tz),
                "status": row.status,
                "visibility": row.visibility,
                "cancelled_at": api_datetime(row.cancelled_at, tz),
                "cancel_reason": row.cancel_reason,
                "my_rsvp_status": None if row.my_rsvp_status is None else str(row.my_rsvp_status),
                "is_organiser": bool(row.is_organiser),
            }
        )
    return items


def attendees_body(event: Event, attendees: Attendees) -> dict:
    """What EventAttendeesOutputSerializer gives for an event's attendees (AttendeeRows from attendee_rows_for)."""
    tz = timezone.get_current_timezone()

    def person(row: AttendeeRow) -> dict:
        return {
            "user_id": row.user_id,
            "display_name": row.display_name,
            "status": row.status,
            "rsvp_at": api_datetime(row.created_at, tz),
            "queued_at": api_datetime(row.queued_at, tz),
            "checked_in_at": api_datetime(row.checked_in_at, tz),
            "check_in_method": row.check_in_method,
        }

    return {
        "event_id": event.pk,
        "capacity": event.capacity,
        "going_count": event.going_count,
        "checked_in_count": attendees.checked_in_count,
        "going": [person(rsvp) for rsvp in attendees.going],
        "waitlisted": [person(rsvp) for rsvp in attendees.waitlisted],
        "pending": [person(rsvp) for rsvp in attendees.pending],
    }


# --- input ----------------------------------------------------------------------------------------------------------


class EventListQuerySerializer(serializers.Serializer):
    group = serializers.CharField(required=False)
    category = serializers.ChoiceField(choices=EventCategory.choices, required=False)
    mine = serializers.BooleanField(required=False, default=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        fields["to"] = serializers.DateField(required=False)
        return fields


class EventFieldsInputSerializer(serializers.Serializer):
    """The event's details. Times with a UTC offset, or UK time when none is given."""

    title = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="Up to 120 characters.")
    category = serializers.ChoiceField(choices=EventCategory.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    description = serializers.CharField(required=False, allow_blank=True)
    destination_areas = serializers.ListField(child=serializers.CharField(), required=False)
    is_online = serializers.BooleanField(required=False)
    area = serializers.CharField(required=False, allow_blank=True)
    venue_address = serializers.CharField(required=False, allow_blank=True)
    joining_link = serializers.CharField(required=False, allow_blank=True)
    accessibility_info = serializers.CharField(required=False, allow_blank=True)
    capacity = serializers.IntegerField(required=False, allow_null=True, help_text="null: no limit.")
    rsvp_mode = serializers.ChoiceField(choices=RsvpMode.choices, required=False)
    rsvp_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=EventVisibility.choices, required=False)


class EventCreateInputSerializer(EventFieldsInputSerializer):
    repeat = serializers.ChoiceField(choices=SeriesFrequency.choices, required=False, allow_null=True)
    repeat_count = serializers.IntegerField(required=False, allow_null=True, help_text="How many dates in all.")
    repeat_until = serializers.DateField(required=False, allow_null=True, help_text="The last date (UK).")


class EventUpdateInputSerializer(EventFieldsInputSerializer):
    """Send only what changes. `scope`: this date, or this and every later date of its series."""

    scope = serializers.ChoiceField(choices=[(scope, scope) for scope in SCOPES], required=False, default="this")

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "scope":
                field.required = False
        return fields


class EventCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Up to 500 characters.")
    scope = serializers.ChoiceField(choices=[(scope, scope) for scope in SCOPES], required=False, default="this")


class EventAnnounceInputSerializer(serializers.Serializer):
    message = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="Up to 1000 characters.")


class EventCheckInInputSerializer(serializers.Serializer):
    code = serializers.CharField(allow_blank=True, help_text="The code on the organiser's screen.")


class EventPulseInputSerializer(serializers.Serializer):
    feeling = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="1 (low) to 5.")
    connected = serializers.ChoiceField(
        choices=PulseConnection.choices, required=False, allow_blank=True, default="", help_text="Or empty to skip."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="To the organisers.")


# --- helpers --------------------------------------------------------------------------------------------------------


def _context(request) -> dict:
    return {"request": request}


def _detail_data(request, event_id: int, *, event: Event | None = None, my_rsvp: Rsvp | None = None) -> dict:
    detail = event_detail_for(user=request.user, event_id=event_id, event=event, my_rsvp=my_rsvp)
    event = detail.event
    idea = Idea.objects.filter(event=event).select_related("group").first()
    event.my_rsvp_status = detail.my_rsvp_status
    event.waitlist_position = detail.waitlist_position
    event.is_checked_in = detail.is_checked_in
    event.has_pulse = detail.has_pulse
    event.self_check_in_open = detail.self_check_in_open
    event.attendance_open = detail.attendance_open
    event.idea_id = idea.pk if idea is not None and permissions.can_see_idea(request.user, idea) else None
    return EventDetailOutputSerializer(event, context=_context(request)).data


def _list_response(view: APIView, request, *, group=None) -> Response:
    query = validated(EventListQuerySerializer, request.query_params)
    if group is None and query.get("group"):
        group = community_permissions.access_group(user=request.user, slug=query["group"])
    events = upcoming_events_for(
        user=request.user,
        group=group,
        category=query.get("category"),
        date_from=query.get("from"),
        date_to=query.get("to"),
        mine=query.get("mine", False),
    )
    paginator = EventPagination()
    page = paginator.paginate_queryset(event_list_rows(events, user=request.user), request, view=view)
    return paginator.get_paginated_response(event_list_items(page))


# --- lists and planning ---------------------------------------------------------------------------------------------


class EventListApi(APIView):
    pagination_class = EventPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        operation_id="events_list",
        summary="Upcoming events you can see, soonest first (page_size up to 50)",
        parameters=[OpenApiParameter("group", OpenApiTypes.STR, description="A group's slug."), *LIST_FILTERS],
        responses={
            200: EventOutputSerializer(many=True),
            400: OpenApiResponse(description="A filter isn't understood (`invalid`)."),
            404: OpenApiResponse(description="No such group (`group_not_found`)."),
        },
    )
    def get(self, request):
        return _list_response(self, request)


class GroupEventsApi(APIView):
    pagination_class = EventPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        operation_id="groups_events_list",
        summary="A group's upcoming events",
        parameters=[SLUG, *LIST_FILTERS],
        responses={
            200: EventOutputSerializer(many=True),
            400: OpenApiResponse(description="A filter isn't understood (`invalid`)."),
            404: OpenApiResponse(description="No such group (`group_not_found`)."),
        },
    )
    def get(self, request, slug: str):
        group = community_permissions.access_group(user=request.user, slug=slug)
        return _list_response(self, request, group=group)

    @extend_schema(
        tags=TAGS,
        operation_id="groups_events_create",
        summary="Plan an event, or a repeating series (the group's peer leaders and staff)",
        parameters=[SLUG],
        request=EventCreateInputSerializer,
        responses={
            201: EventDetailOutputSerializer,
            400: OpenApiResponse(description="e.g. `ends_before_start`, `event_in_the_past`, `invalid_capacity`."),
            403: OpenApiResponse(description="`not_an_organiser` or `group_archived`."),
            404: OpenApiResponse(description="No such group (`group_not_found`)."),
        },
    )
    def post(self, request, slug: str):
        group = community_permissions.access_group(user=request.user, slug=slug)
        fields = validated(EventCreateInputSerializer, request.data)
        event = event_create(actor=request.user, group=group, **fields)
        return Response(_detail_data(request, event.pk), status=status.HTTP_201_CREATED)


class EventDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_retrieve",
        summary="One event, with your RSVP",
        parameters=[EVENT_ID],
        responses={200: EventDetailOutputSerializer, 404: EVENT_NOT_FOUND},
    )
    def get(self, request, event_id: int):
        return Response(_detail_data(request, event_id))

    @extend_schema(
        tags=TAGS,
        operation_id="events_update",
        summary="Change an event: this date, or this and all following dates of its series (organisers)",
        parameters=[EVENT_ID],
        request=EventUpdateInputSerializer,
        responses={
            200: EventDetailOutputSerializer,
            400: OpenApiResponse(description="e.g. `ends_before_start`, `invalid_scope`, `invalid_capacity`."),
            403: NOT_AN_ORGANISER,
            404: EVENT_NOT_FOUND,
            409: OpenApiResponse(description="`event_cancelled` or `event_past`."),
        },
    )
    def patch(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        changes = validated(EventUpdateInputSerializer, request.data)
        scope = changes.pop("scope", "this")
        event_update(actor=request.user, event=event, scope=scope, **changes)
        return Response(_detail_data(request, event.pk))


class EventCancelApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_cancel",
        summary="Cancel this date, or this and all following dates (organisers); everyone coming is told",
        parameters=[EVENT_ID],
        request=EventCancelInputSerializer,
        responses={
            200: EventCancelOutputSerializer,
            400: OpenApiResponse(description="`invalid_scope` or `too_long`."),
            403: NOT_AN_ORGANISER,
            404: EVENT_NOT_FOUND,
            409: OpenApiResponse(description="`event_past`."),
        },
    )
    def post(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        cancelled = event_cancel(actor=request.user, event=event, **validated(EventCancelInputSerializer, request.data))
        body = {"cancelled_event_ids": [each.pk for each in cancelled], "event": _detail_data(request, event.pk)}
        return Response(body)


# --- your own RSVP --------------------------------------------------------------------------------------------------


class EventRsvpApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_rsvp_going",
        summary="Say you're going: a place, the waiting list, or a request to the organisers (safe to repeat)",
        parameters=[EVENT_ID],
        request=None,
        responses={
            200: EventDetailOutputSerializer,
            404: EVENT_NOT_FOUND,
            409: OpenApiResponse(description="`event_cancelled`, `event_past`, `rsvp_closed` or `rsvp_declined`."),
        },
    )
    def post(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        rsvp = rsvp_going(actor=request.user, event=event)
        # The service hands back the RSVP with the event row as it left it under its lock (going_count included), so
        # the answer needs neither read again. The group cannot change with an RSVP; it is already loaded here.
        answered = rsvp.event
        answered.group = event.group
        return Response(_detail_data(request, event.pk, event=answered, my_rsvp=rsvp))

    @extend_schema(
        tags=TAGS,
        operation_id="events_rsvp_cancel",
        summary="Say you can't go after all, leave the waiting list, or take back a request (safe to repeat)",
        parameters=[EVENT_ID],
        request=None,
        responses={
            200: EventDetailOutputSerializer,
            404: OpenApiResponse(description="`event_not_found`, or `rsvp_not_found` if you never answered."),
            409: OpenApiResponse(description="`event_past` or `already_checked_in`."),
        },
    )
    def delete(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        rsvp_cancel(actor=request.user, event=event)
        return Response(_detail_data(request, event.pk))


# --- organisers -----------------------------------------------------------------------------------------------------


class EventAttendeesApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_attendees",
        summary="Who's going (by name), waiting (in order) and asking (oldest first), with check-ins (organisers)",
        parameters=[
            EVENT_ID,
            OpenApiParameter("search", OpenApiTypes.STR, description="Part of a display name."),
        ],
        responses={200: EventAttendeesOutputSerializer, 403: NOT_AN_ORGANISER, 404: EVENT_NOT_FOUND},
    )
    def get(self, request, event_id: int):
        event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
        search = request.query_params.get("search", "")[:40]
        attendees = attendee_rows_for(organiser=request.user, event=event, search=search)
        return Response(attendees_body(event, attendees))


class EventAttendeeActionApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_attendee_action",
        summary="Approve, decline, remove, check in or undo a check-in for one person (organisers)",
        parameters=[
            EVENT_ID,
            OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ATTENDEE_ACTIONS)),
        ],
        request=None,
        responses={
            200: EventAttendeeActionOutputSerializer,
            403: NOT_AN_ORGANISER,
            404: OpenApiResponse(description="`event_not_found`, `rsvp_not_found` or `unknown_action`."),
            409: OpenApiResponse(
                description="e.g. `not_pending`, `not_going`, `already_checked_in`, `checkin_window_closed`."
            ),
        },
    )
    def post(self, request, event_id: int, user_id: int, action: str):
        if action not in ATTENDEE_ACTIONS:
            raise NotFound("We don't know that action.", code="unknown_action")
        event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
        person = attendee_person(user_id)
        service, _message = ATTENDEE_ACTIONS[action]
        service(actor=request.user, event=event, user=person)
        body = {
            "user_id": person.pk,
            "display_name": person.display_name,
            "rsvp_status": Rsvp.objects.filter(event=event, user=person).values_list("status", flat=True).first(),
            "checked_in": Attendance.objects.filter(event=event, user=person).exists(),
        }
        return Response(EventAttendeeActionOutputSerializer(body).data)


class EventAnnounceApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_announce",
        summary="Message everyone going (organisers)",
        parameters=[EVENT_ID],
        request=EventAnnounceInputSerializer,
        responses={
            200: EventAnnounceOutputSerializer,
            400: OpenApiResponse(description="`message_required` or `too_long`."),
            403: NOT_AN_ORGANISER,
            404: EVENT_NOT_FOUND,
            429: OpenApiResponse(description="Too many messages for one event (`rate_limited`)."),
        },
    )
    def post(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        told = event_announce(actor=request.user, event=event, **validated(EventAnnounceInputSerializer, request.data))
        return Response(EventAnnounceOutputSerializer({"recipients": told}).data)


class CsvRenderer(renderers.BaseRenderer):
    """Lets a client ask for text/csv; a refusal still comes back as the usual {"code", "detail"}."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str | bytes):
            return data
        return json.dumps(data)


class EventAttendeesCsvApi(JsonRefusalsMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(
        tags=TAGS,
        operation_id="events_attendees_csv",
        summary="The attendee list as CSV: display name, status, RSVP time, checked in (organisers)",
        parameters=[EVENT_ID],
        responses={
            (200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR, description="A CSV file."),
            403: NOT_AN_ORGANISER,
            404: EVENT_NOT_FOUND,
        },
    )
    def get(self, request, event_id: int):
        event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
        return attendees_csv(event=event, attendees=attendees_for(organiser=request.user, event=event))


class EventCheckInCodeApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_check_in_code",
        summary="The current self check-in code and its QR code, to show at the venue (organisers)",
        parameters=[EVENT_ID],
        responses={200: EventCheckInCodeOutputSerializer, 403: NOT_AN_ORGANISER, 404: EVENT_NOT_FOUND},
    )
    def get(self, request, event_id: int):
        event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
        now = timezone.now()
        opens_at, closes_at = self_check_in_window(event)
        body = {
            "code": current_code(event.pk, now=now),
            "seconds_left": seconds_until_next_code(now=now),
            "check_in_url": check_in_url(event.pk, now=now),
            "qr_svg": qr_code_svg(event.pk, now=now),
            "self_check_in_open": not event.is_cancelled and opens_at <= now <= closes_at,
            "opens_at": opens_at,
            "closes_at": closes_at,
        }
        return Response(EventCheckInCodeOutputSerializer(body).data)


# --- members on the day ---------------------------------------------------------------------------------------------


class EventSelfCheckInApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_self_check_in",
        summary="Check yourself in with the code shown at the venue (safe to repeat)",
        parameters=[EVENT_ID],
        request=EventCheckInInputSerializer,
        responses={
            200: EventCheckInOutputSerializer,
            400: OpenApiResponse(description="`wrong_code`."),
            404: EVENT_NOT_FOUND,
            409: OpenApiResponse(description="`not_going`, `event_cancelled` or `checkin_window_closed`."),
            429: OpenApiResponse(description="Too many wrong codes (`rate_limited`)."),
        },
    )
    def post(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        attendance = self_check_in(
            actor=request.user, event=event, **validated(EventCheckInInputSerializer, request.data)
        )
        body = {"event_id": event.pk, "checked_in_at": attendance.checked_in_at, "method": attendance.method}
        return Response(EventCheckInOutputSerializer(body).data)


class EventPulseApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="events_pulse",
        summary="Say how it went (every answer optional; sending again updates it)",
        parameters=[EVENT_ID],
        request=EventPulseInputSerializer,
        responses={
            200: EventPulseOutputSerializer,
            400: OpenApiResponse(description="`invalid_feeling`, `invalid_connected` or `too_long`."),
            404: EVENT_NOT_FOUND,
            409: OpenApiResponse(description="You weren't checked in (`not_checked_in`)."),
        },
    )
    def post(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        pulse = pulse_submit(actor=request.user, event=event, **validated(EventPulseInputSerializer, request.data))
        return Response(EventPulseOutputSerializer(pulse).data)

    @extend_schema(
        tags=TAGS,
        operation_id="events_pulse_delete",
        summary="Take back your answers about an event (nothing to delete is fine)",
        parameters=[EVENT_ID],
        responses={204: None, 404: EVENT_NOT_FOUND},
    )
    def delete(self, request, event_id: int):
        event = permissions.access_event(user=request.user, event_id=event_id)
        pulse_delete(actor=request.user, event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)


api_urlpatterns = [
    path("events/", EventListApi.as_view(), name="api-event-list"),
    path("groups/<slug:slug>/events/", GroupEventsApi.as_view(), name="api-group-events"),
    path("events/<int:event_id>/", EventDetailApi.as_view(), name="api-event-detail"),
    path("events/<int:event_id>/cancel/", EventCancelApi.as_view(), name="api-event-cancel"),
    path("events/<int:event_id>/rsvp/", EventRsvpApi.as_view(), name="api-event-rsvp"),
    path("events/<int:event_id>/attendees/", EventAttendeesApi.as_view(), name="api-event-attendees"),
    path(
        "events/<int:event_id>/attendees/<int:user_id>/<slug:action>/",
        EventAttendeeActionApi.as_view(),
        name="api-event-attendee-action",
    ),
    path("events/<int:event_id>/announce/", EventAnnounceApi.as_view(), name="api-event-announce"),
    path("events/<int:event_id>/attendees.csv", EventAttendeesCsvApi.as_view(), name="api-event-attendees-csv"),
    path("events/<int:event_id>/check-in-code/", EventCheckInCodeApi.as_view(), name="api-event-check-in-code"),
    path("events/<int:event_id>/check-in/", EventSelfCheckInApi.as_view(), name="api-event-check-in"),
    path("events/<int:event_id>/pulse/", EventPulseApi.as_view(), name="api-event-pulse"),
]
urlpatterns = api_urlpatterns

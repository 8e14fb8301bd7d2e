"""ADAPTER: which endpoints the benchmark measures.

*** STAND-IN *** The events REST API (GET /api/v1/events/, GET /api/v1/events/<id>/attendees/, POST
/api/v1/events/<id>/rsvp/) is being written in events/api_events.py. Until it exists, this module serves stand-in
endpoints at /bench-standin/... that call the same selectors and services, so the rest of the benchmark can be built
and run. `endpoints()` reports which one is in use and the results table says so. Once the real API exists, the
stand-in goes and the paths below point at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import Resolver404, path, resolve
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Event
from events.selectors import attendees_for, upcoming_events_for
from events.services.rsvps import rsvp_going


@dataclass(frozen=True)
class Endpoints:
    real: bool  # False while the stand-in is measured

    def events_list(self, page_size: int) -> str:
        prefix = "/api/v1" if self.real else "/bench-standin"
        return f"{prefix}/events/?page_size={page_size}"

    def attendees(self, event_id: int) -> str:
        prefix = "/api/v1" if self.real else "/bench-standin"
        return f"{prefix}/events/{event_id}/attendees/"

    def rsvp(self, event_id: int) -> str:
        prefix = "/api/v1" if self.real else "/bench-standin"
        return f"{prefix}/events/{event_id}/rsvp/"


def endpoints() -> Endpoints:
    try:
        resolve("/api/v1/events/", urlconf="config.urls")
        resolve("/api/v1/events/1/attendees/", urlconf="config.urls")
        resolve("/api/v1/events/1/rsvp/", urlconf="config.urls")
    except Resolver404:
        return Endpoints(real=False)
    return Endpoints(real=True)


# --- STAND-IN endpoints (remove when the real API exists) ----------------------------------------------------------


class _GroupOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class _EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    is_online = serializers.BooleanField()
    area = serializers.CharField()
    group = _GroupOut()
    capacity = serializers.IntegerField(allow_null=True)
    going_count = serializers.IntegerField()
    status = serializers.CharField()
    visibility = serializers.CharField()
    rsvp_mode = serializers.CharField()
    my_rsvp_status = serializers.CharField(allow_null=True)


class _PersonOut(serializers.Serializer):
    user_id = serializers.IntegerField()
    display_name = serializers.CharField(source="user.display_name")
    status = serializers.CharField()
    queued_at = serializers.DateTimeField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    check_in_method = serializers.CharField(allow_null=True)


class _StandInEvents(APIView):
    def get(self, request):
        events = upcoming_events_for(user=request.user)
        paginator = self.paginator_class()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(_EventOut(page, many=True).data)

    @property
    def paginator_class(self):
        from community.api.pagination import StandardPagination

        return StandardPagination


class _StandInAttendees(APIView):
    def get(self, request, event_id: int):
        event = Event.objects.select_related("group").get(pk=event_id)
        people = attendees_for(organiser=request.user, event=event)
        return Response(
            {
                "going": _PersonOut(people.going, many=True).data,
                "waitlisted": _PersonOut(people.waitlisted, many=True).data,
                "pending": _PersonOut(people.pending, many=True).data,
                "checked_in_count": people.checked_in_count,
            }
        )


class _StandInRsvp(APIView):
    def post(self, request, event_id: int):
        rsvp = rsvp_going(actor=request.user, event=Event.objects.get(pk=event_id))
        return Response({"status": rsvp.status})


standin_urlpatterns = [
    path("bench-standin/events/", _StandInEvents.as_view()),
    path("bench-standin/events/<int:event_id>/attendees/", _StandInAttendees.as_view()),
    path("bench-standin/events/<int:event_id>/rsvp/", _StandInRsvp.as_view()),
]

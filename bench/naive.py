"""The NAIVE path: what a Django developer writes first. Benchmark-only; never mounted in the real app.

DRF ModelViewSets with nested ModelSerializers and no select_related / prefetch_related, so every nested object and
every per-row lookup is its own query (N+1). They give the same output as the real endpoints (checked before
measuring) and apply the same rules (who sees which event, who sees the address, only organisers see the attendee
list), written the straightforward way. The wording helpers are the app's own.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from community.models import Group, Membership, MembershipRole, MembershipStatus, SiteRole, User
from events.models import Attendance, Event, EventVisibility, Rsvp, RsvpStatus
from events.wording import when_in_words


def _is_organiser(user: User, event: Event) -> bool:
    if user.site_role == SiteRole.STAFF:
        return True
    return Membership.objects.filter(
        group=event.group, user=user, role=MembershipRole.LEADER, status=MembershipStatus.ACTIVE
    ).exists()


class NaiveGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["slug", "name"]


class NaiveEventSerializer(serializers.ModelSerializer):
    group = NaiveGroupSerializer()
    url = serializers.SerializerMethodField()
    when = serializers.SerializerMethodField()
    venue_address = serializers.SerializerMethodField()
    joining_link = serializers.SerializerMethodField()
    places_left = serializers.SerializerMethodField()
    my_rsvp_status = serializers.SerializerMethodField()
    is_organiser = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "group",
            "series_id",
            "title",
            "description",
            "category",
            "destination_areas",
            "starts_at",
            "ends_at",
            "when",
            "is_online",
            "area",
            "venue_address",
            "joining_link",
            "accessibility_info",
            "capacity",
            "going_count",
            "places_left",
            "rsvp_mode",
            "rsvp_closes_at",
            "status",
            "visibility",
            "cancelled_at",
            "cancel_reason",
            "my_rsvp_status",
            "is_organiser",
        ]

    def _user(self) -> User:
        return self.context["request"].user

    def get_url(self, event: Event) -> str:
        return f"/events/{event.pk}/"

    def get_when(self, event: Event) -> str:
        return when_in_words(event.starts_at, event.ends_at)

    def _private(self, event: Event) -> bool:
        return self.get_is_organiser(event) or self.get_my_rsvp_status(event) == RsvpStatus.GOING

    def get_venue_address(self, event: Event) -> str | None:
        return event.venue_address if self._private(event) else None

    def get_joining_link(self, event: Event) -> str | None:
        return event.joining_link if self._private(event) else None

    def get_places_left(self, event: Event) -> int | None:
        return None if event.capacity is None else max(event.capacity - event.going_count, 0)

    def get_my_rsvp_status(self, event: Event) -> str | None:
        rsvp = event.rsvps.filter(user=self._user()).first()
        return rsvp.status if rsvp else None

    def get_is_organiser(self, event: Event) -> bool:
        return _is_organiser(self._user(), event)


class NaiveEventViewSet(viewsets.ModelViewSet):
    serializer_class = NaiveEventSerializer
    http_method_names = ["get"]

    def get_queryset(self):
        user = self.request.user
        my_groups = list(
            Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values_list("group_id", flat=True)
        )
        return Event.objects.filter(
            Q(visibility=EventVisibility.ALL_MEMBERS) | Q(group_id__in=my_groups), ends_at__gte=timezone.now()
        ).order_by("starts_at", "id")


class NaiveUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name"]


class NaiveAttendeeSerializer(serializers.ModelSerializer):
    user = NaiveUserSerializer()
    rsvp_at = serializers.DateTimeField(source="created_at")
    checked_in_at = serializers.SerializerMethodField()
    check_in_method = serializers.SerializerMethodField()

    class Meta:
        model = Rsvp
        fields = ["user", "status", "rsvp_at", "queued_at", "checked_in_at", "check_in_method"]

    def _attendance(self, rsvp: Rsvp) -> Attendance | None:
        return Attendance.objects.filter(event=rsvp.event, user=rsvp.user).first()

    def get_checked_in_at(self, rsvp: Rsvp) -> str | None:
        attendance = self._attendance(rsvp)
        return serializers.DateTimeField().to_representation(attendance.checked_in_at) if attendance else None

    def get_check_in_method(self, rsvp: Rsvp) -> str | None:
        attendance = self._attendance(rsvp)
        return attendance.method if attendance else None

    def to_representation(self, rsvp: Rsvp) -> dict:
        data = super().to_representation(rsvp)
        user = data.pop("user")
        return {"user_id": user["id"], "display_name": user["display_name"], **data}


class NaiveAttendeeViewSet(viewsets.ModelViewSet):
    serializer_class = NaiveAttendeeSerializer
    http_method_names = ["get"]
    pagination_class = None

    def list(self, request, event_id: int):
        event = Event.objects.get(pk=event_id)
        if not _is_organiser(request.user, event):
            raise PermissionDenied("Only organisers can see who's coming.")
        rsvps = Rsvp.objects.filter(event=event)
        going = rsvps.filter(status=RsvpStatus.GOING).order_by(Lower("user__display_name"), "queued_at", "id")
        waitlisted = rsvps.filter(status=RsvpStatus.WAITLISTED).order_by("queued_at", "id")
        pending = rsvps.filter(status=RsvpStatus.PENDING).order_by("queued_at", "id")
        going_data = self.get_serializer(going, many=True).data
        return Response(
            {
                "event_id": event.pk,
                "capacity": event.capacity,
                "going_count": event.going_count,
                "checked_in_count": sum(1 for person in going_data if person["checked_in_at"] is not None),
                "going": going_data,
                "waitlisted": self.get_serializer(waitlisted, many=True).data,
                "pending": self.get_serializer(pending, many=True).data,
            }
        )

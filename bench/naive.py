"""The NAIVE path: what a Django developer writes first. Benchmark-only; never mounted in the real app.

DRF ModelViewSets with nested ModelSerializers and no select_related / prefetch_related, so every nested object and
every per-row lookup is its own query (N+1). They give the same output as the real endpoints (checked before
measuring), and apply the same rules (who may see which event, only organisers see the attendee list), written the
straightforward way.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from community.models import Group, Membership, MembershipRole, MembershipStatus, User
from events.models import Attendance, Event, EventVisibility, Rsvp, RsvpStatus


class NaiveGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["slug", "name"]


class NaiveEventSerializer(serializers.ModelSerializer):
    group = NaiveGroupSerializer()
    my_rsvp_status = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "category",
            "starts_at",
            "ends_at",
            "is_online",
            "area",
            "group",
            "capacity",
            "going_count",
            "status",
            "visibility",
            "rsvp_mode",
            "my_rsvp_status",
        ]

    def get_my_rsvp_status(self, event: Event) -> str | None:
        rsvp = event.rsvps.filter(user=self.context["request"].user).first()
        return rsvp.status if rsvp else None


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
    checked_in_at = serializers.SerializerMethodField()
    check_in_method = serializers.SerializerMethodField()

    class Meta:
        model = Rsvp
        fields = ["user", "status", "queued_at", "checked_in_at", "check_in_method"]

    def _attendance(self, rsvp: Rsvp) -> Attendance | None:
        return Attendance.objects.filter(event=rsvp.event, user=rsvp.user).first()

    def get_checked_in_at(self, rsvp: Rsvp):
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
        is_leader = Membership.objects.filter(
            group=event.group, user=request.user, role=MembershipRole.LEADER, status=MembershipStatus.ACTIVE
        ).exists()
        if not (is_leader or request.user.is_partnership_staff):
            raise PermissionDenied("Only organisers can see who's coming.")
        rsvps = Rsvp.objects.filter(event=event)
        going = rsvps.filter(status=RsvpStatus.GOING).order_by(Lower("user__display_name"), "queued_at", "id")
        waitlisted = rsvps.filter(status=RsvpStatus.WAITLISTED).order_by("queued_at", "id")
        pending = rsvps.filter(status=RsvpStatus.PENDING).order_by("queued_at", "id")
        checked_in = Attendance.objects.filter(event=event, user__rsvps__event=event, user__rsvps__status="going")
        return Response(
            {
                "going": self.get_serializer(going, many=True).data,
                "waitlisted": self.get_serializer(waitlisted, many=True).data,
                "pending": self.get_serializer(pending, many=True).data,
                "checked_in_count": checked_in.count(),
            }
        )

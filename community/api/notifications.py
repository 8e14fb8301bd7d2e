"""Notifications API: your own notifications, the unread count, marking read, and email preferences."""

from __future__ import annotations

from dataclasses import asdict

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import Notification
from community.selectors.notifications import (
    notification_list_for_user,
    notification_preferences_for_user,
    notification_unread_count,
)
from community.services.notifications import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
)

TAGS = ["notifications"]
NOT_LOGGED_IN = OpenApiResponse(description="Not logged in (code `not_authenticated`).")
NOT_FOUND = OpenApiResponse(description="Not one of your notifications (code `notification_not_found`).")


class NotificationOutputSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class UnreadCountOutputSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField()


class ReadAllOutputSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notifications this marked as read.")
    unread_count = serializers.IntegerField()


class KindPreferenceOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    email = serializers.BooleanField()
    safety_critical = serializers.BooleanField(help_text="Always emailed; cannot be switched off.")


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "22:00"})
class HourMinuteField(serializers.TimeField):
    """A time of day as "HH:MM" (not OpenAPI's `time` format, which needs seconds and an offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PreferencesOutputSerializer(serializers.Serializer):
    kinds = KindPreferenceOutputSerializer(many=True)
    quiet_hours_start = HourMinuteField(allow_null=True)
    quiet_hours_end = HourMinuteField(allow_null=True)


class KindPreferenceInputSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=50)
    email = serializers.BooleanField()


class PreferencesInputSerializer(serializers.Serializer):
    kinds = KindPreferenceInputSerializer(
        many=True, required=False, help_text="Only the kinds listed change; the others keep their setting."
    )
    quiet_hours_start = serializers.TimeField(allow_null=True, help_text="UK time. Set both, or neither.")
    quiet_hours_end = serializers.TimeField(allow_null=True, help_text="UK time. Set both, or neither.")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@extend_schema(
    tags=TAGS,
    summary="Your notifications, newest first",
    parameters=[
        OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the ones you haven't read yet.", required=False)
    ],
    responses={200: NotificationOutputSerializer(many=True), 403: NOT_LOGGED_IN},
)
class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationOutputSerializer

    def get_queryset(self):
        return notification_list_for_user(user=self.request.user, unread_only=_truthy(self.request.GET.get("unread")))


class NotificationUnreadCountApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="How many notifications you haven't read yet",
        responses={200: UnreadCountOutputSerializer, 403: NOT_LOGGED_IN},
    )
    def get(self, request):
        return Response({"unread_count": notification_unread_count(user=request.user)})


class NotificationReadApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Mark one of your notifications as read",
        request=None,
        responses={200: NotificationOutputSerializer, 403: NOT_LOGGED_IN, 404: NOT_FOUND},
    )
    def post(self, request, notification_id: int):
        notification = notification_mark_read(actor=request.user, notification=notification_id)
        return Response(NotificationOutputSerializer(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Mark all your notifications as read",
        request=None,
        responses={200: ReadAllOutputSerializer, 403: NOT_LOGGED_IN},
    )
    def post(self, request):
        changed = notification_mark_all_read(actor=request.user)
        return Response({"marked_read": changed, "unread_count": notification_unread_count(user=request.user)})


class NotificationPreferencesApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Which notifications you also get by email, and your quiet hours",
        responses={200: PreferencesOutputSerializer, 403: NOT_LOGGED_IN},
    )
    def get(self, request):
        preferences = notification_preferences_for_user(user=request.user)
        return Response(PreferencesOutputSerializer(asdict(preferences)).data)

    @extend_schema(
        tags=TAGS,
        summary="Change which notifications you get by email, and your quiet hours",
        request=PreferencesInputSerializer,
        responses={
            200: PreferencesOutputSerializer,
            400: OpenApiResponse(
                description="Codes: `invalid`, `unknown_kind`, `safety_critical` (cannot be switched off), "
                "`invalid_quiet_hours` (set both times or neither, and make them different)."
            ),
            403: NOT_LOGGED_IN,
        },
    )
    def put(self, request):
        data = PreferencesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preferences = notification_preferences_update(
            actor=request.user,
            email_by_kind={row["key"]: row["email"] for row in data.validated_data.get("kinds", [])},
            quiet_hours_start=data.validated_data["quiet_hours_start"],
            quiet_hours_end=data.validated_data["quiet_hours_end"],
        )
        return Response(PreferencesOutputSerializer(asdict(preferences)).data)


urlpatterns = [
    path("notifications/", NotificationListApi.as_view(), name="api-notification-list"),
    path("notifications/unread-count/", NotificationUnreadCountApi.as_view(), name="api-notification-unread-count"),
    path("notifications/<int:notification_id>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
    path("notifications/read-all/", NotificationReadAllApi.as_view(), name="api-notification-read-all"),
    path("notifications/preferences/", NotificationPreferencesApi.as_view(), name="api-notification-preferences"),
]

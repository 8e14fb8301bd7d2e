"""Calendar feed links API: see your secret feed addresses, make one, reset one (the old one stops), switch one off.

The feeds themselves are served at /calendar/<token>.ics (no login; the token is the key) by events/views_calendar.py.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions as community_permissions
from events.calendar_feeds import CalendarLink, calendar_links_for, feed_url, webcal_url
from events.models import CalendarToken, CalendarTokenKind
from events.services.calendar_tokens import calendar_token_issue, calendar_token_reset, calendar_token_revoke

TAGS = ["calendar"]
NOT_LOGGED_IN = OpenApiResponse(description="Not logged in (code `not_authenticated`).")
NOT_A_MEMBER = OpenApiResponse(description="A group's calendar is for its active members (code `not_a_member`).")
GROUP_NOT_FOUND = OpenApiResponse(description="No such group (code `group_not_found`).")


class CalendarGroupOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CalendarLinkOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CalendarTokenKind.choices)
    group = CalendarGroupOutputSerializer(allow_null=True)
    url = serializers.CharField(allow_null=True, help_text="The feed's secret address; null until you make one.")
    webcal_url = serializers.CharField(allow_null=True, help_text="The same address for calendar apps (webcal://).")
    created_at = serializers.DateTimeField(allow_null=True)


def _link_data(link: CalendarLink) -> dict:
    return _token_data(link.token, kind=link.kind, group=link.group)


def _token_data(token: CalendarToken | None, *, kind: str, group=None) -> dict:
    return {
        "kind": kind,
        "group": {"slug": group.slug, "name": group.name} if group else None,
        "url": feed_url(token) if token else None,
        "webcal_url": webcal_url(token) if token else None,
        "created_at": token.created_at if token else None,
    }


def _respond(token: CalendarToken | None, *, kind: str, group=None, status_code: int = status.HTTP_200_OK) -> Response:
    data = CalendarLinkOutputSerializer(_token_data(token, kind=kind, group=group)).data
    return Response(data, status=status_code)


class CalendarLinksApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Your calendar feed links: your own events, then one per group you're in",
        responses={200: CalendarLinkOutputSerializer(many=True), 403: NOT_LOGGED_IN},
    )
    def get(self, request):
        links = calendar_links_for(user=request.user)
        return Response(CalendarLinkOutputSerializer([_link_data(link) for link in links], many=True).data)


class PersonalCalendarLinkApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Make the link to your own events feed (returns the existing one if you have it)",
        request=None,
        responses={200: CalendarLinkOutputSerializer, 403: NOT_LOGGED_IN},
    )
    def post(self, request):
        token = calendar_token_issue(actor=request.user)
        return _respond(token, kind=CalendarTokenKind.PERSONAL)

    @extend_schema(
        tags=TAGS,
        summary="Switch off the link to your own events feed",
        request=None,
        responses={204: None, 403: NOT_LOGGED_IN},
    )
    def delete(self, request):
        calendar_token_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonalCalendarLinkResetApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Give your own events feed a new address; the old one stops working at once",
        request=None,
        responses={200: CalendarLinkOutputSerializer, 403: NOT_LOGGED_IN},
    )
    def post(self, request):
        token = calendar_token_reset(actor=request.user)
        return _respond(token, kind=CalendarTokenKind.PERSONAL)


class GroupCalendarLinkApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Make the link to a group's events feed (returns the existing one if you have it)",
        request=None,
        responses={200: CalendarLinkOutputSerializer, 403: NOT_A_MEMBER, 404: GROUP_NOT_FOUND},
    )
    def post(self, request, slug: str):
        group = community_permissions.access_group(user=request.user, slug=slug)
        token = calendar_token_issue(actor=request.user, group=group)
        return _respond(token, kind=CalendarTokenKind.GROUP, group=group)

    @extend_schema(
        tags=TAGS,
        summary="Switch off the link to a group's events feed",
        request=None,
        responses={204: None, 403: NOT_A_MEMBER, 404: GROUP_NOT_FOUND},
    )
    def delete(self, request, slug: str):
        group = community_permissions.access_group(user=request.user, slug=slug)
        calendar_token_revoke(actor=request.user, group=group)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupCalendarLinkResetApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Give a group's events feed a new address; the old one stops working at once",
        request=None,
        responses={200: CalendarLinkOutputSerializer, 403: NOT_A_MEMBER, 404: GROUP_NOT_FOUND},
    )
    def post(self, request, slug: str):
        group = community_permissions.access_group(user=request.user, slug=slug)
        token = calendar_token_reset(actor=request.user, group=group)
        return _respond(token, kind=CalendarTokenKind.GROUP, group=group)


api_urlpatterns = [
    path("calendar/links/", CalendarLinksApi.as_view(), name="api-calendar-links"),
    path("calendar/links/mine/", PersonalCalendarLinkApi.as_view(), name="api-calendar-link-mine"),
    path("calendar/links/mine/reset/", PersonalCalendarLinkResetApi.as_view(), name="api-calendar-link-mine-reset"),
    path("groups/<slug:slug>/calendar-link/", GroupCalendarLinkApi.as_view(), name="api-calendar-link-group"),
    path(
        "groups/<slug:slug>/calendar-link/reset/",
        GroupCalendarLinkResetApi.as_view(),
        name="api-calendar-link-group-reset",
    ),
]
urlpatterns = api_urlpatterns

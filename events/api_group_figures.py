"""A group's own figures as JSON (/api/v1/groups/<slug>/figures/): its peer leaders, staff and evaluators."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.programme import TableOutputSerializer
from community.permissions import access_group_figures
from community.selectors.programme_filters import programme_filters_from
from events.selectors_group_figures import group_figures


class GroupFiguresOutputSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="The group's slug.")
    filters = serializers.DictField(child=serializers.CharField())
    threshold = serializers.IntegerField(help_text="Counts below this, and means of fewer people, are suppressed.")
    suppressed = serializers.CharField(help_text='The value of a suppressed cell: "c".')
    table = TableOutputSerializer()


class GroupFiguresApi(APIView):
    @extend_schema(
        tags=["groups"],
        summary="A group's attendance, returning members and pulse averages by month (aggregates only)",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: a year ago)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included (default: today)."),
        ],
        responses={
            200: GroupFiguresOutputSerializer,
            400: OpenApiResponse(description="A date needs another look (code `invalid_filter`)."),
            401: OpenApiResponse(description="Not logged in (code `not_authenticated`)."),
            403: OpenApiResponse(
                description="Only the group's peer leaders, staff and evaluators (`group_figures_only`)."
            ),
            404: OpenApiResponse(description="No such group (code `group_not_found`)."),
        },
    )
    def get(self, request, slug: str):
        group = access_group_figures(user=request.user, slug=slug)
        params = request.query_params
        filters = programme_filters_from(params={"from": params.get("from"), "to": params.get("to")})
        return Response(group_figures(group=group, filters=filters).as_dict())


api_urlpatterns = [path("groups/<slug:slug>/figures/", GroupFiguresApi.as_view(), name="api-group-figures")]

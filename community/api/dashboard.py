"""My dashboard as numbers (/api/v1/me/dashboard/): only ever your own record; evaluators refused (`members_only`)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.destinations import GoalSerializer, goal_payload
from community.selectors.dashboard import my_dashboard


class CheckInPointSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    swemwbs_metric = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=False)
    ons_life_satisfaction = serializers.IntegerField(allow_null=True)
    ons_worthwhile = serializers.IntegerField(allow_null=True)
    ons_happiness = serializers.IntegerField(allow_null=True)
    ons_anxiety = serializers.IntegerField(allow_null=True, help_text="Lower is calmer.")
    ucla_total = serializers.IntegerField(allow_null=True)


class ConnectionsSerializer(serializers.Serializer):
    events_attended = serializers.IntegerField()
    people_met = serializers.IntegerField()
    met_more_than_once = serializers.IntegerField()
    sentence = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    checkins = CheckInPointSerializer(many=True, help_text="Oldest first.")
    swemwbs_band = serializers.ListField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False),
        allow_null=True,
        help_text="[low, high]: your first SWEMWBS metric score minus and plus the meaningful change.",
    )
    meaningful_change = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    connections = ConnectionsSerializer()
    goals = GoalSerializer(many=True)
    activity_code = serializers.CharField(allow_null=True)
    activity_words = serializers.CharField()


class MyDashboardApi(APIView):
    @extend_schema(
        tags=["my dashboard"],
        summary="Your own wellbeing over time, connections and goals, as numbers",
        responses={
            200: DashboardSerializer,
            403: OpenApiResponse(description="Evaluators keep no personal record (`members_only`)."),
        },
    )
    def get(self, request: Request) -> Response:
        data = my_dashboard(user=request.user)
        return Response(
            {
                "checkins": [
                    {"when": p.when, "swemwbs_metric": p.swemwbs_metric, "ucla_total": p.ucla_total, **p.ons}
                    for p in data.checkins
                ],
                "swemwbs_band": list(data.swemwbs_band) if data.swemwbs_band else None,
                "meaningful_change": data.meaningful_change,
                "connections": {
                    "events_attended": data.connections.events_attended,
                    "people_met": data.connections.people_met,
                    "met_more_than_once": data.connections.met_more_than_once,
                    "sentence": data.connections.sentence,
                },
                "goals": [goal_payload(goal) for goal in data.goals],
                "activity_code": data.activity_code,
                "activity_words": data.activity_words,
            }
        )


urlpatterns = [path("me/dashboard/", MyDashboardApi.as_view(), name="me-dashboard")]

"""My positive destination API (/api/v1/me/destination/, /me/goals/, /me/activity/): only ever your own record.
The same services as the pages (community.services.destinations); evaluators are refused (`members_only`)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions
from community.api.inputs import validated
from community.selectors.dashboard import my_areas, my_goals
from community.services import destinations as svc

TAGS = ["my destination"]
REFUSED = OpenApiResponse(description="Evaluators keep no personal record (`members_only`).")
NOT_FOUND = OpenApiResponse(description="Not one of your goals or steps (`goal_not_found`, `step_not_found`).")
BAD = OpenApiResponse(
    description="`unknown_area`, `title_required`, `title_too_long`, `text_required`, `text_too_long`, "
    "`progress_out_of_range`, `unknown_activity`; 409 `too_many_goals`, `too_many_steps`."
)


class AreaSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class DestinationSerializer(serializers.Serializer):
    areas = AreaSerializer(many=True, help_text="The areas you chose, in the published order.")
    choices = AreaSerializer(many=True, help_text="All eight areas.")


class AreasInputSerializer(serializers.Serializer):
    areas = serializers.ListField(child=serializers.CharField(max_length=20), max_length=8, allow_empty=True)


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    done = serializers.BooleanField()


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = serializers.CharField()
    area_label = serializers.CharField()
    title = serializers.CharField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    achieved = serializers.BooleanField()
    achieved_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    steps = StepSerializer(many=True)


class GoalInputSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=svc.TITLE_MAX * 2, trim_whitespace=False)


class GoalPatchSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=svc.TITLE_MAX * 2, required=False, trim_whitespace=False)
    progress = serializers.IntegerField(required=False)
    achieved = serializers.BooleanField(required=False)


class StepInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=svc.STEP_MAX * 2, trim_whitespace=False)


class StepPatchSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=svc.STEP_MAX * 2, required=False, trim_whitespace=False)
    done = serializers.BooleanField(required=False)


class ActivitySerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="SSDA903 code, or null if you haven't said.")
    words = serializers.CharField(help_text="What it means, in the words you see.")
    recorded_at = serializers.DateTimeField(allow_null=True)
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class ActivityInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=4)


def _step(step) -> dict:
    return {"id": step.pk, "text": step.text, "done": step.done_at is not None}


def goal_payload(goal) -> dict:
    return {
        "id": goal.pk,
        "area": goal.area,
        "area_label": svc.area_labels().get(goal.area, goal.area),
        "title": goal.title,
        "progress": goal.progress,
        "achieved": goal.achieved_at is not None,
        "achieved_at": goal.achieved_at,
        "created_at": goal.created_at,
        "steps": [_step(step) for step in goal.steps.all()],
    }


def _destination(user) -> dict:
    return {
        "areas": [{"key": k, "label": v} for k, v in my_areas(user=user)],
        "choices": [{"key": k, "label": v} for k, v in svc.area_choices()],
    }


class DestinationApi(APIView):
    @extend_schema(
        tags=TAGS, summary="The areas that matter to you", responses={200: DestinationSerializer, 403: REFUSED}
    )
    def get(self, request: Request) -> Response:
        permissions.require_keep_destination(request.user)
        return Response(_destination(request.user))

    @extend_schema(
        tags=TAGS,
        summary="Choose the areas that matter to you (replaces the choice)",
        request=AreasInputSerializer,
        responses={200: DestinationSerializer, 400: BAD, 403: REFUSED},
    )
    def put(self, request: Request) -> Response:
        fields = validated(AreasInputSerializer, request.data)
        svc.destination_areas_set(actor=request.user, areas=fields["areas"])
        return Response(_destination(request.user))


class GoalListApi(APIView):
    @extend_schema(
        tags=TAGS, summary="Your goals with their steps", responses={200: GoalSerializer(many=True), 403: REFUSED}
    )
    def get(self, request: Request) -> Response:
        permissions.require_keep_destination(request.user)
        return Response([goal_payload(goal) for goal in my_goals(user=request.user)])

    @extend_schema(
        tags=TAGS,
        summary="Add a goal",
        request=GoalInputSerializer,
        responses={201: GoalSerializer, 400: BAD, 403: REFUSED},
    )
    def post(self, request: Request) -> Response:
        fields = validated(GoalInputSerializer, request.data)
        goal = svc.goal_add(actor=request.user, area=fields["area"], title=fields["title"])
        return Response(goal_payload(goal), status=status.HTTP_201_CREATED)


class GoalApi(APIView):
    @extend_schema(
        tags=TAGS, summary="One of your goals", responses={200: GoalSerializer, 403: REFUSED, 404: NOT_FOUND}
    )
    def get(self, request: Request, goal_id: int) -> Response:
        return Response(goal_payload(permissions.access_own_goal(user=request.user, goal_id=goal_id)))

    @extend_schema(
        tags=TAGS,
        summary="Change a goal's words or progress, or mark it reached (achieved: true) or open again (false)",
        request=GoalPatchSerializer,
        responses={200: GoalSerializer, 400: BAD, 403: REFUSED, 404: NOT_FOUND},
    )
    def patch(self, request: Request, goal_id: int) -> Response:
        fields = validated(GoalPatchSerializer, request.data)
        goal = svc.goal_update(
            actor=request.user, goal_id=goal_id, title=fields.get("title"), progress=fields.get("progress")
        )
        if fields.get("achieved") is True:
            goal = svc.goal_achieve(actor=request.user, goal_id=goal_id)
        elif fields.get("achieved") is False:
            goal = svc.goal_reopen(actor=request.user, goal_id=goal_id)
        return Response(goal_payload(permissions.access_own_goal(user=request.user, goal_id=goal.pk)))

    @extend_schema(
        tags=TAGS, summary="Delete a goal and its steps", responses={204: None, 403: REFUSED, 404: NOT_FOUND}
    )
    def delete(self, request: Request, goal_id: int) -> Response:
        svc.goal_delete(actor=request.user, goal_id=goal_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StepListApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Add a small step to a goal",
        request=StepInputSerializer,
        responses={201: StepSerializer, 400: BAD, 403: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, goal_id: int) -> Response:
        fields = validated(StepInputSerializer, request.data)
        step = svc.goal_step_add(actor=request.user, goal_id=goal_id, text=fields["text"])
        return Response(_step(step), status=status.HTTP_201_CREATED)


class StepApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change a step's words, or tick it (done: true) or untick it",
        request=StepPatchSerializer,
        responses={200: StepSerializer, 400: BAD, 403: REFUSED, 404: NOT_FOUND},
    )
    def patch(self, request: Request, goal_id: int, step_id: int) -> Response:
        fields = validated(StepPatchSerializer, request.data)
        step = svc.goal_step_update(
            actor=request.user, goal_id=goal_id, step_id=step_id, text=fields.get("text"), done=fields.get("done")
        )
        return Response(_step(step))

    @extend_schema(tags=TAGS, summary="Delete a step", responses={204: None, 403: REFUSED, 404: NOT_FOUND})
    def delete(self, request: Request, goal_id: int, step_id: int) -> Response:
        svc.goal_step_delete(actor=request.user, goal_id=goal_id, step_id=step_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _activity(user) -> dict:
    current = svc.activity_status_current(user=user)
    return {
        "code": current.code if current else None,
        "words": svc.activity_words(current.code) if current else "",
        "recorded_at": current.recorded_at if current else None,
        "choices": [list(choice) for choice in svc.activity_choices()],
    }


class ActivityApi(APIView):
    @extend_schema(
        tags=TAGS, summary="What you said you're doing now", responses={200: ActivitySerializer, 403: REFUSED}
    )
    def get(self, request: Request) -> Response:
        permissions.require_keep_destination(request.user)
        return Response(_activity(request.user))

    @extend_schema(
        tags=TAGS,
        summary="Say what you're doing now (idempotent)",
        request=ActivityInputSerializer,
        responses={200: ActivitySerializer, 400: BAD, 403: REFUSED},
    )
    def put(self, request: Request) -> Response:
        fields = validated(ActivityInputSerializer, request.data)
        svc.activity_status_record(actor=request.user, code=fields["code"])
        return Response(_activity(request.user))

    @extend_schema(tags=TAGS, summary="Remove what you said, and its history", responses={204: None, 403: REFUSED})
    def delete(self, request: Request) -> Response:
        svc.activity_status_clear(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("me/destination/", DestinationApi.as_view(), name="me-destination"),
    path("me/goals/", GoalListApi.as_view(), name="me-goals"),
    path("me/goals/<int:goal_id>/", GoalApi.as_view(), name="me-goal"),
    path("me/goals/<int:goal_id>/steps/", StepListApi.as_view(), name="me-goal-steps"),
    path("me/goals/<int:goal_id>/steps/<int:step_id>/", StepApi.as_view(), name="me-goal-step"),
    path("me/activity/", ActivityApi.as_view(), name="me-activity"),
]

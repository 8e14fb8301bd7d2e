"""Block and mute API: the people I blocked or muted, adding one, taking one away. The other person is never told."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.inputs import validated
from community.api.pagination import StandardPagination
from community.selectors.personal_controls import my_blocks, my_mutes
from community.services.personal_controls import person_block, person_mute, person_unblock, person_unmute

TAGS = ["personal controls"]
USER_ID = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The other person's id.")
NOT_FOUND = OpenApiResponse(description="No such person (`person_not_found`).")
EVALUATOR = OpenApiResponse(description="Evaluators don't use chat (`forbidden`).")
SELF = OpenApiResponse(description="That's you (`not_yourself`), or the request is missing `user_id` (`invalid`).")


class ControlledPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class ControlOutputSerializer(serializers.Serializer):
    person = ControlledPersonSerializer()
    created_at = serializers.DateTimeField(help_text="When you blocked or muted them.")


class ControlInputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(help_text="The person to block or mute.")


def _row(person, created_at) -> dict:
    return {"person": {"id": person.pk, "display_name": person.display_name}, "created_at": created_at}


class _ControlListApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page
    rows = None  # selector: (user) -> queryset
    person_field = ""
    add = None  # service

    def get(self, request: Request) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(type(self).rows(user=request.user), request, view=self)
        return paginator.get_paginated_response([_row(getattr(row, self.person_field), row.created_at) for row in page])

    def post(self, request: Request) -> Response:
        fields = validated(ControlInputSerializer, request.data)
        result = type(self).add(actor=request.user, user_id=fields["user_id"])
        row = type(self).rows(user=request.user).get(**{self.person_field: result.person})
        return Response(
            _row(result.person, row.created_at),
            status=status.HTTP_201_CREATED if result.changed else status.HTTP_200_OK,
        )


def _list_schema(what: str):
    return extend_schema(
        tags=TAGS, summary=f"The people you {what}, newest first", responses={200: ControlOutputSerializer(many=True)}
    )


def _add_schema(what: str, extra_403: str = ""):
    return extend_schema(
        tags=TAGS,
        summary=f"{what.capitalize()} someone (201), or confirm they already are (200). They aren't told.",
        request=ControlInputSerializer,
        responses={
            201: ControlOutputSerializer,
            200: ControlOutputSerializer,
            400: SELF,
            403: OpenApiResponse(description=f"Evaluators don't use chat (`forbidden`){extra_403}."),
            404: NOT_FOUND,
        },
    )


def _remove_schema(what: str):
    return extend_schema(
        tags=TAGS,
        summary=f"Take away a {what} (204, also when there was none)",
        parameters=[USER_ID],
        responses={204: OpenApiResponse(description="Done."), 400: SELF, 403: EVALUATOR, 404: NOT_FOUND},
    )


class BlockListApi(_ControlListApi):
    rows = staticmethod(my_blocks)
    person_field = "blocked"
    add = staticmethod(person_block)

    @_list_schema("blocked")
    def get(self, request: Request) -> Response:
        return super().get(request)

    @_add_schema("block", "; moderators and staff can be muted but not blocked (`cannot_block_staff`)")
    def post(self, request: Request) -> Response:
        return super().post(request)


class MuteListApi(_ControlListApi):
    rows = staticmethod(my_mutes)
    person_field = "muted"
    add = staticmethod(person_mute)

    @_list_schema("muted")
    def get(self, request: Request) -> Response:
        return super().get(request)

    @_add_schema("mute")
    def post(self, request: Request) -> Response:
        return super().post(request)


class BlockDetailApi(APIView):
    @_remove_schema("block")
    def delete(self, request: Request, user_id: int) -> Response:
        person_unblock(actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MuteDetailApi(APIView):
    @_remove_schema("mute")
    def delete(self, request: Request, user_id: int) -> Response:
        person_unmute(actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("me/blocks/", BlockListApi.as_view(), name="api-me-blocks"),
    path("me/blocks/<int:user_id>/", BlockDetailApi.as_view(), name="api-me-block"),
    path("me/mutes/", MuteListApi.as_view(), name="api-me-mutes"),
    path("me/mutes/<int:user_id>/", MuteDetailApi.as_view(), name="api-me-mute"),
]

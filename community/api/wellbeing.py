"""Wellbeing API: my check-ins (list, record, read, delete), my consent to count in programme figures, and my
check-in invitation setting. Only ever the signed-in member's own records; evaluators never reach one."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions, scoring
from community.api.inputs import validated
from community.api.pagination import StandardPagination
from community.models import LonelinessDirect, WellbeingCheckIn
from community.selectors.wellbeing import checkins_for_user
from community.services.wellbeing import (
    ANSWER_KEYS,
    checkin_delete,
    checkin_record,
    consent_current,
    consent_set,
    wellbeing_settings_for,
    wellbeing_settings_set,
)

TAGS = ["wellbeing"]
CHECKIN_ID = OpenApiParameter("checkin_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Your check-in.")
MEMBERS_ONLY = OpenApiResponse(
    description="Evaluators record nothing and see no one's records (`wellbeing_members_only`)."
)
NOT_FOUND = OpenApiResponse(description="Not one of your check-ins (`checkin_not_found`).")
LICENCE_HELP = f"Show with any SWEMWBS answer or score: {scoring.SWEMWBS_LICENCE}"


def _score(low: int, high: int, help_text: str):
    return serializers.IntegerField(
        min_value=low, max_value=high, required=False, allow_null=True, help_text=f"{help_text} ({low}-{high})."
    )


def _answer_fields() -> dict:
    fields = {}
    for key in ANSWER_KEYS:
        if key.startswith("swemwbs_"):
            fields[key] = _score(
                1, 5, f"SWEMWBS statement {key.rsplit('_', 1)[1]}, 1 None of the time to 5 All of the time"
            )
        elif key.startswith("ons_"):
            fields[key] = _score(0, 10, f"ONS {key[4:].replace('_', ' ')}, 0 not at all to 10 completely")
        elif key.startswith("ucla_"):
            fields[key] = _score(1, 3, f"UCLA {key[5:].replace('_', ' ')}, 1 Hardly ever or never to 3 Often")
        else:
            fields[key] = serializers.ChoiceField(
                choices=LonelinessDirect.choices,
                required=False,
                allow_blank=True,
                help_text='"How often do you feel lonely?" Empty when skipped.',
            )
    return fields


CheckInInputSerializer = type(
    "CheckInInputSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "Every answer is optional (leave it out, or send null); a check-in needs at least one "
        "(`empty_checkin`). Unknown keys are refused (`unknown_question`); answers outside their scale too "
        "(`answer_out_of_range`).",
        "__module__": __name__,
        **_answer_fields(),
    },
)


class CheckInOutputSerializer(serializers.ModelSerializer):
    swemwbs_metric = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text="The published metric score (7.00-35.00), empty unless all seven statements were answered. "
        + LICENCE_HELP,
    )
    ucla_total = serializers.IntegerField(
        allow_null=True, read_only=True, help_text="UCLA-3 total (3-9), empty unless all three were answered."
    )
    lonely_direct = serializers.ChoiceField(
        choices=LonelinessDirect.choices, allow_blank=True, read_only=True, help_text="Empty if not answered."
    )

    class Meta:
        model = WellbeingCheckIn
        fields = ["id", "created_at", *ANSWER_KEYS, "swemwbs_metric", "ucla_total"]
        read_only_fields = fields


class ConsentOutputSerializer(serializers.Serializer):
    consents = serializers.BooleanField(
        help_text="Whether your answers count, anonymously, in programme figures made from now on. No until you say "
        "yes."
    )
    recorded_at = serializers.DateTimeField(allow_null=True, help_text="When you last changed it; empty if never.")


class ConsentInputSerializer(serializers.Serializer):
    consents = serializers.BooleanField()


class WellbeingSettingsOutputSerializer(serializers.Serializer):
    invitations_on = serializers.BooleanField(
        help_text="A gentle check-in invitation at most every few weeks, if you haven't checked in lately."
    )
    last_invited_at = serializers.DateTimeField(allow_null=True)


class WellbeingSettingsInputSerializer(serializers.Serializer):
    invitations_on = serializers.BooleanField(required=False)


def _consent_body(user) -> dict:
    answer = consent_current(user=user)
    return {"consents": bool(answer and answer.consents), "recorded_at": answer.recorded_at if answer else None}


class CheckInListApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        summary="My check-ins, newest first",
        responses={200: CheckInOutputSerializer(many=True), 403: MEMBERS_ONLY},
    )
    def get(self, request: Request) -> Response:
        permissions.require_record_wellbeing(request.user)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(checkins_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(CheckInOutputSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Record a check-in (every answer optional)",
        request=CheckInInputSerializer,
        responses={
            201: CheckInOutputSerializer,
            400: OpenApiResponse(
                description="No answers (`empty_checkin`), an unknown question (`unknown_question`), or an answer "
                "outside its scale (`answer_out_of_range`)."
            ),
            403: MEMBERS_ONLY,
            429: OpenApiResponse(description="A few check-ins a day at most (`rate_limited`)."),
        },
    )
    def post(self, request: Request) -> Response:
        checkin = checkin_record(actor=request.user, answers=request.data)
        return Response(CheckInOutputSerializer(checkin).data, status=status.HTTP_201_CREATED)


class CheckInDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One of my check-ins",
        parameters=[CHECKIN_ID],
        responses={200: CheckInOutputSerializer, 403: MEMBERS_ONLY, 404: NOT_FOUND},
    )
    def get(self, request: Request, checkin_id: int) -> Response:
        checkin = permissions.access_own_checkin(user=request.user, checkin_id=checkin_id)
        return Response(CheckInOutputSerializer(checkin).data)

    @extend_schema(
        tags=TAGS,
        summary="Delete one of my check-ins for good",
        parameters=[CHECKIN_ID],
        responses={204: OpenApiResponse(description="Deleted."), 403: MEMBERS_ONLY, 404: NOT_FOUND},
    )
    def delete(self, request: Request, checkin_id: int) -> Response:
        checkin_delete(actor=request.user, checkin_id=checkin_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Whether my answers count in programme figures",
        responses={200: ConsentOutputSerializer, 403: MEMBERS_ONLY},
    )
    def get(self, request: Request) -> Response:
        permissions.require_record_wellbeing(request.user)
        return Response(_consent_body(request.user))

    @extend_schema(
        tags=TAGS,
        summary="Say yes or no to counting in programme figures (from now on; any time)",
        request=ConsentInputSerializer,
        responses={200: ConsentOutputSerializer, 400: OpenApiResponse(description="`invalid`."), 403: MEMBERS_ONLY},
    )
    def put(self, request: Request) -> Response:
        permissions.require_record_wellbeing(request.user)
        fields = validated(ConsentInputSerializer, request.data)
        consent_set(actor=request.user, consents=fields["consents"])
        return Response(_consent_body(request.user))


class WellbeingSettingsApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="My check-in invitation setting",
        responses={200: WellbeingSettingsOutputSerializer, 403: MEMBERS_ONLY},
    )
    def get(self, request: Request) -> Response:
        permissions.require_record_wellbeing(request.user)
        return Response(WellbeingSettingsOutputSerializer(wellbeing_settings_for(user=request.user)).data)

    @extend_schema(
        tags=TAGS,
        summary="Switch check-in invitations on or off",
        request=WellbeingSettingsInputSerializer,
        responses={
            200: WellbeingSettingsOutputSerializer,
            400: OpenApiResponse(description="`invalid`."),
            403: MEMBERS_ONLY,
        },
    )
    def patch(self, request: Request) -> Response:
        permissions.require_record_wellbeing(request.user)
        fields = validated(WellbeingSettingsInputSerializer, request.data)
        if "invitations_on" in fields:
            wellbeing_settings_set(actor=request.user, invitations_on=fields["invitations_on"])
        return Response(WellbeingSettingsOutputSerializer(wellbeing_settings_for(user=request.user)).data)


urlpatterns = [
    path("me/checkins/", CheckInListApi.as_view(), name="api-me-checkins"),
    path("me/checkins/<int:checkin_id>/", CheckInDetailApi.as_view(), name="api-me-checkin"),
    path("me/consent/", ConsentApi.as_view(), name="api-me-consent"),
    path("me/wellbeing-settings/", WellbeingSettingsApi.as_view(), name="api-me-wellbeing-settings"),
]

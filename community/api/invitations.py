"""Invitations API: list, make, see and cancel codes; check a code before signing up."""

from __future__ import annotations

from django.conf import settings
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions
from community.api.inputs import ID_MAX, validated
from community.api.pagination import StandardPagination
from community.errors import NotFound
from community.models import Group, Invitation
from community.ratelimit import client_ip
from community.selectors.invitations import INVITATION_STATUSES, invitation_signup_url, invitations_visible_to
from community.services.invitations import (
    MAX_EXPIRY_DAYS,
    MAX_USES_LIMIT,
    invitation_create,
    invitation_find_usable,
    invitation_revoke,
)

ERROR_BODY = inline_serializer(
    name="InvitationError", fields={"code": serializers.CharField(), "detail": serializers.CharField()}
)


class InvitationOutputSerializer(serializers.ModelSerializer):
    group = inline_serializer(
        name="InvitationGroup",
        fields={"id": serializers.IntegerField(), "name": serializers.CharField(), "slug": serializers.CharField()},
        allow_null=True,
    )
    created_by = inline_serializer(
        name="InvitationCreator",
        fields={"id": serializers.IntegerField(), "display_name": serializers.CharField()},
        allow_null=True,
    )
    status = serializers.ChoiceField(choices=INVITATION_STATUSES, read_only=True)
    uses_left = serializers.IntegerField(read_only=True)
    signup_url = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "code",
            "group",
            "max_uses",
            "use_count",
            "uses_left",
            "expires_at",
            "revoked_at",
            "status",
            "note",
            "created_by",
            "created_at",
            "signup_url",
        ]

    def get_signup_url(self, invitation: Invitation) -> str:
        return invitation_signup_url(request=self.context["request"], invitation=invitation)


class InvitationListCreateApi(APIView):
    pagination_class = StandardPagination

    class InvitationListQuerySerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=INVITATION_STATUSES, required=False)
        group = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)

    class InvitationCreateInputSerializer(serializers.Serializer):
        group = serializers.IntegerField(required=False, allow_null=True, help_text="A group id, or null for none.")
        max_uses = serializers.IntegerField(default=1, min_value=1, max_value=MAX_USES_LIMIT)
        expires_in_days = serializers.IntegerField(
            default=settings.HN_INVITATION_DEFAULT_DAYS, min_value=1, max_value=MAX_EXPIRY_DAYS
        )
        note = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")

    @extend_schema(
        summary="Invitations you can see",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(INVITATION_STATUSES)),
            OpenApiParameter("group", OpenApiTypes.INT, description="Only codes for this group id."),
        ],
        responses={200: InvitationOutputSerializer(many=True), 400: ERROR_BODY, 401: ERROR_BODY},
    )
    def get(self, request):
        query = validated(self.InvitationListQuerySerializer, request.query_params)
        queryset = invitations_visible_to(
            user=request.user, status=query.get("status", ""), group_id=query.get("group")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        data = InvitationOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        summary="Make an invitation code",
        request=InvitationCreateInputSerializer,
        responses={201: InvitationOutputSerializer, 400: ERROR_BODY, 403: ERROR_BODY, 404: ERROR_BODY},
    )
    def post(self, request):
        serializer = self.InvitationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        group = None
        if data.get("group") is not None:
            group = Group.objects.filter(pk=data["group"]).first()
            if group is None:
                raise NotFound("We couldn't find that group.", code="group_not_found")
        invitation = invitation_create(
            actor=request.user,
            group=group,
            max_uses=data["max_uses"],
            expires_in_days=data["expires_in_days"],
            note=data["note"],
        )
        body = InvitationOutputSerializer(invitation, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class InvitationDetailApi(APIView):
    @extend_schema(summary="One invitation", responses={200: InvitationOutputSerializer, 404: ERROR_BODY})
    def get(self, request, invitation_id: int):
        invitation = permissions.access_invitation(user=request.user, invitation_id=invitation_id)
        return Response(InvitationOutputSerializer(invitation, context={"request": request}).data)


class InvitationRevokeApi(APIView):
    @extend_schema(
        summary="Cancel an invitation code (doing it twice is fine)",
        request=None,
        responses={200: InvitationOutputSerializer, 403: ERROR_BODY, 404: ERROR_BODY},
    )
    def post(self, request, invitation_id: int):
        invitation = permissions.access_invitation(user=request.user, invitation_id=invitation_id)
        invitation = invitation_revoke(actor=request.user, invitation=invitation)
        return Response(InvitationOutputSerializer(invitation, context={"request": request}).data)


class InvitationCheckApi(APIView):
    """Anyone may check a code before signing up. Tries are limited per address."""

    authentication_classes = []
    permission_classes = [AllowAny]

    class InvitationCheckInputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=40)

    class InvitationCheckOutputSerializer(serializers.Serializer):
        valid = serializers.BooleanField()
        group = serializers.CharField(allow_null=True, help_text="The name of the group the code joins, if any.")

    @extend_schema(
        summary="Check an invitation code",
        request=InvitationCheckInputSerializer,
        responses={200: InvitationCheckOutputSerializer, 404: ERROR_BODY, 409: ERROR_BODY, 429: ERROR_BODY},
    )
    def post(self, request):
        serializer = self.InvitationCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = invitation_find_usable(code=serializer.validated_data["code"], client_ip=client_ip(request))
        return Response({"valid": True, "group": invitation.group.name if invitation.group else None})


urlpatterns = [
    path("invitations/", InvitationListCreateApi.as_view(), name="api-invitation-list"),
    path("invitations/check/", InvitationCheckApi.as_view(), name="api-invitation-check"),
    path("invitations/<int:invitation_id>/", InvitationDetailApi.as_view(), name="api-invitation-detail"),
    path("invitations/<int:invitation_id>/revoke/", InvitationRevokeApi.as_view(), name="api-invitation-revoke"),
]

"""Deleting my account: POST /api/v1/me/delete-account/ with my password and confirm: true."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from community.services.erasure import account_erase

ERROR_BODY = inline_serializer(
    name="AccountDeleteError", fields={"code": serializers.CharField(), "detail": serializers.CharField()}
)


class AccountDeleteApi(APIView):
    """Delete my account for good: my profile, check-ins, pulses, goals and pictures are deleted, my messages lose
    their words, and I'm signed out everywhere. What is kept (as a count, or for safeguarding) is explained at
    /me/data/delete/."""

    permission_classes = [IsAuthenticated]

    class AccountDeleteInputSerializer(serializers.Serializer):
        password = serializers.CharField(max_length=200, trim_whitespace=False, style={"input_type": "password"})
        confirm = serializers.BooleanField(help_text="true: I understand this can't be undone.")

    @extend_schema(
        summary="Delete my account",
        request=AccountDeleteInputSerializer,
        responses={204: None, 400: ERROR_BODY, 401: ERROR_BODY},
    )
    def post(self, request):
        serializer = self.AccountDeleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_erase(
            actor=request.user,
            user=request.user,
            password=serializer.validated_data["password"],
            confirmed=serializer.validated_data["confirm"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("me/delete-account/", AccountDeleteApi.as_view(), name="api-account-delete"),
]

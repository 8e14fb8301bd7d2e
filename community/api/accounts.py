"""Accounts API: sign up with an invitation code, and get or give back an API token."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import AgeBand, User
from community.ratelimit import client_ip
from community.services.accounts import (
    account_sign_up,
    account_token_issue,
    account_token_obtain,
    account_token_revoke,
)

ERROR_BODY = inline_serializer(
    name="AccountError", fields={"code": serializers.CharField(), "detail": serializers.CharField()}
)


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name", "email", "age_band", "site_role", "date_joined"]


class SignUpApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    class SignUpInputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=40)
        display_name = serializers.CharField(max_length=60)
        email = serializers.CharField(max_length=254)
        password = serializers.CharField(max_length=200, trim_whitespace=False, style={"input_type": "password"})
        age_band = serializers.ChoiceField(
            choices=["under_16", *AgeBand.values, "over_25"],
            help_text="16_17 or 18_25. under_16 and over_25 are refused with not_eligible.",
        )
        is_care_experienced = serializers.BooleanField()
        accepts_agreement = serializers.BooleanField(
            help_text="The person accepts the current community agreement and privacy notice (GET /api/v1/policies/)."
        )
        policy_versions = serializers.DictField(
            child=serializers.IntegerField(min_value=1),
            required=False,
            help_text=(
                'The versions the app showed, e.g. {"agreement": 2, "privacy": 1}. If one is no longer current the '
                "sign-up is refused with 409 policy_out_of_date: show the new version and try again."
            ),
        )

    class SignUpOutputSerializer(serializers.Serializer):
        user = UserSummarySerializer()
        token = serializers.CharField()

    @extend_schema(
        summary="Sign up with an invitation code",
        request=SignUpInputSerializer,
        responses={201: SignUpOutputSerializer, 400: ERROR_BODY, 404: ERROR_BODY, 409: ERROR_BODY, 429: ERROR_BODY},
    )
    def post(self, request):
        serializer = self.SignUpInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = account_sign_up(**serializer.validated_data, client_ip=client_ip(request))
        token = account_token_issue(actor=user)
        body = self.SignUpOutputSerializer({"user": user, "token": token.key}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TokenApi(APIView):
    """POST: swap an email and password for a token (anyone). DELETE: sign this app out (the token's owner)."""

    class TokenInputSerializer(serializers.Serializer):
        email = serializers.CharField(max_length=254)
        password = serializers.CharField(max_length=200, trim_whitespace=False, style={"input_type": "password"})

    class TokenOutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        summary="Get an API token",
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, 400: ERROR_BODY, 429: ERROR_BODY},
    )
    def post(self, request):
        serializer = self.TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = account_token_obtain(**serializer.validated_data, client_ip=client_ip(request))
        return Response({"token": token.key})

    @extend_schema(summary="Give back your API token", request=None, responses={204: None, 401: ERROR_BODY})
    def delete(self, request):
        account_token_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("auth/signup/", SignUpApi.as_view(), name="api-signup"),
    path("auth/token/", TokenApi.as_view(), name="api-token"),
]

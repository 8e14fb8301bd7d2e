"""The community agreement and the privacy notice: the current versions (public), what I accepted and what is
waiting for me, and accepting."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.inputs import validated
from community.models import PolicyAcceptance
from community.services.policies import policies_accept, policies_current, policies_pending

TAGS = ["policies"]


class PolicyDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="agreement or privacy")
    version = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(help_text="What changed, in a few plain sentences.")
    body = serializers.CharField(help_text="The full text: blank lines between paragraphs, '## ' starts a heading.")
    published_at = serializers.DateTimeField()


class AcceptedSerializer(serializers.Serializer):
    document = PolicyDocumentSerializer()
    accepted_at = serializers.DateTimeField()


class MyPoliciesSerializer(serializers.Serializer):
    pending = PolicyDocumentSerializer(many=True, help_text="Current versions you haven't accepted yet.")
    accepted = AcceptedSerializer(many=True, help_text="Every version you accepted, newest first.")


class AcceptInputSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, help_text="Ids of the current versions you accept."
    )


def _my_policies(user) -> dict:
    accepted = PolicyAcceptance.objects.filter(user=user).select_related("document")
    return {
        "pending": policies_pending(user=user),
        "accepted": [{"document": row.document, "accepted_at": row.accepted_at} for row in accepted],
    }


class PolicyListApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        summary="The current community agreement and privacy notice",
        responses=PolicyDocumentSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(PolicyDocumentSerializer(policies_current(), many=True).data)


class MyPoliciesApi(APIView):
    @extend_schema(tags=TAGS, summary="What I accepted, and what is waiting for me", responses=MyPoliciesSerializer)
    def get(self, request: Request) -> Response:
        return Response(MyPoliciesSerializer(_my_policies(request.user)).data)


class AcceptPoliciesApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Accept the current versions",
        request=AcceptInputSerializer,
        responses={
            200: MyPoliciesSerializer,
            400: OpenApiResponse(description="No documents given (`invalid` or `invalid_documents`)."),
            409: OpenApiResponse(description="A document isn't the current version (`policy_out_of_date`)."),
        },
    )
    def post(self, request: Request) -> Response:
        fields = validated(AcceptInputSerializer, request.data)
        policies_accept(actor=request.user, document_ids=fields["documents"])
        return Response(MyPoliciesSerializer(_my_policies(request.user)).data)


urlpatterns = [
    path("policies/", PolicyListApi.as_view(), name="api-policies"),
    path("me/policies/", MyPoliciesApi.as_view(), name="api-my-policies"),
    path("me/policies/accept/", AcceptPoliciesApi.as_view(), name="api-policies-accept"),
]

"""Safeguarding API: the support contacts (everyone signed in reads them, staff edit them), the crisis phrase list and
its test box (moderators and staff), and safeguarding concerns (moderators and staff claim and resolve them)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions
from community.api.inputs import validated
from community.errors import Forbidden
from community.models import CrisisCategory, SafeguardingConcern, SafeguardingPhrase, SupportContact
from community.selectors.safeguarding import (
    crisis_phrases,
    safeguarding_concerns_open,
    support_contacts,
    support_contacts_all,
)
from community.services.safeguarding import (
    ConcernOutcome,
    crisis_explain,
    safeguarding_concern_claim,
    safeguarding_concern_resolve,
    safeguarding_phrase_add,
    safeguarding_phrase_remove,
    safeguarding_phrase_update,
    support_contact_remove,
    support_contact_save,
)

TAGS = ["safeguarding"]
NOT_LOGGED_IN = OpenApiResponse(description="Not logged in (code `not_authenticated`).")
MODERATORS_ONLY = OpenApiResponse(description="Moderators and staff only (code `moderators_only`).")
STAFF_ONLY = OpenApiResponse(description="Staff only (code `not_staff`).")


def _moderators_only(request) -> None:
    if not permissions.can_edit_crisis_phrases(request.user):
        raise Forbidden("Only moderators and staff can do that.", code="moderators_only")


def _staff_only(request) -> None:
    if not permissions.can_edit_support_contacts(request.user):
        raise Forbidden("Only staff can change the support contacts.", code="not_staff")


# --- Support contacts ---------------------------------------------------------------------------------------------


class SupportContactOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportContact
        fields = ["id", "service", "contact", "when", "who", "position", "is_active"]
        read_only_fields = fields


class SupportContactInputSerializer(serializers.Serializer):
    service = serializers.CharField(max_length=120)
    contact = serializers.CharField(max_length=200, help_text="How to reach them, e.g. `Call 116 123 (free)`.")
    when = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    who = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    is_active = serializers.BooleanField(required=False, default=True)


class SupportContactListApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Support contacts for when things are hard (staff also see switched-off ones)",
        responses={200: SupportContactOutputSerializer(many=True), 401: NOT_LOGGED_IN},
    )
    def get(self, request):
        rows = support_contacts_all() if permissions.can_edit_support_contacts(request.user) else support_contacts()
        return Response(SupportContactOutputSerializer(rows, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add a support contact (staff)",
        request=SupportContactInputSerializer,
        responses={
            201: SupportContactOutputSerializer,
            400: OpenApiResponse(description="Codes: `invalid`, `invalid_contact`, `invalid_position`, `too_long`."),
            401: NOT_LOGGED_IN,
            403: STAFF_ONLY,
        },
    )
    def post(self, request):
        _staff_only(request)
        row = support_contact_save(actor=request.user, **validated(SupportContactInputSerializer, request.data))
        return Response(SupportContactOutputSerializer(row).data, status=status.HTTP_201_CREATED)


class SupportContactApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change a support contact (staff)",
        request=SupportContactInputSerializer,
        responses={
            200: SupportContactOutputSerializer,
            400: OpenApiResponse(description="Codes: `invalid`, `invalid_contact`, `invalid_position`, `too_long`."),
            401: NOT_LOGGED_IN,
            403: STAFF_ONLY,
            404: OpenApiResponse(description="No such contact (code `contact_not_found`)."),
        },
    )
    def put(self, request, contact_id: int):
        _staff_only(request)
        data = validated(SupportContactInputSerializer, request.data)
        row = support_contact_save(actor=request.user, contact_id=contact_id, **data)
        return Response(SupportContactOutputSerializer(row).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove a support contact (staff; removing one already gone is fine)",
        responses={204: None, 401: NOT_LOGGED_IN, 403: STAFF_ONLY},
    )
    def delete(self, request, contact_id: int):
        _staff_only(request)
        support_contact_remove(actor=request.user, contact_id=contact_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Crisis phrases -----------------------------------------------------------------------------------------------


class PhraseOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafeguardingPhrase
        fields = ["id", "phrase", "category", "is_active", "updated_at"]
        read_only_fields = fields


class PhraseInputSerializer(serializers.Serializer):
    phrase = serializers.CharField(max_length=120, help_text="A trailing * matches any ending, e.g. `cut*`.")
    category = serializers.ChoiceField(choices=CrisisCategory.choices)


class PhraseUpdateInputSerializer(serializers.Serializer):
    phrase = serializers.CharField(max_length=120, required=False)
    category = serializers.ChoiceField(choices=CrisisCategory.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class PhraseListApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The crisis-language phrase list",
        parameters=[
            OpenApiParameter(
                "category", str, enum=CrisisCategory.values, required=False, description="Only this category."
            )
        ],
        responses={200: PhraseOutputSerializer(many=True), 401: NOT_LOGGED_IN, 403: MODERATORS_ONLY},
    )
    def get(self, request):
        _moderators_only(request)
        category = request.GET.get("category", "")
        rows = crisis_phrases(category=category if category in CrisisCategory.values else "")
        return Response(PhraseOutputSerializer(rows, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add a phrase to the crisis-language list",
        request=PhraseInputSerializer,
        responses={
            201: PhraseOutputSerializer,
            400: OpenApiResponse(description="Codes: `invalid`, `invalid_phrase`, `invalid_category`, `too_long`."),
            401: NOT_LOGGED_IN,
            403: MODERATORS_ONLY,
            409: OpenApiResponse(description="Already on the list in that category (code `phrase_exists`)."),
        },
    )
    def post(self, request):
        _moderators_only(request)
        row = safeguarding_phrase_add(actor=request.user, **validated(PhraseInputSerializer, request.data))
        return Response(PhraseOutputSerializer(row).data, status=status.HTTP_201_CREATED)


class PhraseApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change a phrase, its category, or switch it on or off",
        request=PhraseUpdateInputSerializer,
        responses={
            200: PhraseOutputSerializer,
            400: OpenApiResponse(description="Codes: `invalid`, `invalid_phrase`, `invalid_category`, `too_long`."),
            401: NOT_LOGGED_IN,
            403: MODERATORS_ONLY,
            404: OpenApiResponse(description="No such phrase (code `phrase_not_found`)."),
            409: OpenApiResponse(description="Already on the list in that category (code `phrase_exists`)."),
        },
    )
    def patch(self, request, phrase_id: int):
        _moderators_only(request)
        data = validated(PhraseUpdateInputSerializer, request.data)
        row = safeguarding_phrase_update(actor=request.user, phrase_id=phrase_id, **data)
        return Response(PhraseOutputSerializer(row).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove a phrase (removing one already gone is fine)",
        responses={204: None, 401: NOT_LOGGED_IN, 403: MODERATORS_ONLY},
    )
    def delete(self, request, phrase_id: int):
        safeguarding_phrase_remove(actor=request.user, phrase_id=phrase_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TestTextInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000, allow_blank=True)


class TestTextOutputSerializer(serializers.Serializer):
    normalised = serializers.CharField(help_text="The text as the detector reads it (slips corrected).")
    set_aside = serializers.ListField(
        child=serializers.CharField(), help_text="Look-alike phrases whose words were taken out first."
    )
    matched = serializers.ListField(child=serializers.CharField(), help_text="Crisis phrases found.")
    categories = serializers.ListField(child=serializers.CharField())
    is_crisis = serializers.BooleanField()
    would_happen = serializers.CharField()


class PhraseTestApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Test a text against the crisis-language list (nothing is saved or sent)",
        request=TestTextInputSerializer,
        responses={200: TestTextOutputSerializer, 400: OpenApiResponse(description="Code `invalid`."),
                   401: NOT_LOGGED_IN, 403: MODERATORS_ONLY},
    )  # fmt: skip
    def post(self, request):
        _moderators_only(request)
        explained = crisis_explain(text=validated(TestTextInputSerializer, request.data)["text"])
        scan = explained.scan
        would_happen = (
            "Held; the person is sent the support contacts; moderators on duty and safeguarding leads are alerted."
            if scan.is_crisis
            else "Nothing."
        )
        return Response(
            {
                "normalised": explained.normalised,
                "set_aside": explained.set_aside,
                "matched": scan.matched,
                "categories": scan.categories,
                "is_crisis": scan.is_crisis,
                "would_happen": would_happen,
            }
        )


# --- Concerns -----------------------------------------------------------------------------------------------------


class ConcernOutputSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()

    class Meta:
        model = SafeguardingConcern
        fields = [
            "id", "person", "source", "source_id", "excerpt", "categories", "matched", "status", "due_at",
            "escalated_at", "claimed_by", "claimed_at", "resolved_by", "resolved_at", "outcome", "outcome_note",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_person(self, concern: SafeguardingConcern) -> dict | None:
        person = concern.person
        return None if person is None else {"id": person.pk, "display_name": person.display_name}


class ConcernResolveInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ConcernOutcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ConcernListApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Open safeguarding concerns, the earliest deadline first",
        responses={200: ConcernOutputSerializer(many=True), 401: NOT_LOGGED_IN, 403: MODERATORS_ONLY},
    )
    def get(self, request):
        _moderators_only(request)
        return Response(ConcernOutputSerializer(safeguarding_concerns_open()[:200], many=True).data)


class ConcernClaimApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Claim a safeguarding concern (claiming it again changes nothing)",
        request=None,
        responses={200: ConcernOutputSerializer, 401: NOT_LOGGED_IN, 403: MODERATORS_ONLY,
                   404: OpenApiResponse(description="No such concern (code `concern_not_found`).")},
    )  # fmt: skip
    def post(self, request, concern_id: int):
        concern = safeguarding_concern_claim(actor=request.user, concern_id=concern_id)
        return Response(ConcernOutputSerializer(concern).data)


class ConcernResolveApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Resolve a safeguarding concern with what was done (resolving it again changes nothing)",
        request=ConcernResolveInputSerializer,
        responses={200: ConcernOutputSerializer, 400: OpenApiResponse(description="Codes: `invalid`, `too_long`."),
                   401: NOT_LOGGED_IN, 403: MODERATORS_ONLY,
                   404: OpenApiResponse(description="No such concern (code `concern_not_found`).")},
    )  # fmt: skip
    def post(self, request, concern_id: int):
        _moderators_only(request)
        data = validated(ConcernResolveInputSerializer, request.data)
        concern = safeguarding_concern_resolve(actor=request.user, concern_id=concern_id, **data)
        return Response(ConcernOutputSerializer(concern).data)


urlpatterns = [
    path("safeguarding/support-contacts/", SupportContactListApi.as_view(), name="api-support-contact-list"),
    path("safeguarding/support-contacts/<int:contact_id>/", SupportContactApi.as_view(), name="api-support-contact"),
    path("safeguarding/phrases/", PhraseListApi.as_view(), name="api-crisis-phrase-list"),
    path("safeguarding/phrases/<int:phrase_id>/", PhraseApi.as_view(), name="api-crisis-phrase"),
    path("safeguarding/phrases/test/", PhraseTestApi.as_view(), name="api-crisis-phrase-test"),
    path("safeguarding/concerns/", ConcernListApi.as_view(), name="api-safeguarding-concern-list"),
    path("safeguarding/concerns/<int:concern_id>/claim/", ConcernClaimApi.as_view(), name="api-concern-claim"),
    path(
        "safeguarding/concerns/<int:concern_id>/resolve/",
        ConcernResolveApi.as_view(),
        name="api-concern-resolve",
    ),
]

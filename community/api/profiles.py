"""profiles API: my profile and privacy, my picture, someone's profile, and (for staff) everyone and their roles."""

from __future__ import annotations

from django.db import transaction
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.pagination import StandardPagination
from community.errors import NotFound
from community.models import DirectMessagePolicy, ProfileVisibility, SiteRole, User
from community.selectors.people import people_for_staff, profile_for_viewer
from community.services.profiles import (
    age_band_turned_18,
    avatar_remove,
    avatar_set,
    privacy_update,
    profile_update,
)
from community.services.roles import user_set_safeguarding_lead, user_set_site_role

_PROFILE_FIELDS = ("display_name", "pronouns", "bio", "interests", "real_name")
_PRIVACY_FIELDS = ("profile_visibility", "show_online", "direct_messages")

ErrorSerializer = inline_serializer(
    name="ProfilesError", fields={"code": serializers.CharField(), "detail": serializers.CharField()}
)


def _avatar_url(request: Request, user: User) -> str | None:
    if not user.profile.avatar:
        return None
    version = int(user.profile.updated_at.timestamp())
    return request.build_absolute_uri(f"{reverse('community:avatar', args=[user.pk])}?v={version}")


# --- /me/ -----------------------------------------------------------------------------------


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    email = serializers.EmailField()
    display_name = serializers.CharField()
    real_name = serializers.CharField()
    pronouns = serializers.CharField(source="profile.pronouns")
    bio = serializers.CharField(source="profile.bio")
    interests = serializers.ListField(child=serializers.CharField(), source="profile.interests")
    avatar_url = serializers.SerializerMethodField()
    profile_visibility = serializers.ChoiceField(choices=ProfileVisibility.choices, source="profile.profile_visibility")
    show_online = serializers.BooleanField(source="profile.show_online")
    direct_messages = serializers.ChoiceField(choices=DirectMessagePolicy.choices, source="profile.direct_messages")
    site_role = serializers.ChoiceField(choices=SiteRole.choices)
    age_band = serializers.CharField()
    is_safeguarding_lead = serializers.BooleanField()

    def get_avatar_url(self, user: User) -> str | None:
        return _avatar_url(self.context["request"], user)


class MeInputSerializer(serializers.Serializer):
    # Lengths and uniqueness are checked by the services, which answer with specific error codes.
    display_name = serializers.CharField(required=False, trim_whitespace=True)
    real_name = serializers.CharField(required=False, allow_blank=True)
    pronouns = serializers.CharField(required=False, allow_blank=True)
    bio = serializers.CharField(required=False, allow_blank=True)
    interests = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    profile_visibility = serializers.ChoiceField(choices=ProfileVisibility.choices, required=False)
    show_online = serializers.BooleanField(required=False)
    direct_messages = serializers.ChoiceField(choices=DirectMessagePolicy.choices, required=False)
    turned_18 = serializers.BooleanField(
        required=False,
        help_text="true: I'm 16 or 17 and have turned 18 (age band 16_17 becomes 18_25; one way, 409 not_under_18 "
        "otherwise). false changes nothing.",
    )


def _me(request: Request) -> User:
    return User.objects.select_related("profile").get(pk=request.user.pk)


class MeView(APIView):
    @extend_schema(summary="My profile and privacy settings", responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeOutputSerializer(_me(request), context={"request": request}).data)

    @extend_schema(
        summary="Change my profile or privacy settings",
        description=(
            "Send only the fields to change. email and site_role cannot be changed here; age_band only by "
            "turned_18 (16_17 to 18_25, one way)."
        ),
        request=MeInputSerializer,
        responses={200: MeOutputSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    def patch(self, request: Request) -> Response:
        serializer = MeInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = _me(request)
        profile_changes = {name: data[name] for name in _PROFILE_FIELDS if name in data}
        privacy_changes = {name: data[name] for name in _PRIVACY_FIELDS if name in data}
        with transaction.atomic():
            if data.get("turned_18"):
                age_band_turned_18(actor=user)
            if profile_changes:
                profile_update(actor=request.user, user=user, **profile_changes)
            if privacy_changes:
                privacy_update(actor=request.user, user=user, **privacy_changes)
        return Response(MeOutputSerializer(_me(request), context={"request": request}).data)


class AvatarInputSerializer(serializers.Serializer):
    avatar = serializers.FileField(help_text="A JPEG, PNG or WebP picture.")


class MeAvatarView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Upload my profile picture",
        description="The picture is checked, cropped to a square and saved again without any hidden details "
        "(such as location). Error codes: unsupported_image, image_too_large, image_too_many_pixels, "
        "image_unreadable.",
        request=AvatarInputSerializer,
        responses={200: MeOutputSerializer, 400: ErrorSerializer},
    )
    def put(self, request: Request) -> Response:
        serializer = AvatarInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _me(request)
        avatar_set(actor=request.user, user=user, upload=serializer.validated_data["avatar"])
        return Response(MeOutputSerializer(_me(request), context={"request": request}).data)

    @extend_schema(summary="Remove my profile picture", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        avatar_remove(actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- /people/ -------------------------------------------------------------------------------


class GroupInCommonSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class PersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    display_name = serializers.CharField(source="person.display_name")
    real_name = serializers.CharField(
        required=False, help_text="Only there for the person themself and for staff.", source="person.real_name"
    )
    pronouns = serializers.CharField(source="profile.pronouns")
    bio = serializers.CharField(source="profile.bio")
    interests = serializers.ListField(child=serializers.CharField(), source="profile.interests")
    avatar_url = serializers.SerializerMethodField()
    is_self = serializers.BooleanField()
    groups_in_common = GroupInCommonSerializer(many=True)

    def get_avatar_url(self, view) -> str | None:
        return _avatar_url(self.context["request"], view.person)

    def to_representation(self, view):
        data = super().to_representation(view)
        if not view.show_real_name:
            data.pop("real_name", None)
        return data


class PersonDetailView(APIView):
    @extend_schema(
        summary="Someone's profile",
        description="Only people you may see: people in your groups, or everyone who chose to be seen by all "
        "members. Anyone else is not found (code person_not_found).",
        responses={200: PersonOutputSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, user_id: int) -> Response:
        view = profile_for_viewer(viewer=request.user, user_id=user_id)
        return Response(PersonOutputSerializer(view, context={"request": request}).data)


class StaffPersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    display_name = serializers.CharField()
    real_name = serializers.CharField()
    email = serializers.EmailField()
    site_role = serializers.ChoiceField(choices=SiteRole.choices)
    is_safeguarding_lead = serializers.BooleanField()
    is_active = serializers.BooleanField()
    date_joined = serializers.DateTimeField()


class PeopleListView(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        summary="Everyone (staff only)",
        parameters=[OpenApiParameter("search", str, description="Part of a display name, real name or email.")],
        responses={200: StaffPersonOutputSerializer(many=True), 403: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        people = people_for_staff(viewer=request.user, search=request.query_params.get("search", ""))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(people, request, view=self)
        return paginator.get_paginated_response(StaffPersonOutputSerializer(page, many=True).data)


class RoleInputSerializer(serializers.Serializer):
    site_role = serializers.ChoiceField(choices=SiteRole.choices, required=False)
    is_safeguarding_lead = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send site_role, is_safeguarding_lead or both.")
        return attrs


class PersonRoleView(APIView):
    @extend_schema(
        summary="Change someone's role (staff only)",
        description="Error codes: not_staff, last_staff, invalid_role, safeguarding_lead_must_be_staff.",
        request=RoleInputSerializer,
        responses={200: StaffPersonOutputSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request: Request, user_id: int) -> Response:
        person = _person_for_staff(request, user_id)
        serializer = RoleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            if "site_role" in data:
                person = user_set_site_role(actor=request.user, user=person, role=data["site_role"])
            if "is_safeguarding_lead" in data:
                person = user_set_safeguarding_lead(actor=request.user, user=person, value=data["is_safeguarding_lead"])
        return Response(StaffPersonOutputSerializer(person).data)


def _person_for_staff(request: Request, user_id: int) -> User:
    # people_for_staff refuses non-staff before we say whether the person exists.
    person = people_for_staff(viewer=request.user).filter(pk=user_id).first()
    if person is None:
        raise NotFound("We couldn't find that person.", code="person_not_found")
    return person


urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/avatar/", MeAvatarView.as_view(), name="api-me-avatar"),
    path("people/", PeopleListView.as_view(), name="api-people"),
    path("people/<int:user_id>/", PersonDetailView.as_view(), name="api-person-detail"),
    path("people/<int:user_id>/role/", PersonRoleView.as_view(), name="api-person-role"),
]

"""/api/v1/groups/: groups, joining and leaving, and members for leaders and staff."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions
from community.api.pagination import StandardPagination
from community.errors import NotFound
from community.models import Group, JoinPolicy, MembershipRole, MembershipStatus, User
from community.selectors.groups import group_detail_for, group_members_for, groups_visible_to, person_for_membership
from community.services.groups import group_create, group_update
from community.services.memberships import MEMBER_ACTIONS, membership_add, membership_join, membership_leave

REFUSAL = OpenApiResponse(response=OpenApiTypes.OBJECT, description='A refusal: {"code", "detail"}.')
SLUG = OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The group's slug.")


# --- serializers -----------------------------------------------------------------------------------


class MembershipOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    display_name = serializers.CharField(source="user.display_name")
    role = serializers.ChoiceField(choices=MembershipRole.choices)
    status = serializers.ChoiceField(choices=MembershipStatus.choices)
    joined_at = serializers.DateTimeField(allow_null=True)


class GroupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    join_policy = serializers.ChoiceField(choices=JoinPolicy.choices)
    is_listed = serializers.BooleanField()
    is_archived = serializers.BooleanField()
    member_count = serializers.IntegerField()
    # Plain strings (same values as a membership's status and role) so the schema keeps one enum per choice set.
    my_status = serializers.CharField(allow_null=True, help_text="Your membership status here, or null.")
    my_role = serializers.CharField(allow_null=True, help_text="member or leader, or null.")


class GroupDetailOutput(GroupOutput):
    leaders = MembershipOutput(
        many=True,
        source="leader_memberships",
        help_text="Empty for evaluators. Peer leaders under 18 are listed only for the group's members, moderators "
        "and staff.",
    )


class GroupCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    is_listed = serializers.BooleanField(required=False, default=True)
    join_policy = serializers.ChoiceField(choices=JoinPolicy.choices, required=False, default=JoinPolicy.REQUEST)


class GroupUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False, help_text="Staff only.")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    join_policy = serializers.ChoiceField(choices=JoinPolicy.choices, required=False)
    is_listed = serializers.BooleanField(required=False, help_text="Staff only.")
    is_archived = serializers.BooleanField(required=False, help_text="Staff only.")


class AddMemberInput(serializers.Serializer):
    user_id = serializers.IntegerField()


# --- helpers ---------------------------------------------------------------------------------------


def _detail(user: User, slug: str) -> dict:
    group = group_detail_for(user=user, slug=slug)
    group.leader_memberships = permissions.leaders_shown_to(user, group, group.leader_memberships)
    return GroupDetailOutput(group).data


def _group(user: User, slug: str) -> Group:
    return permissions.access_group(user=user, slug=slug)


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


# --- views -----------------------------------------------------------------------------------------


class GroupListApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="groups_list",
        summary="Groups you can see",
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="Part of a group's name or description."),
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only groups you're in or have asked to join."),
        ],
        responses={200: GroupOutput(many=True), 403: REFUSAL},
    )
    def get(self, request):
        groups = groups_visible_to(
            user=request.user,
            search=request.query_params.get("search", "")[:80],
            mine=_is_true(request.query_params.get("mine")),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(groups, request, view=self)
        return paginator.get_paginated_response(GroupOutput(page, many=True).data)

    @extend_schema(
        operation_id="groups_create",
        summary="Start a new group (staff)",
        request=GroupCreateInput,
        responses={201: GroupDetailOutput, 400: REFUSAL, 403: REFUSAL, 409: REFUSAL},
    )
    def post(self, request):
        data = GroupCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        group = group_create(actor=request.user, **data.validated_data)
        return Response(_detail(request.user, group.slug), status=status.HTTP_201_CREATED)


class GroupDetailApi(APIView):
    @extend_schema(
        operation_id="groups_retrieve",
        summary="One group",
        parameters=[SLUG],
        responses={200: GroupDetailOutput, 404: REFUSAL},
    )
    def get(self, request, slug: str):
        return Response(_detail(request.user, slug))

    @extend_schema(
        operation_id="groups_update",
        summary="Change a group (leaders: description and how people join; staff: everything)",
        parameters=[SLUG],
        request=GroupUpdateInput,
        responses={200: GroupDetailOutput, 400: REFUSAL, 403: REFUSAL, 404: REFUSAL, 409: REFUSAL},
    )
    def patch(self, request, slug: str):
        group = _group(request.user, slug)
        data = GroupUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        group = group_update(actor=request.user, group=group, **data.validated_data)
        return Response(_detail(request.user, group.slug))


class GroupJoinApi(APIView):
    @extend_schema(
        operation_id="groups_join",
        summary="Join an open group, or ask to join (safe to repeat)",
        parameters=[SLUG],
        request=None,
        responses={200: MembershipOutput, 403: REFUSAL, 404: REFUSAL, 429: REFUSAL},
    )
    def post(self, request, slug: str):
        membership = membership_join(actor=request.user, group=_group(request.user, slug))
        return Response(MembershipOutput(membership).data)


class GroupLeaveApi(APIView):
    @extend_schema(
        operation_id="groups_leave",
        summary="Leave a group, or take back a request to join (safe to repeat)",
        parameters=[SLUG],
        request=None,
        responses={204: None, 404: REFUSAL},
    )
    def post(self, request, slug: str):
        membership_leave(actor=request.user, group=_group(request.user, slug))
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupMembersApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="groups_members_list",
        summary="A group's members, leaders first (other statuses for leaders and staff)",
        parameters=[
            SLUG,
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=MembershipStatus.values,
                description="Defaults to active. Anything else is for the group's leaders and staff.",
            ),
        ],
        responses={200: MembershipOutput(many=True), 400: REFUSAL, 403: REFUSAL, 404: REFUSAL},
    )
    def get(self, request, slug: str):
        group = _group(request.user, slug)
        wanted = request.query_params.get("status") or MembershipStatus.ACTIVE
        members = group_members_for(viewer=request.user, group=group, status=wanted)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(members, request, view=self)
        return paginator.get_paginated_response(MembershipOutput(page, many=True).data)

    @extend_schema(
        operation_id="groups_members_add",
        summary="Add a person to the group (leaders and staff; safe to repeat)",
        parameters=[SLUG],
        request=AddMemberInput,
        responses={200: MembershipOutput, 400: REFUSAL, 403: REFUSAL, 404: REFUSAL},
    )
    def post(self, request, slug: str):
        group = _group(request.user, slug)
        data = AddMemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = person_for_membership(user_id=data.validated_data["user_id"])
        membership = membership_add(actor=request.user, group=group, user=person)
        return Response(MembershipOutput(membership).data)


class GroupMemberActionApi(APIView):
    @extend_schema(
        operation_id="groups_members_action",
        summary="Approve, decline, remove, ban, unban, promote or demote a person",
        description="approve/decline/remove/ban/unban: the group's leaders and staff. promote/demote: staff only.",
        parameters=[
            SLUG,
            OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(MEMBER_ACTIONS)),
        ],
        request=None,
        responses={200: MembershipOutput, 400: REFUSAL, 403: REFUSAL, 404: REFUSAL, 409: REFUSAL},
    )
    def post(self, request, slug: str, user_id: int, action: str):
        service = MEMBER_ACTIONS.get(action)
        if service is None:
            raise NotFound("We don't know that action.", code="unknown_action")
        group = _group(request.user, slug)
        person = person_for_membership(user_id=user_id)
        membership = service(actor=request.user, group=group, user=person)
        return Response(MembershipOutput(membership).data)


urlpatterns = [
    path("groups/", GroupListApi.as_view(), name="api-group-list"),
    path("groups/<slug:slug>/", GroupDetailApi.as_view(), name="api-group-detail"),
    path("groups/<slug:slug>/join/", GroupJoinApi.as_view(), name="api-group-join"),
    path("groups/<slug:slug>/leave/", GroupLeaveApi.as_view(), name="api-group-leave"),
    path("groups/<slug:slug>/members/", GroupMembersApi.as_view(), name="api-group-members"),
    path(
        "groups/<slug:slug>/members/<int:user_id>/<slug:action>/",
        GroupMemberActionApi.as_view(),
        name="api-group-member-action",
    ),
]

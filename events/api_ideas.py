"""Ideas API: a group's ideas (most backed first), sharing one, backing, comments, and the leaders' answers."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.inputs import validated
from events import permissions
from events.ideas.links import event_path
from events.models import EventCategory, EventVisibility, Idea, IdeaComment, IdeaStatus, RsvpMode
from events.selectors_ideas import idea_comment_for, idea_comments, idea_detail, ideas_for_group
from events.services.ideas import (
    idea_answer,
    idea_back,
    idea_close,
    idea_comment,
    idea_comment_delete,
    idea_propose,
    idea_to_event,
    idea_unback,
)

TAGS = ["ideas"]
NOT_LOGGED_IN = OpenApiResponse(description="Not logged in (code `not_authenticated`).")
IDEA_NOT_FOUND = OpenApiResponse(description="No such idea, or not one you can see (code `idea_not_found`).")
NOT_A_MEMBER = OpenApiResponse(description="Only the group's active members can do that (code `not_a_member`).")
NOT_A_LEADER = OpenApiResponse(description="Only the group's peer leaders and staff can (code `not_a_leader`).")
NOT_OPEN = OpenApiResponse(description="The idea is closed (`idea_closed`) or already an event (`idea_already_event`).")


# --- output -------------------------------------------------------------------------------------------------------


class IdeaPersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class IdeaOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group = serializers.CharField(source="group.slug", help_text="The group's slug.")
    title = serializers.CharField(help_text="What the idea is.")
    why = serializers.CharField()
    rough_when = serializers.CharField()
    status = serializers.ChoiceField(choices=IdeaStatus.choices)
    proposed_by = IdeaPersonOutputSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    backing_count = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    my_backing = serializers.BooleanField(help_text="Whether you back this idea.")
    is_mine = serializers.SerializerMethodField(help_text="Whether you proposed it.")
    leader_answer = serializers.CharField()
    answered_by = IdeaPersonOutputSerializer(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_reason = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    event_id = serializers.IntegerField(allow_null=True, help_text="The event this idea became, if it did.")
    event_url = serializers.SerializerMethodField()
    can_back = serializers.SerializerMethodField()
    can_comment = serializers.SerializerMethodField()
    can_answer = serializers.SerializerMethodField()
    can_close = serializers.SerializerMethodField()
    can_turn_into_event = serializers.SerializerMethodField()

    def _user(self):
        return self.context["request"].user

    def get_is_mine(self, idea: Idea) -> bool:
        return idea.proposed_by_id == self._user().pk

    def get_event_url(self, idea: Idea) -> str | None:
        return event_path(idea.event_id) if idea.event_id else None

    def get_can_back(self, idea: Idea) -> bool:
        user = self._user()
        return idea.is_still_open and idea.proposed_by_id != user.pk and permissions.can_back_idea(user, idea)

    def get_can_comment(self, idea: Idea) -> bool:
        return idea.is_still_open and permissions.can_comment_on_idea(self._user(), idea)

    def get_can_answer(self, idea: Idea) -> bool:
        return idea.is_still_open and permissions.can_answer_idea(self._user(), idea)

    def get_can_close(self, idea: Idea) -> bool:
        return idea.is_still_open and permissions.can_close_idea(self._user(), idea)

    def get_can_turn_into_event(self, idea: Idea) -> bool:
        return idea.is_still_open and permissions.can_turn_idea_into_event(self._user(), idea)


class IdeaCommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = IdeaPersonOutputSerializer(allow_null=True)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    can_delete = serializers.SerializerMethodField()

    def get_can_delete(self, comment: IdeaComment) -> bool:
        return permissions.can_delete_idea_comment(self.context["request"].user, comment)


class IdeaEventLinkOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class IdeaToEventOutputSerializer(serializers.Serializer):
    idea = IdeaOutputSerializer()
    event = IdeaEventLinkOutputSerializer()


# --- input --------------------------------------------------------------------------------------------------------


class IdeaCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="What the idea is (up to 120).")
    why = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why (up to 2000).")
    rough_when = serializers.CharField(required=False, allow_blank=True, default="", help_text="Up to 120.")


class IdeaCommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, help_text="Up to 1000 characters.")


class IdeaAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, help_text="Up to 2000 characters.")


class IdeaCloseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="", help_text="Required, up to 1000.")


class IdeaToEventInputSerializer(serializers.Serializer):
    """The new event's details, as for creating any event. Only what you send is passed on."""

    title = serializers.CharField(allow_blank=True)
    category = serializers.ChoiceField(choices=EventCategory.choices)
    starts_at = serializers.DateTimeField(help_text="With a UTC offset, or UK time if none is given.")
    ends_at = serializers.DateTimeField()
    description = serializers.CharField(required=False, allow_blank=True)
    destination_areas = serializers.ListField(child=serializers.CharField(), required=False)
    is_online = serializers.BooleanField(required=False)
    area = serializers.CharField(required=False, allow_blank=True)
    venue_address = serializers.CharField(required=False, allow_blank=True)
    joining_link = serializers.CharField(required=False, allow_blank=True)
    accessibility_info = serializers.CharField(required=False, allow_blank=True)
    capacity = serializers.IntegerField(required=False, allow_null=True)
    rsvp_mode = serializers.ChoiceField(choices=RsvpMode.choices, required=False)
    rsvp_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=EventVisibility.choices, required=False)


def _idea_response(request, idea_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    idea = idea_detail(user=request.user, idea_id=idea_id)
    return Response(IdeaOutputSerializer(idea, context={"request": request}).data, status=status_code)


# --- views --------------------------------------------------------------------------------------------------------


class GroupIdeasApi(generics.ListAPIView):
    serializer_class = IdeaOutputSerializer

    @extend_schema(
        tags=TAGS,
        summary="A group's ideas, most backed first",
        parameters=[
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=["open", "past", "all"],
                required=False,
                description="open (default): open and answered; past: closed and turned into events; all.",
            )
        ],
        responses={
            200: IdeaOutputSerializer(many=True),
            403: NOT_A_MEMBER,
            404: OpenApiResponse(description="No such group (`group_not_found`)."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        group = permissions.access_group_ideas(user=self.request.user, slug=self.kwargs["slug"])
        return ideas_for_group(user=self.request.user, group=group, state=self.request.GET.get("state", "open"))

    @extend_schema(
        tags=TAGS,
        summary="Share an idea with the group",
        request=IdeaCreateInputSerializer,
        responses={
            201: IdeaOutputSerializer,
            400: OpenApiResponse(description="`title_required`, `title_too_long`, `why_too_long`, `when_too_long`."),
            403: NOT_A_MEMBER,
            404: OpenApiResponse(description="No such group (`group_not_found`)."),
            429: OpenApiResponse(description="Too many ideas today (`rate_limited`)."),
        },
    )
    def post(self, request, slug: str):
        group = permissions.access_group_ideas(user=request.user, slug=slug)
        idea = idea_propose(actor=request.user, group=group, **validated(IdeaCreateInputSerializer, request.data))
        return _idea_response(request, idea.pk, status_code=status.HTTP_201_CREATED)


class IdeaDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One idea",
        responses={200: IdeaOutputSerializer, 403: NOT_LOGGED_IN, 404: IDEA_NOT_FOUND},
    )
    def get(self, request, idea_id: int):
        return _idea_response(request, idea_id)


class IdeaBackingApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Back an idea (doing it twice changes nothing)",
        request=None,
        responses={
            200: IdeaOutputSerializer,
            400: OpenApiResponse(description="It's your own idea (`own_idea`)."),
            403: NOT_A_MEMBER,
            404: IDEA_NOT_FOUND,
            409: NOT_OPEN,
        },
    )
    def post(self, request, idea_id: int):
        idea_back(actor=request.user, idea=idea_detail(user=request.user, idea_id=idea_id))
        return _idea_response(request, idea_id)

    @extend_schema(
        tags=TAGS,
        summary="Stop backing an idea (doing it twice changes nothing)",
        request=None,
        responses={200: IdeaOutputSerializer, 404: IDEA_NOT_FOUND},
    )
    def delete(self, request, idea_id: int):
        idea_unback(actor=request.user, idea=idea_detail(user=request.user, idea_id=idea_id))
        return _idea_response(request, idea_id)


class IdeaCommentsApi(generics.ListAPIView):
    serializer_class = IdeaCommentOutputSerializer

    @extend_schema(
        tags=TAGS,
        summary="An idea's comments, oldest first",
        responses={200: IdeaCommentOutputSerializer(many=True), 404: IDEA_NOT_FOUND},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        idea = idea_detail(user=self.request.user, idea_id=self.kwargs["idea_id"])
        return idea_comments(idea=idea)

    @extend_schema(
        tags=TAGS,
        summary="Comment on an idea",
        request=IdeaCommentInputSerializer,
        responses={
            201: IdeaCommentOutputSerializer,
            400: OpenApiResponse(description="`comment_required` or `comment_too_long`."),
            403: NOT_A_MEMBER,
            404: IDEA_NOT_FOUND,
            409: NOT_OPEN,
            429: OpenApiResponse(description="Too many comments in a short time (`rate_limited`)."),
        },
    )
    def post(self, request, idea_id: int):
        idea = idea_detail(user=request.user, idea_id=idea_id)
        comment = idea_comment(actor=request.user, idea=idea, **validated(IdeaCommentInputSerializer, request.data))
        return Response(
            IdeaCommentOutputSerializer(comment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class IdeaCommentApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Remove a comment (your own; leaders, moderators and staff can remove any)",
        request=None,
        responses={
            204: None,
            403: OpenApiResponse(description="Not your comment (`not_your_comment`)."),
            404: OpenApiResponse(description="`idea_not_found` or `comment_not_found`."),
        },
    )
    def delete(self, request, idea_id: int, comment_id: int):
        idea = idea_detail(user=request.user, idea_id=idea_id)
        comment = idea_comment_for(user=request.user, idea=idea, comment_id=comment_id)
        idea_comment_delete(actor=request.user, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IdeaAnswerApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Answer an idea (peer leaders and staff)",
        request=IdeaAnswerInputSerializer,
        responses={
            200: IdeaOutputSerializer,
            400: OpenApiResponse(description="`answer_required` or `answer_too_long`."),
            403: NOT_A_LEADER,
            404: IDEA_NOT_FOUND,
            409: NOT_OPEN,
        },
    )
    def post(self, request, idea_id: int):
        idea = idea_detail(user=request.user, idea_id=idea_id)
        idea_answer(actor=request.user, idea=idea, **validated(IdeaAnswerInputSerializer, request.data))
        return _idea_response(request, idea_id)


class IdeaCloseApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Close an idea with a reason (peer leaders and staff, or whoever proposed it)",
        request=IdeaCloseInputSerializer,
        responses={
            200: IdeaOutputSerializer,
            400: OpenApiResponse(description="`reason_required` or `reason_too_long`."),
            403: NOT_A_LEADER,
            404: IDEA_NOT_FOUND,
            409: NOT_OPEN,
        },
    )
    def post(self, request, idea_id: int):
        idea = idea_detail(user=request.user, idea_id=idea_id)
        idea_close(actor=request.user, idea=idea, **validated(IdeaCloseInputSerializer, request.data))
        return _idea_response(request, idea_id)


class IdeaToEventApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Turn an idea into an event (peer leaders and staff); everyone who backed it is told",
        request=IdeaToEventInputSerializer,
        responses={
            201: IdeaToEventOutputSerializer,
            400: OpenApiResponse(description="Any refusal of event creation, e.g. `ends_before_start`."),
            403: NOT_A_LEADER,
            404: IDEA_NOT_FOUND,
            409: NOT_OPEN,
        },
    )
    def post(self, request, idea_id: int):
        idea = idea_detail(user=request.user, idea_id=idea_id)
        event = idea_to_event(actor=request.user, idea=idea, **validated(IdeaToEventInputSerializer, request.data))
        fresh = idea_detail(user=request.user, idea_id=idea_id)
        body = {
            "idea": IdeaOutputSerializer(fresh, context={"request": request}).data,
            "event": {"id": event.pk, "title": event.title, "url": event_path(event)},
        }
        return Response(body, status=status.HTTP_201_CREATED)


api_urlpatterns = [
    path("groups/<slug:slug>/ideas/", GroupIdeasApi.as_view(), name="api-group-ideas"),
    path("ideas/<int:idea_id>/", IdeaDetailApi.as_view(), name="api-idea-detail"),
    path("ideas/<int:idea_id>/backing/", IdeaBackingApi.as_view(), name="api-idea-backing"),
    path("ideas/<int:idea_id>/comments/", IdeaCommentsApi.as_view(), name="api-idea-comments"),
    path("ideas/<int:idea_id>/comments/<int:comment_id>/", IdeaCommentApi.as_view(), name="api-idea-comment"),
    path("ideas/<int:idea_id>/answer/", IdeaAnswerApi.as_view(), name="api-idea-answer"),
    path("ideas/<int:idea_id>/close/", IdeaCloseApi.as_view(), name="api-idea-close"),
    path("ideas/<int:idea_id>/event/", IdeaToEventApi.as_view(), name="api-idea-to-event"),
]
urlpatterns = api_urlpatterns

"""Chat API: your rooms with unread counts, message history (newest first, cursor pagination), sending, editing,
deleting, reactions, read markers and direct conversations.

Thin views over messaging.selectors and messaging.services - the same ones the socket uses, so a change made here
reaches every socket subscribed to the room. Refusals are DomainErrors with a stable code.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.inputs import validated
from community.api.pagination import StandardPagination
from messaging import permissions, selectors
from messaging.models import REACTIONS, DirectStatus, RoomKind
from messaging.services.direct import direct_accept, direct_decline, direct_room_open
from messaging.services.messages import message_delete, message_edit, message_send
from messaging.services.reactions import reaction_toggle
from messaging.services.reads import read_mark
from messaging.services.rooms import rooms_ensure_for_user

TAGS = ["chat"]
ROOM_ID = OpenApiParameter("room_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The room's id.")
MESSAGE_ID = OpenApiParameter("message_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The message's id.")
ROOM_REFUSED = {
    403: OpenApiResponse(description="Not a member of this room (`not_a_member`)."),
    404: OpenApiResponse(description="No such room, or someone else's conversation (`room_not_found`)."),
}
MESSAGE_NOT_FOUND = OpenApiResponse(description="No such message, or not one you can see (`message_not_found`).")
POSTING_CODES = (
    "`read_only`, `room_not_open`, `dm_not_accepted`, `dm_declined`, `dm_off`, `no_shared_group`, `not_a_member`, "
    "`cannot_message`, `you_blocked_them`, `suspended`, `silenced`, `muted_in_room`, `room_locked`, `room_closed`"
)
MAX_PAGE = 100


# --- output -----------------------------------------------------------------------------------------------------------


class ChatPersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class ChatReplyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = ChatPersonOutputSerializer(allow_null=True)
    excerpt = serializers.CharField(help_text="The start of the message replied to; empty if deleted or hidden.")
    is_deleted = serializers.BooleanField()
    is_hidden = serializers.BooleanField()


class ChatReactionOutputSerializer(serializers.Serializer):
    emoji = serializers.CharField()
    count = serializers.IntegerField()
    user_ids = serializers.ListField(child=serializers.IntegerField(), help_text="Who reacted (yours included).")


class ChatMessageOutputSerializer(serializers.Serializer):
    """The same shape as `message` in the socket's message.new and message.updated frames."""

    id = serializers.IntegerField()
    room = serializers.IntegerField()
    author = ChatPersonOutputSerializer(allow_null=True)
    body = serializers.CharField(help_text="Plain text, never HTML. Empty if deleted or hidden.")
    image_url = serializers.CharField(allow_null=True)
    reply_to = ChatReplyOutputSerializer(allow_null=True)
    client_id = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    is_deleted = serializers.BooleanField(help_text='Show "message deleted".')
    is_hidden = serializers.BooleanField(help_text="Hidden by a moderator.")
    reactions = ChatReactionOutputSerializer(many=True)


class ChatMessagePageOutputSerializer(serializers.Serializer):
    results = ChatMessageOutputSerializer(many=True, help_text="Newest first.")
    has_more = serializers.BooleanField()
    next_before = serializers.IntegerField(
        allow_null=True, help_text="Pass as ?before= for the next (older) page; null at the start of the room."
    )


class StaffedOpeningOutputSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday ... 6 = Sunday.")
    day = serializers.CharField(help_text="The weekday's name.")
    opens_at = serializers.CharField(help_text="UK time (Europe/London), HH:MM.")
    closes_at = serializers.CharField(help_text="UK time, HH:MM.")


class ChatRoomOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text=f"One of: {', '.join(RoomKind.values)}.")
    title = serializers.CharField(help_text="The group's name, the event's title, or the other person's name.")
    group_slug = serializers.CharField(allow_null=True)
    event_id = serializers.IntegerField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True, help_text="Event rooms: when members can start posting.")
    closes_at = serializers.DateTimeField(allow_null=True, help_text="Event rooms: read-only after this.")
    other_person = ChatPersonOutputSerializer(allow_null=True)
    direct_status = serializers.ChoiceField(choices=DirectStatus.choices, allow_null=True)
    requested_by = serializers.IntegerField(allow_null=True, help_text="Direct: who asked to talk.")
    # Moderation state (messaging.selectors.room_moderation_state), as `room.updated` sends it.
    slow_mode_seconds = serializers.IntegerField(help_text="0: off. Otherwise one message per this many seconds each.")
    is_locked = serializers.BooleanField(help_text="Paused by a moderator: members read but can't post.")
    staffed_hours_only = serializers.BooleanField(help_text="Members post only in staffed hours or while on duty.")
    open_now = serializers.BooleanField(help_text="False only while a staffed-hours room is closed.")
    next_opening_at = serializers.DateTimeField(allow_null=True, help_text="When a closed room next opens.")
    next_opening_text = serializers.CharField(
        allow_null=True, help_text='The same in words: "Tuesday 2 December at 18:00".'
    )
    open_until = serializers.DateTimeField(allow_null=True, help_text="When the current weekly opening ends.")
    staffed_hours = StaffedOpeningOutputSerializer(many=True)


class ChatRoomListItemOutputSerializer(ChatRoomOutputSerializer):
    unread_count = serializers.IntegerField()
    last_message_id = serializers.IntegerField(allow_null=True)


class ChatRoomDetailOutputSerializer(ChatRoomOutputSerializer):
    can_post = serializers.BooleanField()


class ChatReactionToggleOutputSerializer(serializers.Serializer):
    added = serializers.BooleanField(help_text="True: your reaction is on; false: you took it away.")
    reactions = ChatReactionOutputSerializer(many=True)


class ChatReadOutputSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    last_read_message_id = serializers.IntegerField()
    unread_count = serializers.IntegerField()


# --- input ------------------------------------------------------------------------------------------------------------


class ChatHistoryQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(required=False, min_value=1)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=50)


class ChatMessageSendInputSerializer(serializers.Serializer):
    body = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, default="", help_text="Up to 2,000 characters."
    )
    client_id = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Your app's id for it: a resend isn't stored twice."
    )
    reply_to = serializers.IntegerField(required=False, allow_null=True, default=None)
    image = serializers.FileField(required=False, help_text="JPEG, PNG or WebP (multipart only).")


class ChatMessageEditInputSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class ChatReactionInputSerializer(serializers.Serializer):
    emoji = serializers.CharField(help_text=f"One of {' '.join(REACTIONS)}")


class ChatReadInputSerializer(serializers.Serializer):
    message = serializers.IntegerField(help_text="The newest message you've seen.")


class ChatDirectOpenInputSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()


def _message_data(message_id: int) -> dict:
    return selectors.message_payload(selectors.message_with_details(message_id=message_id))


# --- rooms ------------------------------------------------------------------------------------------------------------


class RoomListApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        operation_id="chat_rooms_list",
        summary="Your chat rooms with unread counts, most recently active first",
        responses={200: ChatRoomListItemOutputSerializer(many=True)},
    )
    def get(self, request):
        rooms_ensure_for_user(user=request.user)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.rooms_for_user(user=request.user), request, view=self)
        data = [
            {
                **selectors.room_payload(room, viewer=request.user),
                "unread_count": room.unread_count,
                "last_message_id": room.last_message_id,
            }
            for room in page
        ]
        return paginator.get_paginated_response(ChatRoomListItemOutputSerializer(data, many=True).data)


class RoomMessagesApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="chat_rooms_messages_list",
        summary="A room's messages, newest first; page back with ?before=<next_before>",
        parameters=[
            ROOM_ID,
            OpenApiParameter("before", OpenApiTypes.INT, description="Only messages older than this id."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"How many (1 to {MAX_PAGE}, default 50)."),
        ],
        responses={200: ChatMessagePageOutputSerializer, **ROOM_REFUSED},
    )
    def get(self, request, room_id: int):
        query = validated(ChatHistoryQuerySerializer, request.query_params)
        room = permissions.access_room(user=request.user, room_id=room_id)
        page = selectors.message_history(
            room=room, viewer=request.user, before=query.get("before"), limit=query["limit"]
        )
        results = [selectors.message_payload(message) for message in page.messages]
        next_before = results[-1]["id"] if page.has_more and results else None
        return Response({"results": results, "has_more": page.has_more, "next_before": next_before})

    @extend_schema(
        tags=TAGS,
        operation_id="chat_rooms_messages_create",
        summary="Send a message (201), or get back the one already stored with this client_id (200)",
        parameters=[ROOM_ID],
        request={
            "application/json": ChatMessageSendInputSerializer,
            "multipart/form-data": ChatMessageSendInputSerializer,
        },
        responses={
            201: ChatMessageOutputSerializer,
            200: ChatMessageOutputSerializer,
            400: OpenApiResponse(
                description="`too_long`, `empty_message`, `invalid_client_id`, `blocked_words`, or a picture problem "
                "(`unsupported_image`, `image_too_large`, `image_too_many_pixels`, `image_unreadable`)."
            ),
            403: OpenApiResponse(description=f"Not allowed to post now: {POSTING_CODES}."),
            404: OpenApiResponse(description="`room_not_found` or `reply_not_found`."),
            429: OpenApiResponse(description="`rate_limited` or `slow_mode` (see `retry_after`)."),
        },
    )
    def post(self, request, room_id: int):
        fields = validated(ChatMessageSendInputSerializer, request.data)
        result = message_send(
            actor=request.user,
            room_id=room_id,
            body=fields["body"],
            client_id=fields["client_id"],
            reply_to_id=fields["reply_to"],
            image=fields.get("image"),
        )
        return Response(
            _message_data(result.message.pk), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


class RoomReadApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="chat_rooms_read",
        summary="Mark a room read up to a message (your other tabs get a room.read frame)",
        parameters=[ROOM_ID],
        request=ChatReadInputSerializer,
        responses={200: ChatReadOutputSerializer, **ROOM_REFUSED},
    )
    def post(self, request, room_id: int):
        fields = validated(ChatReadInputSerializer, request.data)
        state = read_mark(actor=request.user, room_id=room_id, message_id=fields["message"])
        return Response(
            {
                "room": state.room_id,
                "last_read_message_id": state.last_read_message_id,
                "unread_count": state.unread_count,
            }
        )


# --- messages ---------------------------------------------------------------------------------------------------------


class MessageDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="chat_messages_update",
        summary="Change the words of your own message (within the edit window)",
        parameters=[MESSAGE_ID],
        request=ChatMessageEditInputSerializer,
        responses={
            200: ChatMessageOutputSerializer,
            400: OpenApiResponse(description="`too_long`, `empty_message` or `blocked_words`."),
            403: OpenApiResponse(
                description=f"`not_your_message`, `edit_window_closed`, `message_deleted`, or {POSTING_CODES}."
            ),
            404: MESSAGE_NOT_FOUND,
            429: OpenApiResponse(description="`rate_limited`."),
        },
    )
    def patch(self, request, message_id: int):
        fields = validated(ChatMessageEditInputSerializer, request.data)
        message = message_edit(actor=request.user, message_id=message_id, body=fields["body"])
        return Response(_message_data(message.pk))

    @extend_schema(
        tags=TAGS,
        operation_id="chat_messages_destroy",
        summary='Delete your own message (everyone sees "message deleted")',
        parameters=[MESSAGE_ID],
        responses={
            204: OpenApiResponse(description="Deleted."),
            403: OpenApiResponse(description="`not_your_message`."),
            404: MESSAGE_NOT_FOUND,
        },
    )
    def delete(self, request, message_id: int):
        message_delete(actor=request.user, message_id=message_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MessageReactionsApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="chat_messages_reactions_toggle",
        summary="Add your reaction, or take it away if it's already there",
        parameters=[MESSAGE_ID],
        request=ChatReactionInputSerializer,
        responses={
            200: ChatReactionToggleOutputSerializer,
            400: OpenApiResponse(description="`unknown_reaction`."),
            403: OpenApiResponse(description=f"`message_deleted` or {POSTING_CODES}."),
            404: MESSAGE_NOT_FOUND,
            429: OpenApiResponse(description="`rate_limited`."),
        },
    )
    def post(self, request, message_id: int):
        fields = validated(ChatReactionInputSerializer, request.data)
        result = reaction_toggle(actor=request.user, message_id=message_id, emoji=fields["emoji"])
        return Response({"added": result.added, "reactions": result.reactions})


# --- direct conversations ---------------------------------------------------------------------------------------------


def _room_detail(room, request) -> dict:
    return selectors.room_payload(room, viewer=request.user, with_can_post=True)


class DirectOpenApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="chat_direct_open",
        summary="Start a conversation with someone (201), or find the one you have (200)",
        request=ChatDirectOpenInputSerializer,
        responses={
            201: ChatRoomDetailOutputSerializer,
            200: ChatRoomDetailOutputSerializer,
            403: OpenApiResponse(
                description="`dm_off`, `no_shared_group`, `dm_declined`, `not_yourself`, `forbidden`."
            ),
            404: OpenApiResponse(description="`person_not_found`."),
        },
    )
    def post(self, request):
        fields = validated(ChatDirectOpenInputSerializer, request.data)
        result = direct_room_open(actor=request.user, user_id=fields["user_id"])
        return Response(
            _room_detail(result.room, request), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )


DIRECT_ANSWER_RESPONSES = {
    200: ChatRoomDetailOutputSerializer,
    403: OpenApiResponse(description="`not_the_recipient`."),
    404: OpenApiResponse(description="`room_not_found`."),
    409: OpenApiResponse(description="`not_pending` (already answered the other way)."),
}


class DirectAcceptApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="chat_direct_accept",
        summary="Accept a conversation request",
        parameters=[ROOM_ID],
        request=None,
        responses=DIRECT_ANSWER_RESPONSES,
    )
    def post(self, request, room_id: int):
        return Response(_room_detail(direct_accept(actor=request.user, room_id=room_id), request))


class DirectDeclineApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="chat_direct_decline",
        summary="Decline a conversation request (they aren't told why)",
        parameters=[ROOM_ID],
        request=None,
        responses=DIRECT_ANSWER_RESPONSES,
    )
    def post(self, request, room_id: int):
        return Response(_room_detail(direct_decline(actor=request.user, room_id=room_id), request))


urlpatterns = [
    path("rooms/", RoomListApi.as_view(), name="api-chat-rooms"),
    path("rooms/<int:room_id>/messages/", RoomMessagesApi.as_view(), name="api-chat-room-messages"),
    path("rooms/<int:room_id>/read/", RoomReadApi.as_view(), name="api-chat-room-read"),
    path("messages/<int:message_id>/", MessageDetailApi.as_view(), name="api-chat-message"),
    path("messages/<int:message_id>/reactions/", MessageReactionsApi.as_view(), name="api-chat-message-reactions"),
    path("direct/", DirectOpenApi.as_view(), name="api-chat-direct"),
    path("direct/<int:room_id>/accept/", DirectAcceptApi.as_view(), name="api-chat-direct-accept"),
    path("direct/<int:room_id>/decline/", DirectDeclineApi.as_view(), name="api-chat-direct-decline"),
]

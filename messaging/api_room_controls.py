"""Moderators' API for room controls, duty and word lists (/api/v1/moderation/...).

Thin views over messaging.services.moderation.room_controls and .word_lists - the same services the moderator pages
use, so a change made here reaches every socket subscribed to the room (`room.updated`) and every process's word
list. Moderators and staff only (`moderators_only` for anyone else).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.inputs import validated
from community.api.pagination import StandardPagination
from community.permissions import require_can_take_duty
from messaging import permissions, selectors
from messaging.api import ChatRoomOutputSerializer
from messaging.models import WordAction, WordListEntry
from messaging.services.moderation.room_controls import (
    SLOW_MODE_MAX_SECONDS,
    moderator_duty_end,
    moderator_duty_start,
    room_controls_update,
    rooms_ensure_for_moderation,
)
from messaging.services.moderation.word_lists import (
    word_list_entry_add,
    word_list_entry_not_found,
    word_list_entry_remove,
    word_list_entry_update,
    word_list_test,
)

TAGS = ["moderation"]
ROOM_ID = OpenApiParameter("room_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The room's id.")
ENTRY_ID = OpenApiParameter("entry_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The entry's id.")
MODERATORS_ONLY = OpenApiResponse(description="Not a moderator or staff (`moderators_only`).")
ROOM_NOT_FOUND = OpenApiResponse(description="No such room, or a direct conversation (`room_not_found`).")
ENTRY_NOT_FOUND = OpenApiResponse(description="No such entry (`word_not_found`).")
TEST_TEXT_MAX = 2000


# --- rooms ------------------------------------------------------------------------------------------------------------


class StaffedOpeningSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday ... 6 = Sunday.")
    opens_at = serializers.TimeField(format="%H:%M", help_text="UK time (Europe/London), e.g. 18:00.")
    closes_at = serializers.TimeField(format="%H:%M", help_text="After opens_at, up to 23:59.")


class RoomControlsOutputSerializer(ChatRoomOutputSerializer):
    """A room as chat shows it, with its moderation state: the same fields as `details` in the socket's `subscribed`
    frame and `changes` in `room.updated`."""


class RoomControlsInputSerializer(serializers.Serializer):
    slow_mode_seconds = serializers.IntegerField(
        required=False, help_text=f"0 (off) to {SLOW_MODE_MAX_SECONDS}; outside that: `invalid_slow_mode`."
    )
    is_locked = serializers.BooleanField(required=False)
    lock_reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why it is locked or unlocked (audit log only)."
    )
    staffed_hours_only = serializers.BooleanField(required=False)
    staffed_hours = StaffedOpeningSerializer(
        many=True, required=False, help_text="The whole weekly schedule (replaces the one there)."
    )


def _room_data(room, request) -> dict:
    return selectors.room_payload(room, viewer=request.user)


class ModerationRoomListApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_rooms_list",
        summary="Group and event rooms with their controls: controlled ones (locked, slow, staffed) first",
        responses={200: RoomControlsOutputSerializer(many=True), 403: MODERATORS_ONLY},
    )
    def get(self, request):
        permissions.require_moderator(request.user)
        rooms_ensure_for_moderation()
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.rooms_for_moderation(), request, view=self)
        data = [_room_data(room, request) for room in page]
        return paginator.get_paginated_response(RoomControlsOutputSerializer(data, many=True).data)


class ModerationRoomApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_rooms_retrieve",
        summary="A room's slow mode, lock and staffed hours",
        parameters=[ROOM_ID],
        responses={200: RoomControlsOutputSerializer, 403: MODERATORS_ONLY, 404: ROOM_NOT_FOUND},
    )
    def get(self, request, room_id: int):
        room = permissions.access_room_controls(user=request.user, room_id=room_id)
        return Response(RoomControlsOutputSerializer(_room_data(room, request)).data)

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_rooms_update",
        summary="Change slow mode, the lock and staffed hours (all or nothing; left-out fields stay)",
        description="Each change is audited and sent live to the room as `room.updated`. Setting what is already "
        "set changes nothing.",
        parameters=[ROOM_ID],
        request=RoomControlsInputSerializer,
        responses={
            200: RoomControlsOutputSerializer,
            400: OpenApiResponse(
                description="`invalid_slow_mode`, `reason_too_long`, `invalid_staffed_hours`, `staffed_hours_order`, "
                "`staffed_hours_overlap`, `too_many_openings`, `invalid`."
            ),
            403: MODERATORS_ONLY,
            404: ROOM_NOT_FOUND,
        },
    )
    def patch(self, request, room_id: int):
        permissions.require_moderator(request.user)
        fields = validated(RoomControlsInputSerializer, request.data)
        openings = fields.get("staffed_hours")
        room = room_controls_update(
            actor=request.user,
            room_id=room_id,
            slow_mode_seconds=fields.get("slow_mode_seconds"),
            is_locked=fields.get("is_locked"),
            lock_reason=fields["lock_reason"],
            staffed_hours_only=fields.get("staffed_hours_only"),
            openings=None if openings is None else [(o["weekday"], o["opens_at"], o["closes_at"]) for o in openings],
        )
        room = permissions.access_room_controls(user=request.user, room_id=room.pk)
        return Response(RoomControlsOutputSerializer(_room_data(room, request)).data)


# --- duty -------------------------------------------------------------------------------------------------------------


class DutyPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class DutyOutputSerializer(serializers.Serializer):
    on_duty = serializers.BooleanField(help_text="Whether you are on duty.")
    started_at = serializers.DateTimeField(allow_null=True, help_text="Since when (null when off duty).")
    moderators_on_duty = DutyPersonSerializer(many=True, help_text="Everyone on duty now, you included.")


class DutyApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_duty_retrieve",
        summary="Whether you are on duty, and who is",
        responses={200: DutyOutputSerializer, 403: MODERATORS_ONLY},
    )
    def get(self, request):
        require_can_take_duty(request.user)
        return Response(selectors.duty_payload(user=request.user))

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_duty_start",
        summary="Go on duty (rooms with staffed hours open while anyone is); again changes nothing",
        request=None,
        responses={200: DutyOutputSerializer, 403: MODERATORS_ONLY},
    )
    def post(self, request):
        moderator_duty_start(actor=request.user)
        return Response(selectors.duty_payload(user=request.user))

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_duty_end",
        summary="Go off duty; again changes nothing",
        request=None,
        responses={200: DutyOutputSerializer, 403: MODERATORS_ONLY},
    )
    def delete(self, request):
        moderator_duty_end(actor=request.user)
        return Response(selectors.duty_payload(user=request.user))


# --- word lists -------------------------------------------------------------------------------------------------------


class WordListEntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phrase = serializers.CharField()
    action = serializers.ChoiceField(choices=WordAction.choices)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WordListEntryInputSerializer(serializers.Serializer):
    phrase = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="1 to 120 characters; a trailing * matches any ending."
    )
    action = serializers.CharField(help_text="`block`, `hold` or `flag`.")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why (moderators only).")


class WordListEntryUpdateInputSerializer(serializers.Serializer):
    phrase = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    action = serializers.CharField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class WordListTestInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=TEST_TEXT_MAX)


class WordListMatchOutputSerializer(serializers.Serializer):
    phrase = serializers.CharField()
    action = serializers.ChoiceField(choices=WordAction.choices)


class CrisisResultOutputSerializer(serializers.Serializer):
    is_crisis = serializers.BooleanField()
    categories = serializers.ListField(child=serializers.CharField())
    matched = serializers.ListField(child=serializers.CharField())


class WordListTestOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    normalised = serializers.CharField(help_text="The words as the matcher reads them.")
    matches = WordListMatchOutputSerializer(many=True)
    action = serializers.CharField(help_text="The strongest match: `block`, `hold`, `flag`, or empty.")
    outcome = serializers.CharField(help_text='What would happen, e.g. "held for review".')
    crisis = CrisisResultOutputSerializer(allow_null=True, help_text="The crisis-language check (null if not run).")


WORD_LIST_INPUT_ERRORS = OpenApiResponse(
    description="`phrase_empty`, `phrase_too_long`, `invalid_word_action`, `note_too_long`, `invalid`."
)


def _entry_data(entry: WordListEntry) -> dict:
    return WordListEntryOutputSerializer(entry).data


class WordListApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_word_list_list",
        summary="Every word-list entry: blocks, then holds, then flags",
        responses={200: WordListEntryOutputSerializer(many=True), 403: MODERATORS_ONLY},
    )
    def get(self, request):
        permissions.require_moderator(request.user)
        return Response([_entry_data(entry) for entry in selectors.word_list_entries()])

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_word_list_create",
        summary="Add a word or phrase (audited; every chat message is checked against it at once)",
        request=WordListEntryInputSerializer,
        responses={
            201: WordListEntryOutputSerializer,
            400: WORD_LIST_INPUT_ERRORS,
            403: MODERATORS_ONLY,
            409: OpenApiResponse(description="`phrase_exists`: an entry already matches the same words."),
        },
    )
    def post(self, request):
        permissions.require_moderator(request.user)
        fields = validated(WordListEntryInputSerializer, request.data)
        entry = word_list_entry_add(
            actor=request.user, phrase=fields["phrase"], action=fields["action"], note=fields["note"]
        )
        return Response(_entry_data(entry), status=status.HTTP_201_CREATED)


class WordListEntryApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_word_list_retrieve",
        summary="One word-list entry",
        parameters=[ENTRY_ID],
        responses={200: WordListEntryOutputSerializer, 403: MODERATORS_ONLY, 404: ENTRY_NOT_FOUND},
    )
    def get(self, request, entry_id: int):
        permissions.require_moderator(request.user)
        entry = selectors.word_list_entry(entry_id=entry_id)
        if entry is None:
            raise word_list_entry_not_found()
        return Response(_entry_data(entry))

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_word_list_update",
        summary="Change an entry's phrase, action or note (left-out fields stay)",
        parameters=[ENTRY_ID],
        request=WordListEntryUpdateInputSerializer,
        responses={
            200: WordListEntryOutputSerializer,
            400: WORD_LIST_INPUT_ERRORS,
            403: MODERATORS_ONLY,
            404: ENTRY_NOT_FOUND,
            409: OpenApiResponse(description="`phrase_exists`."),
        },
    )
    def patch(self, request, entry_id: int):
        permissions.require_moderator(request.user)
        fields = validated(WordListEntryUpdateInputSerializer, request.data)
        entry = word_list_entry_update(actor=request.user, entry_id=entry_id, **fields)
        return Response(_entry_data(entry))

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_word_list_destroy",
        summary="Take an entry off the list (again: still 204)",
        parameters=[ENTRY_ID],
        responses={204: OpenApiResponse(description="Removed (or already gone)."), 403: MODERATORS_ONLY},
    )
    def delete(self, request, entry_id: int):
        word_list_entry_remove(actor=request.user, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WordListTestApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_word_list_test",
        summary="Test a text: what the word lists and the crisis-language check would do with it (nothing is sent)",
        request=WordListTestInputSerializer,
        responses={
            200: WordListTestOutputSerializer,
            400: OpenApiResponse(description="`invalid`."),
            403: MODERATORS_ONLY,
        },
    )
    def post(self, request):
        permissions.require_moderator(request.user)
        fields = validated(WordListTestInputSerializer, request.data)
        result = word_list_test(text=fields["text"])
        return Response(
            {
                "text": result.text,
                "normalised": result.normalised,
                "matches": [{"phrase": m.phrase, "action": m.action} for m in result.matches],
                "action": result.action,
                "outcome": result.outcome,
                "crisis": result.crisis,
            }
        )


urlpatterns = [
    path("moderation/rooms/", ModerationRoomListApi.as_view(), name="api-moderation-rooms"),
    path("moderation/rooms/<int:room_id>/", ModerationRoomApi.as_view(), name="api-moderation-room"),
    path("moderation/duty/", DutyApi.as_view(), name="api-moderation-duty"),
    path("moderation/word-list/", WordListApi.as_view(), name="api-moderation-word-list"),
    path("moderation/word-list/test/", WordListTestApi.as_view(), name="api-moderation-word-list-test"),
    path("moderation/word-list/<int:entry_id>/", WordListEntryApi.as_view(), name="api-moderation-word-list-entry"),
]

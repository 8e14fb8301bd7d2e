"""Moderation API (/api/v1/moderation/...): the queue, a case with its context, claiming and resolving, private
notes, actions on messages, sanctions, and the audit log (JSON pages or CSV).

Moderators and staff only (`moderators_only` for everyone else; not logged in: 401). Thin views over
messaging.selectors_moderation and messaging.services.moderation - the same ones the moderators' pages use.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.inputs import ID_MAX, validated
from community.api.pagination import StandardPagination
from community.errors import InvalidInput, NotFound
from community.models import User
from messaging import permissions
from messaging import selectors_moderation as moderation
from messaging.models import CaseOutcome, Message, Sanction, SanctionKind
from messaging.services.moderation.actions import (
    held_message_approve,
    held_message_reject,
    message_hide,
    message_remove,
    message_restore,
)
from messaging.services.moderation.case_review import case_claim, case_release, case_resolve, moderator_note_add
from messaging.services.moderation.sanctions import (
    MUTE_MINUTES_MAX,
    SUSPEND_HOURS_MAX,
    member_ban_from_group,
    member_mute_in_room,
    member_silence,
    member_suspend,
    member_warn,
    sanction_lift,
)

TAGS = ["moderation"]
REFUSED = {
    401: OpenApiResponse(description="Not logged in (`not_authenticated`)."),
    403: OpenApiResponse(description="Moderators and staff only (`moderators_only`)."),
}
CASE_ID = OpenApiParameter("case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The case's id.")
USER_ID = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The person's id.")
MESSAGE_ID = OpenApiParameter("message_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The message's id.")
MESSAGE_ACTIONS = ("hide", "restore", "remove", "approve", "reject")
SANCTION_KINDS = "One of: " + ", ".join(SanctionKind.values) + "."


def _moderators_only(request) -> None:
    permissions.require_moderator(request.user)


# --- shapes -----------------------------------------------------------------------------------------------------------


def person_out(user: User | None) -> dict | None:
    return None if user is None else {"id": user.pk, "display_name": user.display_name}


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def queue_item_out(item: moderation.QueueItem) -> dict:
    return {
        "kind": item.kind,
        "id": item.id,
        "is_safeguarding": item.is_safeguarding,
        "title": item.title,
        "reasons": item.reasons,
        "report_count": item.report_count,
        "subject": person_out(item.subject),
        "room": item.room_id,
        "message": item.message_id,
        "is_held": item.is_held,
        "created_at": _iso(item.created_at),
        "due_at": _iso(item.due_at),
        "is_overdue": item.is_overdue(),
        "escalated_at": _iso(item.escalated_at),
        "claimed_by": person_out(item.claimed_by),
    }


def context_message_out(message: Message, *, focus_id: int | None = None) -> dict:
    """A message as moderators see it: its words even if hidden or held."""
    return {
        "id": message.pk,
        "room": message.room_id,
        "author": person_out(message.author),
        "body": message.body,
        "created_at": _iso(message.created_at),
        "is_deleted": message.is_deleted,
        "is_hidden": message.is_hidden,
        "hidden_reason": message.hidden_reason or None,
        "is_held": message.is_held,
        "held_reason": message.held_reason or None,
        "is_reported": message.pk == focus_id,
    }


def sanction_out(sanction: Sanction) -> dict:
    return {
        "id": sanction.pk,
        "kind": sanction.kind,
        "user": sanction.user_id,
        "room": sanction.room_id,
        "group_slug": sanction.group.slug if sanction.group_id else None,
        "case": sanction.case_id,
        "reason": sanction.reason,
        "starts_at": _iso(sanction.starts_at),
        "ends_at": _iso(sanction.ends_at),
        "lifted_at": _iso(sanction.lifted_at),
        "in_force": sanction.is_in_force(),
        "created_by": person_out(sanction.created_by),
    }


def history_out(history: moderation.PersonHistory) -> dict:
    return {
        "person": person_out(history.person),
        "cases": [
            {
                "id": case.pk,
                "kind": case.kind,
                "status": case.status,
                "outcome": case.outcome or None,
                "report_count": case.report_count,
                "created_at": _iso(case.created_at),
            }
            for case in history.cases
        ],
        "sanctions": [sanction_out(sanction) for sanction in history.sanctions],
        "notes": [
            {
                "id": note.pk,
                "author": person_out(note.author),
                "case": note.case_id,
                "body": note.body,
                "created_at": _iso(note.created_at),
            }
            for note in history.notes
        ],
    }


def case_detail_out(detail: moderation.CaseDetail) -> dict:
    case = detail.case
    return {
        "id": case.pk,
        "kind": case.kind,
        "status": case.status,
        "is_safeguarding": case.is_safeguarding,
        "subject": person_out(case.subject),
        "room": case.room_id,
        "event": case.event_id,
        "message": context_message_out(case.message) if case.message else None,
        "created_at": _iso(case.created_at),
        "due_at": _iso(case.due_at),
        "escalated_at": _iso(case.escalated_at),
        "claimed_by": person_out(case.claimed_by),
        "resolved_by": person_out(case.resolved_by),
        "outcome": case.outcome or None,
        "outcome_note": case.outcome_note,
        "reports": [
            {
                "id": report.pk,
                "reason": report.reason,
                "reason_label": report.get_reason_display(),
                "note": report.note,
                "matched": report.matched or None,
                "reporter": person_out(report.reporter),
                "created_at": _iso(report.created_at),
            }
            for report in detail.reports
        ],
        "context": [context_message_out(m, focus_id=case.message_id) for m in detail.context],
        "earlier_words": [
            {"kind": edit.kind, "previous_body": edit.previous_body, "edited_at": _iso(edit.edited_at)}
            for edit in detail.earlier_words
        ],
        "history": history_out(detail.history),
    }


def audit_entry_out(entry) -> dict:
    return {
        "id": entry.pk,
        "created_at": _iso(entry.created_at),
        "actor": person_out(entry.actor),
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "group_slug": entry.group.slug if entry.group_id else None,
        "data": entry.data,
    }


# --- serializers (input, and output for the schema) -------------------------------------------------------------------


class ModerationPersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class ModerationQueueItemOutputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text='"case", or "concern" (a safeguarding concern).')
    id = serializers.IntegerField()
    is_safeguarding = serializers.BooleanField()
    title = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    report_count = serializers.IntegerField()
    subject = ModerationPersonOutputSerializer(allow_null=True)
    room = serializers.IntegerField(allow_null=True)
    message = serializers.IntegerField(allow_null=True)
    is_held = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    is_overdue = serializers.BooleanField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    claimed_by = ModerationPersonOutputSerializer(allow_null=True)


class ModerationQueueCountsOutputSerializer(serializers.Serializer):
    all = serializers.IntegerField()
    safeguarding = serializers.IntegerField()
    mine = serializers.IntegerField()
    unclaimed = serializers.IntegerField()


class ModerationQueueOutputSerializer(serializers.Serializer):
    filter = serializers.CharField(help_text="all, safeguarding, mine or unclaimed")
    counts = ModerationQueueCountsOutputSerializer()
    results = ModerationQueueItemOutputSerializer(
        many=True, help_text="Safeguarding items first, newest first within each."
    )


class ModerationQueueQuerySerializer(serializers.Serializer):
    filter = serializers.ChoiceField(choices=moderation.QUEUE_FILTERS, required=False, default="all")


class ModerationContextMessageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = serializers.IntegerField()
    author = ModerationPersonOutputSerializer(allow_null=True)
    body = serializers.CharField(help_text="The words, even if hidden or held (moderators only).")
    created_at = serializers.DateTimeField()
    is_deleted = serializers.BooleanField()
    is_hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField(allow_null=True)
    is_held = serializers.BooleanField()
    held_reason = serializers.CharField(allow_null=True)
    is_reported = serializers.BooleanField(help_text="The message this case is about.")


class ModerationSanctionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text=SANCTION_KINDS)
    user = serializers.IntegerField()
    room = serializers.IntegerField(allow_null=True)
    group_slug = serializers.CharField(allow_null=True)
    case = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True, help_text="Null: until lifted.")
    lifted_at = serializers.DateTimeField(allow_null=True)
    in_force = serializers.BooleanField()
    created_by = ModerationPersonOutputSerializer(allow_null=True)


class ModerationHistoryCaseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    outcome = serializers.CharField(allow_null=True)
    report_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ModerationNoteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = ModerationPersonOutputSerializer(allow_null=True)
    case = serializers.IntegerField(allow_null=True)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ModerationHistoryOutputSerializer(serializers.Serializer):
    person = ModerationPersonOutputSerializer(allow_null=True)
    cases = ModerationHistoryCaseOutputSerializer(many=True, help_text="Earlier cases about them, newest first.")
    sanctions = ModerationSanctionOutputSerializer(many=True)
    notes = ModerationNoteOutputSerializer(many=True, help_text="Private to moderators and staff.")


class ModerationReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    note = serializers.CharField()
    matched = serializers.CharField(allow_null=True)
    reporter = ModerationPersonOutputSerializer(allow_null=True, help_text="Null: raised by the product itself.")
    created_at = serializers.DateTimeField()


class ModerationEarlierWordsOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    previous_body = serializers.CharField()
    edited_at = serializers.DateTimeField()


class ModerationCaseDetailOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    is_safeguarding = serializers.BooleanField()
    subject = ModerationPersonOutputSerializer(allow_null=True)
    room = serializers.IntegerField(allow_null=True)
    event = serializers.IntegerField(allow_null=True)
    message = ModerationContextMessageOutputSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    claimed_by = ModerationPersonOutputSerializer(allow_null=True)
    resolved_by = ModerationPersonOutputSerializer(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    outcome_note = serializers.CharField()
    reports = ModerationReportOutputSerializer(many=True)
    context = ModerationContextMessageOutputSerializer(many=True, help_text="Up to 5 messages before and 5 after.")
    earlier_words = ModerationEarlierWordsOutputSerializer(many=True)
    history = ModerationHistoryOutputSerializer()


class ModerationCaseClaimInputSerializer(serializers.Serializer):
    take_over = serializers.BooleanField(required=False, default=False)


class ModerationCaseResolveInputSerializer(serializers.Serializer):
    outcome = serializers.CharField(help_text=f"One of: {', '.join(CaseOutcome.values)}.")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Private to moderators.")


class ModerationCaseStateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    claimed_by = ModerationPersonOutputSerializer(allow_null=True)
    outcome = serializers.CharField(allow_null=True)


class ModerationNoteInputSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    case_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class ModerationReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


@extend_schema_field(OpenApiTypes.INT)
class RawNumberField(serializers.Field):
    """Passed to the service as sent, so a decimal or a string gets the service's `invalid_duration`."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


class ModerationSanctionInputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=SANCTION_KINDS)
    user_id = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="Shown to the person.")
    minutes = RawNumberField(
        required=False, allow_null=True, help_text=f"room_mute and silence: 1 to {MUTE_MINUTES_MAX:,}."
    )
    hours = RawNumberField(
        required=False, allow_null=True, help_text=f"suspend: 1 to {SUSPEND_HOURS_MAX:,}, or null until lifted."
    )
    room_id = serializers.IntegerField(required=False, help_text="room_mute: the room.")
    group_slug = serializers.CharField(required=False, help_text="group_ban: the group.")
    case_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class ModerationSanctionQuerySerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    in_force = serializers.BooleanField(required=False, default=False)


class ModerationAuditQuerySerializer(serializers.Serializer):
    actor = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="Who did it (a person's id)."
    )
    person = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="Whom it was about (a person's id)."
    )
    target_type = serializers.CharField(required=False, max_length=40, help_text='e.g. "messaging.message".')
    target_id = serializers.CharField(required=False, max_length=40)
    action = serializers.CharField(required=False, max_length=60, help_text='Exact, or a prefix ending in "."')
    date_from = serializers.DateField(required=False, help_text="From this day (London time).")
    date_to = serializers.DateField(required=False, help_text="Up to and including this day.")

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["The end date is before the start date."]})
        return attrs


class ModerationAuditEntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    actor = ModerationPersonOutputSerializer(
        allow_null=True, help_text="Null: the system (escalation, automatic hiding)."
    )
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    group_slug = serializers.CharField(allow_null=True)
    data = serializers.DictField(help_text="Before and after, the reason, and ids.")


def audit_filters(query: dict) -> moderation.AuditFilters:
    return moderation.AuditFilters(
        actor_id=query.get("actor"),
        person_id=query.get("person"),
        target_type=query.get("target_type", ""),
        target_id=query.get("target_id", ""),
        action=query.get("action", ""),
        date_from=query.get("date_from"),
        date_to=query.get("date_to"),
    )


AUDIT_PARAMETERS = [
    OpenApiParameter("actor", OpenApiTypes.INT, description="Who did it (a person's id)."),
    OpenApiParameter("person", OpenApiTypes.INT, description="Whom it was about (a person's id)."),
    OpenApiParameter("target_type", OpenApiTypes.STR, description='e.g. "messaging.message".'),
    OpenApiParameter("target_id", OpenApiTypes.STR),
    OpenApiParameter("action", OpenApiTypes.STR, description='An action, or a prefix ending in "." ("sanction.").'),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
]


# --- the queue and cases ----------------------------------------------------------------------------------------------


class QueueApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_queue",
        summary="Open cases and safeguarding concerns, safeguarding first, with counts per filter",
        parameters=[OpenApiParameter("filter", OpenApiTypes.STR, enum=list(moderation.QUEUE_FILTERS))],
        responses={200: ModerationQueueOutputSerializer, **REFUSED},
    )
    def get(self, request):
        _moderators_only(request)
        query = validated(ModerationQueueQuerySerializer, request.query_params)
        queue = moderation.moderation_queue(viewer=request.user, chosen=query["filter"])
        return Response(
            {"filter": queue.chosen, "counts": queue.counts, "results": [queue_item_out(i) for i in queue.items]}
        )


def _case_state(case) -> dict:
    return {
        "id": case.pk,
        "status": case.status,
        "claimed_by": person_out(case.claimed_by),
        "outcome": case.outcome or None,
    }


class CaseDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_case",
        summary="A case with its reports, the messages around it and the person's history",
        parameters=[CASE_ID],
        responses={
            200: ModerationCaseDetailOutputSerializer,
            **REFUSED,
            404: OpenApiResponse(description="`case_not_found`."),
        },
    )
    def get(self, request, case_id: int):
        _moderators_only(request)
        detail = moderation.case_detail(case_id=case_id)
        if detail is None:
            raise NotFound("We couldn't find that case.", code="case_not_found")
        return Response(case_detail_out(detail))


CASE_CHANGE_RESPONSES = {
    200: ModerationCaseStateOutputSerializer,
    **REFUSED,
    404: OpenApiResponse(description="`case_not_found`."),
}


class CaseClaimApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_case_claim",
        summary="Say you're handling a case (take_over: even if someone else claimed it)",
        parameters=[CASE_ID],
        request=ModerationCaseClaimInputSerializer,
        responses={
            **CASE_CHANGE_RESPONSES,
            409: OpenApiResponse(description="`already_claimed` (send take_over) or `case_resolved`."),
        },
    )
    def post(self, request, case_id: int):
        _moderators_only(request)
        fields = validated(ModerationCaseClaimInputSerializer, request.data)
        case = case_claim(actor=request.user, case_id=case_id, take_over=fields["take_over"])
        return Response(_case_state(case))


class CaseReleaseApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_case_release",
        summary="Put a claimed case back in the queue",
        parameters=[CASE_ID],
        request=None,
        responses=CASE_CHANGE_RESPONSES,
    )
    def post(self, request, case_id: int):
        _moderators_only(request)
        return Response(_case_state(case_release(actor=request.user, case_id=case_id)))


class CaseResolveApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_case_resolve",
        summary="Resolve a case with an outcome (reporters are told; resolving twice changes nothing)",
        parameters=[CASE_ID],
        request=ModerationCaseResolveInputSerializer,
        responses={
            **CASE_CHANGE_RESPONSES,
            400: OpenApiResponse(description="`invalid_outcome` or `note_too_long`."),
        },
    )
    def post(self, request, case_id: int):
        _moderators_only(request)
        fields = validated(ModerationCaseResolveInputSerializer, request.data)
        case = case_resolve(actor=request.user, case_id=case_id, outcome=fields["outcome"], note=fields["note"])
        return Response(_case_state(case))


# --- people and notes -------------------------------------------------------------------------------------------------


def _person(user_id: int) -> User:
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise NotFound("We couldn't find that person.", code="person_not_found")
    return person


class PersonHistoryApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_person",
        summary="A person's moderation history: cases about them, sanctions, private notes",
        parameters=[USER_ID],
        responses={
            200: ModerationHistoryOutputSerializer,
            **REFUSED,
            404: OpenApiResponse(description="`person_not_found`."),
        },
    )
    def get(self, request, user_id: int):
        _moderators_only(request)
        return Response(history_out(moderation.person_history(person=_person(user_id))))


class PersonNotesApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_person_note_add",
        summary="Add a private note about a person (moderators and staff only ever see it)",
        parameters=[USER_ID],
        request=ModerationNoteInputSerializer,
        responses={
            201: ModerationNoteOutputSerializer,
            400: OpenApiResponse(description="`note_empty` or `note_too_long`."),
            **REFUSED,
            404: OpenApiResponse(description="`person_not_found` or `case_not_found`."),
        },
    )
    def post(self, request, user_id: int):
        _moderators_only(request)
        fields = validated(ModerationNoteInputSerializer, request.data)
        note = moderator_note_add(
            actor=request.user, subject_id=user_id, body=fields["body"], case_id=fields["case_id"]
        )
        body = {
            "id": note.pk,
            "author": person_out(note.author),
            "case": note.case_id,
            "body": note.body,
            "created_at": _iso(note.created_at),
        }
        return Response(body, status=status.HTTP_201_CREATED)


# --- messages ---------------------------------------------------------------------------------------------------------


class MessageActionApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_message_action",
        summary="Hide, restore, remove, approve (held) or reject (held) a message; acting twice changes nothing",
        parameters=[
            MESSAGE_ID,
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(MESSAGE_ACTIONS)),
        ],
        request=ModerationReasonInputSerializer,
        responses={
            200: ModerationContextMessageOutputSerializer,
            400: OpenApiResponse(description="`reason_required` (hide, remove, reject) or `reason_too_long`."),
            **REFUSED,
            404: OpenApiResponse(description="`message_not_found`, or an unknown action (`not_found`)."),
            409: OpenApiResponse(description="`message_removed`, `already_rejected` or `not_held`."),
        },
    )
    def post(self, request, message_id: int, action: str):
        _moderators_only(request)
        if action not in MESSAGE_ACTIONS:
            raise NotFound("There's no such moderator action.", code="not_found")
        reason = validated(ModerationReasonInputSerializer, request.data)["reason"]
        actor = request.user
        if action == "hide":
            message = message_hide(actor=actor, message_id=message_id, reason=reason)
        elif action == "restore":
            message = message_restore(actor=actor, message_id=message_id, reason=reason)
        elif action == "remove":
            message = message_remove(actor=actor, message_id=message_id, reason=reason)
        elif action == "approve":
            message = held_message_approve(actor=actor, message_id=message_id)
        else:
            message = held_message_reject(actor=actor, message_id=message_id, reason=reason)
        message = Message.objects.select_related("author").get(pk=message.pk)
        return Response(context_message_out(message))


# --- sanctions --------------------------------------------------------------------------------------------------------


def sanction_create(*, actor: User, fields: dict) -> Sanction:
    """Route a sanction request (API or page) to its service. An unknown kind, or a missing room or group:
    `invalid`."""
    kind, user_id, reason, case_id = fields["kind"], fields["user_id"], fields["reason"], fields.get("case_id")
    if kind not in SanctionKind.values:
        raise InvalidInput(SANCTION_KINDS, code="invalid", fields={"kind": [SANCTION_KINDS]})
    if kind == SanctionKind.WARN:
        return member_warn(actor=actor, user_id=user_id, reason=reason, case_id=case_id)
    if kind == SanctionKind.ROOM_MUTE:
        if fields.get("room_id") is None:
            raise InvalidInput("Choose the room to mute them in.", code="invalid", fields={"room_id": ["Needed."]})
        return member_mute_in_room(
            actor=actor,
            user_id=user_id,
            room_id=fields["room_id"],
            minutes=fields.get("minutes"),
            reason=reason,
            case_id=case_id,
        )
    if kind == SanctionKind.SILENCE:
        return member_silence(
            actor=actor, user_id=user_id, minutes=fields.get("minutes"), reason=reason, case_id=case_id
        )
    if kind == SanctionKind.SUSPEND:
        return member_suspend(actor=actor, user_id=user_id, hours=fields.get("hours"), reason=reason, case_id=case_id)
    if not fields.get("group_slug"):
        raise InvalidInput("Choose the group to ban them from.", code="invalid", fields={"group_slug": ["Needed."]})
    return member_ban_from_group(
        actor=actor, user_id=user_id, group_slug=fields["group_slug"], reason=reason, case_id=case_id
    )


def _sanctions_queryset():
    return Sanction.objects.select_related("group", "created_by").order_by("-starts_at", "-id")


class SanctionListApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_sanctions_list",
        summary="Sanctions, newest first (?user= one person's; ?in_force=true only those in force)",
        parameters=[
            OpenApiParameter("user", OpenApiTypes.INT),
            OpenApiParameter("in_force", OpenApiTypes.BOOL),
        ],
        responses={200: ModerationSanctionOutputSerializer(many=True), **REFUSED},
    )
    def get(self, request):
        _moderators_only(request)
        query = validated(ModerationSanctionQuerySerializer, request.query_params)
        sanctions = _sanctions_queryset()
        if query.get("user"):
            sanctions = sanctions.filter(user_id=query["user"])
        if query["in_force"]:
            now = timezone.now()
            sanctions = sanctions.filter(lifted_at__isnull=True, starts_at__lte=now).exclude(ends_at__lte=now)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(sanctions, request, view=self)
        return paginator.get_paginated_response([sanction_out(sanction) for sanction in page])

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_sanctions_create",
        summary="Warn, mute in a room, silence, suspend or ban from a group (the same again changes nothing)",
        request=ModerationSanctionInputSerializer,
        responses={
            201: ModerationSanctionOutputSerializer,
            400: OpenApiResponse(description="`invalid_duration`, `reason_required`, `invalid`."),
            401: REFUSED[401],
            403: OpenApiResponse(
                description="`moderators_only`, `not_yourself`, `cannot_sanction_staff`, `cannot_sanction_moderator`, "
                "`cannot_sanction_evaluator`, `cannot_remove_leader`."
            ),
            404: OpenApiResponse(
                description="`person_not_found`, `room_not_found`, `group_not_found`, `case_not_found`."
            ),
        },
    )
    def post(self, request):
        _moderators_only(request)
        fields = validated(ModerationSanctionInputSerializer, request.data)
        sanction = sanction_create(actor=request.user, fields=fields)
        sanction = _sanctions_queryset().get(pk=sanction.pk)
        return Response(sanction_out(sanction), status=status.HTTP_201_CREATED)


class SanctionLiftApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_sanctions_lift",
        summary="Lift a sanction now (lifting twice changes nothing)",
        parameters=[OpenApiParameter("sanction_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=ModerationReasonInputSerializer,
        responses={
            200: ModerationSanctionOutputSerializer,
            400: OpenApiResponse(description="`reason_required`."),
            **REFUSED,
            404: OpenApiResponse(description="`sanction_not_found`."),
        },
    )
    def post(self, request, sanction_id: int):
        _moderators_only(request)
        reason = validated(ModerationReasonInputSerializer, request.data)["reason"]
        sanction = sanction_lift(actor=request.user, sanction_id=sanction_id, reason=reason)
        return Response(sanction_out(_sanctions_queryset().get(pk=sanction.pk)))


# --- the audit log ----------------------------------------------------------------------------------------------------


class AuditLogApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        operation_id="moderation_audit_log",
        summary="The audit log, newest first, filtered (the same filters as audit.csv)",
        parameters=AUDIT_PARAMETERS,
        responses={200: ModerationAuditEntryOutputSerializer(many=True), **REFUSED},
    )
    def get(self, request):
        _moderators_only(request)
        filters = audit_filters(validated(ModerationAuditQuerySerializer, request.query_params))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(moderation.audit_entries(filters=filters), request, view=self)
        return paginator.get_paginated_response([audit_entry_out(entry) for entry in page])


def audit_csv_response(entries) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(moderation.audit_csv_rows(entries))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


class AuditLogCsvApi(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="moderation_audit_log_csv",
        summary="The filtered audit log as a CSV file",
        parameters=AUDIT_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.STR, **REFUSED},
    )
    def get(self, request):
        _moderators_only(request)
        filters = audit_filters(validated(ModerationAuditQuerySerializer, request.query_params))
        return audit_csv_response(moderation.audit_entries(filters=filters))


urlpatterns = [
    path("moderation/queue/", QueueApi.as_view(), name="api-moderation-queue"),
    path("moderation/cases/<int:case_id>/", CaseDetailApi.as_view(), name="api-moderation-case"),
    path("moderation/cases/<int:case_id>/claim/", CaseClaimApi.as_view(), name="api-moderation-case-claim"),
    path("moderation/cases/<int:case_id>/release/", CaseReleaseApi.as_view(), name="api-moderation-case-release"),
    path("moderation/cases/<int:case_id>/resolve/", CaseResolveApi.as_view(), name="api-moderation-case-resolve"),
    path("moderation/people/<int:user_id>/", PersonHistoryApi.as_view(), name="api-moderation-person"),
    path("moderation/people/<int:user_id>/notes/", PersonNotesApi.as_view(), name="api-moderation-person-notes"),
    path(
        "moderation/messages/<int:message_id>/<slug:action>/",
        MessageActionApi.as_view(),
        name="api-moderation-message-action",
    ),
    path("moderation/sanctions/", SanctionListApi.as_view(), name="api-moderation-sanctions"),
    path("moderation/sanctions/<int:sanction_id>/lift/", SanctionLiftApi.as_view(), name="api-moderation-lift"),
    path("moderation/audit/", AuditLogApi.as_view(), name="api-moderation-audit"),
    path("moderation/audit.csv", AuditLogCsvApi.as_view(), name="api-moderation-audit-csv"),
]

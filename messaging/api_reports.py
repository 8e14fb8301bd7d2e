"""Reports API: report a message, a person or an event, and list your own reports with what happened.

Thin views over messaging.services.moderation.reports and messaging.selectors_reports, the same as the pages.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.pagination import StandardPagination
from messaging import selectors_reports
from messaging.models import CaseKind
from messaging.models_moderation import MEMBER_REASONS
from messaging.services.moderation import reports

TAGS = ["reports"]
REASONS = ", ".join(f"`{reason.value}`" for reason in MEMBER_REASONS)


class ReportInputSerializer(serializers.Serializer):
    # Checked by the service, which answers with specific codes (invalid_reason, note_too_long).
    reason = serializers.CharField(help_text=f"One of {REASONS}.")
    note = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Optional, up to 1,000 characters."
    )


class ReportMadeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Your report's id (the same if you had already reported it).")
    status = serializers.CharField(help_text="`open` (waiting for a moderator) or `looked_at`.")
    detail = serializers.CharField(help_text="Kind words to show: a moderator will look, and you'll hear back.")


class MyReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    about = serializers.CharField(help_text='What you reported, in words ("A message from Kai").')
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="`open` (waiting for a moderator) or `looked_at`.")
    outcome = serializers.CharField(
        allow_null=True, help_text="What happened, in plain words, once looked at (never details about anyone)."
    )


def _input(request: Request) -> dict:
    serializer = ReportInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return {"reason": serializer.validated_data["reason"], "note": serializer.validated_data.get("note", "")}


def _answer(made: reports.ReportMade) -> Response:
    body = {
        "id": made.report.pk,
        "status": "open" if made.case.status == "open" else "looked_at",
        "detail": made.detail,
    }
    return Response(body, status=status.HTTP_201_CREATED if made.created else status.HTTP_200_OK)


def _report_schema(what: str, path_name: str, not_found: str):
    return extend_schema(
        tags=TAGS,
        summary=f"Report {what} to the moderators (201; 200 if you had already reported it)",
        description="The person reported is never told who reported them. A message reported by "
        "HN_REPORTS_TO_HIDE (3) different people is hidden until a moderator looks.",
        parameters=[OpenApiParameter(path_name, OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=ReportInputSerializer,
        responses={
            201: ReportMadeOutputSerializer,
            200: ReportMadeOutputSerializer,
            400: OpenApiResponse(description="`invalid_reason`, `note_too_long`, `not_yourself`, `invalid`."),
            404: OpenApiResponse(description=f"Nothing you can see (`{not_found}`)."),
            429: OpenApiResponse(description="More than HN_REPORTS_PER_HOUR (30) reports in an hour (`rate_limited`)."),
        },
    )


class MessageReportApi(APIView):
    @_report_schema("a message", "message_id", "message_not_found")
    def post(self, request: Request, message_id: int) -> Response:
        return _answer(reports.report_message(actor=request.user, message_id=message_id, **_input(request)))


class PersonReportApi(APIView):
    @_report_schema("a person", "user_id", "person_not_found")
    def post(self, request: Request, user_id: int) -> Response:
        return _answer(reports.report_person(actor=request.user, user_id=user_id, **_input(request)))


class EventReportApi(APIView):
    @_report_schema("an event", "event_id", "event_not_found")
    def post(self, request: Request, event_id: int) -> Response:
        return _answer(reports.report_event(actor=request.user, event_id=event_id, **_input(request)))


class MyReportsApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        summary="Your reports, newest first, with whether a moderator has looked and what happened",
        responses={200: MyReportOutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors_reports.my_reports(user=request.user), request, view=self)
        return paginator.get_paginated_response([selectors_reports.my_report_payload(report) for report in page])


urlpatterns = [
    path("messages/<int:message_id>/report/", MessageReportApi.as_view(), name="api-report-message"),
    path("people/<int:user_id>/report/", PersonReportApi.as_view(), name="api-report-person"),
    path("events/<int:event_id>/report/", EventReportApi.as_view(), name="api-report-event"),
    path("me/reports/", MyReportsApi.as_view(), name="api-my-reports"),
]

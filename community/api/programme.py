"""Programme figures API for staff and evaluators: the dashboard's tables as JSON and each table as CSV.

Same filters as the page (`from`, `to`, `group`, `category`) and exactly the same disclosure control: a suppressed
cell is the string "c" in JSON and in CSV. Aggregates only; nothing here names a person.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from community.permissions import require_programme_figures
from community.selectors.programme import TABLE_KEYS, programme_figures, programme_table, table_csv
from community.selectors.programme_filters import programme_filters_from
from community.views.programme_csv import csv_response

TAGS = ["programme"]
NOT_LOGGED_IN = OpenApiResponse(description="Not logged in (code `not_authenticated`).")
NOT_ALLOWED = OpenApiResponse(description="Only staff and evaluators (code `programme_figures_only`).")
BAD_FILTER = OpenApiResponse(description="A filter needs another look (code `invalid_filter`).")
FILTERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: a year ago)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, included (default: today)."),
    OpenApiParameter(
        "group", OpenApiTypes.STR, description="A group's slug: only its activities and the people there."
    ),
    OpenApiParameter("category", OpenApiTypes.STR, description="An event category key, e.g. `social`."),
]
CELL = 'A number, or the string "c" when it is suppressed (too few people, or recoverable from totals).'


class ColumnOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["label", "count", "percent", "number"], help_text="percent: a share 0-1.")


class TableOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    about = serializers.CharField()
    columns = ColumnOutputSerializer(many=True)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()), help_text=CELL)
    row_kinds = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="For measure tables: the kind of each row's value."
    )
    suppressed_cells = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())


class HeadlineOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    value = serializers.JSONField(help_text=CELL)


class SummaryOutputSerializer(serializers.Serializer):
    filters = serializers.DictField(child=serializers.CharField())
    threshold = serializers.IntegerField(help_text="Counts below this are suppressed.")
    suppressed = serializers.CharField(help_text='The value of a suppressed cell: "c".')
    headline = HeadlineOutputSerializer(many=True)
    tables = TableOutputSerializer(many=True)


class ProgrammeSummaryApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Every programme table, disclosure-controlled (staff and evaluators)",
        parameters=FILTERS,
        responses={200: SummaryOutputSerializer, 400: BAD_FILTER, 401: NOT_LOGGED_IN, 403: NOT_ALLOWED},
    )
    def get(self, request):
        require_programme_figures(request.user)
        filters = programme_filters_from(params=request.query_params)
        return Response(programme_figures(filters=filters).as_dict())


class ProgrammeTableApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One programme table, disclosure-controlled (staff and evaluators)",
        parameters=[
            OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TABLE_KEYS)),
            *FILTERS,
        ],
        responses={
            200: TableOutputSerializer,
            400: BAD_FILTER,
            401: NOT_LOGGED_IN,
            403: NOT_ALLOWED,
            404: OpenApiResponse(description="No such table (code `table_not_found`)."),
        },
    )
    def get(self, request, key: str):
        require_programme_figures(request.user)
        filters = programme_filters_from(params=request.query_params)
        return Response(programme_table(filters=filters, key=key).as_dict())


class ProgrammeTableCsvApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One programme table as CSV, suppressed exactly as in JSON (staff and evaluators)",
        parameters=[
            OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TABLE_KEYS)),
            *FILTERS,
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR, description="UTF-8 CSV with a header row."),
            400: BAD_FILTER,
            401: NOT_LOGGED_IN,
            403: NOT_ALLOWED,
            404: OpenApiResponse(description="No such table (code `table_not_found`)."),
        },
    )
    def get(self, request, key: str):
        require_programme_figures(request.user)
        filters = programme_filters_from(params=request.query_params)
        table = programme_table(filters=filters, key=key)
        suffix = f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
        return csv_response(key=table.key, text=table_csv(table), filename_suffix=suffix)


urlpatterns = [
    path("programme/summary/", ProgrammeSummaryApi.as_view(), name="api-programme-summary"),
    path("programme/tables/<slug:key>/", ProgrammeTableApi.as_view(), name="api-programme-table"),
    path("programme/tables/<slug:key>/csv/", ProgrammeTableCsvApi.as_view(), name="api-programme-table-csv"),
]

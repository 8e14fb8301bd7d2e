"""Copies of my data: /api/v1/me/exports/. Ask for one (it is made in the background and you get a notification),
see how it's going, download it while the link lasts. Only ever your own."""

from __future__ import annotations

import json

from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community import permissions
from community.api.errors import JsonRefusalsMixin
from community.api.pagination import StandardPagination
from community.models import DataExport
from community.selectors.data_exports import export_state, my_data_exports
from community.services.data_export import data_export_open, data_export_request

TAGS = ["my data"]
EXPORT_ID = OpenApiParameter("export_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The export's id.")
NOT_FOUND = OpenApiResponse(description="Not one of your exports (`export_not_found`).")


class DataExportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=["pending", "ready", "failed", "expired"],
        help_text="`expired` once the download link has run out.",
    )
    status_words = serializers.CharField(help_text="What the status means, in plain words.")
    requested_at = serializers.DateTimeField()
    ready_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True, help_text="When the download link stops working.")
    downloaded_at = serializers.DateTimeField(allow_null=True)
    size_bytes = serializers.IntegerField(allow_null=True)
    download_url = serializers.CharField(allow_null=True, help_text="While it can be downloaded.")


def export_payload(export: DataExport) -> dict:
    state = export_state(export)
    return {
        "id": export.pk,
        "status": state.status,
        "status_words": state.words,
        "requested_at": export.requested_at,
        "ready_at": export.ready_at,
        "expires_at": export.expires_at,
        "downloaded_at": export.downloaded_at,
        "size_bytes": export.size_bytes,
        "download_url": f"/api/v1/me/exports/{export.pk}/download/" if state.downloadable else None,
    }


class DataExportListApi(APIView):
    pagination_class = StandardPagination  # paginated by hand below; the schema shows the page

    @extend_schema(
        tags=TAGS,
        summary="Your copies of your data, newest first",
        responses={200: DataExportOutputSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(my_data_exports(user=request.user), request, view=self)
        return paginator.get_paginated_response([export_payload(export) for export in page])

    @extend_schema(
        tags=TAGS,
        summary="Ask for a copy of your data (202). While one is being made, asking again gives back that one.",
        request=None,
        responses={
            202: DataExportOutputSerializer,
            429: OpenApiResponse(description="Three copies in 24 hours already (`rate_limited`)."),
        },
    )
    def post(self, request: Request) -> Response:
        export = data_export_request(actor=request.user)
        return Response(export_payload(export), status=status.HTTP_202_ACCEPTED)


class DataExportDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One of your copies: whether it's ready, and until when it can be downloaded",
        parameters=[EXPORT_ID],
        responses={200: DataExportOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, export_id: int) -> Response:
        return Response(export_payload(permissions.access_data_export(user=request.user, export_id=export_id)))


class ZipRenderer(renderers.BaseRenderer):
    """Lets a client ask for application/zip; a refusal still comes back as the usual {"code", "detail"}."""

    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class DataExportDownloadApi(JsonRefusalsMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, ZipRenderer]

    @extend_schema(
        tags=TAGS,
        operation_id="me_exports_download",
        summary="Download a copy of your data: a zip with here-and-now-data.json, README.txt and images/",
        parameters=[EXPORT_ID],
        responses={
            (200, "application/zip"): OpenApiResponse(response=OpenApiTypes.BINARY, description="A zip file."),
            404: NOT_FOUND,
            409: OpenApiResponse(description="Still being made, or it went wrong (`export_not_ready`)."),
            410: OpenApiResponse(description="The link has run out (`export_expired`)."),
        },
    )
    def get(self, request: Request, export_id: int):
        download = data_export_open(actor=request.user, export_id=export_id)
        response = FileResponse(
            download.file, as_attachment=True, filename=download.filename, content_type="application/zip"
        )
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("me/exports/", DataExportListApi.as_view(), name="api-me-exports"),
    path("me/exports/<int:export_id>/", DataExportDetailApi.as_view(), name="api-me-export"),
    path("me/exports/<int:export_id>/download/", DataExportDownloadApi.as_view(), name="api-me-export-download"),
]

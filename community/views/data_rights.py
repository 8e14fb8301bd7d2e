"""The "Your data" page: get a copy of your data, and find the other things you can do with it (see what we keep,
count or not in programme figures, correct your details, delete your account). The same services as the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from community.errors import DomainError
from community.selectors.data_exports import export_state, my_data_exports
from community.services.data_export import data_export_open, data_export_request


@login_required
@require_GET
def my_data(request):
    latest = my_data_exports(user=request.user).first()
    return render(
        request,
        "community/data/my_data.html",
        {
            "latest": latest,
            "state": export_state(latest) if latest else None,
            "link_days": settings.HN_EXPORT_LINK_DAYS,
        },
    )


@login_required
@require_POST
def data_export_ask(request):
    try:
        data_export_request(actor=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request, "Thanks. We're making your copy now, and we'll send you a notification when it's ready."
        )
    return redirect("community:my-data")


@login_required
@require_GET
def data_export_download(request, export_id: int):
    download = data_export_open(actor=request.user, export_id=export_id)
    response = FileResponse(
        download.file, as_attachment=True, filename=download.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("me/data/", my_data, name="my-data"),
    path("me/data/exports/", data_export_ask, name="data-export-request"),
    path("me/data/exports/<int:export_id>/download/", data_export_download, name="data-export-download"),
]

"""Each programme table as a CSV download, with the same filters and exactly the same suppression as the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from community.permissions import require_programme_figures
from community.selectors.programme import programme_table, table_csv
from community.selectors.programme_filters import programme_filters_from


def csv_response(*, key: str, text: str, filename_suffix: str) -> HttpResponse:
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{key}-{filename_suffix}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def programme_table_csv(request, key: str):
    require_programme_figures(request.user)
    filters = programme_filters_from(params=request.GET)
    table = programme_table(filters=filters, key=key)
    suffix = f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
    return csv_response(key=table.key, text=table_csv(table), filename_suffix=suffix)


urlpatterns = [
    path("programme/<slug:key>.csv", programme_table_csv, name="programme-table-csv"),
]

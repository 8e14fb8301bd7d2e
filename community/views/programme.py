"""The programme dashboard for staff and evaluators (/programme/): aggregates only, disclosure-controlled.

Every table comes from community.selectors.programme, which the CSV downloads (community/views/programme_csv.py)
and the API (community/api/programme.py) use too, so a cell suppressed here is suppressed everywhere.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode

from community.errors import InvalidInput
from community.permissions import require_programme_figures
from community.selectors.programme import programme_figures
from community.selectors.programme_filters import default_period, filter_choices, programme_filters_from
from community.views import programme_csv


@login_required
def programme_dashboard(request):
    require_programme_figures(request.user)
    problem = ""
    try:
        filters = programme_filters_from(params=request.GET)
    except InvalidInput as error:
        problem = error.detail
        filters = programme_filters_from(params={})
    figures = programme_figures(filters=filters, charts=True)
    query = urlencode(filters.query())
    first, last = default_period()
    return render(
        request,
        "community/programme/dashboard.html",
        {
            "figures": figures,
            "filters": filters,
            "query": query,
            "choices": filter_choices(),
            "problem": problem,
            "default_from": first,
            "default_to": last,
        },
        status=400 if problem else 200,
    )


urlpatterns = [
    path("programme/", programme_dashboard, name="programme-dashboard"),
    *programme_csv.urlpatterns,
]

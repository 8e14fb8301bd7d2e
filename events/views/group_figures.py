"""A group's figures page for its peer leaders, staff and evaluators (/groups/<slug>/figures/): aggregates only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from community.errors import InvalidInput
from community.permissions import access_group_figures
from community.selectors.programme_filters import programme_filters_from
from events.selectors_group_figures import group_figures


@login_required
def group_figures_page(request, slug: str):
    group = access_group_figures(user=request.user, slug=slug)
    problem = ""
    try:
        filters = programme_filters_from(params={"from": request.GET.get("from"), "to": request.GET.get("to")})
    except InvalidInput as error:
        problem = error.detail
        filters = programme_filters_from(params={})
    figures = group_figures(group=group, filters=filters)
    return render(
        request,
        "events/group_figures.html",
        {"group": group, "figures": figures, "filters": filters, "problem": problem},
        status=400 if problem else 200,
    )

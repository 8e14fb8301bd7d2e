"""My dashboard (/me/dashboard/): only ever the signed-in member's own record, drawn as accessible charts.

No score is called good or bad; the SWEMWBS chart carries its licence notice and a band showing the meaningful-change
range around the member's first score (HN_SWEMWBS_MEANINGFUL_CHANGE, default 3)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from community.charts import ChartSvg, Series, format_number, line_chart
from community.errors import DomainError
from community.scoring import SWEMWBS_LICENCE
from community.selectors.dashboard import MyDashboard, my_dashboard

ONS_LINES = (
    ("ons_life_satisfaction", "Life satisfaction"),
    ("ons_worthwhile", "Things I do are worthwhile"),
    ("ons_happiness", "Happy yesterday"),
    ("ons_anxiety", "Anxious yesterday (lower is calmer)"),
)


def dashboard_charts(data: MyDashboard) -> dict[str, ChartSvg]:
    """The three wellbeing charts, from the member's check-ins (oldest first)."""
    band = data.swemwbs_band
    change = format_number(data.meaningful_change)
    return {
        "swemwbs": line_chart(
            title="My wellbeing score over time",
            series=[Series("Wellbeing score", [(p.when, p.swemwbs_metric) for p in data.checkins])],
            y_min=7,
            y_max=35,
            y_label="Wellbeing score (7 to 35)",
            band=(float(band[0]), float(band[1])) if band else None,
            band_label=f"within {change} points of your first score",
        ),
        "ons": line_chart(
            title="How I've been feeling, 0 to 10",
            series=[Series(label, [(p.when, p.ons[key]) for p in data.checkins]) for key, label in ONS_LINES],
            y_min=0,
            y_max=10,
            y_label="Answer (0 to 10)",
        ),
        "loneliness": line_chart(
            title="Feeling lonely, 3 to 9",
            series=[Series("Loneliness total", [(p.when, p.ucla_total) for p in data.checkins])],
            y_min=3,
            y_max=9,
            y_label="Loneliness total (3 to 9)",
        ),
    }


@login_required
@require_GET
def my_dashboard_page(request):
    try:
        data = my_dashboard(user=request.user)
    except DomainError as error:
        return render(request, "community/error.html", {"error": error}, status=error.status)
    has = {
        "swemwbs": any(p.swemwbs_metric is not None for p in data.checkins),
        "ons": any(v is not None for p in data.checkins for v in p.ons.values()),
        "loneliness": any(p.ucla_total is not None for p in data.checkins),
    }
    return render(
        request,
        "community/dashboard/my_dashboard.html",
        {
            "data": data,
            "charts": dashboard_charts(data) if data.checkins else {},
            "has": has,
            "licence": SWEMWBS_LICENCE,
            "meaningful_change": format_number(data.meaningful_change),
        },
    )


urlpatterns = [path("me/dashboard/", my_dashboard_page, name="my-dashboard")]

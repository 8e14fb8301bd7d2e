"""/api/v1/ for events. Each area's module lists its own patterns."""

from events import api_calendar, api_events, api_group_figures, api_ideas

urlpatterns = [
    *api_events.api_urlpatterns,
    *api_ideas.api_urlpatterns,
    *api_calendar.api_urlpatterns,
    *api_group_figures.api_urlpatterns,
]

"""Pages of events (namespace "events"). Each area's module lists its own patterns."""

from events import urls_calendar, urls_events, urls_ideas

app_name = "events"

urlpatterns = [
    *urls_events.urlpatterns,
    *urls_ideas.urlpatterns,
    *urls_calendar.urlpatterns,
]

"""The benchmark's URLConf (used through override_settings(ROOT_URLCONF=...)): the real app, untouched, with the
naive reference endpoints (and, until the real events API exists, the stand-in) added after it."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from bench import naive, targets

router = SimpleRouter()
router.register("bench-naive/events", naive.NaiveEventViewSet, basename="bench-naive-event")

urlpatterns = [
    path("", include("config.urls")),
    *targets.standin_urlpatterns,
    *router.urls,
    path("bench-naive/events/<int:event_id>/attendees/", naive.NaiveAttendeeViewSet.as_view({"get": "list"})),
]

"""The benchmark's URLConf (used through override_settings(ROOT_URLCONF=...)): the real app, untouched, with the
naive reference endpoints added after it. Nothing here is reachable in the real app."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from bench import naive


class EmptyView(APIView):
    """Does nothing: what every API request costs before any work (middleware, token authentication, DRF)."""

    def get(self, request):
        return Response({})


router = SimpleRouter()
router.register("bench-naive/events", naive.NaiveEventViewSet, basename="bench-naive-event")

urlpatterns = [
    path("", include("config.urls")),
    *router.urls,
    path("bench-naive/events/<int:event_id>/attendees/", naive.NaiveAttendeeViewSet.as_view({"get": "list"})),
    path("bench-empty/", EmptyView.as_view()),
]

"""/api/v1/ for chat."""

from messaging import api

urlpatterns = [*api.urlpatterns]

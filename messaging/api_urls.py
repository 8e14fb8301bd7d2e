"""/api/v1/ for chat."""

from messaging import api, api_reports

urlpatterns = [*api.urlpatterns, *api_reports.urlpatterns]

"""/api/v1/ for chat."""

from messaging import api, api_moderation, api_reports, api_room_controls

urlpatterns = [
    *api.urlpatterns,
    *api_reports.urlpatterns,
    *api_room_controls.urlpatterns,
    *api_moderation.urlpatterns,
]

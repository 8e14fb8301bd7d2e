"""Chat pages (namespace "messaging"): the room list and the rooms. The patterns live beside the views."""

from messaging import views, views_moderation, views_reports, views_room_controls

app_name = "messaging"

urlpatterns = [
    *views.urlpatterns,
    *views_reports.urlpatterns,
    *views_room_controls.urlpatterns,
    *views_moderation.urlpatterns,
]

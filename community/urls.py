"""Pages of community. Each area's module in community/views/ lists its own patterns."""

from community.views import (
    accounts,
    dashboard,
    data_rights,
    destinations,
    groups,
    home,
    invitations,
    notifications,
    personal_controls,
    profiles,
    programme,
    safeguarding,
    wellbeing,
)

app_name = "community"

urlpatterns = [
    *home.urlpatterns,
    *accounts.urlpatterns,
    *profiles.urlpatterns,
    *personal_controls.urlpatterns,
    *groups.urlpatterns,
    *invitations.urlpatterns,
    *notifications.urlpatterns,
    *safeguarding.urlpatterns,
    *programme.urlpatterns,
    *wellbeing.urlpatterns,
    *destinations.urlpatterns,
    *dashboard.urlpatterns,
    *data_rights.urlpatterns,
]

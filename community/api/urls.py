"""/api/v1/ for community. Each area's module lists its own patterns."""

from community.api import (
    accounts,
    dashboard,
    data_rights,
    destinations,
    groups,
    invitations,
    notifications,
    personal_controls,
    profiles,
    programme,
    safeguarding,
    wellbeing,
)

urlpatterns = [
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

"""/api/v1/ for community. Each area's module lists its own patterns."""

from community.api import (
    accounts,
    dashboard,
    data_rights,
    destinations,
    erasure,
    groups,
    invitations,
    notifications,
    personal_controls,
    policies,
    profiles,
    programme,
    safeguarding,
    wellbeing,
)

urlpatterns = [
    *accounts.urlpatterns,
    *policies.urlpatterns,
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
    *erasure.urlpatterns,
    *data_rights.urlpatterns,
]

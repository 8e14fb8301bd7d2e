"""/api/v1/ for community. Each area's module lists its own patterns."""

from community.api import (
    accounts,
    groups,
    invitations,
    notifications,
    personal_controls,
    profiles,
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
    *wellbeing.urlpatterns,
]

"""Pages of community. Each area's module in community/views/ lists its own patterns."""

from community.views import (
    account_delete,
    accounts,
    dashboard,
    data_rights,
    destinations,
    groups,
    home,
    invitations,
    notifications,
    personal_controls,
    policies,
    profiles,
    programme,
    safeguarding,
    wellbeing,
)

app_name = "community"

urlpatterns = [
    *home.urlpatterns,
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
    *account_delete.urlpatterns,
    *data_rights.urlpatterns,
]

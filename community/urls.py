"""Pages of community. Each area's module in community/views/ lists its own patterns."""

from community.views import accounts, groups, home, invitations, notifications, profiles, safeguarding

app_name = "community"

urlpatterns = [
    *home.urlpatterns,
    *accounts.urlpatterns,
    *profiles.urlpatterns,
    *groups.urlpatterns,
    *invitations.urlpatterns,
    *notifications.urlpatterns,
    *safeguarding.urlpatterns,
]

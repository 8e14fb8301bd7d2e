"""invitations API."""

urlpatterns = []

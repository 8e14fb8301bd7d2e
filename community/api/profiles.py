"""profiles API."""

urlpatterns = []

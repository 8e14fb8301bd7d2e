"""accounts API."""

urlpatterns = []

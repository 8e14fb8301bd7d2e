"""groups API."""

urlpatterns = []
